// First run with no server answering: the Papers view offers "Attach a PDF…" and says the
// server does not answer, with the fixes (Check Server, Set Server Address, Open Walkthrough);
// the chat (a webview, so no viewsWelcome) shows the same state inline with a Get Started
// button; the Server view's buttons are not cut off. Once the server answers, the offline
// message goes.
import { openChat } from './chat.mjs';

export const name = 'first run, server down: welcome views and the chat offer the fixes';

const pane = (page, title) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}\\b`, 'i') }) }).first();

/** Papers left by earlier scenarios hide the welcome content: remove them from the view. */
async function removeAllPapers(ui, papers) {
  const rows = papers.locator('.monaco-list-row');
  for (let n = await rows.count(); n > 0; n = await rows.count()) {
    await rows.first().hover();
    await rows.first().locator('.action-label[aria-label^="Remove Paper"]').click();
    await ui.wb.until('the paper to leave the view', async () => (await rows.count()) < n, 10_000);
  }
}

/** The buttons lie inside the pane as it opens (none cut off); `scroll`: after scrolling to them. */
async function assertButtonsVisible(welcome, paneBox, labels, { scroll = false } = {}) {
  for (const label of labels) {
    const b = welcome.getByRole('button', { name: label, exact: true });
    await b.waitFor({ timeout: 10_000 });
    if (scroll) await b.scrollIntoViewIfNeeded();
    const box = await b.boundingBox();
    if (!box || box.y < paneBox.y || box.y + box.height > paneBox.y + paneBox.height + 1) {
      throw new Error(`the "${label}" button is cut off: ${JSON.stringify(box)} outside ${JSON.stringify(paneBox)}`);
    }
    // Sideways too, at the default side bar width: inside the pane, its label not shortened.
    const clipped = await b.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    if (box.x < paneBox.x || box.x + box.width > paneBox.x + paneBox.width + 1 || clipped) {
      throw new Error(`the "${label}" button is cut off sideways: ${JSON.stringify(box)} in ${JSON.stringify(paneBox)}${clipped ? ', its label is clipped' : ''}`);
    }
  }
}

export async function run(ui) {
  const { page, wb } = ui;
  await ui.stopSim();
  // The failed check refreshes the status: medgemma.serverOffline turns true.
  await wb.runCommand(page, 'MedGemma: Check Server');
  await wb.waitForToast(page, /Cannot reach/i, 60_000);
  await wb.clearNotifications(page);

  await wb.runCommand(page, 'MedGemma: Focus on Papers View');
  const papers = pane(page, 'Papers');
  await papers.waitFor();
  await removeAllPapers(ui, papers);
  const welcome = papers.locator('.welcome-view-content');
  await welcome.filter({ hasText: 'No MedGemma server answers' }).waitFor({ timeout: 30_000 });
  if (!/right-click a PDF in the Explorer/.test(await welcome.innerText())) throw new Error('the Papers welcome does not mention the Explorer context menu');

  // The Server view, expanded: its buttons fit.
  await wb.runCommand(page, 'MedGemma: Focus on Server View');
  const server = pane(page, 'Server');
  const serverWelcome = server.locator('.welcome-view-content');
  await serverWelcome.waitFor();
  await ui.shot('24-first-run-offline-views');
  await assertButtonsVisible(serverWelcome, await server.boundingBox(), ['Check Server', 'Summarize Note']);
  await assertButtonsVisible(welcome, await papers.boundingBox(), ['Attach a PDF…']);
  await assertButtonsVisible(welcome, await papers.boundingBox(), ['Check Server', 'Set Server Address', 'Open Walkthrough'], { scroll: true });

  // The chat shows the offline state inline, with Get Started beside the fixes.
  const frame = await openChat(ui);
  const banner = frame.locator('.error-banner', { hasText: /reach|connect/i });
  await banner.waitFor({ timeout: 60_000 });
  const buttons = await banner.locator('button').allInnerTexts();
  ui.log(`chat offline actions: ${buttons.join(', ')}`);
  if (!buttons.includes('Get Started')) throw new Error(`no Get Started in the chat's offline message: ${buttons}`);
  await ui.shot('24-first-run-offline-chat');
  await banner.getByRole('button', { name: 'Get Started' }).click();
  const walkthrough = page.locator('.gettingStartedContainer', { hasText: 'Get started with MedGemma' }).first();
  await walkthrough.waitFor({ timeout: 30_000 });

  // The server answers again (checked from the walkthrough): the Papers view's offline
  // message goes, the attach message stays.
  await ui.sim.restart();
  ui.simRunning = true;
  const check = walkthrough.locator('.getting-started-step[data-step-id$="#checkServer"]');
  await check.click();
  await check.getByRole('button', { name: 'Check Server', exact: true }).click();
  await wb.waitForToast(page, /MedGemma server OK/, 60_000);
  await wb.until('the offline message to leave the Papers view', async () => {
    const t = await welcome.innerText().catch(() => '');
    return /No paper attached/.test(t) && !/No MedGemma server answers/.test(t);
  }, 30_000);
  await ui.shot('24-first-run-online-papers');
}
