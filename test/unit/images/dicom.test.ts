// Every shared DICOM fixture renders, or fails with a clear reason.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageError } from '../../../src/core/images/errors';
import { openImage } from '../../../src/core/images/open';
import { renderRgb } from '../../../src/core/images/window';
import { DICOM_DIR, needFixtures } from './fixtures';

interface Expect {
  size?: [number, number];
  frames?: number;
  kind?: 'gray' | 'rgb';
  invert?: boolean;
  fails?: RegExp;
}

const EXPECT: Record<string, Expect> = {
  'ct512-explicit-le.dcm': { size: [512, 512], kind: 'gray' },
  'ct512-implicit-le.dcm': { size: [512, 512], kind: 'gray' },
  'ct512-explicit-be.dcm': { size: [512, 512], kind: 'gray' },
  'ct512-jpeg-ls.dcm': { size: [512, 512], kind: 'gray' },
  'ct-2frame-rle.dcm': { size: [512, 512], frames: 2, kind: 'gray' },
  'ct-2frame-jpeg-lossless.dcm': { size: [512, 512], frames: 2, kind: 'gray' },
  'ct-2frame-jpeg-baseline.dcm': { fails: /12-bit JPEG \(Extended\).*not supported.*Convert it/ },
  'pydicom-CT_small.dcm': { size: [128, 128], kind: 'gray' },
  'pydicom-MR_small.dcm': { size: [64, 64], kind: 'gray' },
  'pydicom-MR_small_bigendian.dcm': { size: [64, 64], kind: 'gray' },
  'pydicom-MR_small_RLE.dcm': { size: [64, 64], kind: 'gray' },
  'pydicom-JPEG2000.dcm': { size: [256, 1024], kind: 'gray' },
  'pydicom-SC_rgb_rle_16bit.dcm': { size: [100, 100], kind: 'rgb' },
  'pydicom-examples_rgb_color.dcm': { size: [320, 240], kind: 'rgb' },
  'pydicom-examples_ybr_color.dcm': { size: [320, 240], frames: 30, kind: 'rgb' },
  'pydicom-examples_palette.dcm': { size: [800, 350], kind: 'rgb' },
  'pydicom-examples_overlay.dcm': { size: [484, 300], kind: 'gray' },
  'pydicom-liver_1frame.dcm': { size: [512, 512], kind: 'gray' },
  'pydicom-cr-monochrome1.dcm': { size: [16, 16], kind: 'gray', invert: true },
  'pydicom-badVR.dcm': { size: [10, 10], kind: 'gray' },
  'pydicom-SC_rgb_jpeg.dcm': { size: [256, 256], kind: 'rgb' }, // implicit VR under an explicit syntax: read leniently
  'pydicom-MR_truncated.dcm': { fails: /truncated DICOM file.*Copy or export it again/ },
  'pydicom-test-SR.dcm': { fails: /structured report: it has no pixel data/ },
  'pydicom-waveform_ecg.dcm': { fails: /waveform \(e\.g\. an ECG\): it has no pixel data/ },
};

describe('images: DICOM fixtures', function () {
  before(function () {
    needFixtures(this);
  });

  for (const [file, want] of Object.entries(EXPECT)) {
    it(`${file}: ${want.fails ? 'fails with a clear reason' : 'renders'}`, async () => {
      const bytes = readFileSync(join(DICOM_DIR, file));
      if (want.fails) {
        await assert.rejects(
          (async () => {
            const img = await openImage(bytes, file);
            await img.frame(0);
          })(),
          (e: unknown) => e instanceof ImageError && want.fails!.test(e.message) && e.message.includes(file),
        );
        return;
      }
      const img = await openImage(bytes, file);
      const frame = await img.frame((want.frames ?? 1) - 1);
      assert.deepEqual([frame.width, frame.height], want.size);
      assert.equal(frame.kind, want.kind);
      assert.equal(img.info.frames, want.frames ?? 1);
      if (want.invert !== undefined) assert.equal(img.info.invert, want.invert);
      const rgb = renderRgb(frame, { window: img.info.defaultWindow, invert: img.info.invert });
      let lo = 255;
      let hi = 0;
      for (const v of rgb) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      assert.ok(hi > lo, `${file} rendered as a flat image (${lo}..${hi})`);
    });
  }

  it('rescale slope/intercept gives Hounsfield units on the 512 CT (air near -1000)', async () => {
    const img = await openImage(readFileSync(join(DICOM_DIR, 'ct512-explicit-le.dcm')), 'ct.dcm');
    const f = await img.frame(0);
    assert.equal(f.kind, 'gray');
    assert.ok(f.data[0] < -900, `corner pixel is ${f.data[0]} HU, expected air`);
    assert.equal(img.info.modality, 'CT');
    assert.ok(img.info.windows.some((w) => w.name === 'Lung'), 'CT presets are offered');
  });

  it('the three little-endian/big-endian/JPEG-LS encodings of the same CT decode to the same values', async () => {
    const read = async (f: string) => (await (await openImage(readFileSync(join(DICOM_DIR, f)), f)).frame(0)).data as Float32Array;
    const le = await read('ct512-explicit-le.dcm');
    for (const other of ['ct512-implicit-le.dcm', 'ct512-explicit-be.dcm', 'ct512-jpeg-ls.dcm']) {
      const d = await read(other);
      let diff = 0;
      for (let i = 0; i < le.length; i++) diff = Math.max(diff, Math.abs(le[i] - d[i]));
      assert.equal(diff, 0, `${other} differs from explicit LE by up to ${diff}`);
    }
  });

  it('the header panel shows main tags and no patient identifiers', async () => {
    const img = await openImage(readFileSync(join(DICOM_DIR, 'pydicom-CT_small.dcm')), 'ct.dcm');
    const names = img.info.header.map((t) => t.name);
    assert.ok(names.includes('Modality') && names.includes('Rows'));
    for (const t of img.info.header) assert.doesNotMatch(t.tag, /^\(0010,/, `patient tag ${t.tag} in the header panel`);
  });
});
