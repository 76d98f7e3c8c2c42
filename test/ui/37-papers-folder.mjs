// A folder of papers, attached from the Explorer's context menu on the folder: the progress
// notification counts the papers done ("3 of 24 done") with a bar; Cancel stops it, and the
// papers finished so far stay attached; attaching the folder again goes on where it stopped
// and ends with all 24 in the Papers view.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/codeserver.mjs';

export const name = 'attach a folder of papers, cancel part-way, attach it again';

const PDFS = join(ROOT, 'test', 'fixtures', 'pdfs');
const COPIES = 6;

export async function run(ui) {
  const { page, wb } = ui;
  // 24 different files (each copy ends with its own comment, so no extraction is reused).
  const folder = join(ui.folder, 'library');
  mkdirSync(folder, { recursive: true });
  const papers = readdirSync(PDFS).filter((f) => f.endsWith('.pdf'));
  for (const f of papers) for (let i = 1; i <= COPIES; i++) writeFileSync(join(folder, `${i}-${f}`), Buffer.concat([readFileSync(join(PDFS, f)), Buffer.from(`\n% copy ${i}\n`)]));
  const total = papers.length * COPIES;
  await wb.refreshExplorer(page);

  await wb.explorerContextCommand(page, 'library', /MedGemma: Attach to Papers/);
  const toast = page.locator(wb.sel.toast).filter({ hasText: 'indexing papers' }).first();
  await toast.waitFor({ timeout: 60_000 });
  const counted = await wb.until('a paper counted as done', async () => {
    const t = (await toast.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
    return new RegExp(`\\(([1-9]\\d*) of ${total} done\\)`).test(t) && t;
  }, 60_000, 100);
  ui.log(`progress notification: "${counted}"`);
  await ui.shot('37-papers-folder-progress');
  const bar = await toast.locator('.monaco-progress-container').first().getAttribute('class').catch(() => '');
  ui.log(`progress bar: "${bar}"`);
  if (/infinite/.test(bar ?? '')) throw new Error(`the progress bar is indeterminate although papers are counted: ${bar}`);

  await toast.getByRole('button', { name: 'Cancel' }).click();
  const stopped = await wb.waitForToast(page, /Indexing stopped: \d+ of 24 papers were processed/, 30_000);
  const stoppedText = (await stopped.innerText()).replace(/\s+/g, ' ').trim();
  ui.log(`after cancel: "${stoppedText}"`);
  const done = Number(/Indexing stopped: (\d+) of/.exec(stoppedText)[1]);
  if (done >= total) throw new Error(`the cancel came after every paper was done (${done}): nothing was stopped`);
  await ui.shot('37-papers-folder-stopped');
  await wb.clearNotifications(page);

  // Again: the papers done are skipped, the rest indexed; the status bar names all of them.
  await wb.explorerContextCommand(page, 'library', /MedGemma: Attach to Papers/);
  const confirmed = await wb.statusItem(page, new RegExp(`Paper attached: ${total} papers`)).innerText({ timeout: 180_000 });
  ui.log(`status bar: "${confirmed.trim()}"`);
  if (!new RegExp(`Paper attached: ${total} papers`).test(confirmed)) throw new Error(`the attach confirmation is "${confirmed}"`);
  await wb.runCommand(page, 'MedGemma: Focus on Papers View');
  const rows = page.locator('.pane', { hasText: 'Papers' }).locator('.monaco-list-row');
  await rows.first().waitFor({ timeout: 30_000 });
  await ui.shot('37-papers-folder-all');
  ui.log(`Papers view rows shown: ${await rows.count()}`);
}
