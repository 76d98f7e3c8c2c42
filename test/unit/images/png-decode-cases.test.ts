// decodePng (src/core/images/png-decode.ts) on tiny PNGs built here byte by byte: every colour type
// and bit depth, the five row filters (Paeth's every choice), downscaling, IDAT split over chunks
// and zlib output split mid-row, and every error's kind and exact message at its boundaries.
// Each image is a few pixels (the largest a 100,001-byte row), so the file stays fast under Stryker.
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { ImageError, type ImageErrorKind } from '../../../src/core/images/errors';
import { DEFAULT_LIMITS, type ImageLimits } from '../../../src/core/images/limits';
import { decodePng, PNG_SIGNATURE } from '../../../src/core/images/png-decode';
import { be32, paethPick, PNG_SIG, pngChunk } from './png-bytes';

const NAME = 'scan.png';
/** Channels per colour type, from the PNG specification. */
const CH: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

// ---- PNG bytes -------------------------------------------------------------------------------

const ihdrData = (w: number, h: number, bitDepth: number, colorType: number, interlace = 0) => [...be32(w), ...be32(h), bitDepth, colorType, 0, 0, interlace];
const ihdr = (w: number, h: number, bitDepth: number, colorType: number, interlace = 0) => pngChunk('IHDR', ihdrData(w, h, bitDepth, colorType, interlace));
const IEND = pngChunk('IEND');
const png = (...parts: Buffer[]) => Buffer.concat([Buffer.from(PNG_SIG), ...parts]);

/** One row's samples as the PNG stores them: 16 bits big-endian, sub-byte depths from the high bits; padding bits are ones. */
function pack(samples: number[], bitDepth: number): number[] {
  if (bitDepth === 16) return samples.flatMap((v) => [v >> 8, v & 255]);
  if (bitDepth === 8) return samples.slice();
  const bytes: number[] = new Array<number>(Math.ceil((samples.length * bitDepth) / 8)).fill(255);
  samples.forEach((v, i) => {
    const [bit, mask] = [i * bitDepth, (1 << bitDepth) - 1];
    const shift = 8 - bitDepth - (bit % 8);
    bytes[bit >> 3] = (bytes[bit >> 3] & ~(mask << shift)) | (v << shift);
  });
  return bytes;
}

/** Filters one row of bytes (the forward filters of the PNG specification). */
function filterRow(type: number, row: number[], prev: number[], bpp: number): number[] {
  return row.map((x, i) => {
    const [a, b, c] = [i >= bpp ? row[i - bpp] : 0, prev[i], i >= bpp ? prev[i - bpp] : 0];
    const pred = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? Math.floor((a + b) / 2) : { a, b, c }[paethPick(a, b, c)];
    return (x - pred + 512) % 256;
  });
}

/** The uncompressed image stream: each row filtered (one type for all, or one per row) after its filter byte. */
function rawStream(rows: number[][], filters: number | number[], bpp: number): Buffer {
  const out: number[] = [];
  rows.forEach((row, y) => {
    const f = typeof filters === 'number' ? filters : filters[y];
    out.push(f, ...(f <= 4 ? filterRow(f, row, y ? rows[y - 1] : row.map(() => 0), bpp) : row));
  });
  return Buffer.from(out);
}

interface Layout { w: number; h: number; bitDepth: number; colorType: number }
const lay = (w: number, h: number, bitDepth: number, colorType: number): Layout => ({ w, h, bitDepth, colorType });
const bppOf = (l: Layout) => Math.max(1, Math.floor((CH[l.colorType] * l.bitDepth) / 8));

/** A whole PNG from rows of samples (packed, filtered, deflated into one IDAT); `before` goes between IHDR and IDAT. */
function image(l: Layout, samples: number[][], filters: number | number[] = 0, before: Buffer[] = []): Buffer {
  const rows = samples.map((s) => pack(s, l.bitDepth));
  return png(ihdr(l.w, l.h, l.bitDepth, l.colorType), ...before, pngChunk('IDAT', zlib.deflateSync(rawStream(rows, filters, bppOf(l)))), IEND);
}

/** A zero-filled 8-bit grey PNG of w x h. */
const blank = (w: number, h: number) => png(ihdr(w, h, 8, 0), pngChunk('IDAT', zlib.deflateSync(Buffer.alloc((w + 1) * h))), IEND);

// ---- reading the result ------------------------------------------------------------------------

/** The whole result as plain values (the frame's array type by name). */
async function decode(buf: Buffer, limits?: ImageLimits) {
  const { frame: f, width, height, scale, bitDepth } = await decodePng(buf, NAME, limits);
  return { kind: f.kind as string, type: f.data.constructor.name, frameWidth: f.width, frameHeight: f.height, data: Array.from(f.data), width, height, scale, bitDepth };
}
type Plain = Awaited<ReturnType<typeof decode>>;

const grey = (w: number, h: number, data: number[], bitDepth: number, scale = 1, width = w, height = h): Plain => ({ kind: 'gray', type: 'Float32Array', frameWidth: w, frameHeight: h, data, width, height, scale, bitDepth });
const rgb = (w: number, h: number, data: number[], bitDepth: number, scale = 1, width = w, height = h): Plain => ({ kind: 'rgb', type: 'Uint8Array', frameWidth: w, frameHeight: h, data, width, height, scale, bitDepth });
const f32 = (...v: number[]) => Array.from(Float32Array.from(v));

/** decodePng rejects with exactly this ImageError kind and message. */
async function refused(buf: Buffer, kind: ImageErrorKind, message: string, limits?: ImageLimits): Promise<void> {
  const e: unknown = await decodePng(buf, NAME, limits).then(() => assert.fail('decoded; an ImageError was expected'), (err: unknown) => err);
  assert.ok(e instanceof ImageError, `an ImageError, not ${String(e)}`);
  assert.deepEqual({ kind: e.kind, message: e.message }, { kind, message });
}

