// Exact pixel cases for window.ts and model-image.ts: every preset and the grey level at each
// window edge, MONOCHROME1, full-range and automatic windows (1% fit, 5% padding, percentiles,
// the deterministic stride over large frames), and what the model gets: square resize at and
// around 896 px, crop/pad/box at the image edges, PNG grey-or-RGB choice and the image order.
import * as assert from 'node:assert/strict';
import {
  MODEL_SIDE,
  type Rgb,
  crop,
  dataUrl,
  drawBox,
  modelImages,
  padBox,
  squareResize,
  toPng,
} from '../../../src/core/images/model-image';
import { encodePng } from '../../../src/core/images/png-encode';
import type { Frame } from '../../../src/core/images/types';
import {
  CT_SOFT_TISSUE,
  PRESETS,
  autoWindow,
  dragWindow,
  fullRangeWindow,
  range,
  renderInto,
  renderRgb,
  voi,
  windowFits,
} from '../../../src/core/images/window';

const f32 = (values: number[]) => Float32Array.from(values);
const grey = (values: number[], width = values.length): Frame => ({ kind: 'gray', width, height: values.length / width, data: f32(values) });
const rgbImg = (width: number, height: number, px: (x: number, y: number) => [number, number, number]): Rgb => {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(px(x, y), (y * width + x) * 3);
  return { width, height, data };
};
/** Pixels of an RGB image as [r, g, b] triples, row by row. */
const triples = (img: Rgb) => Array.from({ length: img.width * img.height }, (_, i) => Array.from(img.data.subarray(i * 3, i * 3 + 3)));
/** `n` copies of `fill`, with `inside` written at the given indices. */
const withAt = (n: number, fill: number, inside: number, indices: Iterable<number>) => {
  const d = new Float32Array(n).fill(fill);
  for (const i of indices) d[i] = inside;
  return d;
};
const indices = (count: number, first: number, step: number) => Array.from({ length: count }, (_, i) => first + i * step);

describe('images: window presets and the grey level at each window edge', () => {
  it('the presets, the soft-tissue window and their exact centres and widths', () => {
    assert.deepEqual(PRESETS, [
      { name: 'Lung', center: -600, width: 1500 },
      { name: 'Mediastinum', center: 50, width: 350 },
      { name: 'Bone', center: 400, width: 1800 },
      { name: 'Brain', center: 40, width: 80 },
      { name: 'Abdomen', center: 40, width: 400 },
    ]);
    assert.deepEqual(CT_SOFT_TISSUE, { name: 'Soft tissue', center: 40, width: 400 });
  });

  // Per preset: one below the lower edge, the lower edge, the last value still 0, the first 1,
  // centre - 1, centre, the last 254, the first 255, the upper edge, one above it.
  const cases: Record<string, [number[], number[]]> = {
    Lung: [[-1351, -1350, -1348, -1347, -601, -600, 146, 147, 149, 150], [0, 0, 0, 1, 127, 128, 254, 255, 255, 255]],
    Mediastinum: [[-126, -125, -124.5, -124, 49, 50, 223, 223.5, 224, 225], [0, 0, 0, 1, 127, 128, 254, 255, 255, 255]],
    Bone: [[-501, -500, -497, -496, 399, 400, 1295, 1296, 1299, 1300], [0, 0, 0, 1, 127, 128, 254, 255, 255, 255]],
    Brain: [[-1, 0, 0.1, 1, 39, 40, 78, 78.9, 79, 80], [0, 0, 0, 3, 126, 129, 252, 255, 255, 255]],
    Abdomen: [[-161, -160, -159.5, -159, 39, 40, 238, 238.5, 239, 240], [0, 0, 0, 1, 127, 128, 254, 255, 255, 255]],
  };
  for (const p of PRESETS) {
    it(`${p.name} (${p.center}/${p.width}): exact grey levels at and around its edges and centre`, () => {
      const [xs, ys] = cases[p.name];
      const f = voi(p, false);
      assert.deepEqual(xs.map((x) => f(x)), ys);
    });
    it(`${p.name}: MONOCHROME1 turns each of those levels round (255 - level)`, () => {
      const [xs, ys] = cases[p.name];
      const f = voi(p, true);
      assert.deepEqual(xs.map((x) => f(x)), ys.map((y) => 255 - y));
    });
  }

  it('far outside the window the level stays 0 or 255 (never wraps), inverted 255 or 0', () => {
    const f = voi({ center: 40, width: 400 }, false);
    const inv = voi({ center: 40, width: 400 }, true);
    assert.deepEqual([-1e6, -161, 240, 1e6].map((x) => f(x)), [0, 0, 255, 255]);
    assert.deepEqual([-1e6, -161, 240, 1e6].map((x) => inv(x)), [255, 255, 0, 0]);
  });

  it('a width of 2 has one mid level; fractional inputs round half up', () => {
    const f = voi({ center: 10, width: 2 }, false);
    const inv = voi({ center: 10, width: 2 }, true);
    assert.deepEqual([8.9, 9, 9.25, 9.5, 9.75, 10, 10.1].map((x) => f(x)), [0, 0, 64, 128, 191, 255, 255]);
    assert.deepEqual([8.9, 9, 9.25, 9.5, 9.75, 10, 10.1].map((x) => inv(x)), [255, 255, 191, 127, 64, 0, 0]);
  });

  it('a width below 1 (0, 0.5, negative) acts as width 1: a threshold at centre - 0.5', () => {
    for (const width of [1, 0.5, 0, -5]) {
      const f = voi({ center: 10, width }, false);
      const inv = voi({ center: 10, width }, true);
      assert.deepEqual([9, 9.5, 9.6, 10, 11].map((x) => f(x)), [0, 0, 255, 255, 255], `width ${width}`);
      assert.deepEqual([9, 9.5, 9.6, 10, 11].map((x) => inv(x)), [255, 255, 0, 0, 0], `inverted, width ${width}`);
    }
  });
});

