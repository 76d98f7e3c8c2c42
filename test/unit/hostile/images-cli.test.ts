// `medgemma image render` on hostile PNG, JPEG and DICOM files, as a real process: each is
// refused before any large buffer is made, with exit 2, one sentence naming the file and what
// to do, in little time and memory.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorLine, HOSTILE, runCli } from '../../cli-process';
import { fixture } from '../../fixtures';

const CASES: [file: string, extra: string[], message: RegExp][] = [
  ['png-chunk-type-escape.png', [], /^error: png-chunk-type-escape\.png is a truncated PNG \(a damaged chunk runs past the end of the file\)\. Re-export/],
  ['png-ihdr-2g-wide.png', [], /^error: png-ihdr-2g-wide\.png says it is 2,147,483,647 x 1 pixels .*more than the annotator reads\. Downscale it first/],
  ['png-ihdr-60k-square.png', [], /^error: png-ihdr-60k-square\.png says it is 60,000 x 60,000 pixels .*Downscale it first/],
  ['png-ihdr-short.png', [], /^error: png-ihdr-short\.png has a damaged PNG image header \(IHDR is 4 bytes, not 13\)\. Re-export the image$/],
  ['jpeg-sof-6000.jpg', [], /^error: jpeg-sof-6000\.jpg says it is 6,000 x 6,000 pixels \(36 megapixels\) but holds far too little data for that; it is truncated or damaged\./],
  ['dicom-jpeg-sof-9999.dcm', [], /^error: dicom-jpeg-sof-9999\.dcm \(JPEG Baseline, frame 1\): its compressed frame is 9999 x 9999 pixels but the header says 64 x 64; the file is damaged\. Export it again/],
  ['dicom-rle-6000-unfilled.dcm', [], /^error: dicom-rle-6000-unfilled\.dcm \(RLE Lossless, frame 1\): segment 1 of the RLE frame holds only 160,000 of its 36,000,000 pixels; the file is truncated or damaged\./],
  ['dicom-jpeg-lossless-8000-in-512.dcm', [], /^error: dicom-jpeg-lossless-8000-in-512\.dcm \(JPEG Lossless SV1, frame 1\): its compressed frame is 8000 x 8000 pixels but the header says 512 x 512/],
  ['dicom-jpeg-ls-9999-in-64.dcm', [], /^error: dicom-jpeg-ls-9999-in-64\.dcm \(JPEG-LS Lossless, frame 1\): its compressed frame is 9999 x 9999 pixels but the header says 64 x 64/],
  ['dicom-j2k-9999-in-64.dcm', [], /^error: dicom-j2k-9999-in-64\.dcm \(JPEG 2000 Lossless, frame 1\): its compressed frame is 9999 x 9999 pixels but the header says 64 x 64/],
  ['dicom-offset-table-short.dcm', ['--frame', '2'], /^error: dicom-offset-table-short\.dcm: frame 2 of 2 cannot be found in the compressed pixel data .*Export the file again/],
];

describe('hostile images: medgemma image render (real process)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-hostile-images-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [file, extra, message] of CASES) {
    it(`${file}${extra.length ? ` ${extra.join(' ')}` : ''}: exit 2, one sentence, quickly and in little memory`, async () => {
      const out = path.join(dir, `${file}.png`);
      const r = await runCli(['image', 'render', path.join(HOSTILE, file), '--out', out, ...extra]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(errorLine(r), message);
      assert.equal(r.stdout, '');
      assert.ok(!fs.existsSync(out), 'nothing was written');
      assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
      assert.ok(r.peakMiB < 200, `peak RSS ${r.peakMiB.toFixed(0)} MiB`);
    });
  }

  it('the readable frame of the file with the short offset table still renders', async () => {
    const r = await runCli(['image', 'render', path.join(HOSTILE, 'dicom-offset-table-short.dcm'), '--out', path.join(dir, 'frame1.png')]);
    assert.equal(r.code, 0, r.stderr);
  });
});

describe('Deflated DICOM (real process)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-deflated-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a 1 MB file of deflated zeros that claims 1 GB: exit 2 before inflating it, in little memory', async () => {
    const { deflateBomb } = (await import(pathToFileURL(path.join(HOSTILE, 'make.mjs')).href)) as { deflateBomb: (rows: number, columns: number) => Promise<Buffer> };
    const bomb = path.join(dir, 'deflate-bomb.dcm');
    fs.writeFileSync(bomb, await deflateBomb(16384, 32768));
    const r = await runCli(['image', 'render', bomb, '--out', path.join(dir, 'bomb.png')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(errorLine(r), /^error: deflate-bomb\.dcm is a compressed \(Deflated\) DICOM file that expands to more than 320 MB, more than the annotator reads\. Export it uncompressed/);
    assert.ok(r.peakMiB < 700, `peak RSS ${r.peakMiB.toFixed(0)} MiB`);
  });

  it("dcmtk's own Deflated file of a real MR image renders the same pixels as the original", async function () {
    const original = fixture('dicom', 'pydicom-MR_small.dcm');
    const deflated = path.join(dir, 'mr-deflated.dcm');
    const conv = spawnSync('dcmconv', ['+td', original, deflated], { encoding: 'utf8' });
    if (conv.error) {
      if (process.env.CI) throw new Error('dcmconv (Debian package dcmtk) is missing');
      this.skip();
    }
    assert.equal(conv.status, 0, conv.stderr);
    assert.notDeepEqual(fs.readFileSync(deflated), fs.readFileSync(original));
    const outs = [original, deflated].map((f, i) => path.join(dir, `mr-${i}.png`));
    for (const [i, f] of [original, deflated].entries()) assert.equal((await runCli(['image', 'render', f, '--out', outs[i]])).code, 0);
    assert.deepEqual(fs.readFileSync(outs[1]), fs.readFileSync(outs[0]));
    // Its compressed data damaged: one sentence, exit 2.
    const bytes = fs.readFileSync(deflated);
    const damaged = path.join(dir, 'mr-damaged.dcm');
    fs.writeFileSync(damaged, Buffer.concat([bytes.subarray(0, bytes.length - 3000), Buffer.alloc(3000, 0xff)]));
    const r = await runCli(['image', 'render', damaged, '--out', path.join(dir, 'damaged.png')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(errorLine(r), /^error: mr-damaged\.dcm (is a Deflated DICOM file whose compressed data is damaged|is a truncated DICOM file)/);
  });
});
