// The annotator's tools on a two-frame RLE CT: ellipse, polygon (clicks + Enter), arrow and
// point by keyboard shortcut, undo/redo with Ctrl+Z / Ctrl+Y, Delete, the frame slider and the
// header panel; the sidecar ends with exactly what is on screen.
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/codeserver.mjs';
import { openInAnnotator } from './08-image-annotator.mjs';

export const name = 'image annotator: tools, keys, undo/redo, frames, header';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'dicom', 'ct-2frame-rle.dcm');

export function skip() {
  return existsSync(FIXTURE) ? undefined : `fixture ${FIXTURE} not found`;
}

export async function run(ui) {
  const { page, wb } = ui;
  const image = join(ui.folder, 'two-frames.dcm');
  copyFileSync(FIXTURE, image);
  rmSync(`${image}.annotations.json`, { force: true });
  const p = await openInAnnotator(ui, 'two-frames.dcm');
  const canvas = p.locator('#view');
  const box = await canvas.boundingBox();
  const at = (fx, fy) => [box.x + box.width * fx, box.y + box.height * fy];
  const items = () => p.locator('.ann-item').count();
  const drag = async ([x0, y0], [x1, y1]) => {
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, { steps: 3 });
    await page.mouse.move(x1, y1, { steps: 3 });
    await page.mouse.up();
  };
  const key = async (k) => {
    await canvas.focus();
    await page.keyboard.press(k);
  };

  // Frame 2 via the slider.
  await p.locator('#frame').fill('2');
  await wb.until('frame 2 shown', async () => (await p.locator('#frame-label').innerText()).includes('2/2'));

  await key('e'); // ellipse
  await drag(at(0.3, 0.3), at(0.45, 0.42));
  await key('p'); // polygon: three clicks, Enter
  for (const pt of [at(0.6, 0.3), at(0.7, 0.35), at(0.65, 0.45)]) await page.mouse.click(pt[0], pt[1]);
  await key('Enter');
  await key('a'); // arrow
  await drag(at(0.2, 0.7), at(0.35, 0.6));
  await key('t'); // point
  const pt = at(0.5, 0.5);
  await page.mouse.click(pt[0], pt[1]);
  await wb.until('four annotations', async () => (await items()) === 4);

  await key('Control+z');
  await wb.until('undo removes the point', async () => (await items()) === 3);
  await key('Control+y');
  await wb.until('redo brings it back', async () => (await items()) === 4);
  await p.locator('.ann-item').first().click(); // the ellipse
  await key('Delete');
  await wb.until('Delete removes the selected ellipse', async () => (await items()) === 3);

  await p.locator('#header summary').click();
  const header = await p.locator('#header').innerText();
  if (!/Transfer Syntax UID.*RLE Lossless/s.test(header)) throw new Error(`header panel: ${header.slice(0, 300)}`);
  if (/\(0010,/.test(header)) throw new Error('patient tags shown in the header panel');
  await ui.shot('14-image-tools');

  const sidecar = `${image}.annotations.json`;
  const saved = await wb.until('the sidecar with three shapes', () => {
    if (!existsSync(sidecar)) return undefined;
    const f = JSON.parse(readFileSync(sidecar, 'utf8'));
    return f.annotations.length === 3 && f;
  });
  const kinds = saved.annotations.map((a) => a.shape.type).sort().join(',');
  if (kinds !== 'arrow,point,polygon') throw new Error(`saved shapes: ${kinds}`);
  if (!saved.annotations.every((a) => a.frame === 1)) throw new Error('the shapes are not on frame 2');
}
