// Frames and the window: which frame is shown, loading frames from the host, window/level, and
// remembering the view in the sidecar.

import type { Frame, Window } from '../../src/core/images/types';
import { range } from '../../src/core/images/window';
import type { WireFrame } from '../../src/protocol/image';
import { frameIn, frameLabel } from './dom';
import { call, host, notice } from './host';
import { draw, fit, renderBase, setStatus } from './render';
import { renderSide } from './side-panel';
import { state } from './state';

/** The current window, frame and CT choice. */
export function viewNow() {
  return { frame: state.frameIndex, ...(state.window ? { window: { center: state.window.center, width: Math.max(1, state.window.width) } } : {}), ctThreeWindows: state.ct3 };
}

export function showFrame(i: number): void {
  if (!state.info) return;
  state.frameIndex = Math.max(0, Math.min(state.info.frames - 1, i));
  frameIn.value = String(state.frameIndex + 1);
  frameLabel.textContent = ` ${state.frameIndex + 1}/${state.info.frames}`;
  rememberView();
  if (state.frames.has(state.frameIndex)) {
    renderBase();
    draw();
    renderSide();
  } else loadFrame(state.frameIndex);
}

let viewTimer: ReturnType<typeof setTimeout> | undefined;
/** Remembers the window and frame in the sidecar (after a pause, not on every drag step). */
export function rememberView(): void {
  clearTimeout(viewTimer);
  viewTimer = setTimeout(() => call(host.request('image/view', viewNow())), 600);
}

export function setWindow(w: Window | undefined): void {
  state.window = w;
  renderBase();
  draw();
  setStatus();
  rememberView();
}

function toFrame(w: WireFrame): Frame {
  const grey = () => Float32Array.from(w.dtype === 'uint8' ? new Uint8Array(w.data) : w.dtype === 'int16' ? new Int16Array(w.data) : new Float32Array(w.data));
  return w.kind === 'gray' ? { kind: 'gray', width: w.width, height: w.height, data: grey() } : { kind: 'rgb', width: w.width, height: w.height, data: new Uint8Array(w.data) };
}

export function loadFrame(index: number): void {
  host.request('image/frame', { index }).then(
    (w) => gotFrame(index, toFrame(w)),
    (e: Error) => notice(e.message),
  );
}

let fittedOnce = false;
function gotFrame(index: number, frame: Frame): void {
  state.frames.set(index, frame);
  if (frame.kind === 'gray') {
    const [lo, hi] = range(frame.data);
    state.span = hi - lo || 1;
  }
  for (const e of document.querySelectorAll('#wc, #ww, #window-preset, #ct3')) (e as HTMLInputElement).disabled = frame.kind !== 'gray';
  if (index !== state.frameIndex) return;
  renderBase();
  if (!fittedOnce) {
    fittedOnce = true;
    fit();
  }
  draw();
  renderSide();
  setStatus();
  document.body.dataset.ready = 'true';
}
