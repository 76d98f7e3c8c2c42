// PNG decode/encode, huge images downscaled without running out of memory, and non-images.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ImageError } from '../../../src/core/images/errors';
import { MAX_DECODED_SIDE } from '../../../src/core/images/limits';
import { openImage } from '../../../src/core/images/open';
import { decodePng } from '../../../src/core/images/png-decode';
import { encodePng } from '../../../src/core/images/png-encode';

/** A grey 8-bit PNG of w x h whose rows are written in slices (never all in memory). */
async function bigGreyPng(w: number, h: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const deflate = zlib.createDeflate({ level: 1 });
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => deflate.on('end', r));
  const row = Buffer.alloc(w + 1);
  for (let x = 0; x < w; x++) row[1 + x] = x % 256; // a horizontal ramp, filter 0
  for (let y = 0; y < h; y++) {
    if (!deflate.write(row)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  const png = encodePng(1, 1, new Uint8Array(1), 1); // borrow signature + IEND from a tiny one
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    // The decoder does not check CRCs; a zero CRC keeps this helper short.
    return Buffer.concat([head, data, Buffer.alloc(4)]);
  };
  return Buffer.concat([png.subarray(0, 8), chunk('IHDR', ihdr), chunk('IDAT', Buffer.concat(chunks)), chunk('IEND', Buffer.alloc(0))]);
}

describe('images: PNG', () => {
  it('encodes and decodes RGB and grey losslessly', async () => {
    const w = 37;
    const h = 23;
    const rgb = new Uint8Array(w * h * 3).map((_, i) => (i * 7) % 256);
    const out = await decodePng(encodePng(w, h, rgb, 3), 'x.png');
    assert.equal(out.frame.kind, 'rgb');
    assert.deepEqual(Array.from(out.frame.data), Array.from(rgb));
    const grey = new Uint8Array(w * h).map((_, i) => (i * 13) % 256);
    const g = await decodePng(encodePng(w, h, grey, 1), 'g.png');
    assert.equal(g.frame.kind, 'gray');
    assert.deepEqual(Array.from(g.frame.data), Array.from(grey));
  });

  it('a 20,000 x 20,000 PNG is decoded reduced, without a crash, and says so', async function () {
    this.timeout(120_000);
    const png = await bigGreyPng(20_000, 20_000);
    const img = await openImage(png, 'huge.png');
    const f = await img.frame(0);
    assert.ok(f.width <= MAX_DECODED_SIDE && f.height <= MAX_DECODED_SIDE, `decoded at ${f.width} x ${f.height}`);
    assert.equal(img.info.width, 20_000);
    assert.ok(img.info.scale > 1);
    assert.match(img.info.notes.join(' '), /20000 x 20000 pixels; it is shown and sent reduced/);
  });

  it('decoding it reduced peaks far below what the whole image would take', async function () {
    // In a fresh process, so the peak (maxRSS) is this decode's alone, whatever else ran here:
    // the whole 400-megapixel frame would take 1.6 GB as floats; reduced, the peak stays small.
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-png-'));
    try {
      const file = path.join(dir, 'huge.png');
      fs.writeFileSync(file, await bigGreyPng(20_000, 20_000));
      const script = [
        `const { openImage } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/images/open.ts'))});`,
        `const base = process.resourceUsage().maxRSS;`,
        `openImage(require('node:fs').readFileSync(${JSON.stringify(file)}), 'huge.png').then((img) => img.frame(0)).then((f) => {`,
        `  process.stdout.write(JSON.stringify({ base, peak: process.resourceUsage().maxRSS, width: f.width }));`,
        `});`,
      ].join('\n');
      const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const { base, peak, width } = JSON.parse(out) as { base: number; peak: number; width: number };
      const grewMb = (peak - base) / 1024;
      console.log(`      20k x 20k PNG in a fresh process: peak RSS +${grewMb.toFixed(0)} MB, decoded ${width} px wide`);
      assert.ok(width <= MAX_DECODED_SIDE);
      assert.ok(grewMb < 600, `the decode peaked ${grewMb.toFixed(0)} MB above the process's start`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a truncated PNG and a text file named .png fail with a clear message', async () => {
    const good = encodePng(64, 64, new Uint8Array(64 * 64 * 3).fill(100), 3);
    await assert.rejects(openImage(good.subarray(0, good.length - 40), 'cut.png'), (e: unknown) => e instanceof ImageError && /cut\.png is a truncated PNG/.test(e.message));
    await assert.rejects(
      openImage(Buffer.from('Patient presents with cough.\n'.repeat(30)), 'note.png'),
      (e: unknown) => e instanceof ImageError && e.kind === 'not-an-image' && /note\.png is a text file, not a PNG, JPEG or DICOM image \(its name says otherwise\)/.test(e.message),
    );
    await assert.rejects(openImage(new Uint8Array(0), 'empty.png'), /empty\.png is an empty file/);
  });

  it('WebP is recognised and refused with a way out', async () => {
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(20)]);
    await assert.rejects(openImage(webp, 'a.webp'), /a\.webp is a WebP image.*Convert it to PNG/);
  });
});
