// A long summary can be cancelled from its progress notification; the server sees the
// connection close (so it stops generating) and the partial summary stays.
import { summaryText } from './summary.mjs';

export const name = 'cancel a summary from the progress notification';

export async function run(ui) {
  const { page, wb, sim } = ui;
  sim.setFault({ kind: 'stall-mid-stream', afterChunks: 6, ms: 120_000 });
  await wb.openFile(page, 'note.txt');
  await wb.runCommand(page, 'MedGemma: Summarize Note');
  const toast = page.locator(wb.sel.toast).filter({ has: page.getByRole('button', { name: 'Cancel' }) }).first();
  await toast.waitFor({ timeout: 30_000 });
  // The answer has started and the server went quiet (the stall fault after 6 tokens).
  await wb.until('the answer to start streaming', () =>
    sim.requests.some((r) => r.path.endsWith('/chat/completions') && !r.done && r.contentChunks >= 6),
  );
  await page.waitForTimeout(800); // let the notification finish sliding in, for the screenshot
  ui.log(`progress notification: ${(await toast.innerText()).replace(/\s+/g, ' ').trim()}`);
  await ui.shot('05-cancel-progress');
  const closed = sim.waitForClose(undefined, 15_000).then(() => undefined, (e) => e);
  await toast.getByRole('button', { name: 'Cancel' }).click();
  const err = await closed;
  if (err) throw new Error(`the simulator never saw the connection close: ${err.message}`);
  ui.log('the simulator saw the connection close');
  await toast.waitFor({ state: 'detached', timeout: 10_000 });
  await page.waitForTimeout(500);
  ui.log(`notifications after cancel: ${JSON.stringify(await wb.toastTexts(page))}`);
  await wb.until('the summary marked as partial', async () => /Partial summary: stopped by you/.test(await summaryText(page)), 10_000);
  await ui.shot('05-cancelled');
}
