// The chat's picker with several models, a pasted and a dropped image, a text-only model that
// says so (keeping the question and the image), then Copy and Insert on the answer.
import { serveVision, VISION_MODEL } from './08-image-annotator.mjs';
import { answerDone, chatRequests, lastAnswer, newChat, openChat } from './chat.mjs';

export const name = 'chat: model picker, pasted and dropped images, Copy and Insert';

/** Puts a small PNG (drawn on a canvas) on a DataTransfer and fires `type` at `selector`. */
async function fireImage(frame, selector, type, fileName) {
  await frame.evaluate(
    async ({ selector, type, fileName }) => {
      const c = document.createElement('canvas');
      c.width = c.height = 64;
      const g = c.getContext('2d');
      g.fillStyle = '#222';
      g.fillRect(0, 0, 64, 64);
      g.fillStyle = '#ddd';
      g.beginPath();
      g.arc(32, 32, 20, 0, Math.PI * 2);
      g.fill();
      const blob = await new Promise((r) => c.toBlob(r, 'image/png'));
      const dt = new DataTransfer();
      dt.items.add(new File([blob], fileName, { type: 'image/png' }));
      const target = document.querySelector(selector);
      const e = type === 'paste' ? new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }) : new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true });
      target.dispatchEvent(e);
    },
    { selector, type, fileName },
  );
}

/** Text without markdown marks and with single spaces: the answer's source and its rendering compare. */
const plain = (s) => s.replace(/\u00a0/g, ' ').replace(/[*_#`>|[\]-]/g, ' ').replace(/\s+/g, ' ').trim();

/** The active editor's text as the user sees it. */
async function editorText(page) {
  return plain(await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText());
}

export async function run(ui) {
  const { page, wb, sim } = ui;
  serveVision(ui);
  // And a LoRA adapter of the vision model (vLLM lists it with its base as `parent`).
  ui.sim.setOptions({
    models: [
      { id: ui.model, root: 'google/medgemma-27b-text-it' },
      { id: VISION_MODEL, root: 'google/medgemma-4b-it' },
      { id: 'notes-lora', root: '/adapters/notes-lora', parent: VISION_MODEL },
    ],
  });
  // The server now serves two models and an adapter: Check Server re-reads them.
  await wb.runCommand(page, 'MedGemma: Check Server');
  const frame = await openChat(ui);
  await newChat(ui, frame);

  // The picker lists both, the text-only one marked as such, the adapter right under its base.
  const options = await wb.until('two models and an adapter in the picker', async () => {
    const o = await frame.locator('#model option').allInnerTexts();
    return o.length >= 3 && o;
  }, 30_000);
  ui.log(`picker: ${options.join(' | ')}`);
  const shown = options.map((o) => o.replace(/\u00a0/g, ' ').trim());
  if (JSON.stringify(shown) !== JSON.stringify([`${ui.model} (text)`, VISION_MODEL, '↳ notes-lora — LoRA adapter'])) throw new Error(`the picker reads: ${shown.join(' | ')}`);
  if (await frame.locator('#model').isDisabled()) throw new Error('the picker is disabled with two models');
  await frame.locator('#model').selectOption(ui.model);

  // Paste an image into the question box: a chip with a thumbnail.
  await fireImage(frame, '#question', 'paste', 'chest.png');
  await frame.locator('.chip-image', { hasText: 'chest.png' }).waitFor({ timeout: 10_000 });
  if (!(await frame.locator('.chip-image img.thumb').count())) throw new Error('the image chip has no thumbnail');

  // Ask with the text-only model: a clear message, nothing lost.
  const question = 'What does this radiograph show?';
  await frame.locator('#question').fill(question);
  await frame.locator('#question').press('Enter');
  const error = frame.locator('.error-banner').filter({ hasText: /image/i }).first();
  await error.waitFor({ timeout: 30_000 });
  const message = (await error.innerText()).replace(/\s+/g, ' ');
  ui.log(`text-only model: ${message}`);
  if (!/does not take images/.test(message)) throw new Error(`unclear message: ${message}`);
  if (!message.includes(`This server also serves "${VISION_MODEL}" and "notes-lora", which take images: pick one in the model picker above.`)) throw new Error(`the message does not point to the vision models: ${message}`);
  await ui.shot('18-chat-text-only-model');
  if ((await frame.locator('#question').inputValue()) !== question) throw new Error('the question was not kept');
  if (!(await frame.locator('.chip-image', { hasText: 'chest.png' }).count())) throw new Error('the image was not kept');

  // Pick the vision model and send again: the image goes to the server as a data URL.
  await frame.locator('#model').selectOption(VISION_MODEL);
  const before = chatRequests(sim).length;
  await frame.locator('#question').press('Enter');
  await answerDone(frame);
  const req = chatRequests(sim).at(-1);
  if (chatRequests(sim).length !== before + 1) throw new Error('not exactly one request for the image question');
  const body = JSON.stringify(req.body);
  if (req.body.model !== VISION_MODEL) throw new Error(`sent to ${req.body.model}, not ${VISION_MODEL}`);
  if (!body.includes('data:image/png;base64,')) throw new Error('the image was not sent as a data URL');
  ui.log(`sent to ${req.body.model} with the image (${body.length} bytes of JSON)`);

  // Drop an image on the composer: another chip; its × takes it off again.
  await fireImage(frame, '.composer', 'drop', 'skin.png');
  const dropped = frame.locator('.chip-image', { hasText: 'skin.png' });
  await dropped.waitFor({ timeout: 10_000 });
  await ui.shot('18-chat-dropped-image');
  await dropped.locator('.chip-x').click();
  await dropped.waitFor({ state: 'detached', timeout: 5_000 });

  // Copy the answer and paste it into an editor; then Insert puts it at the cursor.
  const firstLine = plain(await lastAnswer(frame).locator('.body').innerText()).slice(0, 40);
  await lastAnswer(frame).getByRole('button', { name: 'Copy answer' }).click();
  // Into a new untitled file: in the browser VS Code saves files by itself after a second
  // (files.autoSave defaults to afterDelay on the web), so the workspace's note is left alone.
  await wb.runCommand(page, 'File: New Untitled Text File');
  await page.keyboard.press(`${wb.MOD}+V`);
  await wb.until('the copied answer in the editor', async () => (await editorText(page)).includes(firstLine), 10_000);
  ui.log(`pasted: "${firstLine}…"`);
  await page.keyboard.press(`${wb.MOD}+A`);
  await page.keyboard.press('Delete');
  await wb.until('the editor to be empty again', async () => (await editorText(page)) === '', 5_000);
  await lastAnswer(frame).getByRole('button', { name: 'Insert answer into the editor' }).click();
  await wb.until('the inserted answer in the editor', async () => (await editorText(page)).includes(firstLine), 10_000);
  await ui.shot('18-chat-inserted');
  await wb.runCommand(page, 'View: Revert and Close Editor');
}
