// Mutated copies of real fixtures (seeded, so every run is the same): opening them and decoding
// their first frame either works or fails with an ImageError whose message is one sentence
// for a person: nothing else escapes the decoders (strings, RangeErrors, codec numbers).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { isImageError } from '../../../src/core/images/errors';
import { openImage } from '../../../src/core/images/open';
import { fixture } from '../../fixtures';
import { JARGON } from '../../cli-process';
import { mutateCase, random } from '../../fuzz/mutate';

const FILES = [
  ['images', 'isic-0000000-dermoscopy.jpg'],
  ['images', 'skimage-ihc-pathology.png'],
  ['dicom', 'pydicom-MR_small.dcm'],
  ['dicom', 'pydicom-MR_small_RLE.dcm'],
  ['dicom', 'pydicom-SC_rgb_jpeg.dcm'],
  ['dicom', 'ct-2frame-jpeg-lossless.dcm'],
  ['dicom', 'ct512-jpeg-ls.dcm'],
  ['dicom', 'pydicom-JPEG2000.dcm'],
  ['dicom', 'pydicom-examples_palette.dcm'],
] as const;
const PER_FILE = Number(process.env.MEDGEMMA_MUTATIONS ?? 25);

describe('hostile images: mutated fixtures', function () {
  this.timeout(180_000);

  for (const [folder, name] of FILES) {
    it(`${PER_FILE} mutations of ${name}: decoded, or one ImageError sentence`, async function () {
      const file = fixture(folder, name);
      if (!fs.existsSync(file)) this.skip();
      const src = fs.readFileSync(file);
      const rnd = random(name.length * 7919);
      let refused = 0;
      for (let n = 0; n < PER_FILE; n++) {
        const { bytes } = mutateCase(src, rnd);
        const t0 = Date.now();
        try {
          const img = await openImage(bytes, name);
          await img.frame(0);
        } catch (e) {
          refused++;
          assert.ok(isImageError(e), `mutation ${n}: ${String(e)} escaped as ${(e as Error)?.name ?? typeof e}`);
          assert.doesNotMatch(e.message, JARGON, `mutation ${n}`);
          assert.match(e.message, new RegExp(`^${name.replace(/\./g, '\\.')}`), `mutation ${n}: ${e.message}`);
          assert.match(e.message, /\.$/, `mutation ${n}: ${e.message}`);
        }
        assert.ok(Date.now() - t0 < 10_000, `mutation ${n} took ${Date.now() - t0} ms`);
      }
      assert.ok(refused > 0, 'some mutations are refused');
    });
  }
});
