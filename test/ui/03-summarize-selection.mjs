// Select lines -> right-click -> "Summarize Selection" in the editor's context menu.
import { waitForSummary } from './summary.mjs';

export const name = 'summarize a selection from the editor context menu';

export async function run(ui) {
  const { page, wb } = ui;
  await wb.openFile(page, 'note.txt');
  await wb.selectLines(page, 5, 12);
  const status = await wb.until('the selection in the status bar', async () => {
    const s = await wb.cursorStatus(page);
    return /^Ln 12, .*selected/.test(s) && s;
  }, 5000);
  ui.log(`selection: ${status}`);
  // The status bar can report the selection a frame before the editor paints it.
  const sel = page.locator('.editor-group-container.active .monaco-editor .selected-text').first();
  const box = await wb.until('the selection drawn in the editor', async () => {
    const b = await sel.boundingBox().catch(() => null);
    return b && b.width > 0 && b.height > 0 ? b : false;
  }, 5000);
  await page.mouse.click(box.x + Math.min(40, box.width / 2), box.y + box.height / 2, { button: 'right' });
  const item = page.locator(wb.sel.contextMenuItem).filter({ hasText: /Summarize Selection/ }).first();
  await item.waitFor({ timeout: 10_000 });
  ui.log(`context menu entry: "${(await item.innerText()).trim()}"`);
  await ui.shot('03-context-menu');
  // A menu ignores a click that comes right after it opened: click again until it closes.
  await wb.until('the context menu to run the command', async () => {
    if (await item.isVisible()) await item.click({ timeout: 2000 }).catch(() => {});
    return !(await item.isVisible());
  }, 10_000, 300);
  await waitForSummary(ui);
  await ui.shot('03-summarize-selection');
}
