// The first window of a grey image: the header's when it fits the pixels, otherwise one that
// shows the anatomy (CT soft tissue; percentiles without the padding outside the scan).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openImage } from '../../../src/core/images/open';
import { CT_SOFT_TISSUE, autoWindow, fullRangeWindow, windowFits } from '../../../src/core/images/window';
import { DICOM_DIR, needFixtures } from './fixtures';

/** A frame of `n` values: `pad` of them the padding value, the rest spread over [lo, hi]. */
function frame(n: number, pad: number, padValue: number, lo: number, hi: number): Float32Array {
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = i < pad ? padValue : lo + ((hi - lo) * (i - pad)) / Math.max(1, n - pad - 1);
  return d;
}

describe('images: the first window', () => {
  it('a window that misses the pixels does not fit; one that covers them does', () => {
    const d = frame(10_000, 0, 0, 0, 4095);
    assert.equal(windowFits({ center: 40_000, width: 100 }, d), false);
    assert.equal(windowFits({ center: 2048, width: 0 }, d), false);
    assert.equal(windowFits({ center: 2048, width: 400 }, d), true);
  });

  it('CT in Hounsfield units opens in the soft-tissue window', () => {
    const d = frame(10_000, 3000, -3024, -1024, 1200);
    assert.deepEqual(autoWindow(d, 'CT'), CT_SOFT_TISSUE);
  });

  it('elsewhere, the padding outside the field of view is left out of the window', () => {
    const d = frame(10_000, 3000, 0, 1000, 2000);
    const w = autoWindow(d, 'MR');
    const full = fullRangeWindow(d);
    assert.ok(w.center - w.width / 2 >= 990, `the window ${JSON.stringify(w)} still starts at the padding`);
    assert.ok(w.width < full.width / 2, `${w.width} is not narrower than the full range ${full.width}`);
  });

  it('a mask keeps both of its values apart', () => {
    const d = frame(1000, 900, 0, 1, 1);
    const w = autoWindow(d, 'SEG');
    assert.ok(w.center - w.width / 2 <= 0 && w.center + w.width / 2 >= 1, JSON.stringify(w));
  });

  it('a large frame gets its window from a sample of its values', () => {
    const d = frame(40_000_000, 0, 0, -1000, 1000);
    const w = autoWindow(d, 'OT');
    assert.ok(Math.abs(w.center) < 20 && w.width > 1800, JSON.stringify(w));
  });

  it('the CT fixture without a header window opens in soft tissue, not a flat grey full range', async function () {
    needFixtures(this);
    const img = await openImage(new Uint8Array(readFileSync(join(DICOM_DIR, 'ct512-explicit-le.dcm'))), 'ct512-explicit-le.dcm');
    await img.frame(0);
    assert.deepEqual(img.info.defaultWindow, CT_SOFT_TISSUE);
  });

  it("a header window that fits is kept (the 2-frame CT's own 49/102)", async function () {
    needFixtures(this);
    const img = await openImage(new Uint8Array(readFileSync(join(DICOM_DIR, 'ct-2frame-rle.dcm'))), 'ct-2frame-rle.dcm');
    await img.frame(0);
    assert.equal(img.info.defaultWindow?.center, 49);
    assert.equal(img.info.defaultWindow?.width, 102);
  });
});
