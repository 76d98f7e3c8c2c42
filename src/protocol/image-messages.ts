// Every message between the image annotator webview and the extension host, declared once.
// Kept in this one file so it can move onto the shared typed messenger (issue 4) unchanged.
// What arrives from the webview is untrusted: `parseFromPanel` checks it at run time.

import type { Annotation, AnnotationFile } from '../core/images/annotations/schema';
import type { ImagePrompt } from '../core/images/prompts';
import type { ImageInfo, ImageKind, Window } from '../core/images/types';

export interface WireFrame {
  kind: 'gray' | 'rgb';
  width: number;
  height: number;
  /** Grey: modality values as `dtype`; colour: 8-bit RGB bytes. */
  data: ArrayBuffer;
  /** Grey only: the smallest exact type for the values (an 8-bit PNG goes as 1 byte a pixel). */
  dtype?: 'uint8' | 'int16' | 'float32';
}

export type ToPanel =
  | { type: 'init'; name: string; info: ImageInfo; file: AnnotationFile; prompts: Record<ImageKind, ImagePrompt>; notice?: string }
  | { type: 'frame'; index: number; frame: WireFrame }
  | { type: 'failed'; message: string }
  | { type: 'file'; file: AnnotationFile }
  | { type: 'answerDelta'; requestId: string; text: string }
  | { type: 'answerEnd'; requestId: string; error?: string; finish?: string }
  | { type: 'notice'; message: string };

export type FromPanel =
  | { type: 'ready' }
  | { type: 'getFrame'; index: number }
  | { type: 'update'; annotations: Annotation[] }
  | { type: 'view'; frame: number; window?: Window; ctThreeWindows: boolean }
  | { type: 'ask'; requestId: string; annotationId?: string; frame: number; window?: Window; ctThreeWindows: boolean; system: string; prompt: string }
  | { type: 'cancel'; requestId: string }
  | { type: 'exportCoco' }
  | { type: 'attachToChat'; frame: number; window?: Window; ctThreeWindows: boolean };

const isStr = (v: unknown, max = 100_000): v is string => typeof v === 'string' && v.length <= max;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isWindow = (v: unknown): v is Window | undefined =>
  v === undefined || (!!v && typeof v === 'object' && isNum((v as Window).center) && isNum((v as Window).width));

/** The message if it is well-formed, else undefined (a webview is untrusted input). */
export function parseFromPanel(m: unknown, validAnnotation: (a: unknown) => a is Annotation): FromPanel | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
    case 'exportCoco':
      return { type: o.type };
    case 'getFrame':
      return isNum(o.index) ? { type: 'getFrame', index: o.index } : undefined;
    case 'update':
      return Array.isArray(o.annotations) && o.annotations.length <= 10_000 && o.annotations.every(validAnnotation)
        ? { type: 'update', annotations: o.annotations as Annotation[] }
        : undefined;
    case 'ask':
      return isStr(o.requestId, 100) &&
        (o.annotationId === undefined || isStr(o.annotationId, 100)) &&
        isNum(o.frame) &&
        isWindow(o.window) &&
        isStr(o.system, 4000) &&
        isStr(o.prompt, 8000) &&
        o.prompt.trim()
        ? {
            type: 'ask',
            requestId: o.requestId,
            annotationId: o.annotationId as string | undefined,
            frame: o.frame,
            window: o.window as Window | undefined,
            ctThreeWindows: o.ctThreeWindows === true,
            system: o.system,
            prompt: o.prompt,
          }
        : undefined;
    case 'view':
      return isNum(o.frame) && isWindow(o.window) ? { type: 'view', frame: o.frame, window: o.window as Window | undefined, ctThreeWindows: o.ctThreeWindows === true } : undefined;
    case 'cancel':
      return isStr(o.requestId, 100) ? { type: 'cancel', requestId: o.requestId } : undefined;
    case 'attachToChat':
      return isNum(o.frame) && isWindow(o.window) ? { type: 'attachToChat', frame: o.frame, window: o.window as Window | undefined, ctThreeWindows: o.ctThreeWindows === true } : undefined;
    default:
      return undefined;
  }
}
