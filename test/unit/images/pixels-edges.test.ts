// Edge cases of window.ts, model-image.ts and png-encode.ts left open by pixels-cases: range's
// choice between equal extremes, renderInto writing exactly width x height pixels into a larger
// buffer, toPng looking only at width x height pixels, boxes given with a negative size, and the
// PNGs modelImages sends for a scaled region (decoded here by an independent reader, pixel for pixel).
import * as assert from 'node:assert/strict';
import { type Rgb, drawBox, modelImages, toPng } from '../../../src/core/images/model-image';
import { encodePng } from '../../../src/core/images/png-encode';
import type { Frame } from '../../../src/core/images/types';
import { range, renderInto } from '../../../src/core/images/window';
import { readPng, type ReadPng } from './png-bytes';

const f32 = (values: number[]) => Float32Array.from(values);

type Decoded = Pick<ReadPng, 'width' | 'height' | 'channels' | 'data'>;
/** The pixels of a PNG without its chunks and filters, to compare with what is expected. */
const pixelsOf = (png: Buffer): Decoded => { const { width, height, channels, data } = readPng(png); return { width, height, channels, data }; };

/** Each pixel of a square image repeated `k` x `k` times (what nearest-pixel upscaling by k gives). */
function blocks(side: number, channels: number, px: (x: number, y: number) => ArrayLike<number>, k: number): Decoded {
  const rowBytes = side * k * channels;
  const out = Buffer.alloc(rowBytes * side * k);
  for (let sy = 0; sy < side; sy++) {
    const row = Buffer.alloc(rowBytes);
    for (let sx = 0; sx < side; sx++) for (let j = 0; j < k; j++) row.set(px(sx, sy), (sx * k + j) * channels);
    for (let r = 0; r < k; r++) row.copy(out, (sy * k + r) * rowBytes);
  }
  return { width: side * k, height: side * k, channels, data: out };
}

describe('images: range between equal extremes', () => {
  it('keeps the first of equal smallest and largest values (seen only as the sign of a zero)', () => {
    assert.deepEqual(range(f32([-0, 0])), [-0, -0]);
    assert.deepEqual(range(f32([0, -0])), [0, 0]);
    assert.deepEqual(range(f32([-0, 0, 3, -0])), [-0, 3]);
    assert.deepEqual(range(f32([-2, 0, -0])), [-2, 0]);
  });
});

describe('images: renderInto writes exactly width x height pixels', () => {
  const grey2: Frame = { kind: 'gray', width: 2, height: 1, data: f32([0, 255]) };
  const window = { center: 128, width: 256 };
  const rendered = (frame: Frame, view: Parameters<typeof renderInto>[1], channels: 3 | 4) => {
    const out = new Uint8Array(2 * channels + 5).fill(7);
    renderInto(frame, view, out, channels);
    return Array.from(out);
  };

  it('a colour frame into a larger RGB or RGBA buffer: the bytes after the last pixel stay as they were', () => {
    const rgb: Frame = { kind: 'rgb', width: 2, height: 1, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 90, 91, 92) };
    assert.deepEqual(rendered(rgb, {}, 3), [1, 2, 3, 4, 5, 6, 7, 7, 7, 7, 7]);
    assert.deepEqual(rendered(rgb, {}, 4), [1, 2, 3, 255, 4, 5, 6, 255, 7, 7, 7, 7, 7]);
  });

  it('a windowed grey frame into a larger buffer: no alpha in RGB, nothing after the last pixel', () => {
    assert.deepEqual(rendered(grey2, { window }, 3), [0, 0, 0, 255, 255, 255, 7, 7, 7, 7, 7]);
    assert.deepEqual(rendered(grey2, { window }, 4), [0, 0, 0, 255, 255, 255, 255, 255, 7, 7, 7, 7, 7]);
  });

  it('CT three windows into a larger buffer: no alpha in RGB, nothing after the last pixel', () => {
    const ct: Frame = { kind: 'gray', width: 2, height: 1, data: f32([-2000, 2000]) };
    assert.deepEqual(rendered(ct, { ctThreeWindows: true }, 3), [0, 0, 0, 255, 255, 255, 7, 7, 7, 7, 7]);
    assert.deepEqual(rendered(ct, { ctThreeWindows: true }, 4), [0, 0, 0, 255, 255, 255, 255, 255, 7, 7, 7, 7, 7]);
  });
});