const CORRUPT_DATA = `${NAME} is a damaged PNG (its compressed pixel data cannot be read). Re-export the image.`;
const onlyRows = (y: number, h: number) => `${NAME} is a truncated PNG: only ${y} of ${h} rows could be read. Re-export or copy the image again.`;

/** Deterministic bytes for the filter round trips. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 255;
}

describe('images/png-decode: tiny hand-built PNGs', () => {
  it('the PNG signature is the eight standard bytes', () => {
    assert.deepEqual(Array.from(PNG_SIGNATURE), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(PNG_SIGNATURE instanceof Uint8Array);
  });

  describe('colour types and bit depths, exact output', () => {
    it('8-bit grey (fast path) keeps the samples as they are', async () => {
      assert.deepEqual(await decode(image(lay(3, 2, 8, 0), [[0, 127, 255], [9, 8, 7]])), grey(3, 2, [0, 127, 255, 9, 8, 7], 8));
    });

    it('16-bit grey keeps the 16-bit values (high byte first)', async () => {
      assert.deepEqual(await decode(image(lay(3, 2, 16, 0), [[0x1234, 0xffff, 0x0001], [0x0100, 0x00ff, 0]])), grey(3, 2, [0x1234, 0xffff, 1, 256, 255, 0], 16));
    });

    it('1-, 2- and 4-bit grey with widths that leave padding bits (10, 5, 3 wide: 2 bytes a row) give the raw values, rows aligned on the stride', async () => {
      const cases: [number, number, number[][]][] = [
        [1, 10, [[1, 0, 1, 1, 0, 0, 1, 0, 1, 1], [0, 1, 0, 0, 1, 1, 0, 1, 0, 0]]],
        [2, 5, [[3, 0, 1, 2, 3], [2, 1, 0, 3, 1]]],
        [4, 3, [[15, 0, 9], [6, 10, 1]]],
      ];
      for (const [bitDepth, w, rows] of cases) assert.deepEqual(await decode(image(lay(w, 2, bitDepth, 0), rows)), grey(w, 2, rows.flat(), bitDepth), `${bitDepth} bits`);
    });

    it('8-bit RGB (fast path) keeps the bytes as they are', async () => {
      const rows = [[1, 2, 3, 250, 251, 252], [0, 128, 255, 7, 8, 9]];
      assert.deepEqual(await decode(image(lay(2, 2, 8, 2), rows)), rgb(2, 2, rows.flat(), 8));
    });

    it('16-bit RGB is brought to 0..255, rounded to the nearest', async () => {
      // 129/257 = 0.502 -> 1; 128/257 = 0.498 -> 0; 32768/257 = 127.5 -> 128; 0x1234 = 4660/257 = 18.13 -> 18
      const rows = [[0x0081, 0x8000, 0xffff, 0x0080, 0x1234, 0], [0xffff, 0xffff, 0xffff, 0x8080, 0x7f7f, 0x0101]];
      assert.deepEqual(await decode(image(lay(2, 2, 16, 2), rows)), rgb(2, 2, [1, 128, 255, 0, 18, 0, 255, 255, 255, 128, 127, 1], 16));
    });

    it('grey + alpha, 8 bits: the grey over black (v * alpha / 255, not rounded)', async () => {
      const rows = [[200, 255, 200, 0, 100, 51, 1, 128], [255, 255, 0, 255, 255, 1, 10, 10]];
      assert.deepEqual(await decode(image(lay(4, 2, 8, 4), rows)), grey(4, 2, f32(200, 0, 20, 128 / 255, 255, 0, 1, 100 / 255), 8));
    });

    it('grey + alpha, 16 bits: the grey over black (v * alpha / 65535)', async () => {
      const rows = [[0x1234, 0xffff, 0xffff, 0x8000, 1000, 0x4000]];
      assert.deepEqual(await decode(image(lay(3, 1, 16, 4), rows)), grey(3, 1, f32(0x1234, 32768, (1000 * 0x4000) / 65535), 16));
    });

    it('RGBA, 8 bits: the colour over black, rounded', async () => {
      // alpha 128: 255 -> 128, 3 -> 1.506 -> 2, 1 -> 0.502 -> 1; alpha 0 -> black; alpha 255 -> unchanged; alpha 51 -> a fifth
      const rows = [[255, 3, 1, 128, 9, 9, 9, 0, 10, 20, 30, 255, 100, 200, 7, 51]];
      assert.deepEqual(await decode(image(lay(4, 1, 8, 6), rows)), rgb(4, 1, [128, 2, 1, 0, 0, 0, 10, 20, 30, 20, 40, 1], 8));
    });

    it('RGBA, 16 bits: brought to 0..255, then over black', async () => {
      // alpha 0x8000 (0.500008): 255 -> 127.50 -> 128; 129/257 -> 0.25 -> 0; alpha 0xffff: as RGB
      const rows = [[0xffff, 0x0081, 0x4000, 0x8000, 0x0081, 0x8000, 0x1234, 0xffff]];
      assert.deepEqual(await decode(image(lay(2, 1, 16, 6), rows)), rgb(2, 1, [128, 0, 32, 1, 128, 18], 16));
    });

    it('8-bit palette without tRNS: the palette colours; an index past the palette is black', async () => {
      const buf = image(lay(4, 2, 8, 3), [[0, 1, 2, 3], [5, 2, 1, 0]], 0, [pngChunk('PLTE', [10, 20, 30, 40, 50, 60, 70, 80, 90])]);
      assert.deepEqual(await decode(buf), rgb(4, 2, [10, 20, 30, 40, 50, 60, 70, 80, 90, 0, 0, 0, 0, 0, 0, 70, 80, 90, 40, 50, 60, 10, 20, 30], 8));
    });

    it('palette with a tRNS shorter than the palette: listed entries over black (rounded), the rest opaque', async () => {
      const plte = pngChunk('PLTE', [200, 100, 50, 3, 255, 1, 7, 8, 9, 250, 251, 252]);
      // index 0: alpha 0; index 1: alpha 128 (3 -> 1.506 -> 2, 255 -> 128, 1 -> 0.502 -> 1);
      // index 2 (= tRNS length) and 3: opaque; index 9: past the palette, black
      const buf = image(lay(5, 1, 8, 3), [[0, 1, 2, 3, 9]], 0, [plte, pngChunk('tRNS', [0, 128])]);
      assert.deepEqual(await decode(buf), rgb(5, 1, [0, 0, 0, 2, 128, 1, 7, 8, 9, 250, 251, 252, 0, 0, 0], 8));
    });

    it('palette with a tRNS covering an index past the palette: still black', async () => {
      const buf = image(lay(2, 1, 8, 3), [[1, 0]], 0, [pngChunk('PLTE', [60, 120, 240]), pngChunk('tRNS', [255, 255, 255])]);
      assert.deepEqual(await decode(buf), rgb(2, 1, [0, 0, 0, 60, 120, 240], 8));
    });

    it('1-, 2- and 4-bit palettes with widths that do not fill the last byte', async () => {
      const plte = pngChunk('PLTE', Array.from({ length: 16 * 3 }, (_, i) => (i * 16 + 5) & 255));
      const colour = (idx: number) => [(idx * 48 + 5) & 255, (idx * 48 + 21) & 255, (idx * 48 + 37) & 255];
      const cases: [number, number, number[][]][] = [
        [1, 10, [[1, 0, 1, 1, 0, 0, 1, 0, 1, 1], [0, 0, 1, 0, 1, 1, 0, 1, 0, 0]]],
        [2, 5, [[3, 0, 1, 2, 3], [1, 2, 3, 0, 0]]],
        [4, 3, [[15, 0, 9], [4, 14, 1]]],
      ];
      for (const [bitDepth, w, rows] of cases) assert.deepEqual(await decode(image(lay(w, 2, bitDepth, 3), rows, 0, [plte])), rgb(w, 2, rows.flat().flatMap(colour), bitDepth), `${bitDepth} bits`);
    });

    it('a tRNS chunk on a grey or RGB image and a PLTE on an RGB image change nothing', async () => {
      assert.deepEqual(await decode(image(lay(2, 1, 16, 0), [[7, 300]], 0, [pngChunk('tRNS', [0, 7])])), grey(2, 1, [7, 300], 16));
      const c = image(lay(1, 1, 16, 2), [[0xffff, 0, 0x8080]], 0, [pngChunk('PLTE', [1, 2, 3]), pngChunk('tRNS', [0, 0, 0, 0, 0, 0])]);
      assert.deepEqual(await decode(c), rgb(1, 1, [255, 0, 128], 16));
    });

    it('the 8-bit fast path and the general path (taken by a reduced image) give the same values, grey and RGB', async () => {
      const greyRows = Array.from({ length: 4 }, (_, y) => Array.from({ length: 4 }, (_, x) => (y * 70 + x * 13) & 255));
      const g1 = await decode(image(lay(4, 4, 8, 0), greyRows));
      const g2 = await decode(image(lay(4, 4, 8, 0), greyRows), { ...DEFAULT_LIMITS, maxDecodedSide: 2 });
      assert.deepEqual(g2, grey(2, 2, [0, 26, 140, 166], 8, 2, 4, 4));
      assert.deepEqual([g1.data[0], g1.data[2], g1.data[8], g1.data[10]], g2.data);
      const rgbRows = Array.from({ length: 3 }, (_, y) => Array.from({ length: 9 }, (_, i) => (y * 90 + i * 11) & 255));
      assert.deepEqual(await decode(image(lay(3, 3, 8, 2), rgbRows)), rgb(3, 3, rgbRows.flat(), 8));
      assert.deepEqual(await decode(image(lay(3, 3, 8, 2), rgbRows), { ...DEFAULT_LIMITS, maxDecodedSide: 1 }), rgb(1, 1, rgbRows[0].slice(0, 3), 8, 3, 3, 3));
    });
  });

  describe('row filters', () => {
    it('Paeth picks a, b or c, ties going to a before b before c (each at the first byte after bpp)', async () => {
      // Width 2, 8-bit grey (bpp 1): an unfiltered row [c, b], then a Paeth row [a, x]: x's predictor is paeth(a, b, c).
      const triples: [number, number, number, 'a' | 'b' | 'c'][] = [
        [5, 0, 0, 'a'], // pa 0
        [0, 5, 0, 'b'], // pb 0
        [20, 10, 15, 'c'], // pc 0 < pa = pb = 5
        [2, 14, 10, 'a'], // pa = pc = 4 < pb = 8: a
        [14, 2, 10, 'b'], // pb = pc = 4 < pa = 8: b
        [200, 250, 10, 'b'], // p = 440 beyond a byte
        [250, 10, 130, 'c'], // c halfway between a and b: pc 0 < pa = pb = 120
      ];
      for (const [a, b, c, pick] of triples) assert.equal(paethPick(a, b, c), pick, `fixture: paeth(${a}, ${b}, ${c})`);
      const rows = triples.flatMap(([a, b, c], k) => [[c, b], [a, (k * 37 + 11) & 255]]);
      const h = rows.length;
      assert.deepEqual(await decode(image(lay(2, h, 8, 0), rows, rows.map((_, y) => (y % 2 ? 4 : 0)))), grey(2, h, rows.flat(), 8));
    });

    it('every filter on the first row (the row above is zeros) and at the first bpp bytes of a row', async () => {
      for (const filter of [0, 1, 2, 3, 4]) {
        // RGB, bpp 3: bytes 0-2 have no left neighbour; the sums wrap past 255
        const rows = [[250, 3, 128, 10, 255, 129, 255, 254, 1], [7, 255, 200, 60, 2, 255, 199, 200, 0]];
        assert.deepEqual(await decode(image(lay(3, 2, 8, 2), rows, filter)), rgb(3, 2, rows.flat(), 8), `filter ${filter}`);
      }
    });

    it('Average floors (left + up) / 2 and wraps past 255', async () => {
      const rows = [[255, 255, 1, 0], [255, 255, 0, 3]];
      // The filtered bytes (a fixture check): row 0 predicts 0, 255 >> 1 = 127, 127, 1 >> 1 = 0;
      // row 1 predicts 255 >> 1 = 127, (255 + 255) >> 1 = 255, (255 + 1) >> 1 = 128, 0.
      assert.deepEqual(Array.from(rawStream(rows, 3, 1)), [3, 255, 128, 130, 0, 3, 128, 0, 128, 3]);
      assert.deepEqual(await decode(image(lay(4, 2, 8, 0), rows, 3)), grey(4, 2, rows.flat(), 8));
    });

    it('round trips every filter, and a mix of filters, for each layout (bpp 1, 2, 3, 4, 6, 8 and sub-byte)', async () => {
      const rand = lcg(7);
      const n16 = () => rand() * 256 + rand();
      const to8 = (v: number) => Math.round((v * 255) / 65535);
      const layouts: [string, Layout, (i: number) => number, (s: number[]) => number[]][] = [
        ['grey 8', lay(5, 3, 8, 0), rand, (s) => s],
        ['grey 16', lay(3, 3, 16, 0), n16, (s) => s],
        ['grey 1', lay(20, 3, 1, 0), () => rand() & 1, (s) => s],
        ['grey 4', lay(5, 3, 4, 0), () => rand() & 15, (s) => s],
        ['grey+alpha 8 (opaque)', lay(4, 3, 8, 4), (i) => (i % 2 ? 255 : rand()), (s) => s.filter((_, i) => i % 2 === 0)],
        ['RGB 8', lay(4, 3, 8, 2), rand, (s) => s],
        ['RGBA 8 (opaque)', lay(3, 3, 8, 6), (i) => (i % 4 === 3 ? 255 : rand()), (s) => s.filter((_, i) => i % 4 !== 3)],
        ['RGB 16', lay(3, 3, 16, 2), n16, (s) => s.map(to8)],
        ['RGBA 16 (opaque)', lay(3, 3, 16, 6), (i) => (i % 4 === 3 ? 65535 : n16()), (s) => s.filter((_, i) => i % 4 !== 3).map(to8)],
      ];
      const plan: (number | number[])[] = [0, 1, 2, 3, 4, [1, 2, 3], [4, 3, 2], [2, 4, 1], [3, 1, 4]];
      for (const [name, l, sample, want] of layouts) {
        for (const filters of plan) {
          const rows = Array.from({ length: l.h }, () => Array.from({ length: l.w * CH[l.colorType] }, (_, i) => sample(i)));
          const data = rows.flatMap(want);
          const expected = l.colorType === 0 || l.colorType === 4 ? grey(l.w, l.h, data, l.bitDepth) : rgb(l.w, l.h, data, l.bitDepth);
          assert.deepEqual(await decode(image(l, rows, filters)), expected, `${name}, filters ${String(filters)}`);
        }
      }
    });

    it('round trips an 8-bit palette (every byte value a colour) through every filter', async () => {
      const rand = lcg(99);
      const plte = pngChunk('PLTE', Array.from({ length: 256 }, (_, i) => [i, 255 - i, i ^ 0x55]).flat());
      for (const filter of [1, 2, 3, 4]) {
        const rows = Array.from({ length: 3 }, () => Array.from({ length: 4 }, rand));
        assert.deepEqual(await decode(image(lay(4, 3, 8, 3), rows, filter, [plte])), rgb(4, 3, rows.flat().flatMap((i) => [i, 255 - i, i ^ 0x55]), 8), `filter ${filter}`);
      }
    });

    it('an unknown filter type (5) is a damaged PNG, on the first row or a later one', async () => {
      const msg = `${NAME} is a damaged PNG (a row of pixels uses filter 5, which does not exist). Re-export the image.`;
      const l = lay(2, 2, 8, 0);
      await refused(image(l, [[1, 2], [3, 4]], [5, 0]), 'corrupt', msg);
      await refused(image(l, [[1, 2], [3, 4]], [0, 5]), 'corrupt', msg);
      await refused(image(l, [[1, 2], [3, 4]], [0, 255]), 'corrupt', msg.replace('filter 5', 'filter 255'));
    });
  });

  describe('downscaling (limits.maxDecodedSide)', () => {
    it('a 9 x 5 grey image with maxDecodedSide 4 keeps every third row and column from 0 (3 x 2)', async () => {
      const rows = Array.from({ length: 5 }, (_, y) => Array.from({ length: 9 }, (_, x) => y * 10 + x));
      assert.deepEqual(await decode(image(lay(9, 5, 8, 0), rows), { ...DEFAULT_LIMITS, maxDecodedSide: 4 }), grey(3, 2, [0, 3, 6, 30, 33, 36], 8, 3, 9, 5));
    });

    it('10 x 7 with maxDecodedSide 4: scale 3, output 4 x 3 (sizes rounded up)', async () => {
      const rows = Array.from({ length: 7 }, (_, y) => Array.from({ length: 10 }, (_, x) => y * 10 + x));
      assert.deepEqual(await decode(image(lay(10, 7, 8, 0), rows), { ...DEFAULT_LIMITS, maxDecodedSide: 4 }), grey(4, 3, [0, 3, 6, 9, 30, 33, 36, 39, 60, 63, 66, 69], 8, 3, 10, 7));
    });

    it('the longer side decides: 3 x 10 with maxDecodedSide 4 gives 1 x 4', async () => {
      const rows = Array.from({ length: 10 }, (_, y) => [y, 100 + y, 200 + y]);
      assert.deepEqual(await decode(image(lay(3, 10, 8, 0), rows), { ...DEFAULT_LIMITS, maxDecodedSide: 4 }), grey(1, 4, [0, 3, 6, 9], 8, 3, 3, 10));
    });

    it('a side exactly at maxDecodedSide is not reduced; one more halves it', async () => {
      const rows4 = Array.from({ length: 2 }, (_, y) => Array.from({ length: 4 }, (_, x) => y * 4 + x));
      assert.deepEqual(await decode(image(lay(4, 2, 8, 0), rows4), { ...DEFAULT_LIMITS, maxDecodedSide: 4 }), grey(4, 2, rows4.flat(), 8));
      const rows5 = Array.from({ length: 2 }, (_, y) => Array.from({ length: 5 }, (_, x) => y * 5 + x));
      assert.deepEqual(await decode(image(lay(5, 2, 8, 0), rows5), { ...DEFAULT_LIMITS, maxDecodedSide: 4 }), grey(3, 1, [0, 2, 4], 8, 2, 5, 2));
    });

    it('reduces RGB, 16-bit grey, grey+alpha, sub-byte grey and palette images the same way', async () => {
      const lim = { ...DEFAULT_LIMITS, maxDecodedSide: 2 };
      const c = Array.from({ length: 4 }, (_, y) => Array.from({ length: 12 }, (_, i) => y * 20 + i));
      assert.deepEqual(await decode(image(lay(4, 4, 8, 2), c), lim), rgb(2, 2, [0, 1, 2, 6, 7, 8, 40, 41, 42, 46, 47, 48], 8, 2, 4, 4));
      const g16 = Array.from({ length: 3 }, (_, y) => [y * 1000 + 1, y * 1000 + 2, y * 1000 + 3]);
      assert.deepEqual(await decode(image(lay(3, 3, 16, 0), g16), lim), grey(2, 2, [1, 3, 2001, 2003], 16, 2, 3, 3));
      const ga = [[100, 255, 1, 1, 50, 51], [0, 0, 0, 0, 0, 0], [255, 51, 2, 2, 3, 255]];
      assert.deepEqual(await decode(image(lay(3, 3, 8, 4), ga), lim), grey(2, 2, f32(100, 10, 51, 3), 8, 2, 3, 3));
      const bits = [[1, 0, 0, 1, 1, 0, 1, 1, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 1, 1, 0, 0, 1, 1, 0, 1, 0]];
      const lim5 = { ...DEFAULT_LIMITS, maxDecodedSide: 5 };
      assert.deepEqual(await decode(image(lay(10, 3, 1, 0), bits), lim5), grey(5, 2, [1, 0, 1, 1, 0, 0, 1, 0, 1, 1], 1, 2, 10, 3));
      const plte = pngChunk('PLTE', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      const idx = [[0, 1, 2, 3, 0], [3, 3, 3, 3, 3], [2, 3, 1, 0, 1]];
      assert.deepEqual(await decode(image(lay(5, 3, 2, 3), idx, 0, [plte]), { ...DEFAULT_LIMITS, maxDecodedSide: 3 }), rgb(3, 2, [1, 2, 3, 7, 8, 9, 1, 2, 3, 7, 8, 9, 4, 5, 6, 4, 5, 6], 2, 2, 5, 3));
    });

    it('without limits, DEFAULT_LIMITS apply: 4,096 px wide is kept whole, 4,097 px is halved', async () => {
      const ramp = (w: number) => png(ihdr(w, 1, 8, 0), pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, ...Array.from({ length: w }, (_, x) => x % 256)]))), IEND);
      const whole = await decodePng(ramp(4096), NAME);
      assert.deepEqual([whole.scale, whole.frame.width, whole.frame.height, whole.frame.data[4095]], [1, 4096, 1, 255]);
      assert.deepEqual(await decode(ramp(4097)), grey(2049, 1, Array.from({ length: 2049 }, (_, x) => (2 * x) % 256), 8, 2, 4097, 1));
    });
  });

  describe('chunks', () => {
    it('IDAT split over several chunks (one of them empty) is joined', async () => {
      const rows = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
      const z = zlib.deflateSync(rawStream(rows, [1, 2, 4], 1));
      const buf = png(ihdr(3, 3, 8, 0), pngChunk('IDAT', z.subarray(0, 3)), pngChunk('IDAT'), pngChunk('IDAT', z.subarray(3, 4)), pngChunk('IDAT', z.subarray(4)), IEND);
      assert.deepEqual(await decode(buf), grey(3, 3, rows.flat(), 8));
    });

    it('zlib output arriving a byte at a time (rows and filter bytes split across chunks) gives the same image', async () => {
      const rows = [[10, 20, 30, 40, 50, 60], [61, 52, 43, 34, 25, 16], [0, 255, 0, 255, 0, 255]];
      const z = zlib.deflateSync(rawStream(rows, [1, 4, 3], 3), { level: 0 });
      assert.deepEqual(await decode(png(ihdr(2, 3, 8, 2), ...Array.from(z, (b) => pngChunk('IDAT', [b])), IEND)), rgb(2, 3, rows.flat(), 8));
      // and in uneven pieces of 5 bytes
      const fives = Array.from({ length: Math.ceil(z.length / 5) }, (_, k) => pngChunk('IDAT', z.subarray(k * 5, k * 5 + 5)));
      assert.deepEqual(await decode(png(ihdr(2, 3, 8, 2), ...fives, IEND)), rgb(2, 3, rows.flat(), 8));
    });

    it('unknown ancillary chunks (and one between IDATs) are skipped', async () => {
      const rows = [[9, 8], [7, 6]];
      const z = zlib.deflateSync(rawStream(rows, 0, 1));
      const ancillary = [pngChunk('tEXt', Buffer.from('Comment\0IDAT IEND', 'latin1')), pngChunk('gAMA', [0, 0, 0xb1, 0x8f])];
      const buf = png(ihdr(2, 2, 8, 0), ...ancillary, pngChunk('IDAT', z.subarray(0, 5)), pngChunk('zzZz', [0, 0, 0, 99, 73, 68, 65, 84]), pngChunk('IDAT', z.subarray(5)), IEND);
      assert.deepEqual(await decode(buf), grey(2, 2, [9, 8, 7, 6], 8));
    });

    it('anything after IEND is ignored: another IDAT, or a chunk running past the end', async () => {
      const good = image(lay(2, 1, 8, 0), [[4, 5]]);
      assert.deepEqual(await decode(Buffer.concat([good, pngChunk('IDAT', [1, 2, 3, 4, 5])])), grey(2, 1, [4, 5], 8));
      assert.deepEqual(await decode(Buffer.concat([good, Buffer.from([0, 0, 1, 0, 73, 68, 65, 84, 1, 2])])), grey(2, 1, [4, 5], 8));
    });

    it('IDAT before IHDR still decodes (the header is taken wherever it is)', async () => {
      assert.deepEqual(await decode(png(pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 42]))), ihdr(1, 1, 8, 0), IEND)), grey(1, 1, [42], 8));
    });

    it('no IEND is tolerated: the file may end after the last CRC, inside it, or with up to 7 stray bytes', async () => {
      const head = png(ihdr(2, 1, 8, 0), pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 42, 43]))));
      const want = grey(2, 1, [42, 43], 8);
      assert.deepEqual(await decode(head), want);
      assert.deepEqual(await decode(head.subarray(0, head.length - 4)), want, 'IDAT without its CRC');
      assert.deepEqual(await decode(head.subarray(0, head.length - 1)), want, 'CRC cut short');
      assert.deepEqual(await decode(Buffer.concat([head, Buffer.from([1, 2, 3, 4, 5, 6, 7])])), want, '7 stray bytes');
      // 8 stray zero bytes read as an empty chunk (type "\0\0\0\0") whose CRC is missing
      assert.deepEqual(await decode(Buffer.concat([head, Buffer.alloc(8)])), want, '8 zero bytes');
      // IEND without its CRC, ending exactly at the end of the file
      assert.deepEqual(await decode(Buffer.concat([head, IEND.subarray(0, 8)])), want, 'IEND without CRC');
    });
  });

  describe('errors in the chunk structure', () => {
    const trunc = (which: string) => `${NAME} is a truncated PNG (${which} runs past the end of the file). Re-export or copy the image again.`;
    const withChunkHeader = (len: number, type: string, have: number) => Buffer.concat([png(ihdr(1, 1, 8, 0), pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 1])))), Buffer.from(be32(len)), Buffer.from(type, 'latin1'), Buffer.alloc(have)]);

    it('a chunk running past the end names its type when that is four letters (upper or lower case)', async () => {
      for (const type of ['IDAT', 'tEXt', 'AZaz', 'zTXt']) await refused(withChunkHeader(100, type, 3), 'truncated', trunc(`the ${type} chunk`));
    });

    it('when the type is not four letters, it is "a damaged chunk" (digits, spaces, the characters next to A-Z and a-z)', async () => {
      for (const type of ['ID4T', 'IDA ', '\0\0\0\0', 'ID@T', 'ID[T', 'ID`T', 'ID{T', 'IDA\u00e9']) await refused(withChunkHeader(100, type, 3), 'truncated', trunc('a damaged chunk'));
    });

    it('a chunk whose data ends exactly at the end of the file is read; one byte short is truncated', async () => {
      // A tEXt of 5 bytes without CRC at the very end: read (and the missing CRC tolerated)
      assert.deepEqual(await decode(withChunkHeader(5, 'tEXt', 5)), grey(1, 1, [1], 8));
      await refused(withChunkHeader(5, 'tEXt', 4), 'truncated', trunc('the tEXt chunk'));
    });

    it('a chunk header that is exactly the last 8 bytes is still read (and its data found missing)', async () => {
      await refused(withChunkHeader(1, 'IDAT', 0), 'truncated', trunc('the IDAT chunk'));
    });

    it('IHDR must be 13 bytes: 12 and 14 are a damaged header', async () => {
      const idat = pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 1])));
      await refused(png(pngChunk('IHDR', ihdrData(1, 1, 8, 0).slice(0, 12)), idat, IEND), 'corrupt', `${NAME} has a damaged PNG image header (IHDR is 12 bytes, not 13). Re-export the image.`);
      await refused(png(pngChunk('IHDR', [...ihdrData(1, 1, 8, 0), 0]), idat, IEND), 'corrupt', `${NAME} has a damaged PNG image header (IHDR is 14 bytes, not 13). Re-export the image.`);
    });

    it('no IHDR at all (or only the signature) is a damaged file', async () => {
      const msg = `${NAME} has a PNG signature but no image header (IHDR). The file is damaged.`;
      await refused(png(pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 1]))), IEND), 'corrupt', msg);
      await refused(png(), 'corrupt', msg);
      await refused(png(pngChunk('ihdr', ihdrData(1, 1, 8, 0)), pngChunk('IDAT', [1]), IEND), 'corrupt', msg);
    });

    it('no IDAT is a PNG without pixel data', async () => {
      const msg = `${NAME} is a PNG without pixel data (no IDAT chunk). Re-export the image.`;
      await refused(png(ihdr(1, 1, 8, 0), IEND), 'truncated', msg);
      // IDAT only after IEND does not count
      await refused(png(ihdr(1, 1, 8, 0), IEND, pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 1])))), 'truncated', msg);
    });
  });

  describe('errors in the header', () => {
    const idat = pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(64)));
    const unknown = (ct: number, bd: number) => `${NAME} uses an unknown PNG pixel format (colour type ${ct}, ${bd} bits). Re-save it as an 8-bit RGB or greyscale PNG.`;

    it('colour types 1, 5 and 7 are unknown', async () => {
      for (const ct of [1, 5, 7]) await refused(png(ihdr(1, 1, 8, ct), idat, IEND), 'unsupported', unknown(ct, 8));
    });

    it('bit depths 0, 3, 5 and 32 are unknown', async () => {
      for (const bd of [0, 3, 5, 32]) await refused(png(ihdr(1, 1, bd, 0), idat, IEND), 'unsupported', unknown(0, bd));
    });

    it('every allowed bit depth is accepted for grey', async () => {
      for (const bd of [1, 2, 4, 8, 16]) assert.deepEqual(await decode(image(lay(1, 1, bd, 0), [[1]])), grey(1, 1, [1], bd), `${bd} bits`);
    });

    it('an interlaced PNG (method 1, or any non-zero) is refused', async () => {
      const msg = `${NAME} is an interlaced PNG, which the annotator does not read. Re-save it without interlacing.`;
      await refused(png(ihdr(1, 1, 8, 0, 1), idat, IEND), 'unsupported', msg);
      await refused(png(ihdr(1, 1, 8, 0, 2), idat, IEND), 'unsupported', msg);
    });

    it('a palette PNG without PLTE is damaged', async () => {
      await refused(png(ihdr(1, 1, 8, 3), idat, IEND), 'corrupt', `${NAME} is a palette PNG without a palette. The file is damaged.`);
    });

    it('zero width or zero height is damaged', async () => {
      await refused(png(ihdr(0, 5, 8, 0), idat, IEND), 'corrupt', `${NAME} says it is 0 x 5 pixels. The file is damaged.`);
      await refused(png(ihdr(5, 0, 8, 0), idat, IEND), 'corrupt', `${NAME} says it is 5 x 0 pixels. The file is damaged.`);
    });

    // Was a bug: colour type and bit depth were checked apart, so RGB at 4 bits (every channel read
    // the same nibble), palette at 16 and grey+alpha or RGBA below 8 bits decoded as garbage.
    it('colour type / bit depth pairs the PNG specification forbids are refused as an unknown format', async () => {
      for (const [ct, bd] of [[2, 4], [3, 16], [4, 2], [6, 1]]) await refused(png(ihdr(2, 1, bd, ct), pngChunk('PLTE', [1, 2, 3]), idat, IEND), 'unsupported', unknown(ct, bd));
    });
  });

  describe('declared size against the limits', () => {
    const tooLarge = (size: string) => `${NAME} says it is ${size}, more than the annotator reads. Downscale it first (e.g. to 4096 px on the long side).`;
    const tooLittle = (size: string) => `${NAME} says it is ${size} but holds far too little pixel data for that; it is truncated or damaged. Re-export or copy the image again.`;

    it('width and height each up to maxDeclaredSide (10) are read; 11 is too large', async () => {
      const lim = { ...DEFAULT_LIMITS, maxDeclaredSide: 10, maxStreamedPixels: 1000 };
      assert.deepEqual(await decode(blank(10, 1), lim), grey(10, 1, new Array<number>(10).fill(0), 8));
      assert.deepEqual(await decode(blank(1, 10), lim), grey(1, 10, new Array<number>(10).fill(0), 8));
      await refused(blank(11, 1), 'too-large', tooLarge('11 x 1 pixels (0.0 megapixels)'), lim);
      await refused(blank(1, 11), 'too-large', tooLarge('1 x 11 pixels (0.0 megapixels)'), lim);
    });

    it('width x height up to maxStreamedPixels (50) is read; 51 is too large', async () => {
      const lim = { ...DEFAULT_LIMITS, maxDeclaredSide: 100, maxStreamedPixels: 50 };
      assert.deepEqual(await decode(blank(10, 5), lim), grey(10, 5, new Array<number>(50).fill(0), 8));
      await refused(blank(17, 3), 'too-large', tooLarge('17 x 3 pixels (0.0 megapixels)'), lim);
      await refused(blank(3, 17), 'too-large', tooLarge('3 x 17 pixels (0.0 megapixels)'), lim);
    });

    it('the default maxDeclaredSide is 100,000 (each side)', async () => {
      const wide = await decodePng(blank(100_000, 1), NAME);
      assert.deepEqual([wide.width, wide.scale, wide.frame.width, wide.frame.height], [100_000, 25, 4000, 1]);
      const tall = await decodePng(blank(1, 100_000), NAME);
      assert.deepEqual([tall.height, tall.scale, tall.frame.width, tall.frame.height], [100_000, 25, 1, 4000]);
      await refused(blank(100_001, 1), 'too-large', tooLarge('100,001 x 1 pixels (0.1 megapixels)'));
      await refused(blank(1, 100_001), 'too-large', tooLarge('1 x 100,001 pixels (0.1 megapixels)'));
    });

    it('the default maxStreamedPixels is 2^30: 65,536 x 16,384 passes the size check (then lacks data), one more row does not', async () => {
      const fake = (w: number, h: number) => png(ihdr(w, h, 8, 0), pngChunk('IDAT', [0x78]), IEND);
      await refused(fake(65_536, 16_384), 'truncated', tooLittle('65,536 x 16,384 pixels (1074 megapixels)'));
      await refused(fake(65_536, 16_385), 'too-large', tooLarge('65,536 x 16,385 pixels (1074 megapixels)'));
    });

    it('compressed data must be at least 1/1040 of the raw rows: 2 bytes (over two IDATs) hold 2,080 raw bytes, not 2,081', async () => {
      // 8-bit grey, one row: raw = width + 1 (its filter byte)
      const fake = (w: number) => png(ihdr(w, 1, 8, 0), pngChunk('IDAT', [0xff]), pngChunk('IDAT', [0xff]), IEND);
      await refused(fake(2079), 'corrupt', CORRUPT_DATA); // passes the check, then the data is unreadable
      await refused(fake(2080), 'truncated', tooLittle('2,080 x 1 pixels (0.0 megapixels)'));
    });

    it('the raw size counts bytes per row rounded up, plus the filter byte, times the height (1-bit grey, 9 wide: 3 bytes a row)', async () => {
      const fake = (h: number) => png(ihdr(9, h, 1, 0), pngChunk('IDAT', [0xff]), IEND);
      await refused(fake(346), 'corrupt', CORRUPT_DATA); // 1,038 raw bytes
      await refused(fake(347), 'truncated', tooLittle('9 x 347 pixels (0.0 megapixels)')); // 1,041
    });

    it('the raw size counts channels and bits (16-bit RGB: 6 bytes a pixel)', async () => {
      const fake = (w: number) => png(ihdr(w, 1, 16, 2), pngChunk('IDAT', [0xff]), IEND);
      await refused(fake(173), 'corrupt', CORRUPT_DATA); // 1,039 raw bytes
      await refused(fake(174), 'truncated', tooLittle('174 x 1 pixels (0.0 megapixels)')); // 1,045
    });
  });

  describe('damaged or short pixel data', () => {
    const rows = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]];

    it('deflate data that cannot be read before any row is complete is corrupt', async () => {
      await refused(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', [0xff, 0xff, 0xff]), IEND), 'corrupt', CORRUPT_DATA);
      // a valid start cut inside the first row
      const z = zlib.deflateSync(rawStream(rows, 0, 1), { level: 0 });
      await refused(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', z.subarray(0, 2 + 5 + 3)), IEND), 'corrupt', CORRUPT_DATA);
    });

    it('a stream cut after two rows keeps them and reports "only 2 of 4 rows"', async () => {
      const z = zlib.deflateSync(rawStream(rows, 0, 1), { level: 0 }); // zlib header (2), stored-block header (5), then the rows
      await refused(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', z.subarray(0, 2 + 5 + 8 + 2)), IEND), 'truncated', onlyRows(2, 4));
    });

    it('an invalid deflate block after two rows (in its own IDAT) keeps them: "only 2 of 4 rows"', async () => {
      const raw = rawStream(rows.slice(0, 2), 0, 1);
      const stored = [0x78, 0x01, 0x00, raw.length, 0, 255 - raw.length, 255, ...raw]; // a non-final stored block
      await refused(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', stored), pngChunk('IDAT', [0x07]), IEND), 'truncated', onlyRows(2, 4));
    });

    it('a broken or missing checksum after the last row does not matter when every row has arrived', async () => {
      const z = zlib.deflateSync(rawStream(rows, 0, 1));
      const bad = Buffer.from(z);
      bad[bad.length - 1] ^= 0xff;
      const want = grey(3, 4, rows.flat(), 8);
      assert.deepEqual(await decode(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', bad.subarray(0, -4)), pngChunk('IDAT', bad.subarray(-4)), IEND)), want, 'checksum wrong, in its own IDAT');
      assert.deepEqual(await decode(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', z.subarray(0, -4)), IEND)), want, 'checksum missing');
      // in the same IDAT as the rows, zlib's error discards that piece's output: nothing is kept
      await refused(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', bad), IEND), 'corrupt', CORRUPT_DATA);
    });

    it('a complete stream with fewer rows than the height: "only N of H rows" (0, 2, and 2 plus part of a third)', async () => {
      await refused(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(0))), IEND), 'truncated', onlyRows(0, 4));
      await refused(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', zlib.deflateSync(rawStream(rows.slice(0, 2), 0, 1))), IEND), 'truncated', onlyRows(2, 4));
      const partial = Buffer.concat([rawStream(rows.slice(0, 2), 0, 1), Buffer.from([0, 7])]);
      await refused(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', zlib.deflateSync(partial)), IEND), 'truncated', onlyRows(2, 4));
      await refused(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', zlib.deflateSync(Buffer.from([0]))), IEND), 'truncated', onlyRows(0, 4));
    });

    it('data past the last row is ignored, even a would-be row with filter 5', async () => {
      const extra = Buffer.concat([rawStream(rows, 0, 1), Buffer.from([5, 1, 2, 3, 5, 9])]);
      assert.deepEqual(await decode(png(ihdr(3, 4, 8, 0), pngChunk('IDAT', zlib.deflateSync(extra)), IEND)), grey(3, 4, rows.flat(), 8));
    });
  });
});
