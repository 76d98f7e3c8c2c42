// F1 -> "MedGemma: Summarize Note" on the open note -> the summary streams in beside it, as a
// read-only document: "Save Summary As…" in its title bar writes it beside the note, and
// closing it asks nothing.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DISCLAIMER_RE, summaryGroup, summaryText, waitForSummary } from './summary.mjs';

export const name = 'summarize the open note from the command palette';

export async function run(ui) {
  const { page, wb, sim } = ui;
  await wb.openFile(page, 'note.txt');
  const before = sim.requests.length;
  await wb.runCommand(page, 'MedGemma: Summarize Note');
  const text = await waitForSummary(ui);
  ui.log(`summary ends: ${JSON.stringify(text.trim().split('\n').slice(-2))}`);
  if (!sim.requests.slice(before).some((r) => /chat\/completions/.test(r.path ?? r.url ?? ''))) {
    throw new Error('the simulator received no chat completion request');
  }
  const group = summaryGroup(page);
  const tab = ((await group.locator('.tab.active').innerText()) ?? '').replace(/\s+/g, '');
  ui.log(`summary tab: "${tab}"`);
  if (!tab.startsWith('note.summary.md')) throw new Error(`the summary's tab is "${tab}", not note.summary.md`);
  // Read-only: typing changes nothing.
  await group.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('typed by the user');
  if ((await group.locator('.monaco-editor .view-lines').first().innerText()).includes('typed by the user')) throw new Error('the summary accepted typing');
  // Nor does Undo bring back the unchecked, streamed text (which has no closing disclaimer).
  await page.keyboard.press('Control+Z');
  await page.waitForTimeout(300);
  if (!DISCLAIMER_RE.test(await summaryText(page))) throw new Error('Undo changed the summary');
  await ui.shot('02-summarize-note');

  // Save Summary As… (title bar): the save dialog offers note.summary.md beside the note.
  const saved = join(ui.folder, 'note.summary.md');
  rmSync(saved, { force: true });
  await group.locator('.editor-actions .action-label[aria-label^="Save Summary As"]').click();
  const input = page.locator(wb.sel.quickInputBox);
  await input.waitFor({ state: 'visible' });
  // The dialog fills its path in after it opens.
  const offered = await wb.until('the save dialog to offer note.summary.md beside the note', async () => {
    const v = await input.inputValue();
    return v === `${ui.folder}/note.summary.md` && v;
  }, 10_000).catch(async (e) => {
    throw new Error(`${e.message}; it offers ${await input.inputValue()}`);
  });
  ui.log(`save dialog offers: ${offered}`);
  await ui.shot('02-save-summary-as');
  await page.keyboard.press('Enter');
  await wb.until('the saved summary', () => existsSync(saved), 10_000);
  await wb.waitForToast(page, /Saved the summary as note\.summary\.md/);
  const file = readFileSync(saved, 'utf8');
  if (!file.startsWith('# ') || !DISCLAIMER_RE.test(file) || !file.includes('**Source:**')) throw new Error(`the saved file is not the summary: ${file.slice(0, 200)}`);

  // Closing it asks nothing (an untitled document would ask whether to save).
  const active = group.locator('.tab.active');
  await active.hover();
  await active.locator('.tab-actions .action-label').click();
  await wb.until('the summary tab to close', async () => (await page.locator('.tab', { hasText: 'note.summary.md' }).count()) === 0, 10_000);
  await page.waitForTimeout(500);
  if (await page.locator('.monaco-dialog-box').isVisible()) throw new Error(`closing the summary asked: ${await page.locator('.monaco-dialog-box').innerText()}`);
}
