// The status bar tells which server and model summaries go to.
export const name = 'status bar shows the model and the server';

export async function run(ui) {
  const { page, wb, sim, model } = ui;
  const item = wb.statusItem(page, model);
  await item.waitFor({ timeout: 60_000 });
  ui.log(`status bar: "${(await item.innerText()).trim()}"`);
  await item.hover();
  const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: sim.baseUrl.replace(/\/v1$/, '') }).first();
  await hover.waitFor({ timeout: 10_000 });
  ui.log(`tooltip: ${(await hover.innerText()).replace(/\s+/g, ' ').trim()}`);
  await ui.shot('01-status-bar');
}
