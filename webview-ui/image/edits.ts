// Changes to the annotation list: add, delete, undo, redo, select. Every change goes to the host
// (which saves the sidecar); typing is debounced and sent at once when the field is left.

import type { Annotation, Shape } from '../../src/core/images/annotations/schema';
import { canvas, toolbar } from './dom';
import { showFrame } from './frames';
import { tidy } from './geometry';
import { call, host } from './host';
import { draw } from './render';
import { renderSide, updatePrompt } from './side-panel';
import { state, selected, type ToolId } from './state';

let updateTimer: ReturnType<typeof setTimeout> | undefined;
/** Sends the list to the host (which saves it); typing is debounced, the rest goes at once. */
export function commit(debounce = false): void {
  if (!state.file) return;
  clearTimeout(updateTimer);
  const go = () => {
    updateTimer = undefined;
    sendList();
  };
  if (debounce) updateTimer = setTimeout(go, 300);
  else go();
}

/** The list as the host takes it: without the answers (the host owns those). */
function sendList(): void {
  if (!state.file) return;
  call(host.request('image/update', { annotations: state.file.annotations.map(({ answers: _answers, ...a }) => a) }));
}

/** Sends a pending (debounced) edit now. */
export function flush(): void {
  if (updateTimer === undefined) return;
  clearTimeout(updateTimer);
  updateTimer = undefined;
  sendList();
}

function change(fn: (list: Annotation[]) => Annotation[]): void {
  if (!state.file) return;
  state.history.push(state.file.annotations);
  state.file.annotations = fn(state.file.annotations);
  commit();
  renderSide();
  draw();
}

function newId(): string {
  return `a${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

export function addShape(shape: Shape): void {
  const now = new Date().toISOString();
  const a: Annotation = { id: newId(), frame: state.frameIndex, shape: tidy(shape), label: '', text: '', answers: [], created: now, modified: now };
  change((l) => [...l, a]);
  select(a.id);
  setTimeout(() => (document.getElementById('label-input') as HTMLInputElement | null)?.focus(), 0);
}

export function deleteSelected(): void {
  const id = state.selected;
  if (!id) return;
  state.selected = undefined;
  change((l) => l.filter((a) => a.id !== id));
}

export function undo(): void {
  const r = state.file && state.history.undo(state.file.annotations);
  if (!r || !state.file) return;
  state.file.annotations = r;
  if (state.selected && !r.some((a) => a.id === state.selected)) state.selected = undefined;
  commit();
  renderSide();
  draw();
}

export function redo(): void {
  const r = state.file && state.history.redo(state.file.annotations);
  if (!r || !state.file) return;
  state.file.annotations = r;
  commit();
  renderSide();
  draw();
}

export function select(id: string | undefined): void {
  state.selected = id;
  const a = selected();
  if (a && a.frame !== state.frameIndex) showFrame(a.frame);
  updatePrompt();
  renderSide();
  draw();
}

export function setTool(t: ToolId): void {
  state.tool = t;
  state.draft = undefined;
  for (const b of toolbar.querySelectorAll('.tool')) b.classList.toggle('active', b.id === `tool-${t}`);
  canvas.style.cursor = t === 'pan' ? 'grab' : t === 'select' ? 'default' : 'crosshair';
  draw();
}
