// Open a DICOM CT in the MedGemma Image Annotator, change the window, draw a box, label it,
// ask MedGemma (simulator) about the region, see the answer; close and reopen: the box, the
// label and the answer are still there (sidecar <image>.annotations.json).
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/codeserver.mjs';

export const name = 'image annotator: window, box, ask, reopen';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'dicom', 'ct512-explicit-le.dcm');
export const VISION_MODEL = 'medgemma-4b-it';

export function skip() {
  return existsSync(FIXTURE) ? undefined : `fixture ${FIXTURE} not found`;
}

/** The annotator's document inside the webview's two iframes. */
export function panel(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Serves a vision model beside the text model (medgemma.vision.model points at it). */
export function serveVision(ui, maxImages = 4) {
  ui.sim.setOptions({
    maxImages,
    models: [
      { id: ui.model, root: 'google/medgemma-27b-text-it' },
      { id: VISION_MODEL, root: 'google/medgemma-4b-it' },
    ],
  });
}

/**
 * Opens a workspace file from the explorer (Quick Open caches its file list, so a file the
 * scenario just created may not be offered there yet).
 */
export async function openInAnnotator(ui, file) {
  const { page, wb } = ui;
  await (await wb.explorerRow(page, file)).click();
  await page.locator(wb.sel.activeTab, { hasText: file }).waitFor();
  const p = panel(page);
  await p.locator('body[data-ready="true"], #failed').first().waitFor({ timeout: 60_000 });
  return p;
}

/**
 * Draws a box with the rectangle tool, dragging from (fx, fy) — fractions of the canvas — by
 * (dx, dy) pixels in two moves, as a hand would.
 */
export async function drawBox(page, p, fx, fy, dx, dy) {
  await p.locator('#tool-rect').click();
  const box = await p.locator('#view').boundingBox();
  if (!box) throw new Error('the image canvas is not visible');
  const x0 = box.x + box.width * fx;
  const y0 = box.y + box.height * fy;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x0 + dx / 2, y0 + dy / 2, { steps: 5 });
  await page.mouse.move(x0 + dx, y0 + dy, { steps: 5 });
  await page.mouse.up();
}

export async function run(ui) {
  const { page, wb } = ui;
  serveVision(ui);
  // For the next scenario: a text file named .dcm (made early so Quick Open has indexed it).
  writeFileSync(join(ui.folder, 'not-really.dcm'), 'This is a clinical note, not an image.\n'.repeat(20));
  const image = join(ui.folder, 'ct.dcm');
  copyFileSync(FIXTURE, image);
  rmSync(`${image}.annotations.json`, { force: true });

  const p = await openInAnnotator(ui, 'ct.dcm');
  if (await p.locator('#failed').count()) throw new Error(`the CT did not open: ${await p.locator('#failed').innerText()}`);

  // Window: the Lung preset, then the typed values follow.
  await p.locator('#window-preset').selectOption({ label: 'Lung (-600/1500)' });
  await wb.until('the lung window in the centre/width boxes', async () => (await p.locator('#wc').inputValue()) === '-600' && (await p.locator('#ww').inputValue()) === '1500');
  await ui.shot('08-image-annotator-lung-window');
  await p.locator('#window-preset').selectOption({ label: 'Mediastinum (50/350)' });

  // Draw a box with the rectangle tool.
  await drawBox(page, p, 0.4, 0.35, 120, 90);
  await p.locator('.ann-item').first().waitFor();
  await p.locator('#label-input').fill('mediastinal mass');

  // Ask about the region; the simulator answers "Received: ... (+1 image)".
  const before = ui.sim.requests.length;
  await p.locator('#ask').click();
  const answer = p.locator('#detail .answer-text').first();
  await answer.waitFor({ timeout: 60_000 });
  const text = await answer.innerText();
  ui.log(`answer: ${JSON.stringify(text.slice(0, 120))}`);
  if (!/Received:/.test(text)) throw new Error(`unexpected answer text: ${text}`);
  const sent = ui.sim.requests.slice(before).find((r) => /chat\/completions/.test(r.path ?? ''));
  if (!sent) throw new Error('the simulator received no chat request');
  const body = JSON.stringify(sent.body ?? {});
  const images = (body.match(/data:image\/png;base64,/g) ?? []).length;
  if (images !== 2) throw new Error(`a region question should send 2 images (crop + context), sent ${images}`);
  if (sent.body?.model !== VISION_MODEL) throw new Error(`sent to model ${sent.body?.model}, not the vision model`);
  await ui.shot('08-image-annotator-answer');

  // Saved beside the image, in image pixels.
  const sidecar = `${image}.annotations.json`;
  await wb.until('the sidecar with the answer', () => existsSync(sidecar) && /Received:/.test(readFileSync(sidecar, 'utf8')));
  const saved = JSON.parse(readFileSync(sidecar, 'utf8'));
  const a = saved.annotations[0];
  if (a.label !== 'mediastinal mass' || a.shape.type !== 'rect' || !(a.shape.w > 20 && a.shape.w < 512)) throw new Error(`sidecar content: ${JSON.stringify(a).slice(0, 300)}`);

  // Close and reopen: everything is still there.
  await wb.closeAllEditors(page);
  const q = await openInAnnotator(ui, 'ct.dcm');
  await q.locator('.ann-item', { hasText: 'mediastinal mass' }).first().click();
  const again = await q.locator('#detail .answer-text').first().innerText();
  if (!/Received:/.test(again)) throw new Error('the answer is gone after reopening');
  const wc = await q.locator('#wc').inputValue();
  if (wc !== '50') throw new Error(`the window was not restored on reopening (centre ${wc}, expected the mediastinum window's 50)`);
  await ui.shot('08-image-annotator-reopened');
}
