// Keyboard: undo/redo, delete, Escape, zoom, frames and one key per tool (not while typing).

import { deleteSelected, redo, select, setTool, undo } from './edits';
import { canvas } from './dom';
import { showFrame } from './frames';
import { keys } from './pointer';
import { draw, fit } from './render';
import { state, TOOLS } from './state';
import { drawingPolygon, dropPolygon, finishPolygon } from './tools/polygon';

const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');

/** Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z and Ctrl/Cmd+Y. True when the key was one of them. */
function undoKeys(e: KeyboardEvent): boolean {
  const key = e.key.toLowerCase();
  if (key !== 'z' && key !== 'y') return false;
  e.preventDefault();
  if (key === 'z' && !e.shiftKey) undo();
  else redo();
  return true;
}

function onKey(e: KeyboardEvent): void {
  if (typing(e.target)) {
    if (e.key === 'Escape') canvas.focus();
    return;
  }
  if (e.ctrlKey || e.metaKey) {
    undoKeys(e);
    return;
  }
  if (e.key === ' ') {
    keys.spaceDown = true;
    return;
  }
  if (e.key === 'Delete' || e.key === 'Backspace') return deleteSelected();
  if (e.key === 'Escape') {
    dropPolygon();
    state.draft = undefined;
    select(undefined);
    return;
  }
  if (e.key === 'Enter' && drawingPolygon()) return finishPolygon();
  viewKey(e);
}

/** Zoom, fit, frames and the tool keys. */
function viewKey(e: KeyboardEvent): void {
  if (e.key === '0') return fit();
  if (e.key === '+' || e.key === '=') {
    state.zoom *= 1.25;
    return draw();
  }
  if (e.key === '-') {
    state.zoom /= 1.25;
    return draw();
  }
  if (e.key === 'PageDown' || e.key === '.') return showFrame(state.frameIndex + 1);
  if (e.key === 'PageUp' || e.key === ',') return showFrame(state.frameIndex - 1);
  const tool = TOOLS.find((x) => x.key === e.key.toLowerCase());
  if (tool) setTool(tool.id);
}

export function listenKeys(): void {
  window.addEventListener('keydown', onKey);
  window.addEventListener('keyup', (e) => {
    if (e.key === ' ') keys.spaceDown = false;
  });
}
