// Explorer -> right-click a folder of notes -> "MedGemma: Summarize Folder…": the output folder
// is offered beside the notes, a progress notification counts the notes, the closing message
// offers Show Failures, which opens index.md at its failures; the Markdown preview of the index
// shows a hostile file name as text (no live link, no image) and links only to the summaries.
// A second run skips every finished note and says so.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'summarize folder: Explorer menu, progress, index.md with failures, resume';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'notes');
const FOLDER = 'clinic-notes';
// A file name is outside input: it must reach the index as text.
const HOSTILE = '[open me](command:workbench.action.quit) <img src=x onerror=alert(1)>.txt';

function makeNotes(root) {
  const dir = join(root, FOLDER);
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}-summaries`, { recursive: true, force: true });
  mkdirSync(join(dir, 'ward'), { recursive: true });
  for (const n of ['ed-chest-pain.txt', 'radiology-cxr-report.txt']) copyFileSync(join(FIXTURES, n), join(dir, n));
  copyFileSync(join(FIXTURES, 'pathology-report.txt'), join(dir, 'ward', 'pathology-report.txt'));
  writeFileSync(join(dir, HOSTILE), 'Follow-up: wound healing well.\nNo fever. Sutures removed.\n');
  writeFileSync(join(dir, 'empty.txt'), '\n');
  return dir;
}

export async function run(ui) {
  const { page, wb, sim } = ui;
  const dir = makeNotes(ui.folder);
  const out = `${dir}-summaries`;
  const chats = () => sim.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
  const before = chats();
  try {
    await wb.refreshExplorer(page);
    await wb.explorerContextCommand(page, FOLDER, 'MedGemma: Summarize Folder…');

    // Where the summaries go: beside the notes, new.
    const offered = page.locator(wb.sel.quickRow).filter({ hasText: `${FOLDER}-summaries` }).first();
    await offered.waitFor({ timeout: 20_000 });
    const rowText = (await offered.innerText()).replace(/\s+/g, ' ');
    ui.log(`output folder offered: ${rowText}`);
    if (!/beside clinic-notes · new folder/.test(rowText)) throw new Error(`the output folder row does not say where it is: ${rowText}`);
    await ui.shot('32-output-folder');
    await offered.click();

    // The progress notification names the folder and counts.
    const toast = await wb.until('the progress notification', async () => {
      const t = (await wb.toastTexts(page)).find((x) => /summarizing 5 notes in clinic-notes/.test(x));
      return t;
    }, 20_000);
    ui.log(`progress: ${toast.replace(/\s+/g, ' ').slice(0, 160)}`);
    await ui.shot('32-progress');

    const end = await wb.until('the closing message', async () => (await wb.toastTexts(page)).find((x) => /Summarized \d+ of 5 notes/.test(x)), 120_000);
    ui.log(`closing message: ${end.replace(/\s+/g, ' ')}`);
    if (!/Summarized 4 of 5 notes \(1 failed\)\. The summaries and index\.md are in clinic-notes-summaries\./.test(end)) throw new Error(`unexpected closing message: ${end}`);
    if (chats() - before !== 4) throw new Error(`${chats() - before} requests for 4 notes with text`);
    await page.locator('.notifications-toasts .monaco-button', { hasText: 'Show Failures' }).first().click();

    // index.md opens with its Failures list at the cursor.
    await page.locator('.tab', { hasText: 'index.md' }).first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    const shown = await wb.activeEditorText(page);
    if (!shown.includes('## Failures')) throw new Error(`index.md is not shown at its failures: ${shown.slice(0, 300)}`);
    await ui.shot('32-index-failures');

    const index = readFileSync(join(out, 'index.md'), 'utf8');
    for (const f of ['ed-chest-pain.txt', 'radiology-cxr-report.txt', 'ward/pathology-report.txt']) {
      if (!existsSync(join(out, `${f}.summary.md`))) throw new Error(`no summary file for ${f}`);
    }
    if (!existsSync(join(out, `${HOSTILE}.summary.md`))) throw new Error('no summary file for the note with the hostile name');
    const hostileRow = index.split('\n').find((l) => l.includes('open me')) ?? '';
    ui.log(`index row of the hostile name: ${hostileRow}`);
    if (/(?<!\\)\]\(command:/.test(index) || /(?<!\\)<img/.test(index)) throw new Error(`the hostile file name reached index.md as markup: ${hostileRow}`);

    // The preview: the hostile name is text; the only links are the summaries, relative.
    await wb.runCommand(page, 'Markdown: Open Preview to the Side');
    const { value: preview } = await wb.inSomeFrame(page, 'the Markdown preview of index.md', async (f) => {
      if (f === page.mainFrame()) return undefined; // the workbench shows index.md's text too
      if (!/MedGemma summaries: clinic-notes/.test(await f.locator('h1').first().innerText({ timeout: 1000 }))) return undefined;
      const body = await f.locator('body').innerText({ timeout: 1000 });
      const hrefs = await f.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      const images = await f.locator('img').count();
      return { body, hrefs, images };
    }, 30_000);
    ui.log(`preview links: ${JSON.stringify(preview.hrefs)}`);
    if (!preview.body.includes('[open me](command:workbench.action.quit)')) throw new Error('the hostile file name is not shown as written');
    if (preview.images) throw new Error(`the preview shows ${preview.images} image(s)`);
    const foreign = preview.hrefs.filter((h) => !/^\.\/[^:]*$/.test(h) && !/^#/.test(h) && !/^(vscode-resource|https:\/\/file\+)/.test(h));
    if (foreign.length) throw new Error(`links that are not our relative summary links: ${JSON.stringify(foreign)}`);
    if (preview.hrefs.filter((h) => h.endsWith('.summary.md')).length !== 4) throw new Error(`expected 4 summary links, got ${JSON.stringify(preview.hrefs)}`);
    await ui.shot('32-index-preview');
    await wb.closeAllEditors(page);
    await wb.clearNotifications(page);

    // Again: the folder used last time is offered first, with its results; nothing is sent again.
    await wb.explorerContextCommand(page, FOLDER, 'MedGemma: Summarize Folder…');
    const again = page.locator(wb.sel.quickRow).filter({ hasText: 'used last time' }).first();
    await again.waitFor({ timeout: 20_000 });
    const againText = (await again.innerText()).replace(/\s+/g, ' ');
    if (!/has results from an earlier run: finished notes are skipped/.test(againText)) throw new Error(`the second run does not offer the folder with its results: ${againText}`);
    await again.click();
    const second = await wb.until('the second closing message', async () => (await wb.toastTexts(page)).find((x) => /Summarized \d+ of 5 notes/.test(x)), 60_000);
    ui.log(`second run: ${second.replace(/\s+/g, ' ')}`);
    if (!/4 of them were done in an earlier run/.test(second)) throw new Error(`the second run does not say it skipped the finished notes: ${second}`);
    if (chats() - before !== 4) throw new Error('a finished note was sent again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}
