// `medgemma image render|describe` as a user runs it, against the simulator: render writes
// exactly the PNG describe sends; clear one-line errors and exit codes for bad input.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodePng } from '../../../src/core/images/png-decode';
import { runCli } from '../../cli-process';
import { startSim, type Sim } from '../../sim';
import { DICOM_DIR, IMAGES_DIR, needFixtures } from '../images/fixtures';

/** The bundled `medgemma`, as a user runs it (cli-process.ts). */
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env, timeoutMs: 30_000 });

describe('cli: medgemma image', function () {
  this.timeout(60_000);
  let sim: Sim;
  let dir: string;
  before(async function () {
    needFixtures(this);
    sim = await startSim({ maxImages: 4 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-cli-img-'));
  });
  after(async () => {
    await sim?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('render writes the 896 x 896 PNG that describe sends, byte for byte', async () => {
    const file = path.join(DICOM_DIR, 'ct512-explicit-le.dcm');
    const out = path.join(dir, 'ct.png');
    const r = await cli(['image', 'render', file, '--out', out, '--window', '40,400']);
    assert.equal(r.code, 0, r.stderr);
    const png = fs.readFileSync(out);
    assert.equal(png.readUInt32BE(16), 896);
    assert.equal(png.readUInt32BE(20), 896);
    const before = sim.requests.length;
    const d = await cli(['image', 'describe', file, '--window', '40,400', '--json', '--base-url', sim.baseUrl]);
    assert.equal(d.code, 0, d.stderr);
    const json = JSON.parse(d.stdout);
    assert.match(json.answer, /Received: .*\(\+1 image\)/);
    const req = sim.requests.slice(before).find((q) => q.path.endsWith('/chat/completions'))!;
    const body = req.body as { messages: { content: { type: string; image_url?: { url: string } }[] | string }[]; temperature: number };
    const sent = (body.messages.find((m) => Array.isArray(m.content))!.content as { type: string; image_url?: { url: string } }[]).find((p) => p.type === 'image_url')!;
    assert.equal(sent.image_url!.url, `data:image/png;base64,${png.toString('base64')}`);
    assert.equal(body.temperature, 0);
    // Only pixels go: nothing from the DICOM header is in the request.
    assert.doesNotMatch(JSON.stringify(body), /1\.2\.840\.10008|Patient|MONOCHROME/);
  });

  it("render --ct-windows writes Google's three CT windows as colour; without it the CT is grey", async () => {
    const file = path.join(DICOM_DIR, 'ct512-explicit-le.dcm');
    const grey = path.join(dir, 'ct-grey.png');
    const three = path.join(dir, 'ct-three.png');
    assert.equal((await cli(['image', 'render', file, '--out', grey, '--window', '40,400'])).code, 0);
    const r = await cli(['image', 'render', file, '--out', three, '--ct-windows']);
    assert.equal(r.code, 0, r.stderr);
    // IHDR colour type (byte 25): 0 grey, 2 RGB.
    assert.equal(fs.readFileSync(grey)[25], 0);
    assert.equal(fs.readFileSync(three)[25], 2);
    const { frame } = await decodePng(fs.readFileSync(three), 'ct-three.png');
    assert.equal(frame.kind, 'rgb');
    const d = frame.data as Uint8Array;
    let differ = 0;
    for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2]) differ++;
    assert.ok(differ > d.length / 3 / 10, `only ${differ} pixels have differing channels`);
  });

  it('describe a region sends a crop and the whole image with the box; render --region writes both', async () => {
    const file = path.join(IMAGES_DIR, 'nih-cxr14-00000001_000.png');
    const before = sim.requests.length;
    const d = await cli(['image', 'describe', file, '--region', '100,120,200,150', '--base-url', sim.baseUrl]);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /\(\+2 images\)/);
    const body = JSON.stringify(sim.requests.slice(before).find((q) => q.path.endsWith('/chat/completions'))!.body);
    assert.match(body, /chest X-ray/, 'the chest X-ray prompt was chosen from the file name');
    const out = path.join(dir, 'region.png');
    const r = await cli(['image', 'render', file, '--out', out, '--region', '100,120,200,150']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fs.existsSync(path.join(dir, 'region-context.png')));
  });

  it('bad input: one clear error line and exit 2', async () => {
    const txt = path.join(dir, 'note.png');
    fs.writeFileSync(txt, 'not an image\n'.repeat(50));
    const cases: [string[], RegExp][] = [
      [['image', 'render', txt, '--out', path.join(dir, 'x.png')], /note\.png is a text file, not a PNG, JPEG or DICOM image/],
      [['image', 'render', path.join(DICOM_DIR, 'pydicom-waveform_ecg.dcm'), '--out', path.join(dir, 'x.png')], /waveform .* no pixel data/],
      [['image', 'render', path.join(DICOM_DIR, 'pydicom-MR_truncated.dcm'), '--out', path.join(dir, 'x.png')], /truncated DICOM file/],
      [['image', 'describe', path.join(DICOM_DIR, 'pydicom-CT_small.dcm'), '--region', '0,0,500,500'], /--region 0,0,500,500 is not inside the 128 x 128 image/],
      [['image', 'render', path.join(DICOM_DIR, 'pydicom-CT_small.dcm'), '--out', path.join(dir, 'x.png'), '--window', 'wide'], /--window must look like 40,400/],
      [['image', 'render', path.join(DICOM_DIR, 'ct-2frame-rle.dcm'), '--out', path.join(dir, 'x.png'), '--frame', '3'], /ct-2frame-rle\.dcm has 2 frames, so there is no frame 3\. Give --frame 1 to 2/],
      // The frame cap is the user's: over it, the message says how to raise it in the CLI's words.
      [['image', 'render', path.join(IMAGES_DIR, 'skimage-retina.jpg'), '--out', path.join(dir, 'x.png'), '--max-megapixels', '1'], /skimage-retina\.jpg says it is 1,411 x 1,411 pixels .*Downscale it first .*or raise --max-megapixels$/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], re);
    }
  });

  it('a text-only model gets a clear "does not take images" error (exit 4)', async () => {
    sim.setOptions({ models: [{ id: 'medgemma-27b-text', root: 'google/medgemma-27b-text-it' }] });
    try {
      const r = await cli(['image', 'describe', path.join(DICOM_DIR, 'pydicom-CT_small.dcm'), '--base-url', sim.baseUrl]);
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /does not take images/);
    } finally {
      sim.setOptions({ models: undefined });
    }
  });
});
