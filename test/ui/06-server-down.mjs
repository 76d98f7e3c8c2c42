// The server is not running -> a notification says so and what to do.
export const name = 'server unreachable: a clear notification';

const UNREACHABLE_RE = /(can(no|')t|could not|couldn't|unable to) (be )?(reach|connect)|not reachable|unreachable|not running|no answer/i;

export async function run(ui) {
  const { page, wb } = ui;
  await ui.stopSim();
  await wb.openFile(page, 'note.txt');
  await wb.runCommand(page, 'MedGemma: Summarize Note');
  const toast = page.locator(wb.sel.toast).filter({ hasText: UNREACHABLE_RE }).first();
  try {
    await toast.waitFor({ timeout: 60_000 });
  } finally {
    ui.log(`notifications: ${JSON.stringify(await wb.toastTexts(page))}`);
  }
  const buttons = await toast.locator('.monaco-button').allInnerTexts();
  ui.log(`actions offered: ${JSON.stringify(buttons)}`);
  if (!buttons.some((b) => /check server|settings/i.test(b))) throw new Error(`no "Check Server" or "Open Settings" action: ${buttons}`);
  await ui.shot('06-server-down');
}
