// Attach from Zotero in the real extension host: the catalog read by the bundled worker thread
// (dist/zotero-worker.js, SQLite in WebAssembly), a collection picked, its PDFs indexed in the
// PDF worker under Zotero's metadata, a re-run that indexes nothing, a folder that is not
// Zotero's, and a workspace that tries to point the command at another library.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PaperRecord } from '../../src/core/papers/types';
import type { ZoteroOutcome } from '../../src/vscode/papers/zotero-command';
import { fixture, requireFixture } from '../fixtures';
import { makeZoteroLibrary } from '../zotero-library';
import { activate, setUserSettings, workspaceFolder } from './helpers';

const PDFS = fixture('pdfs');
const TULLY = path.join(PDFS, 'tully2010-heart-failure-programmes.pdf');
const DATTA = path.join(PDFS, 'datta2010-dvt-complications-review.pdf');

suite('Attach from Zotero', () => {
  let restore: () => Promise<void>;
  let dataDir: string;
  const window = vscode.window as unknown as Record<string, unknown>;
  const original = { showQuickPick: window.showQuickPick, showErrorMessage: window.showErrorMessage };
  let offered: vscode.QuickPickItem[] = [];
  const indexed = new Map<string, PaperRecord>();

  suiteSetup(async function () {
    requireFixture(this, TULLY);
    dataDir = await makeZoteroLibrary(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-host-zotero-')), 'Zotero'), [
      { key: 'TULLY001', title: 'Structured heart failure programmes', creators: [['Mark', 'Tully']], date: '2010-05-00 May 2010', journal: 'Heart', doi: '10.1136/hrt.2010.1', collections: ['Cardiology'], pdfs: [{ key: 'ATTTULLY', from: TULLY }] },
      { key: 'DATTA001', title: 'DVT complications', creators: [['S', 'Datta'], ['R', 'Other']], date: '2010', collections: ['Haematology'], pdfs: [{ key: 'ATTDATTA', from: DATTA }] },
    ], ['Cardiology', 'Haematology']);
    // The workspace's settings point at another library (test/e2e/workspace.mjs): a real one, which must not be read.
    // (VS Code drops a machine-scoped value from a workspace's settings: read the file itself.)
    const settings = JSON.parse(fs.readFileSync(path.join(workspaceFolder().uri.fsPath, '.vscode', 'settings.json'), 'utf8')) as Record<string, string>;
    const trap = settings['medgemma.papers.zoteroFolder'];
    assert.ok(trap, 'the test workspace sets a Zotero folder');
    await makeZoteroLibrary(trap, [{ key: 'TRAP0001', title: 'The workspace’s library', collections: ['Cardiology'], pdfs: [{ key: 'ATTTRAP1', from: DATTA }] }], ['Cardiology']);
    restore = await setUserSettings({ 'papers.zoteroFolder': dataDir });
    await activate();
  });

  suiteTeardown(async () => {
    Object.assign(window, original);
    await restore?.();
  });

  const pick = (label: RegExp) => {
    window.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
      offered = [...(await items)];
      return offered.filter((i) => label.test(i.label));
    };
  };

  test('a collection picked: its PDF indexed under Zotero’s title, authors, year, journal and DOI', async () => {
    pick(/Cardiology/);
    const out = (await vscode.commands.executeCommand('medgemma.attachFromZotero')) as ZoteroOutcome;
    assert.deepStrictEqual(
      offered.map((i) => [i.label, i.description ?? '']),
      [
        ['$(library) Whole library', '2 items with PDFs'],
        ['Collections', ''],
        ['$(folder) Cardiology', '1 item with PDFs'],
        ['$(folder) Haematology', '1 item with PDFs'],
        ['Items', ''],
        ['Structured heart failure programmes', 'Tully 2010 · Heart'],
        ['DVT complications', 'Datta et al. 2010'],
      ],
    );
    assert.strictEqual(out.records.length, 1);
    const [rec] = out.records;
    indexed.set('tully', rec);
    assert.strictEqual(rec.state, 'indexed', rec.reason);
    assert.strictEqual(rec.file, path.join(dataDir, 'storage', 'ATTTULLY', 'atttully.pdf'));
    assert.deepStrictEqual(
      { title: rec.meta?.title, authors: rec.meta?.authors, year: rec.meta?.year, journal: rec.meta?.journal, doi: rec.meta?.doi },
      { title: 'Structured heart failure programmes', authors: ['Tully, Mark'], year: 2010, journal: 'Heart', doi: '10.1136/hrt.2010.1' },
    );
    assert.strictEqual(rec.meta?.pages, 6, 'pages from the PDF');
  });

  test('the whole library again: only the new item is indexed', async () => {
    pick(/Whole library/);
    const out = (await vscode.commands.executeCommand('medgemma.attachFromZotero')) as ZoteroOutcome;
    assert.deepStrictEqual(out.records.map((r) => path.basename(r.file)), ['attdatta.pdf']);
    indexed.set('datta', out.records[0]);
    assert.strictEqual(out.unchanged, 1);
    assert.ok(!out.records.some((r) => /TRAP/.test(r.meta?.zotero?.key ?? '')), 'the workspace’s library was not read');
  });

  test('a folder without a Zotero database: the error says where to look, and offers to choose the folder', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-not-zotero-'));
    const back = await setUserSettings({ 'papers.zoteroFolder': empty });
    let shown: string[] = [];
    window.showErrorMessage = async (message: string, ...items: string[]) => {
      shown = [message, ...items];
      return undefined;
    };
    try {
      const out = await vscode.commands.executeCommand('medgemma.attachFromZotero');
      assert.strictEqual(out, undefined);
      assert.match(shown[0], /There is no zotero\.sqlite in .*medgemma-not-zotero-.*Settings → Advanced → Files and Folders/);
      assert.strictEqual(shown[1], 'Choose Zotero Data Folder…');
    } finally {
      window.showErrorMessage = original.showErrorMessage;
      await back();
    }
  });

  test('Export Cited Sources: the papers an answer cites, as BibTeX, from Zotero’s metadata, copied', async () => {
    const [t, d] = [indexed.get('tully'), indexed.get('datta')];
    assert.ok(t && d, 'the papers indexed by the tests above');
    const tully = t.file;
    // An answer as Save Answer As… writes it: Datta is a source the answer does not cite.
    const answer = [
      '# What did participants think of the programmes?',
      '',
      'They valued continuity (Tully 2010, p. 3).',
      '',
      '### Sources',
      '',
      '- **S1** Tully 2010, p. 3 — Structured heart failure programmes',
      '- **S2** Datta et al. 2010, p. 1 — DVT complications (not cited)',
      '',
      '<!-- medgemma-papers-sources',
      `${t.id}#0 3 "Tully 2010, p. 3"`,
      `${d.id}#0 1 "Datta et al. 2010, p. 1"`,
      '-->',
      '',
    ].join('\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: answer, language: 'markdown' }));
    const asked: string[] = [];
    window.showQuickPick = async (items: readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>) => {
      const list = [...(await items)];
      asked.push(list.map((i) => (typeof i === 'string' ? i : i.label)).join(' | '));
      return list.find((i) => (typeof i === 'string' ? i === 'Copy' : i.label === 'BibTeX'));
    };
    await vscode.env.clipboard.writeText('');
    const out = (await vscode.commands.executeCommand('medgemma.exportAnswerSources')) as { papers: { file: string }[]; to: string };
    assert.deepStrictEqual(asked, ['BibTeX | CSL-JSON', 'Copy | Save As…']);
    assert.deepStrictEqual(out.papers.map((p) => p.file), [tully]);
    assert.strictEqual(out.to, 'clipboard');
    assert.strictEqual(
      await vscode.env.clipboard.readText(),
      ['@article{tully2010structured,', '  title = {Structured heart failure programmes},', '  author = {Tully, Mark},', '  year = {2010},', '  journal = {Heart},', '  doi = {10.1136/hrt.2010.1}', '}', ''].join('\n'),
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
