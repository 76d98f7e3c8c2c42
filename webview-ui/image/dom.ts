// The annotator's elements, created once; layout() puts them in the page when the image opens.

import type { ImageKind } from '../../src/core/images/types';
import { h } from '../shared/dom';
import { KIND_LABELS, TOOLS, type ToolId } from './state';

export const app = document.getElementById('root')!;
export const canvas = h('canvas', { id: 'view', tabindex: '0' });
/** The frame rendered at its own size; drawn onto `canvas` zoomed and panned. */
export const base = document.createElement('canvas');
export const stage = h('div', { class: 'stage' }, canvas);
export const status = h('div', { class: 'status', id: 'status' });
export const banner = h('div', { class: 'banners', id: 'banners' });
const side = h('aside', { class: 'side' });
export const toolbar = h('div', { class: 'bar', role: 'toolbar' });
export const presetSel = h('select', { id: 'window-preset', title: 'Window presets' });
export const wcIn = h('input', { id: 'wc', type: 'number', title: 'Window centre', step: '1' });
export const wwIn = h('input', { id: 'ww', type: 'number', title: 'Window width', step: '1', min: '1' });
export const ct3 = h('input', { id: 'ct3', type: 'checkbox', title: "Google's CT recipe: three windows in R, G, B" });
export const frameIn = h('input', { id: 'frame', type: 'range', min: '1', max: '1', value: '1', title: 'Frame' });
export const frameLabel = h('span', { id: 'frame-label' });
export const kindSel = h('select', { id: 'kind', title: 'Kind of image (chooses the prompt)' });
export const promptBox = h('textarea', { id: 'prompt', rows: '4', title: 'The question sent with the image; edit it freely' });
export const askBtn = h('button', { id: 'ask', class: 'primary' }, 'Ask MedGemma');
export const stopBtn = h('button', { id: 'stop', hidden: true }, 'Stop');
export const liveAnswer = h('div', { id: 'answer-live', class: 'answer live md', hidden: true });
export const detail = h('div', { id: 'detail' });
export const list = h('ol', { id: 'annotations', class: 'list' });
export const imageAnswers = h('div', { id: 'image-answers' });
export const header = h('details', { id: 'header' }, h('summary', {}, 'DICOM header (main tags)'));

/** What the toolbar's buttons do. */
export interface ToolbarActions {
  setTool(t: ToolId): void;
  undo(): void;
  redo(): void;
  deleteSelected(): void;
  fit(): void;
  exportCoco(): void;
  attachToChat(): void;
}

export function layout(act: ToolbarActions): void {
  app.replaceChildren(toolbar, banner, h('div', { class: 'main' }, stage, side), status);
  for (const t of TOOLS) {
    toolbar.append(h('button', { id: `tool-${t.id}`, class: 'tool', title: `${t.label} (${t.key.toUpperCase()})`, onclick: () => act.setTool(t.id) }, t.label));
  }
  const btn = (id: string, text: string, title: string, onclick: () => void) => h('button', { id, title, onclick }, text);
  toolbar.append(
    h('span', { class: 'sep' }),
    btn('undo', 'Undo', 'Undo (Ctrl+Z)', act.undo),
    btn('redo', 'Redo', 'Redo (Ctrl+Y / Ctrl+Shift+Z)', act.redo),
    btn('delete', 'Delete', 'Delete the selected annotation (Del)', act.deleteSelected),
    btn('fit', 'Fit', 'Fit the image (0)', act.fit),
    h('span', { class: 'sep' }),
    // The window controls wrap as one group: "C" and "W" never end up on different rows.
    h('span', { class: 'group' }, h('label', {}, 'W/L ', presetSel), h('label', {}, ' C ', wcIn), h('label', {}, ' W ', wwIn)),
    h('label', { title: ct3.title }, ct3, ' CT 3-window'),
    h('span', { class: 'sep' }),
    h('label', { class: 'frames' }, 'Frame ', frameIn, frameLabel),
    h('span', { class: 'sep' }),
    btn('export-coco', 'Export COCO', 'Export the annotations as COCO JSON (no patient data)', act.exportCoco),
    btn('attach-chat', 'Send to Chat', 'Attach the rendered image to the MedGemma chat', act.attachToChat),
  );
  side.append(
    h('h3', {}, 'Ask MedGemma'),
    h('label', {}, 'Kind ', kindSel),
    promptBox,
    h('div', { class: 'row' }, askBtn, stopBtn),
    h('div', { class: 'hint', id: 'ask-scope' }),
    liveAnswer,
    h('h3', {}, 'Selected'),
    detail,
    h('h3', {}, 'Annotations'),
    list,
    h('h3', {}, 'About the whole image'),
    imageAnswers,
    header,
  );
  for (const k of Object.keys(KIND_LABELS) as ImageKind[]) kindSel.append(h('option', { value: k }, KIND_LABELS[k]));
}
