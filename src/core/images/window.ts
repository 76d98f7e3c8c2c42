// Window/level and the 8-bit rendering of a frame. Pure TypeScript with no Node or DOM import:
// the webview bundles this same file, so what the panel shows is what the model gets.

import type { Frame, NamedWindow, Window } from './types';

/** Common CT windows (centre/width in Hounsfield units). */
export const PRESETS: NamedWindow[] = [
  { name: 'Lung', center: -600, width: 1500 },
  { name: 'Mediastinum', center: 50, width: 350 },
  { name: 'Bone', center: 400, width: 1800 },
  { name: 'Brain', center: 40, width: 80 },
  { name: 'Abdomen', center: 40, width: 400 },
];

/** Google's CT recipe for MedGemma: three windows in R, G, B (HU ranges). */
export const CT_THREE_WINDOWS: [number, number][] = [
  [-1024, 1024],
  [-135, 215],
  [0, 80],
];

/** Smallest and largest value of a grey frame (NaN-free). */
export function range(data: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** The window that shows the whole range of values. */
export function fullRangeWindow(data: Float32Array): Window {
  const [lo, hi] = range(data);
  return { center: (lo + hi + 1) / 2, width: Math.max(1, hi - lo + 1) };
}

/**
 * A 256-entry-free look-up: DICOM PS3.3 C.11.2.1.2 linear VOI function, output 0..255.
 * Returns a function so the loop stays monomorphic.
 */
export function voi(win: Window, invert: boolean): (x: number) => number {
  const w = Math.max(1, win.width);
  const c = win.center;
  const lo = c - 0.5 - (w - 1) / 2;
  const hi = c - 0.5 + (w - 1) / 2;
  const k = w > 1 ? 255 / (w - 1) : 0;
  const base = c - 0.5;
  return invert
    ? (x) => (x <= lo ? 255 : x > hi ? 0 : 255 - Math.round(((x - base) / (w > 1 ? w - 1 : 1) + 0.5) * 255))
    : (x) => (x <= lo ? 0 : x > hi ? 255 : k ? Math.round((x - base) * k + 127.5) : 255);
}

export interface RenderView {
  /** Grey frames only; ignored for colour. */
  window?: Window;
  invert?: boolean;
  /** Grey CT only: Google's three-window recipe in R/G/B instead of one window. */
  ctThreeWindows?: boolean;
}

/**
 * 8-bit rendering of a frame into `out` (RGB when channels = 3, RGBA when 4 — a canvas
 * ImageData). Grey frames are windowed and replicated to R, G and B.
 */
export function renderInto(frame: Frame, view: RenderView, out: Uint8Array | Uint8ClampedArray, channels: 3 | 4): void {
  const n = frame.width * frame.height;
  if (frame.kind === 'rgb') {
    const d = frame.data;
    for (let i = 0, j = 0, o = 0; i < n; i++, j += 3, o += channels) {
      out[o] = d[j];
      out[o + 1] = d[j + 1];
      out[o + 2] = d[j + 2];
      if (channels === 4) out[o + 3] = 255;
    }
    return;
  }
  const d = frame.data;
  if (view.ctThreeWindows) {
    const fs = CT_THREE_WINDOWS.map(([a, b]) => voi({ center: (a + b) / 2, width: b - a }, !!view.invert));
    for (let i = 0, o = 0; i < n; i++, o += channels) {
      const v = d[i];
      out[o] = fs[0](v);
      out[o + 1] = fs[1](v);
      out[o + 2] = fs[2](v);
      if (channels === 4) out[o + 3] = 255;
    }
    return;
  }
  const f = voi(view.window ?? fullRangeWindow(d), !!view.invert);
  for (let i = 0, o = 0; i < n; i++, o += channels) {
    const g = f(d[i]);
    out[o] = g;
    out[o + 1] = g;
    out[o + 2] = g;
    if (channels === 4) out[o + 3] = 255;
  }
}

/** RGB 8-bit pixels of a frame. */
export function renderRgb(frame: Frame, view: RenderView): Uint8Array {
  const out = new Uint8Array(frame.width * frame.height * 3);
  renderInto(frame, view, out, 3);
  return out;
}

/** A window changed by a mouse drag: right widens, down raises the centre (as most viewers). */
export function dragWindow(start: Window, dx: number, dy: number, span: number): Window {
  const step = Math.max(span, 1) / 512;
  return { center: start.center + dy * step, width: Math.max(1, start.width + dx * step) };
}
