// The README's pictures, taken the way a new user meets each feature, with the simulator in
// its demo mode (short cited summaries, an honest "simulated answer" in the chat): a summary
// with a cited line opened, the chat, a papers answer with the cited page, a region question in
// the annotator, the walkthrough done. Each picture is checked for what it must show, saved as
// test-results/ui/readme-*.jpg, and copied to docs/images/ by `run-ui.mjs --update-docs`.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/codeserver.mjs';
import { noteText } from '../e2e/workspace.mjs';
import { answerDone, ask, lastAnswer, newChat, openChat } from './chat.mjs';
import { drawBox, serveVision } from './08-image-annotator.mjs';
import { CITED_STATEMENT_RE, summaryGroup, waitForSummary } from './summary.mjs';

export const name = 'README pictures: each feature with the demo simulator';
/** Not part of every UI run: `npm run docs:images` runs it after the scenarios whose state it shows. */
export const onlyWhenNamed = true;

// Its own copies: earlier scenarios edit the workspace's note and detach papers.
const NOTE = 'clinic-note.txt';
const PAPER = 'tully2010-heart-failure-programmes.pdf';

/** Ctrl/Cmd+clicks the first editor link in the summary group whose text matches. */
async function followLink(ui, text) {
  const { page, wb } = ui;
  const link = summaryGroup(page).locator('.detected-link').filter({ hasText: text }).first();
  await link.waitFor({ timeout: 15_000 });
  const box = await link.boundingBox();
  await wb.modClick(page, box.x + 3, box.y + box.height / 2);
}

async function summaryPicture(ui) {
  const { page, wb } = ui;
  writeFileSync(join(ui.folder, NOTE), noteText());
  await (await wb.explorerRow(page, NOTE)).click();
  await page.locator(wb.sel.activeTab, { hasText: NOTE }).waitFor();
  await wb.runCommand(page, 'MedGemma: Summarize Note');
  const text = await waitForSummary(ui);
  if (!CITED_STATEMENT_RE.test(text)) throw new Error(`the demo summary has no cited statement: ${text.slice(0, 300)}`);
  if (/Partial summary/.test(text)) throw new Error('the demo summary was cut short');
  await summaryGroup(page).locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await followLink(ui, /^L\d+/);
  // The note's cited lines are selected and highlighted beside the summary.
  await wb.until('the note at the cited line', async () => /^Ln \d+,/.test(await wb.cursorStatus(page)), 15_000);
  const active = (await page.locator(wb.sel.activeTab).first().textContent()) ?? '';
  if (!active.includes(NOTE)) throw new Error(`the citation opened "${active.trim()}", not the note`);
  await page.waitForTimeout(400);
  await ui.shot('readme-summary', { jpeg: true });
}

async function chatPicture(ui) {
  const frame = await openChat(ui);
  await newChat(ui, frame);
  await ask(frame, 'Which of her medicines need a dose check with eGFR 52?');
  await answerDone(frame);
  const answer = await lastAnswer(frame).innerText();
  if (!/Simulated answer/.test(answer)) throw new Error(`the demo chat answer does not say it is simulated: ${answer.slice(0, 200)}`);
  await ui.shot('readme-chat', { jpeg: true });
}

async function papersPicture(ui) {
  const { page, wb } = ui;
  copyFileSync(join(ROOT, 'test', 'fixtures', 'pdfs', PAPER), join(ui.folder, PAPER));
  await wb.explorerContextCommand(page, PAPER, /MedGemma: Attach to Papers/);
  await wb.runCommand(page, 'MedGemma: Focus on Papers View');
  await page.locator('.pane', { hasText: 'Papers' }).locator('.monaco-list-row', { hasText: 'Tully 2010' }).first().waitFor({ timeout: 60_000 });
  const frame = await openChat(ui);
  await newChat(ui, frame);
  await ask(frame, '/papers What did participants think of GP services?');
  await answerDone(frame);
  const cite = lastAnswer(frame).locator('a', { hasText: /Tully 2010, pp?\. \d/ }).first();
  await cite.waitFor({ timeout: 15_000 });
  await cite.click();
  await wb.inSomeFrame(page, 'the viewer at the cited page, highlighted', async (f) => /cited passage highlighted/.test(await f.locator('#status').innerText({ timeout: 1000 })), 45_000);
  await page.waitForTimeout(500);
  await ui.shot('readme-papers', { jpeg: true });
}

async function annotatorPicture(ui) {
  const { page, wb } = ui;
  serveVision(ui);
  await wb.closeAllEditors(page);
  await wb.runCommand(page, 'MedGemma: Open Sample Image');
  // The chat's webview is open too: find the annotator's frame by what it shows.
  const { frame: p } = await wb.inSomeFrame(page, 'the annotator with the sample radiograph', async (f) => (await f.locator('body[data-ready="true"] #tool-rect').count()) > 0);
  await drawBox(page, p, 0.52, 0.3, 140, 130);
  await p.locator('#label-input').fill('right upper zone');
  await p.locator('#ask').click();
  const answer = p.locator('#detail .answer-text').last();
  await wb.until('the demo answer about the region', async () => /Simulated answer/.test(await answer.innerText().catch(() => '')), 60_000);
  await ui.shot('readme-annotator', { jpeg: true });
}

async function walkthroughPicture(ui) {
  const { page, wb } = ui;
  await wb.closeAllEditors(page);
  await wb.runCommand(page, 'MedGemma: Get Started');
  await page.locator('.gettingStartedContainer', { hasText: 'Get started with MedGemma' }).first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
  await ui.shot('readme-walkthrough', { jpeg: true });
}

export async function run(ui) {
  ui.sim.setOptions({ demo: true, tokensPerSecond: 400 });
  try {
    await summaryPicture(ui);
    await chatPicture(ui);
    await papersPicture(ui);
    await annotatorPicture(ui);
    await walkthroughPicture(ui);
  } finally {
    ui.sim.setOptions({ demo: false, tokensPerSecond: 150 });
  }
}
