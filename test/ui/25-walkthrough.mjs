// "MedGemma: Get Started" opens the walkthrough; each step is ticked by the real event: a
// successful Check Server, a finished summary of the bundled sample note, the sample paper
// indexed, the sample radiograph open in the annotator.
import { waitForSummary } from './summary.mjs';

export const name = 'the Get Started walkthrough, step by step against the simulator';

const step = (page, id) => page.locator(`.getting-started-step[data-step-id$="#${id}"]`).first();
const ticked = async (page, id) => (await step(page, id).getAttribute('aria-checked')) === 'true';

async function openWalkthrough(ui) {
  const { page, wb } = ui;
  await wb.runCommand(page, 'MedGemma: Get Started');
  await page.locator('.gettingStartedContainer', { hasText: 'Get started with MedGemma' }).first().waitFor({ timeout: 30_000 });
}

/** Expands the step (its title) and clicks one of its buttons. */
async function clickButton(ui, id, label) {
  const { page } = ui;
  const s = step(page, id);
  await s.waitFor();
  if ((await s.getAttribute('aria-expanded')) !== 'true') await s.click();
  const button = s.getByRole('button', { name: label, exact: true });
  await button.waitFor({ state: 'visible', timeout: 10_000 });
  await button.click();
}

async function expectTicked(ui, id, what) {
  await ui.wb.until(`the "${id}" step to be ticked after ${what}`, () => ticked(ui.page, id), 30_000);
  ui.log(`step ${id}: ticked after ${what}`);
}

export async function run(ui) {
  const { page, wb } = ui;
  await openWalkthrough(ui);
  const ids = ['startServer', 'setAddress', 'setApiKey', 'checkServer', 'summarizeSample', 'attachPaper', 'openImage'];
  for (const id of ids) await step(page, id).waitFor({ timeout: 10_000 });
  const before = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await ticked(page, id)])));
  ui.log(`ticked at start: ${JSON.stringify(before)}`);
  await ui.shot('25-walkthrough-open');

  // The first step's button copies the vLLM command and says so.
  await clickButton(ui, 'startServer', 'Copy 4B Command');
  await page.locator('#workbench\\.parts\\.statusbar', { hasText: 'Copied: vllm serve google/medgemma-4b-it' }).waitFor({ timeout: 10_000 });

  // Check Server against a server that does not answer: the step must stay unticked.
  if (!before.checkServer) {
    await ui.stopSim();
    await clickButton(ui, 'checkServer', 'Check Server');
    await wb.waitForToast(page, /Cannot reach|reach the MedGemma server/i, 60_000);
    await page.waitForTimeout(1500); // a (wrong) tick would follow the message within this time
    if (await ticked(page, 'checkServer')) throw new Error('the Check Server step was ticked by a failed check');
    ui.log('a failed check left the Check Server step unticked');
    await wb.clearNotifications(page);
    await ui.sim.restart();
    ui.simRunning = true;
  }
  await clickButton(ui, 'checkServer', 'Check Server');
  await wb.waitForToast(page, /MedGemma server OK/, 60_000);
  await expectTicked(ui, 'checkServer', 'a successful check');
  // A working server means it was started, its address is right and the key (if any) works.
  for (const id of ['startServer', 'setAddress', 'setApiKey']) await expectTicked(ui, id, 'a successful check');
  await wb.clearNotifications(page);
  await ui.shot('25-walkthrough-checked');

  // The sample note opens (read-only) and is summarized beside it.
  const sent = ui.sim.requests.length;
  await clickButton(ui, 'summarizeSample', 'Summarize the Sample Note');
  await page.locator(wb.sel.activeTab, { hasText: 'sample-clinic-note.txt' }).first().waitFor({ timeout: 30_000 });
  await waitForSummary(ui);
  const asked = ui.sim.requests.slice(sent).filter((r) => r.path.endsWith('/chat/completions'));
  if (!asked.some((r) => JSON.stringify(r.body).includes('Community-acquired pneumonia'))) throw new Error('the summary was not made from the sample note');
  await ui.shot('25-walkthrough-summary');
  await openWalkthrough(ui);
  await expectTicked(ui, 'summarizeSample', 'the sample note was summarized');

  // The sample paper is indexed, and the status bar names it with its page count.
  await clickButton(ui, 'attachPaper', 'Attach Sample Paper');
  const attached = page.locator('#workbench\\.parts\\.statusbar', { hasText: /Paper attached: Datta.*4 pages/ });
  await attached.waitFor({ timeout: 60_000 });
  ui.log(`status bar: ${(await attached.innerText()).replace(/\s+/g, ' ').match(/Paper attached[^$]*?pages/)?.[0]}`);
  await expectTicked(ui, 'attachPaper', 'the sample paper was indexed');
  await ui.shot('25-walkthrough-paper');

  // The sample radiograph opens in the annotator.
  await clickButton(ui, 'openImage', 'Open Sample Image');
  await page.locator(wb.sel.activeTab, { hasText: 'nih-cxr14-00000001_000.png' }).first().waitFor({ timeout: 30_000 });
  await wb.inSomeFrame(page, 'the annotator to show the sample radiograph', async (f) => {
    if (await f.locator('#failed').count()) throw new Error(`the sample image did not open: ${await f.locator('#failed').innerText()}`);
    return (await f.locator('body[data-ready="true"] #view').count()) > 0;
  });
  await ui.shot('25-walkthrough-image');
  await openWalkthrough(ui);
  await expectTicked(ui, 'openImage', 'the sample image was opened');
  await ui.shot('25-walkthrough-done');
}
