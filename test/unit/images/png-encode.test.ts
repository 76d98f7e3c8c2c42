// png-encode.ts's output read back by an independent reader (chunks, CRCs, filters, Paeth
// prediction), bit for bit, for each channel count, image shape and pixel pattern.
import * as assert from 'node:assert/strict';
import { encodePng } from '../../../src/core/images/png-encode';
import { be32, readPng } from './png-bytes';

/** Reads a PNG written by encodePng: exactly IHDR, one IDAT, IEND; Sub on the first row, Paeth on the others. */
function readBack(png: Buffer, width: number, height: number, channels: number): Buffer {
  const r = readPng(png);
  assert.deepEqual(r.chunks.map((c) => [c.type, c.type === 'IDAT' ? -1 : c.data.length]), [['IHDR', 13], ['IDAT', -1], ['IEND', 0]]);
  assert.deepEqual(Array.from(r.chunks[0].data), [...be32(width), ...be32(height), 8, channels === 3 ? 2 : 0, 0, 0, 0]);
  assert.deepEqual(r.filters, Array.from({ length: height }, (_, y) => (y === 0 ? 1 : 4)));
  return r.data;
}

describe('images/png-encode: read back bit for bit', () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
  // Random bytes, ramps, hard steps, and repeats that make the Paeth predictor's distances tie.
  const patterns: ((i: number, x: number, y: number) => number)[] = [() => rand(), (i, x, y) => (x * 9 + y * 17 + i) & 255, (_, x, y) => (((x >> 1) + (y >> 1)) % 2 ? 255 : 0), (i, x, y) => ((x + y) % 3) * 100 + (i % 2)];

  it('8-bit grey and RGB (the only depth it writes), every shape of image, every pattern', () => {
    const cases = ([1, 3] as const).flatMap((ch) => [[1, 1], [1, 6], [7, 1], [13, 9], [32, 17]].flatMap(([w, h]) => patterns.map((fn, k) => ({ ch, w, h, fn, k }))));
    for (const { ch, w, h, fn, k } of cases) {
      const px = Buffer.from(Array.from({ length: w * h * ch }, (_, i) => fn(i, Math.floor(i / ch) % w, Math.floor(i / ch / w))));
      assert.deepEqual(readBack(encodePng(w, h, px, ch), w, h, ch), px, `${ch} channel(s), ${w} x ${h}, pattern ${k}`);
    }
  });

  it('RGB is the default; the CRC is the standard one', () => {
    const px = Uint8Array.from({ length: 5 * 4 * 3 }, () => rand());
    assert.deepEqual(encodePng(5, 4, px), encodePng(5, 4, px, 3));
    assert.deepEqual(Array.from(encodePng(1, 1, Uint8Array.of(0), 1).subarray(-12)), [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  });
});
