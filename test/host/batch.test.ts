// MedGemma: Summarize Folder… in the real extension host, against the simulator: a folder of
// fixture notes gets a summary per note, index.md and the CLI's results.jsonl; a second run
// resumes; Stop keeps what finished; a server that is down or refuses the key is reported
// through the usual error path; warn mode asks once for the whole folder; an untrusted
// workspace sends nothing. Quick picks, dialogs and messages are answered by stubs (the test
// bundle and the extension share one `vscode` API object, see helpers.ts stubSaveDialog).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DISCLAIMER } from '../../src/core/notes/render';
import type { FolderOutcome } from '../../src/vscode/batch/summarize-folder';
import { fixture } from '../fixtures';
import { startSim, type Sim } from '../sim';
import { activate, closeAll, setUserSettings, startCommand, waitFor, workspaceFolder } from './helpers';

/** What the command returns. */
type Outcome = FolderOutcome;

type Win = Record<string, unknown>;
interface Said {
  kind: 'info' | 'warning' | 'error';
  message: string;
  rest: unknown[];
}

/**
 * Stubs the window's messages, quick picks and open dialogs for one test: messages are
 * recorded and answered by `answer`, a quick pick gets the item `pick` chooses, an open dialog `open`.
 */
function stubWindow(o: { answer?: (s: Said) => string | undefined; pick?: (items: vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined; open?: vscode.Uri[] } = {}) {
  const win = vscode.window as unknown as Win;
  const names = ['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'showQuickPick', 'showOpenDialog'] as const;
  const real = Object.fromEntries(names.map((n) => [n, win[n]]));
  const said: Said[] = [];
  const picks: vscode.QuickPickItem[][] = [];
  const message = (kind: Said['kind']) => async (msg: string, ...rest: unknown[]) => {
    const s = { kind, message: msg, rest };
    said.push(s);
    return o.answer?.(s);
  };
  win.showInformationMessage = message('info');
  win.showWarningMessage = message('warning');
  win.showErrorMessage = message('error');
  win.showQuickPick = async (items: vscode.QuickPickItem[] | Thenable<vscode.QuickPickItem[]>) => {
    const list = await items;
    picks.push(list);
    return (o.pick ?? ((l) => l.find((i) => /-summaries/.test(i.label))))(list);
  };
  win.showOpenDialog = async () => o.open;
  return { said, picks, restore: () => Object.assign(win, real) };
}

const NOTES = ['ed-chest-pain.txt', 'radiology-cxr-report.txt', 'sub/pathology-report.txt', 'sub/progress-soap-diabetes.txt'];

/** A fresh folder of fixture notes in the workspace: four notes, an empty one, a README (not a note). */
function notesFolder(name: string, notes = NOTES): string {
  const dir = path.join(workspaceFolder().uri.fsPath, 'batch', name);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  for (const n of notes) {
    fs.mkdirSync(path.dirname(path.join(dir, n)), { recursive: true });
    fs.copyFileSync(fixture('notes', path.basename(n)), path.join(dir, n));
  }
  fs.writeFileSync(path.join(dir, 'empty.txt'), '\n\n');
  fs.writeFileSync(path.join(dir, 'README.md'), '# Not a note\n');
  return dir;
}

const records = (outDir: string) =>
  fs
    .readFileSync(path.join(outDir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const mode = process.env.MEDGEMMA_HOST_MODE || 'trusted';

if (mode === 'untrusted') {
  suite('summarize folder (untrusted workspace)', () => {
    test('refuses: nothing is sent, nothing is written', async () => {
      const sim = await startSim();
      const restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'summary.defaultTemplate': 'brief' });
      const stubs = stubWindow();
      try {
        await activate();
        const dir = notesFolder('untrusted');
        const r = await vscode.commands.executeCommand<Outcome | undefined>('medgemma.summarizeFolder', vscode.Uri.file(dir), [vscode.Uri.file(dir)]);
        assert.strictEqual(r, undefined);
        assert.match(stubs.said[0]?.message ?? '', /sends nothing from an untrusted workspace/);
        assert.deepStrictEqual(stubs.picks, [], 'it asked for a template or folder before refusing');
        assert.deepStrictEqual(sim.requests.map((q) => `${q.method} ${q.path}`), []);
        assert.ok(!fs.existsSync(`${dir}-summaries`), 'an output folder was made');
      } finally {
        stubs.restore();
        await restore();
        await sim.stop();
      }
    });
  });
} else {
  suite('summarize folder', () => {
    let sim: Sim;
    let restore: () => Promise<void>;
    const chats = () => sim.requests.filter((r) => r.path.endsWith('/chat/completions'));

    suiteSetup(async () => {
      sim = await startSim({ tokensPerSecond: 0 });
      restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'summary.defaultTemplate': 'brief', 'batch.concurrency': 4 });
      await activate();
    });

    suiteTeardown(async () => {
      await closeAll();
      await restore?.();
      await sim?.stop();
      fs.rmSync(path.join(workspaceFolder().uri.fsPath, 'batch'), { recursive: true, force: true });
    });

    setup(() => {
      sim.setFault(undefined);
      sim.setOptions({ tokensPerSecond: 0, ttftMs: 0 });
    });

    test('a folder from the Explorer: a summary per note, index.md, the CLI\'s records; then a re-run resumes', async () => {
      const dir = notesFolder('resume');
      const uri = vscode.Uri.file(dir);
      const sent = chats().length;
      const stubs = stubWindow({ answer: (s) => (s.kind === 'info' ? 'Show Failures' : undefined) });
      let r: Outcome | undefined;
      try {
        r = await vscode.commands.executeCommand<Outcome>('medgemma.summarizeFolder', uri, [uri]);
      } finally {
        stubs.restore();
      }
      assert.ok(r, 'no outcome');
      const out = `${dir}-summaries`;
      assert.strictEqual(r.outDir, out, 'the default output folder sits beside the notes');
      assert.deepStrictEqual([r.total, r.ok, r.failed, r.skipped, r.stopped], [5, 4, 1, 0, undefined]);
      assert.strictEqual(chats().length - sent, 4, 'one request per note (the empty one is not sent)');
      // The output folder was offered with what it is, then the final message with its buttons.
      assert.match(stubs.picks[0]?.map((i) => `${i.label} ${i.description}`).join('\n') ?? '', /resume-summaries beside resume · new folder/);
      const end = stubs.said.find((s) => s.kind === 'info');
      assert.strictEqual(end?.message, 'Summarized 4 of 5 notes (1 failed). The summaries and index.md are in resume-summaries.');
      assert.deepStrictEqual(end?.rest, ['Open Index', 'Show Failures']);

      // results.jsonl: the CLI's records, one per note.
      const lines = records(out);
      assert.strictEqual(lines.length, 5);
      for (const l of lines) {
        assert.ok(path.isAbsolute(String(l.file)) && String(l.file).startsWith(dir), `file: ${l.file}`);
        assert.match(String(l.sha256), /^[0-9a-f]{64}$/);
        assert.strictEqual(l.template, 'brief');
        assert.strictEqual(typeof l.model, 'string');
      }
      const ok = lines.filter((l) => l.status === 'ok');
      assert.strictEqual(ok.length, 4);
      for (const l of ok) assert.ok(typeof l.summary === 'string' && Array.isArray(l.statements) && typeof l.unsupported === 'number', JSON.stringify(Object.keys(l)));
      const empty = lines.find((l) => l.status === 'error')!;
      assert.match(String(empty.error), /empty\.txt is empty/);

      // A summary per note, mirroring the folder, rendered like Summarize Note's document.
      for (const n of NOTES) {
        const text = fs.readFileSync(path.join(out, `${n}.summary.md`), 'utf8');
        assert.match(text, /^# Brief clinical summary$/m);
        assert.ok(text.includes(`**Source:** [${n.replace(/_/g, '\\_')}](file://`), `${n}: no source link`);
        assert.match(text, /\*\*Citation check:\*\* \d+ of \d+ statements? passed/);
        assert.strictEqual(text.trim().split('\n').pop(), DISCLAIMER);
      }
      assert.ok(!fs.existsSync(path.join(out, 'empty.txt.summary.md')));
      assert.ok(!fs.existsSync(path.join(out, 'README.md.summary.md')), 'a README is not a note');

      // index.md: the table and the failure; "Show Failures" opened it at the Failures list.
      const index = fs.readFileSync(r.indexPath, 'utf8');
      assert.match(index, /^# MedGemma summaries: resume$/m);
      assert.match(index, /^5 notes: 4 summarized, 1 failed/m);
      for (const l of ok) {
        const rel = path.relative(dir, String(l.file)).split(path.sep).join('/');
        const row = index.split('\n').find((x) => x.startsWith(`| ${rel} |`));
        assert.ok(row, `no row for ${rel}`);
        assert.strictEqual(row, `| ${rel} | ok | ${(l.statements as unknown[]).length} | ${l.unsupported ? `⚠ ${l.unsupported}` : 0} | [summary](./${rel}.summary.md) |`);
      }
      assert.match(index, /^\| empty\.txt \| failed \| — \| — \| — \|$/m);
      assert.match(index, /^## Failures\n\n- \*\*empty\.txt\*\*: empty\.txt is empty: there is nothing to summarize$/m);
      const editor = await waitFor('index.md open at its failures', () => {
        const e = vscode.window.activeTextEditor;
        return e?.document.uri.fsPath === r!.indexPath ? e : undefined;
      });
      assert.strictEqual(editor.document.lineAt(editor.selection.start.line).text, '## Failures');

      // The summaries' citations are links to the note's lines, as in Summarize Note's document.
      const summary = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(out, 'radiology-cxr-report.txt.summary.md')));
      const links = await waitFor('citation links in a summary file', async () => {
        const l = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', summary.uri);
        const ours = l?.filter((x) => x.target?.scheme === 'command' && x.target.path === 'medgemma.revealLines');
        return ours?.length ? ours : undefined;
      });
      assert.strictEqual(JSON.parse(decodeURIComponent(links[0].target!.query))[0], vscode.Uri.file(path.join(dir, 'radiology-cxr-report.txt')).toString());

      // Again: the finished notes are skipped, the failed one is tried again; then an edited note is redone.
      const again = stubWindow();
      const sentBefore = chats().length;
      let r2: Outcome | undefined;
      try {
        r2 = await vscode.commands.executeCommand<Outcome>('medgemma.summarizeFolder', uri, [uri]);
        assert.match(again.picks[0]?.[0]?.description ?? '', /used last time · has results from an earlier run: finished notes are skipped/, 'the last choice is offered first');
        assert.deepStrictEqual([r2?.ok, r2?.failed, r2?.skipped], [0, 1, 4]);
        assert.strictEqual(chats().length, sentBefore, 'a finished note was sent again');
        assert.match(again.said.find((s) => s.kind === 'info')?.message ?? '', /^Summarized 4 of 5 notes \(1 failed\)\. 4 of them were done in an earlier run\./);
        assert.strictEqual(records(out).length, 6, 'one line more: the failed note, tried again');

        fs.appendFileSync(path.join(dir, 'ed-chest-pain.txt'), '\nAddendum: troponin repeat negative at 6 hours.\n');
        fs.writeFileSync(path.join(dir, 'empty.txt'), 'Follow-up visit: wound healing well, no signs of infection.\n');
        const r3 = await vscode.commands.executeCommand<Outcome>('medgemma.summarizeFolder', uri, [uri]);
        assert.deepStrictEqual([r3?.ok, r3?.failed, r3?.skipped], [2, 0, 3]);
        assert.strictEqual(chats().length, sentBefore + 2);
      } finally {
        again.restore();
      }
      const final = fs.readFileSync(path.join(out, 'index.md'), 'utf8');
      assert.match(final, /^5 notes: 5 summarized\.$/m, 'the index follows the latest record of each note');
      assert.ok(!final.includes('## Failures'));
      assert.ok(fs.existsSync(path.join(out, 'empty.txt.summary.md')));
      assert.match(fs.readFileSync(path.join(out, 'ed-chest-pain.txt.summary.md'), 'utf8'), /troponin repeat negative/);
    });

    test('several files from the Explorer, or a folder picked from the palette', async () => {
      const dir = notesFolder('pick');
      const files = ['ed-chest-pain.txt', 'radiology-cxr-report.txt'].map((f) => vscode.Uri.file(path.join(dir, f)));
      const stubs = stubWindow({ open: [vscode.Uri.file(path.join(dir, 'sub'))] });
      try {
        const r = await vscode.commands.executeCommand<Outcome>('medgemma.summarizeFolder', files[0], files);
        assert.deepStrictEqual([r?.total, r?.ok], [2, 2]);
        assert.strictEqual(r?.outDir, `${dir}-summaries`, 'files are placed by their folder');
        assert.deepStrictEqual(fs.readdirSync(r!.outDir).sort(), ['ed-chest-pain.txt.summary.md', 'index.md', 'radiology-cxr-report.txt.summary.md', 'results.jsonl']);

        const p = await vscode.commands.executeCommand<Outcome>('medgemma.summarizeFolder');
        assert.deepStrictEqual([p?.total, p?.ok], [2, 2]);
        assert.strictEqual(p?.outDir, path.join(dir, 'sub-summaries'));
        assert.ok(fs.existsSync(path.join(dir, 'sub-summaries', 'pathology-report.txt.summary.md')));
      } finally {
        stubs.restore();
      }
    });

    test('Stop keeps what finished: whole records, their summaries, an index that says it stopped', async () => {
      const dir = notesFolder('stop');
      const undo = await setUserSettings({ 'batch.concurrency': 1 });
      sim.setOptions({ ttftMs: 1500 });
      const stubs = stubWindow();
      try {
        const uri = vscode.Uri.file(dir);
        const run = startCommand('medgemma.summarizeFolder', uri, [uri]);
        const out = `${dir}-summaries`;
        await waitFor('a first note finished', () => fs.existsSync(path.join(out, 'results.jsonl')) && records(out).length >= 1, 30_000);
        const stopped = await vscode.commands.executeCommand<number>('medgemma.stopFolderSummary');
        assert.strictEqual(stopped, 1);
        const r = (await run.done) as Outcome;
        assert.strictEqual(r.stopped, 'user');
        assert.ok(r.ok + r.failed >= 1 && r.ok + r.failed < 5, JSON.stringify(r));
        const lines = records(out);
        assert.strictEqual(lines.length, r.ok + r.failed, 'the note in flight left no record');
        for (const l of lines.filter((x) => x.status === 'ok')) {
          const rel = path.relative(dir, String(l.file));
          assert.ok(fs.existsSync(path.join(out, `${rel}.summary.md`)), `no summary for ${rel}`);
        }
        const index = fs.readFileSync(path.join(out, 'index.md'), 'utf8');
        assert.match(index, /The last run did not reach every note \(it was stopped\)/);
        assert.strictEqual(index.split('\n').filter((l) => /^\| .* \| (ok|failed) \|/.test(l)).length, lines.length);
        const end = stubs.said.find((s) => s.kind === 'warning');
        assert.match(end?.message ?? '', /^Stopped: summarized \d of 5 notes.*What finished is kept in stop-summaries; run Summarize Folder again on the same notes to go on\./);
      } finally {
        stubs.restore();
        await undo();
      }
    });

    test('a server that is down: the usual error, with its actions; nothing written', async () => {
      const dir = notesFolder('down');
      await sim.stop();
      const stubs = stubWindow();
      try {
        const uri = vscode.Uri.file(dir);
        const r = await vscode.commands.executeCommand<Outcome | undefined>('medgemma.summarizeFolder', uri, [uri]);
        const error = await waitFor('the error message', () => stubs.said.find((s) => s.kind === 'error'));
        assert.match(error.message, /reach|connect/i);
        assert.ok(error.rest.includes('Check Server'), `actions: ${JSON.stringify(error.rest)}`);
        if (r) {
          // The model list was cached: the batch started and its first note met the error.
          assert.strictEqual(r.stopped, 'error');
          assert.strictEqual(r.ok, 0);
        }
      } finally {
        stubs.restore();
        await sim.restart();
      }
    });

    test('a key the server refuses stops the batch on the first note: the error with Set API Key, the rest kept for later', async () => {
      const dir = notesFolder('key');
      sim.setFault({ kind: 'unauthorized' });
      const stubs = stubWindow();
      try {
        const uri = vscode.Uri.file(dir);
        const r = await vscode.commands.executeCommand<Outcome>('medgemma.summarizeFolder', uri, [uri]);
        assert.strictEqual(r?.stopped, 'error');
        const error = await waitFor('the error message', () => stubs.said.find((s) => s.kind === 'error'));
        assert.ok(error.rest.includes('Set API Key'), `actions: ${JSON.stringify(error.rest)}`);
        assert.match(stubs.said.find((s) => s.kind === 'warning')?.message ?? '', /^Stopped after 0 of 5 notes \(\d failed\): what finished is kept in key-summaries\./);
        assert.ok(records(r.outDir).length < 5, 'the batch went on after the key was refused');
        assert.match(fs.readFileSync(r.indexPath, 'utf8'), /an error stopped it/);
      } finally {
        stubs.restore();
      }
    });

    test('privacy mode warn asks once for the whole folder; pseudonymized notes, real names in the summaries', async () => {
      const dir = notesFolder('warn', ['deid-sample.txt', 'radiology-cxr-report.txt']);
      const undo = await setUserSettings({ 'privacy.mode': 'warn' });
      const stubs = stubWindow({ answer: (s) => (s.kind === 'warning' && s.message.startsWith('Send ') ? 'Send Pseudonymized' : undefined) });
      const sent = chats().length;
      try {
        const uri = vscode.Uri.file(dir);
        const r = await vscode.commands.executeCommand<Outcome>('medgemma.summarizeFolder', uri, [uri]);
        const asked = stubs.said.filter((s) => s.message.startsWith('Send '));
        assert.strictEqual(asked.length, 1, `asked ${asked.length} times`);
        assert.match(asked[0].message, /^Send 3 notes from warn to http:\/\/127\.0\.0\.1:\d+ for summaries\?$/);
        assert.strictEqual((asked[0].rest[0] as vscode.MessageOptions).modal, true);
        assert.deepStrictEqual([r?.ok, r?.failed], [2, 1]);
        const bodies = chats().slice(sent).map((c) => JSON.stringify(c.body.messages));
        assert.strictEqual(bodies.length, 2);
        for (const id of ['Vandersloot', '519-22-4078', '00728814']) assert.ok(!bodies.some((b) => b.includes(id)), `${id} reached the server`);
        assert.match(fs.readFileSync(path.join(r!.outDir, 'deid-sample.txt.summary.md'), 'utf8'), /Vandersloot/, 'the summary does not show the real name');
      } finally {
        stubs.restore();
        await undo();
      }
    });

    test('Cancel at the warn question sends nothing', async () => {
      const dir = notesFolder('warn-cancel', ['deid-sample.txt']);
      const undo = await setUserSettings({ 'privacy.mode': 'warn' });
      const stubs = stubWindow();
      const before = sim.requests.length;
      try {
        const uri = vscode.Uri.file(dir);
        const r = await vscode.commands.executeCommand<Outcome | undefined>('medgemma.summarizeFolder', uri, [uri]);
        assert.strictEqual(r, undefined);
        assert.match(stubs.said.at(-1)?.message ?? '', /^Nothing was sent to http:\/\/127\.0\.0\.1:\d+\./);
        assert.strictEqual(sim.requests.slice(before).filter((q) => q.method === 'POST').length, 0);
        assert.ok(!fs.existsSync(path.join(`${dir}-summaries`, 'results.jsonl')));
      } finally {
        stubs.restore();
        await undo();
      }
    });
  });
}
