// The annotations of one image, in stored-image pixel coordinates. Plain data, versioned; no
// Node import (the webview uses these types and the validator).

export const SCHEMA_VERSION = 1;

export type Shape =
  | { type: 'rect'; x: number; y: number; w: number; h: number }
  | { type: 'ellipse'; cx: number; cy: number; rx: number; ry: number }
  | { type: 'polygon'; points: [number, number][]; closed: boolean }
  | { type: 'arrow'; x1: number; y1: number; x2: number; y2: number }
  | { type: 'point'; x: number; y: number };

export interface Answer {
  prompt: string;
  text: string;
  model: string;
  at: string;
  /** 'stop' | 'length' | 'cancelled' | 'error: ...' */
  finish: string;
}

export interface Annotation {
  id: string;
  frame: number;
  shape: Shape;
  label: string;
  text: string;
  answers: Answer[];
  created: string;
  modified: string;
}

/** How the image was last shown (optional; restored on reopen). */
export interface ViewState {
  frame: number;
  window?: { center: number; width: number };
  ctThreeWindows?: boolean;
}

export interface AnnotationFile {
  schema: 'medgemma-image-annotations';
  version: number;
  view?: ViewState;
  image: { file: string; width: number; height: number; frames: number };
  /** Answers about the whole image (per frame). */
  imageAnswers: (Answer & { frame: number })[];
  annotations: Annotation[];
}

export function emptyFile(file: string, width: number, height: number, frames: number): AnnotationFile {
  return { schema: 'medgemma-image-annotations', version: SCHEMA_VERSION, image: { file, width, height, frames }, imageAnswers: [], annotations: [] };
}

/** Bounding box of a shape: [x, y, w, h]. */
export function bbox(s: Shape): [number, number, number, number] {
  switch (s.type) {
    case 'rect':
      return [Math.min(s.x, s.x + s.w), Math.min(s.y, s.y + s.h), Math.abs(s.w), Math.abs(s.h)];
    case 'ellipse':
      return [s.cx - Math.abs(s.rx), s.cy - Math.abs(s.ry), 2 * Math.abs(s.rx), 2 * Math.abs(s.ry)];
    case 'polygon': {
      const xs = s.points.map((p) => p[0]);
      const ys = s.points.map((p) => p[1]);
      const x = Math.min(...xs);
      const y = Math.min(...ys);
      return [x, y, Math.max(...xs) - x, Math.max(...ys) - y];
    }
    case 'arrow':
      return [Math.min(s.x1, s.x2), Math.min(s.y1, s.y2), Math.abs(s.x2 - s.x1), Math.abs(s.y2 - s.y1)];
    case 'point':
      return [s.x, s.y, 0, 0];
  }
}

const finite = (...v: unknown[]) => v.every((n) => Number.isFinite(n)); // false for anything not a number

function validShape(s: unknown): s is Shape {
  const o = s as Record<string, unknown>;
  if (!o || typeof o !== 'object') return false;
  switch (o.type) {
    case 'rect':
      return finite(o.x, o.y, o.w, o.h);
    case 'ellipse':
      return finite(o.cx, o.cy, o.rx, o.ry);
    case 'polygon':
      return Array.isArray(o.points) && o.points.length > 0 && o.points.every((p) => Array.isArray(p) && p.length === 2 && finite(p[0], p[1]));
    case 'arrow':
      return finite(o.x1, o.y1, o.x2, o.y2);
    case 'point':
      return finite(o.x, o.y);
    default:
      return false;
  }
}

function validAnswer(a: unknown): a is Answer {
  const o = a as Record<string, unknown>;
  return !!o && typeof o.prompt === 'string' && typeof o.text === 'string' && typeof o.model === 'string' && typeof o.at === 'string' && typeof o.finish === 'string';
}

export function validAnnotation(a: unknown): a is Annotation {
  const o = a as Record<string, unknown>;
  return (
    !!o &&
    typeof o.id === 'string' &&
    typeof o.frame === 'number' &&
    validShape(o.shape) &&
    typeof o.label === 'string' &&
    typeof o.text === 'string' &&
    Array.isArray(o.answers) &&
    o.answers.every(validAnswer)
  );
}

/** Checks a parsed sidecar; returns a reason when it cannot be used. */
export function checkFile(v: unknown): AnnotationFile | string {
  const o = v as Record<string, unknown>;
  if (!o || typeof o !== 'object' || o.schema !== 'medgemma-image-annotations') return 'it is not a MedGemma annotation file';
  if (typeof o.version !== 'number') return 'its schema version is missing or not a number';
  if (o.version > SCHEMA_VERSION) return `it was written by a newer version (schema ${o.version}); update the extension`;
  if (!Array.isArray(o.annotations) || !o.annotations.every(validAnnotation)) return 'an annotation in it is malformed';
  if (o.imageAnswers !== undefined && !(Array.isArray(o.imageAnswers) && o.imageAnswers.every(validAnswer))) return 'an image answer in it is malformed';
  const view = o.view as Record<string, unknown> | undefined;
  const win = view?.window as Record<string, unknown> | undefined;
  if (view !== undefined && !(view && finite(view.frame) && (win === undefined || finite(win?.center, win?.width)))) {
    return 'its view settings are malformed';
  }
  const img = o.image as Record<string, unknown> | undefined;
  if (!img || !finite(img.width, img.height)) return 'its image size is missing';
  return { ...(o as unknown as AnnotationFile), imageAnswers: (o.imageAnswers as AnnotationFile['imageAnswers']) ?? [] };
}
