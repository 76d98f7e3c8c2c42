// Ctrl/Cmd+click a citation like [L12] in the summary -> the note shows those lines selected.
import { summaryGroup, waitForSummary } from './summary.mjs';

export const name = 'a citation link reveals the cited note lines';

export async function run(ui) {
  const { page, wb } = ui;
  await wb.openFile(page, 'note.txt');
  await wb.runCommand(page, 'MedGemma: Summarize Note');
  await waitForSummary(ui);
  // Back to the top, where the first statements are.
  await summaryGroup(page).locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  // Document links are drawn as .detected-link once the provider has answered.
  const link = summaryGroup(page).locator('.detected-link').filter({ hasText: /^\[?L\d+/ }).first();
  await link.waitFor({ timeout: 15_000 });
  const text = (await link.innerText()).trim();
  const m = /L(\d+)(?:\s*[-–]\s*L?(\d+))?/.exec(text);
  const last = Number(m[2] ?? m[1]);
  ui.log(`clicking citation ${text} with ${wb.MOD}`);
  // Hold Ctrl/Cmd, then click: Monaco opens a link on a modifier+click. (Playwright's
  // locator.click fights the link hover that pops up, so click by coordinates.)
  // The underline can be redrawn (and its element replaced) while the link detector settles.
  const box = await wb.until('the citation link on screen', () => link.boundingBox(), 10_000);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.down(wb.MOD);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.up(wb.MOD);
  const status = await wb.until(`the note's cursor on line ${last}`, async () => {
    const s = await wb.cursorStatus(page);
    return new RegExp(`^Ln ${last},`).test(s) && s;
  }, 15_000);
  const active = ((await page.locator(wb.sel.activeTab).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  ui.log(`status bar after the click: "${status}", active tab: ${active}`);
  if (!active.includes('note.txt')) throw new Error(`the active editor is "${active}", not the note`);
  await ui.shot('04-citation-link');
}
