// Attached papers in the real extension host (code-server, Node 20): PDF extraction goes
// through the bundled worker thread (dist/pdf-worker.js), a question against the simulator
// streams a cited answer, and a citation link opens the viewer at the cited page.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AskOutcome } from '../../src/vscode/papers/ask-command';
import type { PaperRecord } from '../../src/core/papers/types';
import { startSim, type Sim } from '../sim';
import { activate, closeAll, openNote, setUserSettings, stubSaveDialog, testApi, waitFor, workspaceFolder } from './helpers';
import { fixture, requireFixture } from '../fixtures';

const PDFS = fixture('pdfs');
const PAPER = 'tully2010-heart-failure-programmes.pdf';

suite('attached papers', () => {
  let sim: Sim;
  let restore: () => Promise<void>;
  let dir: string;

  suiteSetup(async function () {
    requireFixture(this, path.join(PDFS, PAPER));
    sim = await startSim({ tokensPerSecond: 0 });
    restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl });
    await activate();
    dir = path.join(workspaceFolder().uri.fsPath, 'papers');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(PDFS, PAPER), path.join(dir, PAPER));
    // A truncated copy: it must fail with a clear reason without stopping the good one.
    fs.writeFileSync(path.join(dir, 'truncated.pdf'), fs.readFileSync(path.join(PDFS, PAPER)).subarray(0, 5000));
    // A folder that links back up (a loop to walk forever) and a pipe named like a PDF (a read that never ends).
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync('..', path.join(dir, 'sub', 'up'));
    spawnSync('mkfifo', [path.join(dir, 'pipe.pdf')]);
  });

  suiteTeardown(async () => {
    await closeAll();
    await restore?.();
    await sim?.stop();
  });

  test('attaching a folder extracts its PDFs in the worker thread; a damaged one fails alone; a link loop and a pipe stop nothing', async () => {
    const win = vscode.window as { showWarningMessage: unknown };
    const shown = win.showWarningMessage;
    const warnings: string[] = [];
    win.showWarningMessage = async (m: string) => void warnings.push(m);
    let recs: PaperRecord[];
    try {
      recs = (await vscode.commands.executeCommand('medgemma.attachPaper', vscode.Uri.file(dir))) as PaperRecord[];
    } finally {
      win.showWarningMessage = shown;
      // Out of the workspace before other suites walk it.
      fs.rmSync(path.join(dir, 'sub'), { recursive: true, force: true });
      fs.rmSync(path.join(dir, 'pipe.pdf'), { force: true });
    }
    // Each PDF once, although the folder can be reached again through sub/up.
    assert.deepStrictEqual(recs.map((r) => path.basename(r.file)).sort(), ['truncated.pdf', PAPER]);
    assert.ok(warnings.some((w) => w.includes('pipe.pdf is not a regular file (a pipe, socket or device). Give the PDF file itself.')), warnings.join('\n'));
    const byName = new Map(recs.map((r) => [path.basename(r.file), r]));
    const good = byName.get(PAPER);
    assert.strictEqual(good?.state, 'indexed', good?.reason);
    assert.strictEqual(good?.meta?.title, 'Patient Experiences of Structured Heart Failure Programmes');
    assert.strictEqual(good?.meta?.pages, 6);
    assert.ok((good?.chunks ?? 0) > 5);
    const bad = byName.get('truncated.pdf');
    assert.strictEqual(bad?.state, 'failed');
    assert.match(bad?.reason ?? '', /not a readable PDF/);
    // pdf.js never ran on the extension host's own thread.
    assert.strictEqual((globalThis as { pdfjsWorker?: unknown }).pdfjsWorker, undefined);
    assert.strictEqual((globalThis as { pdfjsLib?: unknown }).pdfjsLib, undefined);
  });

  test('Ask Papers streams a cited answer; its citation link opens the viewer at that page, highlighted, even when clicked while the viewer loads', async () => {
    // A note in the first column: the answer opens beside it, in a second.
    await openNote();
    const out = (await vscode.commands.executeCommand('medgemma.askPapers', 'What did participants think of GP services?')) as AskOutcome;
    assert.ok(out?.document, 'an answer document');
    assert.strictEqual(out.result.covered, true);
    const first = out.result.cited[0];
    assert.ok(first, 'the answer cites a source');
    const text = out.document.getText();
    assert.match(text, /\(Tully 2010, pp?\. \d/);
    assert.match(text, /### Sources/);
    assert.doesNotMatch(text, /command:/, 'the markdown stays readable: links come from the link provider');
    // Read-only, never dirty; Save Answer As writes the text as shown, offered in the workspace.
    assert.strictEqual(out.document.uri.scheme, 'medgemma-answer');
    assert.strictEqual(path.posix.basename(out.document.uri.path), 'what-did-participants-think-of-gp-services.answer.md');
    assert.strictEqual(out.document.isDirty, false);
    const target = vscode.Uri.file(path.join(dir, 'answer.md'));
    const dialog = stubSaveDialog(target);
    try {
      assert.strictEqual((await vscode.commands.executeCommand<vscode.Uri>('medgemma.saveAnswerAs', out.document.uri))?.toString(), target.toString());
    } finally {
      dialog.restore();
    }
    assert.strictEqual(dialog.calls[0]?.defaultUri?.toString(), vscode.Uri.joinPath(workspaceFolder().uri, 'what-did-participants-think-of-gp-services.answer.md').toString());
    assert.strictEqual(fs.readFileSync(target.fsPath, 'utf8'), text);
    const links = (await vscode.commands.executeCommand('vscode.executeLinkProvider', out.document.uri)) as vscode.DocumentLink[];
    const link = links.find((l) => l.target?.scheme === 'command' && l.target.path === 'medgemma.openPaperPage');
    assert.ok(link?.target, `a link to the viewer among ${links.length} links`);
    const args = JSON.parse(decodeURIComponent(link.target.query)) as [string, number];
    assert.strictEqual(args[1], first.pageStart);
    const api = await testApi();
    // Clicked in the answer: its editor is the active one.
    const answerEditor = await vscode.window.showTextDocument(out.document, { preserveFocus: false });
    const groupsBefore = vscode.window.tabGroups.all.length;
    assert.strictEqual(groupsBefore, 2, 'the note and the answer side by side');
    // Another page asked first and not awaited: the citation asked while the page loads wins.
    const other = vscode.commands.executeCommand('medgemma.openPaperPage', args[0], first.pageStart === 1 ? 2 : 1, false);
    await vscode.commands.executeCommand('medgemma.openPaperPage', ...args);
    await other;
    const state = await waitFor(
      'the viewer to draw the cited page',
      () => {
        const s = api.paperViewerState();
        return s?.page === first.pageStart ? s : undefined;
      },
      45_000,
    );
    assert.strictEqual(state.pages, 6);
    assert.ok(state.highlighted > 0, 'the cited passage is highlighted');
    const viewers = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('medgemma.paperViewer'));
    assert.strictEqual(viewers.length, 1, `one viewer per paper: ${JSON.stringify(vscode.window.tabGroups.all.map((g) => g.tabs.map((t) => [t.label, (t.input as { viewType?: string })?.viewType])))}`);
    // Where there is room: beside the answer with one group, else in another group; never a third column.
    assert.strictEqual(vscode.window.tabGroups.all.length, Math.max(2, groupsBefore), 'the viewer made a new column');
    const viewerGroup = vscode.window.tabGroups.all.find((g) => g.tabs.includes(viewers[0]));
    assert.notStrictEqual(viewerGroup?.viewColumn, answerEditor.viewColumn, 'the viewer opened over the answer');
  });

  test('"/papers <question>" in the chat answers from the papers with page citations', async () => {
    const out = (await vscode.commands.executeCommand('medgemma.chat.ask', '/papers What did participants think of GP services?')) as {
      answer?: string;
      error?: string;
    };
    assert.strictEqual(out.error, undefined);
    // Each citation links to its page (the chat view hands medgemma-paper: links to the viewer).
    assert.match(out.answer ?? '', /\(\[Tully 2010, pp?\. \d[^\]]*\]\(medgemma-paper:[0-9a-f]{16}%23\d+\?page=\d+\)/, out.answer);
    assert.match(out.answer ?? '', /### Sources/);
    const sent = sim.requests.filter((r) => r.path.endsWith('/chat/completions')).pop();
    assert.match(JSON.stringify(sent?.body?.messages ?? ''), /\[S1\]/, 'the numbered sources went to the model');
  });

  test('a question the papers do not cover is answered without calling the model', async () => {
    const chats = () => sim.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    const before = chats();
    const out = (await vscode.commands.executeCommand('medgemma.askPapers', 'What is the capital of France?')) as AskOutcome;
    assert.strictEqual(out.result.covered, false);
    assert.match(out.document?.getText() ?? '', /do not seem to cover/);
    assert.strictEqual(chats(), before);
  });

  test('a changed file is re-indexed in place; Remove Paper takes it out of the index', async () => {
    const file = path.join(dir, PAPER);
    // Replace the paper's bytes with another paper: the next question re-indexes it first.
    fs.copyFileSync(path.join(PDFS, 'datta2010-dvt-complications-review.pdf'), file);
    const out = (await vscode.commands.executeCommand('medgemma.askPapers', 'complications of deep venous thrombosis prophylaxis in trauma')) as AskOutcome;
    assert.strictEqual(out.result.covered, true);
    assert.ok(out.result.sources.every((s) => s.file === file && s.label === 'Datta 2010'), out.result.sources.map((s) => s.label).join(', '));
    const [rec] = (await vscode.commands.executeCommand('medgemma.reindexPaper', { id: out.result.sources[0].paperId, file })) as PaperRecord[];
    assert.strictEqual(rec.meta?.pages, 4);
    await vscode.commands.executeCommand('medgemma.removePaper', rec);
    const bad = (await vscode.commands.executeCommand('medgemma.attachPaper', vscode.Uri.file(path.join(dir, 'truncated.pdf')))) as PaperRecord[];
    await vscode.commands.executeCommand('medgemma.removePaper', bad[0]);
    // Nothing indexed any more: Ask Papers says so and sends nothing.
    assert.strictEqual(await vscode.commands.executeCommand('medgemma.askPapers', 'anything at all'), undefined);
  });
});
