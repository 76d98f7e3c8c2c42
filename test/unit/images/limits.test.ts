// Sizes are checked before pixels are made: the frame headers codecs would trust are read
// first (codec-headers.ts), and the limits (limits.ts) can be set per call.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { j2kFrame, jpegFrame, minimumJpegBytes } from '../../../src/core/images/codec-headers';
import { isImageError } from '../../../src/core/images/errors';
import { DEFAULT_LIMITS, limitsFor } from '../../../src/core/images/limits';
import { forCli, forEditor } from '../../../src/core/server/errors';
import { openImage } from '../../../src/core/images/open';
import { DICOM_DIR, IMAGES_DIR, needFixtures } from './fixtures';

describe('images: limits before allocation', () => {
  it('reads the size a JPEG, a lossless JPEG, a JPEG-LS and a JPEG 2000 stream declare', function () {
    needFixtures(this);
    const jpg = fs.readFileSync(path.join(IMAGES_DIR, 'skimage-retina.jpg'));
    const f = jpegFrame(jpg)!;
    assert.ok(f.width > 1000 && f.height > 1000 && f.components === 3, JSON.stringify(f));
    assert.ok(jpg.length > minimumJpegBytes(f));
    const ls = Buffer.from([0xff, 0xd8, 0xff, 0xf7, 0, 11, 8, 0x01, 0x00, 0x02, 0x00, 1, 1, 0x11, 0]);
    assert.deepEqual(jpegFrame(ls), { marker: 0xf7, precision: 8, height: 256, width: 512, components: 1 });
    assert.equal(minimumJpegBytes({ marker: 0xc3, precision: 8, width: 8000, height: 8000, components: 1 }), 8_000_000);
    assert.equal(minimumJpegBytes({ marker: 0xf7, precision: 8, width: 8000, height: 8000, components: 1 }), 0);
    // The DICOM JPEG 2000 fixture's codestream: 256 x 1024 (its Columns x Rows).
    const dcm = fs.readFileSync(path.join(DICOM_DIR, 'pydicom-JPEG2000.dcm'));
    const soc = dcm.indexOf(Buffer.from([0xff, 0x4f, 0xff, 0x51]));
    assert.deepEqual([j2kFrame(dcm.subarray(soc))?.width, j2kFrame(dcm.subarray(soc))?.height], [256, 1024]);
    assert.equal(jpegFrame(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2])), undefined, 'a scan before any frame header');
    assert.equal(j2kFrame(Buffer.from('not a codestream')), undefined);
  });

  it('the frame limit can be set per call: a 64 x 64 MR is refused under 4,000 pixels, before decoding', async function () {
    needFixtures(this);
    const bytes = fs.readFileSync(path.join(DICOM_DIR, 'pydicom-MR_small.dcm'));
    await assert.rejects(openImage(bytes, 'mr.dcm', { ...DEFAULT_LIMITS, maxFramePixels: 4000 }), (e: unknown) => isImageError(e) && e.kind === 'too-large' && /^mr\.dcm is 64 x 64 pixels/.test(e.message));
    const jpg = fs.readFileSync(path.join(IMAGES_DIR, 'skimage-retina.jpg'));
    await assert.rejects(openImage(jpg, 'retina.jpg', { ...DEFAULT_LIMITS, maxFramePixels: 1_000_000 }), (e: unknown) => isImageError(e) && e.kind === 'too-large');
    assert.equal((await openImage(bytes, 'mr.dcm')).info.width, 64);
  });

  it("the user's cap, in megapixels, bounded to 1–1024, and the message says how to raise it in each front end's words", async function () {
    needFixtures(this);
    assert.equal(limitsFor(undefined), DEFAULT_LIMITS);
    assert.equal(limitsFor(2).maxFramePixels, 2_000_000);
    assert.equal(limitsFor(0.001).maxFramePixels, 1_000_000);
    assert.equal(limitsFor(1e9).maxFramePixels, 1024e6);
    assert.ok(limitsFor(1024).maxInflatedBytes >= 1024e6 * 6, 'a Deflated DICOM may hold one whole frame at the cap');
    const jpg = fs.readFileSync(path.join(IMAGES_DIR, 'skimage-retina.jpg'));
    const e = await openImage(jpg, 'retina.jpg', limitsFor(1)).then(() => undefined, (x: Error) => x);
    assert.ok(isImageError(e) && e.kind === 'too-large');
    assert.match(forEditor(e.message), /Downscale it first \(e\.g\. to 4096 px on the long side\), or raise "medgemma\.image\.maxFrameMegapixels"\.$/);
    assert.match(forCli(e.message), /, or raise --max-megapixels\.$/);
  });
});
