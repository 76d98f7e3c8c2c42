// JPEG 2000 inside a JP2 file's boxes (where the codestream starts), and a grey JPEG opened:
// both built byte by byte here.
import * as assert from 'node:assert/strict';
import { j2kFrame } from '../../../src/core/images/codec-headers';
import { openImage } from '../../../src/core/images/open';
import { greyJpeg } from './jpeg-bytes';
import { be16, be32, cat } from './png-bytes';

/** A bare codestream: SOC, then a SIZ of width x height with one component of `bits` bits. */
function codestream(width: number, height: number, bits = 12): Buffer {
  const siz = [...be16(0), ...be32(width), ...be32(height), ...be32(0), ...be32(0), ...be32(width), ...be32(height), ...be32(0), ...be32(0), ...be16(1), bits - 1, 1, 1];
  return cat([0xff, 0x4f, 0xff, 0x51], be16(siz.length + 2), siz, [0xff, 0x93, 0xff, 0xd9]);
}
const box = (type: string, payload: ArrayLike<number>) => cat(be32(8 + payload.length), type, payload);
const CS = codestream(300, 200);
const WANT = { marker: 0x51, width: 300, height: 200, components: 1, precision: 12 };
const SIGNATURE = box('jP  ', [0x0d, 0x0a, 0x87, 0x0a]);
const FTYP = box('ftyp', cat('jp2 ', be32(0), 'jp2 '));

describe('images/codec-headers: a JPEG 2000 codestream inside JP2 boxes', () => {
  it('bare, or after the signature, ftyp and header boxes', () => {
    assert.deepEqual(j2kFrame(CS), WANT);
    assert.deepEqual(j2kFrame(cat(SIGNATURE, FTYP, box('jp2h', [1, 2, 3]), box('jp2c', CS))), WANT);
  });

  it('the codestream box may say length 0 (to the end of the file); no other box may', () => {
    assert.deepEqual(j2kFrame(cat(SIGNATURE, be32(0), 'jp2c', CS)), WANT);
    assert.equal(j2kFrame(cat(SIGNATURE, be32(0), 'xml ', box('jp2c', CS))), undefined);
  });

  it('a box shorter than its own header ends the search, even when a codestream box follows where it points', () => {
    // The first box says 4 bytes: read as a box, the next one would start at its own type field.
    const next = box('jp2c', CS);
    assert.deepEqual(j2kFrame(cat(be32(8), 'free', next)), WANT, 'a well-formed box before it');
    assert.equal(j2kFrame(cat(be32(4), next)), undefined);
    assert.equal(j2kFrame(cat(be32(7), 'free', next)), undefined);
  });

  it('a box with a 64-bit length (length field 1) is skipped by that length', () => {
    const xl = cat(be32(1), 'xml ', be32(0), be32(20), [9, 9, 9, 9]);
    assert.deepEqual(j2kFrame(cat(SIGNATURE, xl, box('jp2c', CS))), WANT);
    assert.deepEqual(j2kFrame(cat(SIGNATURE, be32(1), 'jp2c', be32(0), be32(16 + CS.length), CS)), WANT, 'the codestream box itself after a 16-byte header');
  });

  it('at most 64 boxes are read before the codestream', () => {
    const free = (n: number) => cat(...Array.from({ length: n }, () => box('free', [])));
    assert.deepEqual(j2kFrame(cat(free(63), box('jp2c', CS))), WANT);
    assert.equal(j2kFrame(cat(free(64), box('jp2c', CS))), undefined);
  });

  it('a codestream box that does not hold a SIZ right after SOC says nothing', () => {
    assert.equal(j2kFrame(cat(SIGNATURE, box('jp2c', cat([0xff, 0x4f, 0xff, 0x52], CS.subarray(4))))), undefined);
    assert.equal(j2kFrame(cat(SIGNATURE, box('jp2c', CS.subarray(0, 43)))), undefined, 'cut short');
  });
});

describe('images/open: a grey JPEG', () => {
  it('opens as RGB with three equal samples a pixel, where each pixel is', async () => {
    const img = await openImage(greyJpeg(true), 'grey.jpg');
    const frame = await img.frame(0);
    assert.deepEqual([frame.kind, frame.width, frame.height, frame.data.length], ['rgb', 16, 8, 16 * 8 * 3]);
    const row = Array.from(frame.data.subarray(0, 16 * 3));
    assert.deepEqual(row, [...Array(8 * 3).fill(128), ...Array(8 * 3).fill(160)]);
  });
});
