// Summaries against the vLLM simulator, started here in the extension host. The user-level
// setting points at it; the workspace's .vscode/settings.json points at a dead port and must be
// ignored (if it were used, nothing would reach the simulator).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DISCLAIMER } from '../../src/core/notes/render';
import { startSim, type Sim } from '../sim';
import { activate, citations, closeAll, openNote, selectLines, setUserSettings, startCommand, stubSaveDialog, summaryDocs, waitFor, workspaceFolder, NOTE_FILE } from './helpers';

/** The last line of a text. */
const lastLine = (text: string) => text.trim().split('\n').pop() ?? '';

/** A summary's text without its closing disclaimer (which shows an example citation). */
const body = (text: string) => text.slice(0, text.lastIndexOf(DISCLAIMER));

/** Waits for a new summary document to be complete (its last line is the disclaimer). */
async function finishedSummary(before: Set<vscode.TextDocument>): Promise<vscode.TextDocument> {
  return waitFor(
    'a finished summary document',
    () => summaryDocs().find((d) => !before.has(d) && lastLine(d.getText()) === DISCLAIMER),
    60_000,
  );
}

suite('summaries against the simulator', () => {
  let sim: Sim;
  let restore: () => Promise<void>;

  suiteSetup(async () => {
    sim = await startSim({ tokensPerSecond: 0 });
    restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'summary.defaultTemplate': 'brief' });
    await activate();
  });

  suiteTeardown(async () => {
    await closeAll();
    await restore?.();
    await sim?.stop();
  });

  setup(() => sim.setFault(undefined));

  test('the user-level server URL is used, the workspace one is not', () => {
    const info = vscode.workspace.getConfiguration('medgemma').inspect<string>('server.baseUrl');
    assert.strictEqual(info?.globalValue, sim.baseUrl);
    assert.strictEqual(vscode.workspace.getConfiguration('medgemma').get('server.baseUrl'), sim.baseUrl);
  });

  test('Summarize Selection writes a cited summary beside the note', async () => {
    const editor = await openNote();
    const [from, to] = [5, 15];
    selectLines(editor, from, to);
    const before = new Set(summaryDocs());
    const chats = () => sim.requests.filter((r) => r.path.endsWith('/chat/completions'));
    const sent = chats().length;

    await vscode.commands.executeCommand('medgemma.summarizeSelection');
    const doc = await finishedSummary(before);
    const text = doc.getText();

    // It went to the simulator (the workspace's http://127.0.0.1:9 was ignored).
    assert.ok(chats().length > sent, 'the simulator received no chat completion');
    const prompt = JSON.stringify(chats()[chats().length - 1].body?.messages ?? '');
    assert.match(prompt, new RegExp(`L${from}:`), `the prompt does not number line ${from}`);
    assert.doesNotMatch(prompt, new RegExp(`L${to + 2}:`), 'the prompt carries lines outside the selection');

    // Header naming the note and the lines, cited statements, the closing disclaimer.
    assert.match(text, /\*\*Source:\*\*/, 'no Source header');
    assert.ok(text.includes(NOTE_FILE), `the header does not name ${NOTE_FILE}`);
    const statements = text.split('\n').filter((l) => /^\s*[-*] /.test(l));
    assert.ok(statements.length > 0, 'no statements');
    for (const s of statements) assert.ok(citations(s).length > 0, `statement without a citation: ${s}`);
    for (const [a, b] of citations(body(text))) {
      assert.ok(a >= from && b <= to, `citation [L${a}-L${b}] is outside the selected lines ${from}-${to}`);
    }
    assert.strictEqual(lastLine(text), DISCLAIMER, 'the summary does not end with the disclaimer');

    // Beside the note, not over it.
    const shown = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    assert.ok(shown, 'the summary is not shown');
    assert.notStrictEqual(shown.viewColumn, editor.viewColumn, 'the summary replaced the note instead of opening beside it');
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === editor.document.uri.toString()), 'the note is no longer visible');
  });

  test('the summary is read-only: it closes without asking to save; Save Summary As writes it exactly as shown', async () => {
    const editor = await openNote();
    const before = new Set(summaryDocs());
    await vscode.commands.executeCommand('medgemma.summarizeNote');
    const doc = await finishedSummary(before);
    assert.strictEqual(doc.uri.scheme, 'medgemma-summary');
    assert.strictEqual(doc.languageId, 'markdown');
    assert.strictEqual(path.posix.basename(doc.uri.path), 'note.summary.md', 'the title names the note');
    assert.strictEqual(doc.isUntitled, false);
    assert.strictEqual(doc.isDirty, false, 'a summary must not be dirty: closing it would ask to save');

    // Save As: the dialog starts beside the note with note.summary.md; the file is the text as shown.
    const target = vscode.Uri.joinPath(workspaceFolder().uri, 'saved', 'note.summary.md');
    fs.rmSync(path.dirname(target.fsPath), { recursive: true, force: true });
    fs.mkdirSync(path.dirname(target.fsPath));
    const dialog = stubSaveDialog(target);
    let saved: vscode.Uri | undefined;
    try {
      saved = await vscode.commands.executeCommand<vscode.Uri>('medgemma.saveSummaryAs', doc.uri);
    } finally {
      dialog.restore();
    }
    assert.strictEqual(dialog.calls.length, 1, 'the save dialog was not shown');
    assert.strictEqual(dialog.calls[0].defaultUri?.toString(), vscode.Uri.joinPath(editor.document.uri, '..', 'note.summary.md').toString(), 'the dialog does not start beside the note');
    assert.strictEqual(saved?.toString(), target.toString());
    assert.strictEqual(fs.readFileSync(target.fsPath, 'utf8'), doc.getText(), 'the saved file differs from the document');

    // Closing asks nothing: the tab goes at once (a save prompt would leave it open, waiting).
    const tab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === doc.uri.toString());
    assert.ok(tab(), 'the summary has no tab');
    const closed = await Promise.race([vscode.window.tabGroups.close(tab()!), new Promise<string>((r) => setTimeout(() => r('still open after 5 s'), 5000))]);
    assert.strictEqual(closed, true, 'closing the summary did not just close it');
    assert.strictEqual(tab(), undefined);
  });

  test('citations are links that reveal and select the note lines', async () => {
    const before = new Set(summaryDocs());
    const editor = await openNote();
    await vscode.commands.executeCommand('medgemma.summarizeNote');
    const doc = await finishedSummary(before);

    const links = await waitFor('document links in the summary', async () => {
      const l = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri);
      return l?.length ? l : undefined;
    });
    // Every citation of a statement is a link.
    const text = doc.getText();
    const bodyEnd = doc.positionAt(body(text).length);
    // (The markdown extension adds its own links, e.g. the header's link to the note.)
    const ours = links.filter((l) => l.target?.scheme === 'command' && l.target.path === 'medgemma.revealLines');
    const statementLinks = ours.filter((l) => l.range.end.isBeforeOrEqual(bodyEnd));
    assert.strictEqual(statementLinks.length, citations(body(text)).length, 'not every citation is a link');
    const link = statementLinks[statementLinks.length - 1];
    const args = JSON.parse(decodeURIComponent(link.target!.query));
    const [[start, end]] = citations(doc.getText(link.range));

    // What a Ctrl+click runs.
    await vscode.commands.executeCommand('medgemma.revealLines', ...args);
    const active = vscode.window.activeTextEditor;
    assert.ok(active, 'no active editor after revealing');
    assert.strictEqual(active.document.uri.toString(), editor.document.uri.toString(), 'the note is not the active editor');
    assert.strictEqual(active.selection.start.line, start - 1, 'selection starts on the wrong line');
    assert.strictEqual(active.selection.end.line, end - 1, 'selection ends on the wrong line');
    // The cursor at the start of the first cited line: a line wider than the editor shows its start.
    assert.deepStrictEqual([active.selection.active.line, active.selection.active.character], [start - 1, 0], 'the cursor is not at the start of the citation');
    // The renderer reports the scroll back asynchronously.
    await waitFor(`line ${start} scrolled into view`, () => active.visibleRanges.some((r) => r.contains(new vscode.Position(start - 1, 0))), 5000);
  });

  test('stopping a summary closes the connection and keeps the partial summary', async () => {
    sim.setOptions({ tokensPerSecond: 20 });
    try {
      await openNote();
      const before = new Set(summaryDocs());
      const run = startCommand('medgemma.summarizeNote');
      // Stop once the first cited statement is on screen.
      const streamed = await waitFor('a cited statement streamed into the summary', () =>
        summaryDocs().find((d) => !before.has(d) && citations(d.getText()).length > 0),
      );
      const streaming = sim.requests.filter((r) => r.path.endsWith('/chat/completions')).pop()!;
      assert.ok(!streaming.done, 'the summary finished before it could be stopped');
      const seen = citations(streamed.getText()).length;
      const closed = sim.waitForClose(streaming.index, 10_000);
      // The same abort as the progress notification's Cancel button (which a host test cannot click).
      const stopped = await vscode.commands.executeCommand<number>('medgemma.stopSummary');
      assert.strictEqual(stopped, 1, 'medgemma.stopSummary found no running summary');
      await closed; // the server saw the connection close, so it stops generating
      assert.ok(streaming.closedEarly);
      await run.done;
      const doc = await finishedSummary(before);
      assert.match(doc.getText(), /Partial summary: stopped by you/);
      assert.ok(citations(body(doc.getText())).length >= seen, 'the partial summary lost statements that had streamed in');
    } finally {
      sim.setOptions({ tokensPerSecond: 0 });
    }
  });

  test('with summary.verify rules+model the model checks each statement, the document shows the flags, the count and the cost', async () => {
    const undo = await setUserSettings({ 'summary.verify': 'rules+model' });
    // Two statements from note lines 13 and 14: the second adds a word line 14 does not have
    // (the simulator's verifier flags it); both pass the rules.
    sim.setOptions({ answerText: '- Lisinopril 20 mg PO daily [L13]\n- Atorvastatin 20 mg PO daily, well tolerated [L14]\n' });
    try {
      await openNote();
      const before = new Set(summaryDocs());
      const sent = sim.requests.length;
      await vscode.commands.executeCommand('medgemma.summarizeNote');
      const doc = await waitFor('the model-checked summary', () => summaryDocs().find((d) => !before.has(d) && /The model checked/.test(d.getText())), 60_000);
      const text = doc.getText();
      const checks = sim.requests.slice(sent).filter((r) => r.path.endsWith('/chat/completions') && JSON.stringify(r.body).includes('statement_verdict'));
      assert.strictEqual(checks.length, 2, 'one statement check per statement the rules passed');
      assert.match(text, /- Atorvastatin 20 mg PO daily, well tolerated \[L14\] ⚠ \*unsupported: model: not in the cited lines \("tolerated"\)\*/);
      assert.match(text, /\*\*Citation check:\*\* 2 of 2 statements passed the rule checks against their cited lines\. The model checked 2 of the 2 statements the rules passed and flagged 1 \(2 requests, [\d,]+ tokens\)\./);
      assert.match(text, /⚠ 1 of 2 statements could not be verified against the cited note lines \(marked below\): 1 not in cited lines \(model\)\./);
      assert.strictEqual(citations(body(text)).length, 2, 'the flagged statement keeps its citation');
      assert.strictEqual(lastLine(text), DISCLAIMER);
    } finally {
      sim.setOptions({ answerText: undefined });
      await undo();
    }
  });
});
