// Benchmark (not a test): decode + window + encode to the model's 896 px PNG, for a 512 x 512
// CT (DICOM) and a 2048 x 2048 radiograph (PNG), against baselines in the same run: dcmtk's
// dcm2pnm (when installed) and a plain decode (parse + copy / zlib inflate). Then the bytes
// sent per image. Usage: npx tsx bench/images.ts [--runs N]

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as dicomParser from 'dicom-parser';
import { buildImageRequest } from '../src/core/images/ask';
import { modelImages } from '../src/core/images/model-image';
import { openImage } from '../src/core/images/open';
import { encodePng } from '../src/core/images/png-encode';
import { renderRgb } from '../src/core/images/window';
import { FIXTURES } from '../test/fixtures';

const FIX = FIXTURES;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

/** A 2048 x 2048 grey radiograph: the NIH chest X-ray scaled up (nearest), as a PNG. */
async function radiograph2k(): Promise<Buffer> {
  const img = await openImage(fs.readFileSync(path.join(FIX, 'images', 'nih-cxr14-00000001_000.png')), 'cxr.png');
  const f = await img.frame(0);
  const rgb = renderRgb(f, { window: img.info.defaultWindow });
  const S = 2048;
  const grey = new Uint8Array(S * S);
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) grey[y * S + x] = rgb[(Math.floor((y * f.height) / S) * f.width + Math.floor((x * f.width) / S)) * 3];
  return encodePng(S, S, grey, 1);
}

async function main() {
  const rows: string[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mg-bench-img-'));
  const haveDcm2pnm = spawnSync('dcm2pnm', ['--version']).status === 0;

  // 512 x 512 CT
  const ctPath = path.join(FIX, 'dicom', 'ct512-explicit-le.dcm');
  const ct = fs.readFileSync(ctPath);
  const win = { center: 40, width: 400 };
  const ours = await time(async () => {
    const img = await openImage(ct, 'ct.dcm');
    modelImages(await img.frame(0), { window: win, invert: false });
  });
  const ourFull = await time(async () => {
    const img = await openImage(ct, 'ct.dcm');
    renderRgb(await img.frame(0), { window: win });
  });
  const plain = await time(() => {
    const ds = dicomParser.parseDicom(ct);
    const el = ds.elements.x7fe00010;
    return new Int16Array(ct.buffer.slice(ct.byteOffset + el.dataOffset, ct.byteOffset + el.dataOffset + el.length));
  });
  const dcmtk = haveDcm2pnm
    ? await time(() => spawnSync('dcm2pnm', ['+Ww', '40', '400', '+on', ctPath, path.join(tmp, 'ct.png')]))
    : NaN;
  rows.push(`| 512² CT (DICOM, explicit LE) | ${ours.toFixed(1)} ms | ${ourFull.toFixed(1)} ms | parse + copy pixels ${plain.toFixed(2)} ms | ${haveDcm2pnm ? `${dcmtk.toFixed(1)} ms (process incl.)` : 'n/a'} |`);

  // 2048 x 2048 radiograph
  const big = await radiograph2k();
  const bigPath = path.join(tmp, 'cxr2k.png');
  fs.writeFileSync(bigPath, big);
  const ours2 = await time(async () => {
    const img = await openImage(big, 'cxr2k.png');
    modelImages(await img.frame(0), { window: img.info.defaultWindow });
  });
  const ourFull2 = await time(async () => {
    const img = await openImage(big, 'cxr2k.png');
    renderRgb(await img.frame(0), { window: img.info.defaultWindow });
  });
  const inflate = await time(() => {
    // plain decode baseline: inflate the IDAT data (no unfiltering)
    let p = 8;
    const parts: Buffer[] = [];
    while (p < big.length) {
      const len = big.readUInt32BE(p);
      if (big.toString('latin1', p + 4, p + 8) === 'IDAT') parts.push(big.subarray(p + 8, p + 8 + len));
      p += 12 + len;
    }
    return zlib.inflateSync(Buffer.concat(parts));
  });
  rows.push(`| 2048² radiograph (8-bit PNG) | ${ours2.toFixed(1)} ms | ${ourFull2.toFixed(1)} ms | zlib inflate only ${inflate.toFixed(1)} ms | n/a (not DICOM) |`);

  console.log(`runs: ${RUNS} (median)\n`);
  console.log('| image | decode + window + 896 PNG (model input) | decode + window (full size) | plain-decode baseline | dcm2pnm, same window, PNG |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);

  // Bytes sent per image.
  console.log('\n| image | PNG sent | data URL (base64) | region question (crop + context) |');
  console.log('|---|---|---|---|');
  const cases: [string, Buffer][] = [
    ['CT 512² (C40/W400)', ct],
    ['chest X-ray 512² (PNG)', fs.readFileSync(path.join(FIX, 'images', 'nih-cxr14-00000001_000.png'))],
    ['chest X-ray 2048² (PNG)', big],
    ['pathology 512² (PNG, RGB)', fs.readFileSync(path.join(FIX, 'images', 'skimage-ihc-pathology.png'))],
    ['fundus 1411² (JPEG)', fs.readFileSync(path.join(FIX, 'images', 'skimage-retina.jpg'))],
  ];
  for (const [label, bytes] of cases) {
    const img = await openImage(bytes, label);
    const frame = await img.frame(0);
    const view = { window: label.startsWith('CT') ? win : img.info.defaultWindow, invert: img.info.invert };
    const whole = buildImageRequest({ frame, view, system: 's', prompt: 'p' });
    const region = buildImageRequest({ frame, view, region: { x: img.info.width / 4, y: img.info.height / 4, w: img.info.width / 4, h: img.info.height / 4 }, scale: img.info.scale, system: 's', prompt: 'p' });
    const png = modelImages(frame, view).pngs[0].length;
    console.log(`| ${label} | ${(png / 1024).toFixed(0)} KiB | ${(whole.bytesSent / 1024).toFixed(0)} KiB | ${(region.bytesSent / 1024).toFixed(0)} KiB |`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