describe('images: range and the full-range window', () => {
  it('range finds the smallest and largest wherever they are, skipping NaN', () => {
    assert.deepEqual(range(f32([3, 1, 2])), [1, 3]);
    assert.deepEqual(range(f32([-3, -7, -5])), [-7, -3]);
    assert.deepEqual(range(f32([NaN, 4, NaN])), [4, 4]);
    assert.deepEqual(range(f32([5])), [5, 5]);
  });

  it('range of nothing (empty or all NaN) is [0, 1]', () => {
    assert.deepEqual(range(f32([])), [0, 1]);
    assert.deepEqual(range(f32([NaN, NaN])), [0, 1]);
  });

  it('the full-range window covers lo..hi exactly: centre (lo + hi + 1) / 2, width hi - lo + 1', () => {
    assert.deepEqual(fullRangeWindow(f32([0, 255])), { center: 128, width: 256 });
    assert.deepEqual(fullRangeWindow(f32([3071, -1024, 0])), { center: 1024, width: 4096 });
    assert.deepEqual(fullRangeWindow(f32([7, 7])), { center: 7.5, width: 1 });
    assert.deepEqual(fullRangeWindow(f32([0, 0.25])), { center: 0.625, width: 1.25 });
    assert.deepEqual(fullRangeWindow(f32([])), { center: 1, width: 2 });
  });
});

