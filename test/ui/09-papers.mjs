// Attach a paper from the Explorer's context menu (the status bar confirms it), see it in the
// Papers view, ask a question with the note open (the answer opens beside it; the simulator
// cites [S1]…), Ctrl/Cmd+click a citation: the viewer opens at that page with the passage
// highlighted, over the note rather than in a third column, its page as wide as the column
// (also after the column grows). Then the same from the chat: "/papers <question>", click a
// citation in the answer, the viewer opens at that page.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/codeserver.mjs';
import { answerDone, ask, lastAnswer, newChat, openChat } from './chat.mjs';
import { summaryGroup, summaryText } from './summary.mjs';

export const name = 'attach a paper, ask it, open the cited page';

const PAPER = 'tully2010-heart-failure-programmes.pdf';
const SOURCE = join(ROOT, 'test', 'fixtures', 'pdfs', PAPER);

export function skip() {
  return existsSync(SOURCE) ? undefined : `${SOURCE} is absent`;
}

export async function run(ui) {
  const { page, wb } = ui;
  copyFileSync(SOURCE, join(ui.folder, PAPER));
  await wb.refreshExplorer(page); // the newest Explorer can miss a file written from outside

  // Explorer -> right-click the PDF -> "MedGemma: Attach to Papers".
  await wb.explorerContextCommand(page, PAPER, /MedGemma: Attach to Papers/);
  const confirmed = await wb.statusItem(page, /Paper attached:/).innerText({ timeout: 60_000 });
  ui.log(`status bar: "${confirmed.trim()}"`);
  if (!/Paper attached: Tully 2010, 6 pages/.test(confirmed)) throw new Error(`the attach confirmation is "${confirmed}"`);

  // The Papers view lists it as "Tully 2010" with its title and pages.
  await wb.runCommand(page, 'MedGemma: Focus on Papers View');
  const paper = page.locator('.pane', { hasText: 'Papers' }).locator('.monaco-list-row', { hasText: 'Tully 2010' }).first();
  await paper.waitFor({ timeout: 60_000 });
  ui.log(`Papers view: "${(await paper.innerText()).replace(/\s+/g, ' ').trim()}"`);
  await ui.shot('09-papers-view');

  // Ask, with the note open in the first column.
  await wb.openFile(page, 'note.txt');
  await wb.runCommand(page, 'MedGemma: Ask Papers');
  const input = page.locator(wb.sel.quickInputBox);
  await input.waitFor({ state: 'visible' });
  // (The palette's box turns into the question's.)
  const placeholder = await wb.until('the question box', async () => {
    const p = (await input.getAttribute('placeholder')) ?? '';
    return /^Ask a question about the attached papers/.test(p) && p;
  }, 10_000).catch(async (e) => {
    throw new Error(`${e.message}: its placeholder is "${await input.getAttribute('placeholder')}"`);
  });
  ui.log(`question box placeholder: "${placeholder}"`);
  await ui.shot('09-papers-question');
  await input.fill('What did participants think of GP services?');
  await page.keyboard.press('Enter');
  await wb.until('the answer with its sources', async () => {
    const t = await summaryText(page).catch(() => '');
    return /Sources/.test(t) && /Tully 2010, pp?\. \d/.test(t) && t;
  }, 60_000);
  await ui.shot('09-papers-answer');

  // Ctrl/Cmd+click the first citation link in the answer.
  await summaryGroup(page).locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  // (The editor renders spaces as &nbsp;: \s matches both.)
  const link = summaryGroup(page).locator('.detected-link').filter({ hasText: /^Tully\s2010,\spp?\.\s\d/ }).first();
  await link.waitFor({ timeout: 15_000 });
  const box = await link.boundingBox();
  await wb.modClick(page, box.x + 5, box.y + box.height / 2);

  const { frame: viewer, value: status } = await wb.inSomeFrame(page, 'the viewer to show the cited page, highlighted', async (f) => {
    const s = await f.locator('#status').innerText({ timeout: 1000 });
    return /Page \d+ of 6 · cited passage highlighted/.test(s) && s;
  }, 45_000);
  const marks = await viewer.locator('.hl').count();
  ui.log(`viewer: "${status}", ${marks} highlighted text runs`);
  if (!marks) throw new Error('no highlight drawn');
  // Over the note, in the first of two columns: no third, narrow one.
  const groups = await page.locator('.editor-group-container').count();
  const viewerGroup = await page.locator('.editor-group-container').first().locator('.tab', { hasText: 'Patient Experiences' }).count();
  if (groups !== 2 || !viewerGroup) throw new Error(`the viewer is not in the first of two columns (${groups} columns)`);
  const fits = () => viewer.evaluate(() => {
    const p = document.querySelector('.page')?.getBoundingClientRect();
    return { page: Math.round(p?.width ?? 0), panel: document.documentElement.clientWidth };
  });
  const narrow = await fits();
  ui.log(`viewer page ${narrow.page} px wide in a ${narrow.panel} px panel`);
  if (narrow.page < narrow.panel - 60 || narrow.page > narrow.panel) throw new Error(`the page does not fit the panel's width: ${JSON.stringify(narrow)}`);
  await page.waitForTimeout(500);
  await ui.shot('09-papers-viewer');
  // The column grows (side bar hidden): the page follows, the passage stays highlighted.
  await wb.runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  const wide = await wb.until('the page to follow the wider column', async () => {
    const f = await fits();
    return f.panel > narrow.panel && f.page >= f.panel - 60 && f.page <= f.panel && (await viewer.locator('.hl').count()) > 0 && f;
  }, 15_000);
  ui.log(`after the side bar closed: page ${wide.page} px wide in a ${wide.panel} px panel`);
  await ui.shot('09-papers-viewer-wider');
  await wb.runCommand(page, 'View: Toggle Primary Side Bar Visibility');

  // The same question from the chat: its citations are links that open the page.
  const viewerTab = page.locator('.tab', { hasText: 'Patient Experiences' });
  await viewerTab.hover();
  await viewerTab.locator('.tab-actions .action-label').click();
  await wb.until('the viewer to close', async () => !(await page.locator('.tab', { hasText: 'Patient Experiences' }).count()), 10_000);
  const chat = await openChat(ui);
  await newChat(ui, chat);
  await ask(chat, '/papers What did participants think of GP services?');
  await answerDone(chat);
  const cite = lastAnswer(chat).locator('a', { hasText: /Tully 2010, pp?\. \d/ }).first();
  await cite.waitFor({ timeout: 15_000 });
  ui.log(`chat citation: "${await cite.innerText()}"`);
  await ui.shot('09-papers-chat-answer');
  await cite.click();
  const { value: fromChat } = await wb.inSomeFrame(page, 'the viewer opened from the chat citation', async (f) => {
    const s = await f.locator('#status').innerText({ timeout: 1000 });
    return /Page \d+ of 6 · cited passage highlighted/.test(s) && s;
  }, 45_000);
  ui.log(`viewer from the chat: "${fromChat}"`);
  await ui.shot('09-papers-viewer-from-chat');
}
