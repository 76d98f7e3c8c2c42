// The image annotator's protocol (webview <-> extension host), declared once on the shared
// messenger. Requests are validated by the host; the webview never sends model answers
// (the host owns them) and never sends pixels back.

import type { AnnotationFile } from '../core/images/annotations/schema';
import type { ImagePrompt } from '../core/images/prompts';
import type { ImageInfo, ImageKind } from '../core/images/types';
import { defineProtocol, event, request } from './define';
import { array, boolean, literal, number, object, optional, string, union } from './schema';

export interface WireFrame {
  kind: 'gray' | 'rgb';
  width: number;
  height: number;
  /** Grey: modality values as `dtype`; colour: 8-bit RGB bytes. */
  data: ArrayBuffer;
  /** Grey only: the smallest exact type for the values (an 8-bit PNG goes as 1 byte a pixel). */
  dtype?: 'uint8' | 'int16' | 'float32';
}

export interface OpenResult {
  name: string;
  info: ImageInfo;
  file: AnnotationFile;
  prompts: Record<ImageKind, ImagePrompt>;
  notice?: string;
}

const finiteNumber = number();
const windowSchema = object({ center: finiteNumber, width: number({ min: 1 }) });
const pair = array(finiteNumber, { max: 2 });

const shapeSchema = union('type', {
  rect: object({ type: literal('rect'), x: finiteNumber, y: finiteNumber, w: finiteNumber, h: finiteNumber }),
  ellipse: object({ type: literal('ellipse'), cx: finiteNumber, cy: finiteNumber, rx: finiteNumber, ry: finiteNumber }),
  polygon: object({ type: literal('polygon'), points: array(pair, { max: 100_000 }), closed: boolean() }),
  arrow: object({ type: literal('arrow'), x1: finiteNumber, y1: finiteNumber, x2: finiteNumber, y2: finiteNumber }),
  point: object({ type: literal('point'), x: finiteNumber, y: finiteNumber }),
});

/** An annotation as the webview edits it: everything but the answers. */
export const editedAnnotation = object({
  id: string({ max: 100 }),
  frame: number({ integer: true, min: 0 }),
  shape: shapeSchema,
  label: string({ max: 1000 }),
  text: string({ max: 100_000 }),
  created: string({ max: 40 }),
  modified: string({ max: 40 }),
});

const viewSchema = object({ frame: number({ integer: true, min: 0 }), window: optional(windowSchema), ctThreeWindows: boolean() });

export const imageProtocol = defineProtocol({
  requests: {
    /** Decode the image, read the sidecar. Fails with a message saying why the image cannot be shown. */
    'image/open': request<OpenResult>()(object({})),
    'image/frame': request<WireFrame>()(object({ index: number({ integer: true, min: 0 }) })),
    /** The annotation list after an edit; the host keeps the answers and saves. */
    'image/update': request()(object({ annotations: array(editedAnnotation, { max: 10_000 }) })),
    /** How the image is shown (window, frame), remembered in the sidecar. */
    'image/view': request()(viewSchema),
    /** Ask MedGemma; streams answer text, resolves with the finish reason. */
    'image/ask': request<{ finish: string }, string>()(
      object({
        annotationId: optional(string({ max: 100 })),
        frame: number({ integer: true, min: 0 }),
        window: optional(windowSchema),
        ctThreeWindows: boolean(),
        system: string({ max: 4000 }),
        prompt: string({ min: 1, max: 8000 }),
      }),
    ),
    'image/exportCoco': request()(object({})),
    'image/attachToChat': request()(viewSchema),
    /** An answer's Save Example button (`at` names the answer): the host asks and saves. */
    'image/saveExample': request()(object({ at: string({ max: 40 }), annotationId: optional(string({ max: 100 })) })),
    /** A link in an answer: the host decides (web and mail links after the user confirms). */
    'image/openLink': request<boolean>()(object({ href: string({ max: 4000 }), text: optional(string({ max: 500 })) })),
  },
  events: {
    /** The saved file changed (an answer arrived, or it was reloaded from disk). */
    'image/file': event<AnnotationFile>(),
    'image/notice': event<string>(),
  },
});