describe('images: rendering a frame into RGB / RGBA', () => {
  it('a colour frame is copied as is; RGBA gets alpha 255; the window is ignored', () => {
    const f: Frame = { kind: 'rgb', width: 2, height: 1, data: Uint8Array.of(1, 2, 3, 4, 5, 6) };
    const out = new Uint8ClampedArray(8).fill(7);
    renderInto(f, { window: { center: 0, width: 1 }, invert: true, ctThreeWindows: true }, out, 4);
    assert.deepEqual(Array.from(out), [1, 2, 3, 255, 4, 5, 6, 255]);
    assert.deepEqual(Array.from(renderRgb(f, { invert: true })), [1, 2, 3, 4, 5, 6]);
  });

  it('a grey frame is windowed and repeated in R, G and B; RGBA gets alpha 255', () => {
    const out = new Uint8Array(12).fill(7);
    renderInto(grey([-161, 40, 240]), { window: { center: 40, width: 400 } }, out, 4);
    assert.deepEqual(Array.from(out), [0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it('without a window the full range is used; invert applies to it too', () => {
    assert.deepEqual(Array.from(renderRgb(grey([0, 100, 255]), {})), [0, 0, 0, 100, 100, 100, 255, 255, 255]);
    assert.deepEqual(Array.from(renderRgb(grey([0, 100, 255]), { invert: true })), [255, 255, 255, 155, 155, 155, 0, 0, 0]);
    assert.deepEqual(Array.from(renderRgb(grey([0, 100, 255]), { invert: false, ctThreeWindows: false })), [0, 0, 0, 100, 100, 100, 255, 255, 255]);
  });

  it('the output has width x height x 3 bytes, row by row', () => {
    const out = renderRgb(grey([0, 1, 2, 3, 4, 5], 3), { window: { center: 3, width: 6 } });
    assert.deepEqual(Array.from(out), [0, 0, 0, 51, 51, 51, 102, 102, 102, 153, 153, 153, 204, 204, 204, 255, 255, 255]);
  });

  const hu = [-1100, -1024, -1023, -135, 0, 40, 80, 215, 1023, 1024, 1100];
  it('CT three windows: exact R/G/B at each window edge (the window setting is ignored)', () => {
    const rgb = renderRgb(grey(hu), { ctThreeWindows: true, window: { center: 40, width: 400 } });
    assert.deepEqual(triples({ width: hu.length, height: 1, data: rgb }), [
      [0, 0, 0], [0, 0, 0], [0, 0, 0], [111, 0, 0], [128, 99, 0], [133, 128, 129],
      [138, 157, 255], [154, 255, 255], [255, 255, 255], [255, 255, 255], [255, 255, 255],
    ]);
  });

  it('CT three windows inverted (MONOCHROME1), and alpha 255 in RGBA', () => {
    const out = new Uint8Array(hu.length * 4).fill(7);
    renderInto(grey(hu), { ctThreeWindows: true, invert: true }, out, 4);
    assert.deepEqual(Array.from({ length: hu.length }, (_, i) => Array.from(out.subarray(i * 4, i * 4 + 4))), [
      [255, 255, 255, 255], [255, 255, 255, 255], [255, 255, 255, 255], [144, 255, 255, 255], [127, 156, 255, 255],
      [122, 127, 126, 255], [117, 98, 0, 255], [101, 0, 0, 255], [0, 0, 0, 255], [0, 0, 0, 255], [0, 0, 0, 255],
    ]);
  });
});

describe('images: dragging the window', () => {
  it('one pixel of drag is span / 512: right widens, down raises the centre', () => {
    assert.deepEqual(dragWindow({ center: 40, width: 400 }, 10, -5, 1024), { center: 30, width: 420 });
    assert.deepEqual(dragWindow({ center: 40, width: 400 }, -10, 5, 1024), { center: 50, width: 380 });
  });

  it('a span below 1 counts as 1 (1/512 per pixel)', () => {
    assert.deepEqual(dragWindow({ center: 0, width: 10 }, 512, 256, 0), { center: 0.5, width: 11 });
    assert.deepEqual(dragWindow({ center: 0, width: 10 }, 512, 256, 0.5), { center: 0.5, width: 11 });
    assert.deepEqual(dragWindow({ center: 0, width: 10 }, 512, 256, 1), { center: 0.5, width: 11 });
  });

  it('the width never drops below 1', () => {
    assert.deepEqual(dragWindow({ center: 5, width: 10 }, -9, 0, 512), { center: 5, width: 1 });
    assert.deepEqual(dragWindow({ center: 5, width: 10 }, -9.5, 0, 512), { center: 5, width: 1 });
    assert.deepEqual(dragWindow({ center: 5, width: 10 }, -1000, 0, 512), { center: 5, width: 1 });
    assert.deepEqual(dragWindow({ center: 5, width: 10 }, -8.5, 0, 512), { center: 5, width: 1.5 });
  });
});

describe('images: whether a window fits the frame', () => {
  const far = (v: number) => withAt(100, 1000, v, [0]);

  it('a value exactly at either edge (centre -/+ width / 2) is inside; just past them is not', () => {
    const w = { center: 10, width: 4 };
    assert.deepEqual([8, 12, 7.5, 12.5, 10].map((v) => windowFits(w, far(v))), [true, true, false, false, true]);
  });

  it('fits from exactly 1% of the values inside, not one fewer', () => {
    const w = { center: 10, width: 4 };
    assert.equal(windowFits(w, withAt(200, 1000, 10, [3, 150])), true);
    assert.equal(windowFits(w, withAt(200, 1000, 10, [150])), false);
    assert.equal(windowFits(w, withAt(200, 1000, 1000, [])), false);
    assert.equal(windowFits({ center: 1000, width: 4 }, withAt(200, 1000, 10, [])), true);
  });

  it('a width of exactly 1 can fit; below 1 or NaN never does', () => {
    const d = withAt(10, 5, 5, []);
    assert.equal(windowFits({ center: 5, width: 1 }, d), true);
    assert.equal(windowFits({ center: 5, width: 0.99 }, d), false);
    assert.equal(windowFits({ center: 5, width: 0 }, d), false);
    assert.equal(windowFits({ center: 5, width: NaN }, d), false);
  });

  it('a centre that is not finite never fits, even over infinite values or no values', () => {
    assert.equal(windowFits({ center: Infinity, width: 10 }, f32([Infinity, Infinity])), false);
    assert.equal(windowFits({ center: NaN, width: 10 }, f32([])), false);
    assert.equal(windowFits({ center: 0, width: 10 }, f32([])), true, 'no values: nothing argues against it');
  });

  // 2^18 = 262144 values are looked at; a larger frame is read with a stride of ceil(n / 2^18).
  const N = 1 << 18;
  it('exactly 2^18 values are all read: 1% of them at odd positions fits, one fewer does not', () => {
    assert.equal(windowFits({ center: 5, width: 2 }, withAt(N, 1000, 5, indices(2622, 1, 2))), true);
    assert.equal(windowFits({ center: 5, width: 2 }, withAt(N, 1000, 5, indices(2621, 1, 2))), false);
  });

  it('2^18 + 1 values are read every 2nd from index 0: even positions count, odd ones do not', () => {
    assert.equal(windowFits({ center: 5, width: 2 }, withAt(N + 1, 1000, 5, indices(1311, 0, 2))), true);
    assert.equal(windowFits({ center: 5, width: 2 }, withAt(N + 1, 1000, 5, indices(1310, 0, 2))), false);
    assert.equal(windowFits({ center: 5, width: 2 }, withAt(N + 1, 1000, 5, indices(2700, 1, 2))), false);
  });

  it('the stride keeps floor(n / k) values: the last value of 2^18 + 1 is not read', () => {
    assert.equal(windowFits({ center: 5, width: 2 }, withAt(N + 1, 1000, 5, [...indices(1310, 0, 2), N])), false);
  });

  it('2 x 2^18 + 1 values are read every 3rd (the stride rounds up)', () => {
    assert.equal(windowFits({ center: 5, width: 2 }, withAt(2 * N + 1, 1000, 5, indices(1748, 0, 3))), true);
    assert.equal(windowFits({ center: 5, width: 2 }, withAt(2 * N + 1, 1000, 5, indices(1747, 0, 3))), false);
    assert.equal(windowFits({ center: 5, width: 2 }, withAt(2 * N + 1, 1000, 5, indices(5300, 1, 3))), false);
  });
});

describe('images: the automatic first window', () => {
  const ramp = (n: number, from: number) => Array.from({ length: n }, (_, i) => from + i);

  it('no values: Full range 0.5 / 1', () => {
    assert.deepEqual(autoWindow(f32([])), { name: 'Full range', center: 0.5, width: 1 });
  });

  it('the 0.5th and 99.5th percentiles of unsorted values: 0..999 gives 4..995', () => {
    const d = f32(ramp(1000, 0).reverse());
    assert.deepEqual(autoWindow(d, 'MR'), { name: 'Auto', center: 500, width: 992 });
    assert.deepEqual(autoWindow(d), { name: 'Auto', center: 500, width: 992 });
  });

  const ctLike = (min: number, max: number) => f32([max, ...Array<number>(98).fill(40), min]);
  it('CT opens in soft tissue from a minimum of -500 and a maximum of 100 (both inclusive)', () => {
    assert.deepEqual(autoWindow(ctLike(-500, 100), 'CT'), CT_SOFT_TISSUE);
    assert.deepEqual(autoWindow(ctLike(-499, 100), 'CT'), { name: 'Auto', center: -199, width: 600 });
    assert.deepEqual(autoWindow(ctLike(-500, 99), 'CT'), { name: 'Auto', center: -200, width: 600 });
  });

  it('only modality "CT" (exact case) gets soft tissue', () => {
    assert.deepEqual(autoWindow(ctLike(-500, 100), 'MR'), { name: 'Auto', center: -199.5, width: 601 });
    assert.deepEqual(autoWindow(ctLike(-500, 100), 'ct'), { name: 'Auto', center: -199.5, width: 601 });
    assert.deepEqual(autoWindow(ctLike(-500, 100)), { name: 'Auto', center: -199.5, width: 601 });
  });

  it('CT whose values miss the soft-tissue window (none in -160..240) gets percentiles', () => {
    const d = f32([...Array<number>(50).fill(-1000), ...Array<number>(50).fill(1000)]);
    assert.deepEqual(autoWindow(d, 'CT'), { name: 'Auto', center: 0.5, width: 2001 });
  });

  it('padding is left out above 5% of the values: 5 of 100 stay in, 6 are dropped', () => {
    const pad = (k: number, v: number) => f32([...Array<number>(k).fill(v), ...ramp(100 - k, 1000)]);
    assert.deepEqual(autoWindow(pad(5, 0), 'MR'), { name: 'Auto', center: 547.5, width: 1095 });
    assert.deepEqual(autoWindow(pad(6, 0), 'MR'), { name: 'Auto', center: 1047, width: 94 });
    assert.deepEqual(autoWindow(pad(6, -2000), 'MR'), { name: 'Auto', center: 1047, width: 94 });
  });

  it('a minimum above 5% with only one other value is not padding (the image would vanish)', () => {
    const d = f32([...Array<number>(10).fill(0), ...Array<number>(90).fill(7)]);
    assert.deepEqual(autoWindow(d, 'MR'), { name: 'Auto', center: 4, width: 8 });
  });

  it('when both percentiles are equal, the full range of the frame is used', () => {
    assert.deepEqual(autoWindow(f32([...Array<number>(999).fill(0), 1]), 'SEG'), { name: 'Full range', center: 1, width: 2 });
    assert.deepEqual(autoWindow(f32([5, 5, 5])), { name: 'Full range', center: 5.5, width: 1 });
    assert.deepEqual(autoWindow(f32([7])), { name: 'Full range', center: 7.5, width: 1 });
  });

  it('a large frame: percentiles from every 2nd value, the full range from all values', () => {
    // 2^18 + 1 values: 0 at even positions (the ones read), 100 at odd ones.
    const d = new Float32Array((1 << 18) + 1);
    for (let i = 1; i < d.length; i += 2) d[i] = 100;
    assert.deepEqual(autoWindow(d, 'OT'), { name: 'Full range', center: 50.5, width: 101 });
    // The same values at exactly 2^18 are all read: 0 and 100 both show.
    assert.deepEqual(autoWindow(d.subarray(0, 1 << 18), 'OT'), { name: 'Auto', center: 50.5, width: 101 });
  });
});

describe('images: resizing to the model square', () => {
  const checker = (n: number) => rgbImg(n, n, (x, y) => ((x + y) % 2 ? [255, 255, 255] : [0, 0, 0]));

  it('the side is 896; a 1 x 1 image fills all of it by default', () => {
    assert.equal(MODEL_SIDE, 896);
    const out = squareResize(rgbImg(1, 1, () => [10, 20, 30]));
    assert.equal(out.width, 896);
    assert.equal(out.height, 896);
    assert.equal(out.data.length, 896 * 896 * 3);
    assert.ok(out.data.every((v, i) => v === [10, 20, 30][i % 3]), 'every pixel is the one source pixel');
  });

  it('at exactly 896 x 896 the pixels are unchanged; at 895 and 897 they are not', () => {
    const at = checker(896);
    assert.equal(Buffer.compare(squareResize(at).data, at.data), 0);
    const up = squareResize(checker(895));
    assert.ok(up.data.every((v) => v === 0 || v === 255), 'upscaling picks the nearest pixel, no new grey levels');
    const down = squareResize(checker(897));
    assert.equal(down.width, 896);
    assert.ok(down.data.some((v) => v !== 0 && v !== 255), 'downscaling averages areas');
  });

  it('upscaling 2 x 2 to 4 doubles each pixel; 3 x 3 to 4 picks columns and rows 0, 1, 1, 2', () => {
    const two = squareResize(rgbImg(2, 2, (x, y) => [x + 2 * y, 10, 20]), 4);
    assert.deepEqual(triples(two).map(([r]) => r), [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3]);
    const three = squareResize(rgbImg(3, 3, (x, y) => [x + 3 * y, 0, 0]), 4);
    assert.deepEqual(triples(three).map(([r]) => r), [0, 1, 1, 2, 3, 4, 4, 5, 3, 4, 4, 5, 6, 7, 7, 8]);
  });

  it('a tall image is padded black left and right; a wide one above and below', () => {
    const tall = squareResize(rgbImg(1, 2, (_, y) => [10 + y, 20, 30]), 4);
    assert.deepEqual(triples(tall).map(([r]) => r), [0, 10, 10, 0, 0, 10, 10, 0, 0, 11, 11, 0, 0, 11, 11, 0]);
    const wide = squareResize(rgbImg(2, 1, (x) => [10 + x, 20, 30]), 4);
    assert.deepEqual(triples(wide).map(([r]) => r), [0, 0, 0, 0, 10, 10, 11, 11, 10, 10, 11, 11, 0, 0, 0, 0]);
    const wide4 = squareResize(rgbImg(4, 2, (x, y) => [x + 4 * y + 1, 0, 0]), 4);
    assert.deepEqual(triples(wide4).map(([r]) => r), [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
  });

  it('at the same size with half a pixel of padding the image is copied, not blended', () => {
    const out = squareResize(rgbImg(2, 1, (x) => [100 + x, 50, 7]), 2);
    assert.deepEqual(triples(out), [[100, 50, 7], [101, 50, 7], [0, 0, 0], [0, 0, 0]]);
  });

  it('downscaling 3 x 3 to 2 averages overlapping areas per channel', () => {
    const p = [9, 18, 27, 36, 45, 54, 63, 72, 81];
    const out = squareResize(rgbImg(3, 3, (x, y) => [p[y * 3 + x], p[y * 3 + x] / 9, 255 - p[y * 3 + x]]), 2);
    assert.deepEqual(triples(out), [[21, 2, 234], [33, 4, 222], [57, 6, 198], [69, 8, 186]]);
  });

  it('downscaling 4 x 4 to 2 averages 2 x 2 blocks; halves round up', () => {
    const out = squareResize(rgbImg(4, 4, (x, y) => [x < 2 && y < 2 ? ((x + y) % 2 ? 1 : 0) : 200, x, y]), 2);
    assert.deepEqual(triples(out), [[1, 1, 1], [200, 3, 1], [200, 1, 3], [200, 3, 3]]);
    const round = squareResize({ width: 2, height: 2, data: Uint8Array.of(0, 1, 1, 0, 1, 2, 0, 1, 2, 2, 2, 2) }, 1);
    assert.deepEqual(Array.from(round.data), [1, 1, 2], '0.5 -> 1, 1.25 -> 1, 1.75 -> 2');
  });

  it('when downscaling, padding counts as black: a 2 x 1 image at 1 px is a quarter of its sum', () => {
    assert.deepEqual(Array.from(squareResize({ width: 2, height: 1, data: Uint8Array.of(100, 40, 0, 200, 40, 255) }, 1).data), [75, 20, 64]);
    const wide = squareResize(rgbImg(4, 2, (x, y) => [y ? 200 : 40, x, 0]), 2);
    assert.deepEqual(triples(wide), [[20, 0, 0], [20, 1, 0], [100, 0, 0], [100, 1, 0]]);
  });
});

describe('images: crop, padding a box, drawing a box', () => {
  // 4 x 4, pixel (x, y) = [x + 4y, 100 + x, 200 + y].
  const img = rgbImg(4, 4, (x, y) => [x + 4 * y, 100 + x, 200 + y]);
  const reds = (r: Rgb) => [r.width, r.height, triples(r).map(([v]) => v)];

  it('an inner box, a fractional box (grown to whole pixels) and a zero-size box', () => {
    assert.deepEqual(reds(crop(img, { x: 1, y: 1, w: 2, h: 2 })), [2, 2, [5, 6, 9, 10]]);
    assert.deepEqual(reds(crop(img, { x: 0.5, y: 1.5, w: 0.7, h: 0.6 })), [2, 2, [4, 5, 8, 9]]);
    assert.deepEqual(reds(crop(img, { x: 2, y: 1, w: 0, h: 0 })), [1, 1, [6]]);
    assert.deepEqual(triples(crop(img, { x: 1, y: 2, w: 1, h: 1 })), [[9, 101, 202]]);
  });

  it('a box past the left/top edge is cut at 0; past the right/bottom at the size', () => {
    assert.deepEqual(reds(crop(img, { x: -2, y: -1, w: 4, h: 3 })), [2, 2, [0, 1, 4, 5]]);
    assert.deepEqual(reds(crop(img, { x: 3, y: 2, w: 5, h: 5 })), [1, 2, [11, 15]]);
    assert.deepEqual(reds(crop(img, { x: -1, y: -1, w: 9, h: 9 })), [4, 4, Array.from({ length: 16 }, (_, i) => i)]);
  });

  it('a box wholly outside gives a black strip of one pixel', () => {
    assert.deepEqual(reds(crop(img, { x: 10, y: 0, w: 2, h: 2 })), [1, 2, [0, 0]]);
    assert.deepEqual(reds(crop(img, { x: 0, y: 10, w: 2, h: 2 })), [2, 1, [0, 0]]);
  });

  it('padBox grows by margin x size on each side, cut at the image', () => {
    assert.deepEqual(padBox({ x: 8, y: 4, w: 8, h: 4 }, 0.25, 32, 32), { x: 6, y: 3, w: 12, h: 6 });
    assert.deepEqual(padBox({ x: 1, y: 0, w: 8, h: 4 }, 0.25, 32, 32), { x: 0, y: 0, w: 11, h: 5 });
    assert.deepEqual(padBox({ x: 2, y: 1, w: 8, h: 4 }, 0.25, 32, 32), { x: 0, y: 0, w: 12, h: 6 });
    assert.deepEqual(padBox({ x: 26, y: 28, w: 4, h: 4 }, 0.5, 32, 30), { x: 24, y: 26, w: 8, h: 4 });
    assert.deepEqual(padBox({ x: 28, y: 0, w: 4, h: 2 }, 0.5, 30, 32), { x: 26, y: 0, w: 4, h: 3 });
  });

  const YELLOW = [255, 220, 0];
  const ascii = (r: Rgb) =>
    Array.from({ length: r.height }, (_, y) =>
      Array.from({ length: r.width }, (_, x) => {
        const px = Array.from(r.data.subarray((y * r.width + x) * 3, (y * r.width + x) * 3 + 3));
        return px.join() === YELLOW.join() ? '#' : px.join() === '50,50,50' ? '.' : '?';
      }).join(''),
    );
  const plain = (w: number, h: number) => rgbImg(w, h, () => [50, 50, 50]);

  it('the box outline is exactly 2 px each side of its edges on a small image, in yellow', () => {
    const src = plain(16, 16);
    const out = drawBox(src, { x: 4.4, y: 3.6, w: 7, h: 6 });
    // Edges at x 4 and 11, y 4 and 10: lines cover edge - 2 .. edge + 1; the ends reach edge + 2.
    const a = '..############..';
    const b = '..####...####...';
    const e = '................';
    assert.deepEqual(ascii(out), [e, e, a, a, a, a, b, b, a, a, a, a, b, e, e, e]);
    assert.deepEqual([out.width, out.height], [16, 16]);
    assert.ok(src.data.every((v) => v === 50), 'the input image is left unchanged');
  });

  it('an outline past the left/top edge is cut there (no wrap to the previous row)', () => {
    const f = '#########.';
    const g = '###.####..';
    assert.deepEqual(ascii(drawBox(plain(10, 10), { x: 1, y: 1, w: 5, h: 5 })), [f, f, f, g, f, f, f, f, g, '..........']);
  });

  it('an outline past the right/bottom edge is cut there (no wrap to the next row)', () => {
    const e = '..........';
    const f = '...#######';
    assert.deepEqual(ascii(drawBox(plain(10, 10), { x: 5, y: 5, w: 4, h: 4 })), [e, e, e, f, f, f, f, f, f, f]);
  });

  /** Yellow pixels across the middle of the box (a row for wide images, a column for tall ones): 4 x thickness. */
  const across = (w: number, h: number) => {
    const out = drawBox(plain(w, h), { x: w / 4, y: h / 4, w: w / 2, h: h / 2 });
    const yellowAt = (x: number, y: number) => out.data[(y * w + x) * 3 + 1] === 220;
    const n = Math.max(w, h);
    return Array.from({ length: n }, (_, i) => (w >= h ? yellowAt(i, h >> 1) : yellowAt(w >> 1, i))).filter(Boolean).length;
  };
  it('thickness is max(2, round(longer side / 300)): 2 up to 749 px, 3 from 750, 4 from 1050', () => {
    assert.deepEqual(
      [across(40, 40), across(749, 40), across(750, 40), across(40, 750), across(40, 749), across(1049, 40), across(1050, 40)],
      [8, 8, 12, 12, 8, 12, 16],
    );
  });
});

describe('images: PNG encoding and the images sent to the model', () => {
  const ihdr = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]];

  it('an all-grey image becomes a 1-channel PNG of its R values', () => {
    const img: Rgb = { width: 2, height: 2, data: Uint8Array.of(1, 1, 1, 9, 9, 9, 200, 200, 200, 0, 0, 0) };
    const png = toPng(img);
    assert.deepEqual(png, encodePng(2, 2, Uint8Array.of(1, 9, 200, 0), 1));
    assert.deepEqual(ihdr(png), [2, 2, 8, 0]);
  });

  it('one pixel whose G or B differs from R (even the last) makes it an RGB PNG', () => {
    for (const last of [[5, 6, 5], [5, 5, 6], [5, 6, 6]]) {
      const data = Uint8Array.of(1, 1, 1, ...last);
      const png = toPng({ width: 2, height: 1, data });
      assert.deepEqual(png, encodePng(2, 1, data, 3), `last pixel ${last.join()}`);
      assert.deepEqual(ihdr(png), [2, 1, 8, 2]);
    }
  });

  it('a data URL is the PNG in base64 behind data:image/png;base64,', () => {
    assert.equal(dataUrl(Buffer.from([1, 2, 3])), 'data:image/png;base64,AQID');
    assert.equal(dataUrl(Buffer.alloc(0)), 'data:image/png;base64,');
  });

  // 32 x 32 grey, rendered with a window that maps 0..255 to itself.
  const frame: Frame = grey(Array.from({ length: 32 * 32 }, (_, i) => ((i % 32) * 7 + Math.floor(i / 32) * 3) % 256), 32);
  const view = { window: { center: 128, width: 256 } };
  const full: Rgb = { width: 32, height: 32, data: renderRgb(frame, view) };

  it('without a region: one 896 px grey PNG of the whole frame, sizes of the frame', () => {
    const m = modelImages(frame, view);
    assert.deepEqual(m, { pngs: [toPng(squareResize(full))], width: 32, height: 32 });
    assert.deepEqual(ihdr(m.pngs[0]), [896, 896, 8, 0]);
  });

  it('with a region: the crop grown by 15% first (grey), then the whole frame with the box (RGB)', () => {
    const m = modelImages(frame, view, { x: 4, y: 6, w: 10, h: 12 });
    // padBox: x 4 - 1.5 = 2.5, y 6 - 1.8 = 4.2, right 15.5, bottom 19.8 -> pixels x 2..15, y 4..19.
    const expectedCrop = crop(full, { x: 2, y: 4, w: 14, h: 16 });
    assert.deepEqual([expectedCrop.width, expectedCrop.height], [14, 16]);
    assert.deepEqual(m, {
      pngs: [toPng(squareResize(expectedCrop)), toPng(squareResize(drawBox(full, { x: 4, y: 6, w: 10, h: 12 })))],
      width: 32,
      height: 32,
    });
    assert.deepEqual(m.pngs.map((p) => ihdr(p)[3]), [0, 2]);
  });

  it('a region in stored pixels is divided by the decoding scale', () => {
    const m = modelImages(frame, view, { x: 8, y: 12, w: 20, h: 24 }, 2);
    assert.deepEqual(m.pngs, [
      toPng(squareResize(crop(full, { x: 2, y: 4, w: 14, h: 16 }))),
      toPng(squareResize(drawBox(full, { x: 4, y: 6, w: 10, h: 12 }))),
    ]);
  });

  it('context only: just the whole frame with the box', () => {
    const m = modelImages(frame, view, { x: 8, y: 12, w: 20, h: 24 }, 2, true);
    assert.deepEqual(m, { pngs: [toPng(squareResize(drawBox(full, { x: 4, y: 6, w: 10, h: 12 })))], width: 32, height: 32 });
  });

  it('a colour frame and a CT three-window frame go as RGB PNGs', () => {
    const rgb: Frame = { kind: 'rgb', width: 2, height: 1, data: Uint8Array.of(10, 20, 30, 40, 50, 60) };
    assert.deepEqual(ihdr(modelImages(rgb, view).pngs[0]), [896, 896, 8, 2]);
    assert.deepEqual(ihdr(modelImages(grey([-135, 40, 215]), { ctThreeWindows: true }).pngs[0]), [896, 896, 8, 2]);
  });
});
