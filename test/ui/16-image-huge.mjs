// A 20,000 x 20,000 PNG (made here, ~1 MB compressed) from the explorer's context menu
// "MedGemma: Annotate Image": it opens reduced, says so, and the panel stays responsive.
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { panel } from './08-image-annotator.mjs';

export const name = 'image annotator: a 20,000 x 20,000 PNG opens reduced from the explorer menu';

const SIDE = 20_000;

function crcTable() {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
const TABLE = crcTable();
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  let c = 0xffffffff;
  for (const b of [...head.subarray(4)]) c = TABLE[(c ^ b) & 255] ^ (c >>> 8);
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 255] ^ (c >>> 8);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((c ^ 0xffffffff) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A grey PNG with a diagonal gradient, written row by row through zlib (never all in memory). */
async function writeHugePng(file) {
  const parts = [];
  const deflate = zlib.createDeflate({ level: 1 });
  deflate.on('data', (d) => parts.push(d));
  const done = new Promise((r) => deflate.on('end', r));
  const row = Buffer.alloc(SIDE + 1);
  for (let y = 0; y < SIDE; y++) {
    if (y % 400 === 0) for (let x = 0; x < SIDE; x++) row[1 + x] = ((x + y) >> 7) & 255;
    if (!deflate.write(row)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIDE, 0);
  ihdr.writeUInt32BE(SIDE, 4);
  ihdr[8] = 8;
  const out = createWriteStream(file);
  out.write(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  out.write(chunk('IHDR', ihdr));
  out.write(chunk('IDAT', Buffer.concat(parts)));
  out.write(chunk('IEND', Buffer.alloc(0)));
  await new Promise((r) => out.end(r));
}

export async function run(ui) {
  const { page, wb } = ui;
  const file = join(ui.folder, 'huge.png');
  if (!existsSync(file)) await writeHugePng(file);
  const row = await wb.explorerRow(page, 'huge.png');
  await row.click({ button: 'right' });
  const item = page.locator(wb.sel.contextMenuItem).filter({ hasText: /MedGemma: Annotate Image/ }).first();
  await item.waitFor({ timeout: 10_000 });
  await ui.shot('16-explorer-menu');
  await wb.until('the context menu to run the command', async () => {
    if (await item.isVisible()) await item.click({ timeout: 2000 }).catch(() => {});
    return !(await item.isVisible());
  }, 10_000, 300);
  const p = panel(page);
  const t0 = Date.now();
  await p.locator('body[data-ready="true"], #failed').first().waitFor({ timeout: 60_000 });
  ui.log(`opened in ${Date.now() - t0} ms`);
  if (await p.locator('#failed').count()) throw new Error(`failed: ${await p.locator('#failed').innerText()}`);
  const banners = await p.locator('#banners').innerText();
  if (!/20000 x 20000 pixels; it is shown and sent reduced 5x \(4000 x 4000\)/.test(banners)) throw new Error(`no downscale notice: ${banners}`);
  // Responsive: a tool switch and a redraw answer at once.
  const t1 = Date.now();
  await p.locator('#tool-ellipse').click();
  await p.locator('#tool-ellipse.active').waitFor({ timeout: 2000 });
  ui.log(`tool switch answered in ${Date.now() - t1} ms`);
  const status = await p.locator('#status').innerText();
  if (!/20000×20000 \(shown 4000×4000\)/.test(status)) throw new Error(`status: ${status}`);
  await ui.shot('16-image-huge');
}
