// A researcher's Zotero library (built by the test with Zotero's schema, beside the workspace;
// the UI run's machine and user settings point medgemma.papers.zoteroFolder at it): Papers view
// "…" menu -> "Attach from Zotero…" -> the picker lists the whole library, the collections and
// the items with Zotero's authors, years and journals -> tick one collection -> its paper is
// indexed and shows in the Papers view under Zotero's metadata. Run again on the whole library:
// only the new item is indexed. Then Ask Papers, and Export Cited Sources copies the BibTeX.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/codeserver.mjs';
import { summaryText } from './summary.mjs';

export const name = 'Attach from Zotero: pick a collection, only new items on a re-run, export the cited sources';

const PDFS = join(ROOT, 'test', 'fixtures', 'pdfs');

export async function run(ui) {
  const { page, wb } = ui;
  const { tsImport } = await import('tsx/esm/api');
  const { makeZoteroLibrary } = await tsImport('../zotero-library.ts', import.meta.url);
  const dataDir = `${ui.folder}-zotero`;
  rmSync(dataDir, { recursive: true, force: true });
  await makeZoteroLibrary(
    dataDir,
    [
      { key: 'TULLY001', title: 'Structured heart failure programmes in primary care', creators: [['Mark', 'Tully'], ['Jane', 'Doe']], date: '2010-05-00 May 2010', journal: 'Heart', doi: '10.1136/hrt.2010.1', collections: ['Cardiology'], pdfs: [{ key: 'ATTTULLY', from: join(PDFS, 'tully2010-heart-failure-programmes.pdf') }] },
      { key: 'DATTA001', title: 'Complications of deep vein thrombosis', creators: [['Sonia', 'Datta']], date: '2010', journal: 'Vascular', collections: ['Haematology'], pdfs: [{ key: 'ATTDATTA', from: join(PDFS, 'datta2010-dvt-complications-review.pdf') }] },
    ],
    ['Cardiology', 'Haematology'],
  );

  await wb.runCommand(page, 'MedGemma: Attach from Zotero…');
  const rows = page.locator(wb.sel.quickRow);
  await rows.filter({ hasText: 'Whole library' }).first().waitFor({ timeout: 30_000 });
  const offered = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  ui.log(`picker: ${offered.join(' | ')}`);
  for (const want of [/Whole library ?2 items with PDFs/, /Cardiology ?1 item with PDFs/, /Structured heart failure programmes in primary care ?Tully et al\. 2010 · Heart/]) {
    if (!offered.some((t) => want.test(t))) throw new Error(`the picker has no row like ${want}: ${offered.join(' | ')}`);
  }
  await rows.filter({ hasText: 'Cardiology' }).first().click();
  await ui.shot('36-zotero-picker');
  await page.keyboard.press('Enter');

  // (An earlier scenario's confirmation may still be showing: wait for this one.)
  const confirmed = await wb.statusItem(page, /Paper attached: Tully et al\. 2010/).innerText({ timeout: 60_000 });
  ui.log(`status bar: "${confirmed.trim()}"`);
  if (!/Paper attached: Tully et al\. 2010, 6 pages/.test(confirmed)) throw new Error(`the attach confirmation is "${confirmed}"`);
  await wb.runCommand(page, 'MedGemma: Focus on Papers View');
  const paper = page.locator('.pane', { hasText: 'Papers' }).locator('.monaco-list-row', { hasText: 'Tully et al. 2010' }).first();
  await paper.waitFor({ timeout: 30_000 });
  ui.log(`Papers view: "${(await paper.innerText()).replace(/\s+/g, ' ').trim()}"`);
  await ui.shot('36-zotero-papers-view');

  // Again, the whole library: Tully is unchanged, only Datta is read.
  await wb.runCommand(page, 'MedGemma: Attach from Zotero…');
  await rows.filter({ hasText: 'Whole library' }).first().waitFor({ timeout: 30_000 });
  await rows.filter({ hasText: 'Whole library' }).first().click();
  await page.keyboard.press('Enter');
  const again = await wb.statusItem(page, /Zotero: 1 indexed, 1 unchanged/).innerText({ timeout: 60_000 });
  ui.log(`status bar: "${again.trim()}"`);

  // Ask, then export what the answer cites.
  await wb.runCommand(page, 'MedGemma: Ask Papers');
  const input = page.locator(wb.sel.quickInputBox);
  await wb.until('the question box', async () => /^Ask a question about the attached papers/.test((await input.getAttribute('placeholder')) ?? ''), 10_000);
  // "primary care" is in Zotero's title only: UI 09 attached the same PDF under its own title, and
  // the Zotero copy must rank first whatever ran before.
  await input.fill('What did participants in primary care think of GP services?');
  await page.keyboard.press('Enter');
  await wb.until('the answer with its sources', async () => /Sources/.test(await summaryText(page).catch(() => '')), 60_000);
  await wb.runCommand(page, 'MedGemma: Export Cited Sources…');
  await rows.filter({ hasText: 'BibTeX' }).first().click({ timeout: 15_000 });
  await rows.filter({ hasText: 'Copy' }).first().click({ timeout: 15_000 });
  const copied = await wb.statusItem(page, /BibTeX of \d+ sources? copied/).innerText({ timeout: 15_000 });
  ui.log(`status bar: "${copied.trim()}"`);
  // What VS Code wrote to the clipboard, read back in the page (permission granted for this origin).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  const bib = await page.evaluate('navigator.clipboard.readText()');
  ui.log(`clipboard: ${bib.split('\n')[0]}`);
  if (!/^@article\{tully2010structured,\n {2}title = \{Structured heart failure programmes in primary care\},\n {2}author = \{Tully, Mark and Doe, Jane\}/.test(bib)) throw new Error(`the copied BibTeX is not Zotero's: ${bib.slice(0, 200)}`);
  await ui.shot('36-zotero-answer');
  await wb.closeAllEditors(page);
}
