// What the annotator holds: the image, its annotations, the view (window, frame, zoom) and the
// tool in hand. One object, read and changed by the other modules of this webview.

import type { Annotation, AnnotationFile, Shape } from '../../src/core/images/annotations/schema';
import type { ImagePrompt } from '../../src/core/images/prompts';
import type { Frame, ImageInfo, ImageKind, Window } from '../../src/core/images/types';
import { History } from './history';

export type ToolId = 'select' | 'rect' | 'ellipse' | 'polygon' | 'freehand' | 'arrow' | 'point' | 'window' | 'pan';

export const TOOLS: { id: ToolId; label: string; key: string }[] = [
  { id: 'select', label: 'Select', key: 'v' },
  { id: 'rect', label: 'Rectangle', key: 'r' },
  { id: 'ellipse', label: 'Ellipse', key: 'e' },
  { id: 'polygon', label: 'Polygon', key: 'p' },
  { id: 'freehand', label: 'Freehand', key: 'f' },
  { id: 'arrow', label: 'Arrow', key: 'a' },
  { id: 'point', label: 'Point', key: 't' },
  { id: 'window', label: 'Window', key: 'w' },
  { id: 'pan', label: 'Pan', key: 'h' },
];

export const KIND_LABELS: Record<ImageKind, string> = { cxr: 'Chest X-ray', ct: 'CT', mri: 'MRI', pathology: 'Pathology', dermatology: 'Dermatology', fundus: 'Fundus', other: 'Other' };

export const state = {
  name: '',
  info: undefined as ImageInfo | undefined,
  file: undefined as AnnotationFile | undefined,
  prompts: undefined as Record<ImageKind, ImagePrompt> | undefined,
  kind: 'other' as ImageKind,
  frames: new Map<number, Frame>(),
  frameIndex: 0,
  window: undefined as Window | undefined,
  span: 1,
  ct3: false,
  zoom: 1,
  panX: 0,
  panY: 0,
  tool: 'rect' as ToolId,
  selected: undefined as string | undefined,
  /** The shape being drawn, shown dashed until it is added. */
  draft: undefined as Shape | undefined,
  asking: undefined as { controller: AbortController; text: string } | undefined,
  history: new History(),
  /** The user changed the prompt: a new selection does not replace it. */
  promptEdited: false,
};

export const annotations = (): Annotation[] => state.file?.annotations ?? [];
export const selected = (): Annotation | undefined => annotations().find((a) => a.id === state.selected);
export const currentFrame = (): Frame | undefined => state.frames.get(state.frameIndex);
/** The view as the coordinate transforms take it (viewport.ts). */
export const view = () => ({ zoom: state.zoom, panX: state.panX, panY: state.panY, scale: state.info?.scale ?? 1 });
