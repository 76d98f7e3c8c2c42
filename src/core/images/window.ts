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

/** The soft-tissue window CT is usually first read in (HU). */
export const CT_SOFT_TISSUE: NamedWindow = { name: 'Soft tissue', center: 40, width: 400 };

/** At most this many values are looked at to choose a window (a stride over larger frames). */
const WINDOW_SAMPLES = 1 << 18;

/** Every `k`-th value, so that at most WINDOW_SAMPLES are kept. */
function sample(data: Float32Array): Float32Array {
  const k = Math.max(1, Math.ceil(data.length / WINDOW_SAMPLES));
  if (k === 1) return data;
  const out = new Float32Array(Math.floor(data.length / k));
  for (let i = 0; i < out.length; i++) out[i] = data[i * k];
  return out;
}

/**
 * Whether a window shows the frame: at least 1% of its values fall inside it. A header window
 * that misses the data (wrong units, a copied header) shows a flat black or white image.
 */
export function windowFits(win: Window, data: Float32Array): boolean {
  if (!(win.width >= 1) || !Number.isFinite(win.center)) return false;
  const s = sample(data);
  const lo = win.center - win.width / 2;
  const hi = win.center + win.width / 2;
  let inside = 0;
  for (let i = 0; i < s.length; i++) if (s[i] >= lo && s[i] <= hi) inside++;
  return inside >= s.length * 0.01;
}

/**
 * The first window of a grey frame when its header has none that fits. CT in Hounsfield units
 * opens in the soft-tissue window, as a radiologist would read it first. Anything else gets the
 * 0.5th to 99.5th percentile of its values, leaving out the padding value outside a scan's
 * field of view (the minimum, when it covers more than 5% of the frame): the full range would
 * spend most of the grey scale on that padding and leave the anatomy a flat grey.
 */
export function autoWindow(data: Float32Array, modality?: string): NamedWindow {
  const s = Float32Array.from(sample(data)).sort();
  if (!s.length) return { name: 'Full range', center: 0.5, width: 1 };
  const [min, max] = [s[0], s[s.length - 1]];
  if (modality === 'CT' && min <= -500 && max >= 100 && windowFits(CT_SOFT_TISSUE, s)) return CT_SOFT_TISSUE;
  let from = 0;
  while (from < s.length && s[from] === min) from++;
  const padded = from > s.length * 0.05 && s[s.length - 1] > s[from];
  const body = padded ? s.subarray(from) : s;
  const lo = body[Math.floor((body.length - 1) * 0.005)];
  const hi = body[Math.ceil((body.length - 1) * 0.995)];
  // Few distinct values (a mask, a segmentation): the full range shows them all.
  if (lo >= hi) return { name: 'Full range', ...fullRangeWindow(data) };
  return { name: 'Auto', center: (lo + hi + 1) / 2, width: Math.max(1, hi - lo + 1) };
}
