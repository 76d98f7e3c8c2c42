// What the model receives: the rendered 8-bit RGB frame, padded to a square (MedGemma's
// processor stretches to 896 x 896, so padding keeps the aspect ratio) and resized to 896 px,
// as a PNG data URL. A region goes as a padded crop plus the full image with the box drawn on.
// Only pixels leave this module — never a DICOM header.

import { encodePng } from './png-encode';
import type { Frame } from './types';
import { renderRgb, type RenderView } from './window';

export const MODEL_SIDE = 896;

export interface Rgb {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Pads to a centred square (black) and resizes to `side` with area averaging / bilinear. */
export function squareResize(img: Rgb, side = MODEL_SIDE): Rgb {
  const s = Math.max(img.width, img.height);
  const ox = (s - img.width) / 2;
  const oy = (s - img.height) / 2;
  const out = new Uint8Array(side * side * 3);
  const f = s / side; // source pixels per output pixel
  for (let y = 0; y < side; y++) {
    const sy0 = y * f - oy;
    const sy1 = sy0 + f;
    for (let x = 0; x < side; x++) {
      const sx0 = x * f - ox;
      const sx1 = sx0 + f;
      let r = 0;
      let g = 0;
      let b = 0;
      let wsum = 0;
      if (f <= 1) {
        // upscaling: nearest source pixel (keeps edges crisp, cheap)
        const sx = Math.floor(sx0 + f / 2);
        const sy = Math.floor(sy0 + f / 2);
        if (sx >= 0 && sy >= 0 && sx < img.width && sy < img.height) {
          const i = (sy * img.width + sx) * 3;
          const o = (y * side + x) * 3;
          out[o] = img.data[i];
          out[o + 1] = img.data[i + 1];
          out[o + 2] = img.data[i + 2];
        }
        continue;
      }
      const ya = Math.max(0, Math.floor(sy0));
      const yb = Math.min(img.height, Math.ceil(sy1));
      const xa = Math.max(0, Math.floor(sx0));
      const xb = Math.min(img.width, Math.ceil(sx1));
      for (let sy = ya; sy < yb; sy++) {
        const wy = Math.min(sy + 1, sy1) - Math.max(sy, sy0);
        for (let sx = xa; sx < xb; sx++) {
          const w = wy * (Math.min(sx + 1, sx1) - Math.max(sx, sx0));
          const i = (sy * img.width + sx) * 3;
          r += img.data[i] * w;
          g += img.data[i + 1] * w;
          b += img.data[i + 2] * w;
          wsum += w;
        }
      }
      const area = f * f; // padding counts as black
      const o = (y * side + x) * 3;
      if (wsum > 0) {
        out[o] = Math.round(r / area);
        out[o + 1] = Math.round(g / area);
        out[o + 2] = Math.round(b / area);
      }
    }
  }
  return { width: side, height: side, data: out };
}

export function crop(img: Rgb, box: Box): Rgb {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(img.width, Math.ceil(box.x + box.w));
  const y1 = Math.min(img.height, Math.ceil(box.y + box.h));
  const w = Math.max(1, x1 - x0);
  const h = Math.max(1, y1 - y0);
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h && y0 + y < img.height; y++) {
    const s = ((y0 + y) * img.width + x0) * 3;
    out.set(img.data.subarray(s, s + Math.min(w, img.width - x0) * 3), y * w * 3);
  }
  return { width: w, height: h, data: out };
}

/** The box grown by `margin` of its size on each side (context around a region). */
export function padBox(box: Box, margin: number, width: number, height: number): Box {
  const mx = box.w * margin;
  const my = box.h * margin;
  const x = Math.max(0, box.x - mx);
  const y = Math.max(0, box.y - my);
  return { x, y, w: Math.min(width, box.x + box.w + mx) - x, h: Math.min(height, box.y + box.h + my) - y };
}

/** A copy with a yellow rectangle outline, thickness scaled to the image. */
export function drawBox(img: Rgb, box: Box): Rgb {
  const data = img.data.slice();
  const t = Math.max(2, Math.round(Math.max(img.width, img.height) / 300));
  const x0 = Math.round(box.x);
  const y0 = Math.round(box.y);
  const x1 = Math.round(box.x + box.w);
  const y1 = Math.round(box.y + box.h);
  const put = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
    const i = (y * img.width + x) * 3;
    data[i] = 255;
    data[i + 1] = 220;
    data[i + 2] = 0;
  };
  for (let k = -t; k < t; k++) {
    for (let x = x0 - t; x <= x1 + t; x++) {
      put(x, y0 + k);
      put(x, y1 + k);
    }
    for (let y = y0 - t; y <= y1 + t; y++) {
      put(x0 + k, y);
      put(x1 + k, y);
    }
  }
  return { ...img, data };
}

/**
 * PNG bytes of an RGB image. When every pixel is grey (R = G = B) it is written as a 1-channel
 * PNG: the same pixels once decoded to RGB by the server, a third of the data to send.
 */
export function toPng(img: Rgb): Buffer {
  const d = img.data;
  const n = img.width * img.height;
  let grey = true;
  for (let i = 0; i < n * 3; i += 3) {
    if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) {
      grey = false;
      break;
    }
  }
  if (!grey) return encodePng(img.width, img.height, d, 3);
  const g = new Uint8Array(n);
  for (let i = 0; i < n; i++) g[i] = d[i * 3];
  return encodePng(img.width, img.height, g, 1);
}

export function dataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}

export interface ModelImages {
  /** PNGs in the order they are sent: [crop, full-with-box] for a region, [full] otherwise. */
  pngs: Buffer[];
  /** Rendered frame size the coordinates refer to. */
  width: number;
  height: number;
}

/**
 * The exact images the model gets. `region` is in stored-image pixels; `scale` is how much
 * smaller the decoded frame is (ImageInfo.scale).
 */
export function modelImages(frame: Frame, view: RenderView, region?: Box, scale = 1, contextOnly = false): ModelImages {
  const full: Rgb = { width: frame.width, height: frame.height, data: renderRgb(frame, view) };
  if (!region) return { pngs: [toPng(squareResize(full))], width: full.width, height: full.height };
  const r: Box = { x: region.x / scale, y: region.y / scale, w: region.w / scale, h: region.h / scale };
  if (contextOnly) return { pngs: [toPng(squareResize(drawBox(full, r)))], width: full.width, height: full.height };
  const cropped = crop(full, padBox(r, 0.15, full.width, full.height));
  return {
    pngs: [toPng(squareResize(cropped)), toPng(squareResize(drawBox(full, r)))],
    width: full.width,
    height: full.height,
  };
}
