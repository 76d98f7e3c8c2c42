// Our rendering against Debian's dcmtk (dcm2pnm) with the same window: the mean absolute
// difference per file, printed, and bounded. Skips with a clear message without dcm2pnm.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openImage } from '../../../src/core/images/open';
import type { Window } from '../../../src/core/images/types';
import { renderRgb } from '../../../src/core/images/window';
import { DICOM_DIR, needFixtures } from './fixtures';

const haveDcmtk = spawnSync('dcm2pnm', ['--version']).status === 0;

/** Binary PGM (P5) / PPM (P6) to RGB. */
function readPnm(buf: Buffer): { width: number; height: number; rgb: Uint8Array } {
  const tokens: string[] = [];
  let i = 0;
  while (tokens.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]))) i++;
    if (buf[i] === 0x23) {
      while (buf[i] !== 0x0a) i++;
      continue;
    }
    let t = '';
    while (!/\s/.test(String.fromCharCode(buf[i]))) t += String.fromCharCode(buf[i++]);
    tokens.push(t);
  }
  i++;
  const [magic, w, h] = [tokens[0], Number(tokens[1]), Number(tokens[2])];
  const ch = magic === 'P6' ? 3 : 1;
  const rgb = new Uint8Array(w * h * 3);
  for (let p = 0; p < w * h; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = buf[i + p * ch + (ch === 3 ? c : 0)];
  return { width: w, height: h, rgb };
}

// Files and the window used on both sides (undefined = colour, no window).
const CASES: Array<[string, Window | undefined, number?]> = [
  ['ct512-explicit-le.dcm', { center: 40, width: 400 }],
  ['ct512-implicit-le.dcm', { center: -600, width: 1500 }],
  ['ct512-explicit-be.dcm', { center: 40, width: 400 }],
  ['ct512-jpeg-ls.dcm', { center: 40, width: 400 }],
  ['ct-2frame-rle.dcm', { center: 600, width: 1200 }, 2],
  ['ct-2frame-jpeg-lossless.dcm', { center: 600, width: 1200 }, 2],
  ['pydicom-CT_small.dcm', { center: 40, width: 400 }],
  ['pydicom-MR_small.dcm', { center: 600, width: 1600 }],
  ['pydicom-MR_small_RLE.dcm', { center: 600, width: 1600 }],
  ['pydicom-MR_small_bigendian.dcm', { center: 600, width: 1600 }],
  // pydicom-JPEG2000.dcm is not compared: dcmtk has no JPEG 2000 decoder (see dicom.test.ts).
  ['pydicom-cr-monochrome1.dcm', { center: 1600, width: 2800 }],
  ['pydicom-examples_overlay.dcm', { center: 450, width: 790 }],
  ['pydicom-examples_rgb_color.dcm', undefined],
  ['pydicom-examples_ybr_color.dcm', undefined],
  ['pydicom-examples_palette.dcm', undefined],
  ['pydicom-SC_rgb_rle_16bit.dcm', undefined],
];

describe('images: rendering matches dcmtk dcm2pnm', function () {
  let dir: string;
  before(function () {
    needFixtures(this);
    if (!haveDcmtk) {
      // CI installs dcmtk (.ci/run): there a missing one is a failure, never a silent pass.
      if (process.env.CI === 'true') throw new Error('dcm2pnm is not installed (apt-get install dcmtk): with CI=true the dcmtk comparison must run');
      this.test!.title += ' (skipped: dcm2pnm not found; apt-get install dcmtk)';
      console.log('      dcmtk comparison skipped: dcm2pnm is not installed (apt-get install dcmtk)');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'mg-dcmtk-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const [file, win, frameNo = 1] of CASES) {
    it(`${file}${win ? ` at C ${win.center} / W ${win.width}` : ' (colour)'}${frameNo > 1 ? `, frame ${frameNo}` : ''}`, async () => {
      const out = join(dir, `${file}.pnm`);
      // dcm2pnm reads uncompressed files: decompress first with dcmtk's own decoders.
      let input = join(DICOM_DIR, file);
      const decompressor = /jpeg-ls/.test(file) ? 'dcmdjpls' : /jpeg|ybr/.test(file) ? 'dcmdjpeg' : /rle/i.test(file) ? 'dcmdrle' : undefined;
      if (decompressor) {
        const raw = join(dir, `${file}.raw.dcm`);
        execFileSync(decompressor, [input, raw], { stdio: 'pipe' });
        input = raw;
      }
      const args = ['+F', String(frameNo), ...(win ? ['+Ww', String(win.center), String(win.width)] : []), input, out];
      execFileSync('dcm2pnm', args, { stdio: 'pipe' });
      const ref = readPnm(readFileSync(out));
      const img = await openImage(readFileSync(join(DICOM_DIR, file)), file);
      const f = await img.frame(frameNo - 1);
      assert.deepEqual([f.width, f.height], [ref.width, ref.height]);
      const ours = renderRgb(f, { window: win, invert: img.info.invert });
      let sum = 0;
      let max = 0;
      for (let i = 0; i < ours.length; i++) {
        const d = Math.abs(ours[i] - ref.rgb[i]);
        sum += d;
        if (d > max) max = d;
      }
      const mad = sum / ours.length;
      console.log(`      ${file}: mean abs diff ${mad.toFixed(3)} (max ${max}) of 255`);
      assert.ok(mad < 1.5, `mean absolute difference ${mad.toFixed(2)} vs dcm2pnm`);
    });
  }

  it('a deflated transfer syntax (made with dcmconv +td) renders like the original', async function () {
    const src = join(DICOM_DIR, 'pydicom-CT_small.dcm');
    const deflated = join(dir, 'deflated.dcm');
    const made = spawnSync('dcmconv', ['+td', src, deflated]);
    if (made.status !== 0) throw new Error(`dcmconv +td failed (${made.error?.message ?? made.stderr?.toString().trim() ?? `exit ${made.status}`})`);
    const a = await (await openImage(readFileSync(src), 'a.dcm')).frame(0);
    const img = await openImage(readFileSync(deflated), 'deflated.dcm');
    assert.equal(img.info.transferSyntax, '1.2.840.10008.1.2.1.99');
    const b = await img.frame(0);
    assert.deepEqual(Array.from(b.data as Float32Array), Array.from(a.data as Float32Array));
  });
});