describe('images: toPng and drawBox at the edges of their input', () => {
  it('toPng looks only at width x height pixels: colour bytes past them do not make it RGB', () => {
    const data = Uint8Array.of(5, 5, 5, 1, 2, 3);
    assert.deepEqual(toPng({ width: 1, height: 1, data }), encodePng(1, 1, Uint8Array.of(5), 1));
  });

  const plain = (w: number, h: number): Rgb => ({ width: w, height: h, data: new Uint8Array(w * h * 3).fill(50) });
  const ascii = (r: Rgb) =>
    Array.from({ length: r.height }, (_, y) =>
      Array.from({ length: r.width }, (_, x) => {
        const px = Array.from(r.data.subarray((y * r.width + x) * 3, (y * r.width + x) * 3 + 3)).join();
        return px === '255,220,0' ? '#' : px === '50,50,50' ? '.' : '?';
      }).join(''),
    );
  const e = '............';

  it('a box with a negative height: both horizontal edges run their full length, x0 - 2 to x1 + 2', () => {
    // Edges at x 3 and 8, y 7 and 4: rows 2..5 and 5..8, each from x 1 to x 10.
    const f = '.##########.';
    assert.deepEqual(ascii(drawBox(plain(12, 12), { x: 3, y: 7, w: 5, h: -3 })), [e, e, f, f, f, f, f, f, f, e, e, e]);
  });

  it('a box with a negative width: both vertical edges run their full length, y0 - 2 to y1 + 2', () => {
    // Edges at x 8 and 5, y 3 and 8: columns 6..9 and 3..6, each from y 1 to y 10.
    const f = '...#######..';
    assert.deepEqual(ascii(drawBox(plain(12, 12), { x: 8, y: 3, w: -3, h: 5 })), [e, f, f, f, f, f, f, f, f, f, f, e]);
  });
});

// Two calls at the model's 896 px (slow once instrumented): a 16 x 16 ramp whose window maps
// each value to itself, so every expected pixel is known without the code under test.
describe('images: modelImages for a region in stored pixels at decoding scale 2 (896 px, decoded)', () => {
  const frame: Frame = { kind: 'gray', width: 16, height: 16, data: Float32Array.from({ length: 256 }, (_, i) => i) };
  const view = { window: { center: 128, width: 256 } };
  // Stored region 8,8 10 x 10 at scale 2 -> 4,4 5 x 5 in the frame; grown by 15% -> 3.25..9.75 -> pixels 3..9.
  const region = { x: 8, y: 8, w: 10, h: 10 };
  const full: Rgb = { width: 16, height: 16, data: Uint8Array.from({ length: 768 }, (_, i) => Math.floor(i / 3)) };
  const framed = drawBox(full, { x: 4, y: 4, w: 5, h: 5 });
  const framedPx = (x: number, y: number) => framed.data.subarray((y * 16 + x) * 3, (y * 16 + x) * 3 + 3);
  const cropPx = (x: number, y: number) => [3 + x + 16 * (3 + y)];

  it('two PNGs: the 7 x 7 crop (grey, 128 px a pixel), then the whole frame with the box (RGB, 56 px a pixel)', () => {
    const m = modelImages(frame, view, region, 2);
    assert.deepEqual([m.pngs.length, m.width, m.height], [2, 16, 16]);
    assert.deepEqual(pixelsOf(m.pngs[0]), blocks(7, 1, cropPx, 128));
    assert.deepEqual(pixelsOf(m.pngs[1]), blocks(16, 3, framedPx, 56));
  });

  it('context only at scale 2: one PNG, the whole frame with the box at the scaled place', () => {
    const m = modelImages(frame, view, region, 2, true);
    assert.deepEqual([m.pngs.length, m.width, m.height], [1, 16, 16]);
    assert.deepEqual(pixelsOf(m.pngs[0]), blocks(16, 3, framedPx, 56));
  });
});
