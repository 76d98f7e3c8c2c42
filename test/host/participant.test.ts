// @medgemma in VS Code's own chat, its handler driven with a recording stream (the chat view
// itself needs a signed-in chat): /summarize streams the grounded summary with each citation an
// anchor to the note's lines and the model's own links made inert, a selection is summarized
// alone, /doctor reports, a stop ends it, a server that is down is said in the chat, and an
// untrusted workspace sends nothing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DISCLAIMER } from '../../src/core/notes/render';
import { startSim, type Sim } from '../sim';
import { activate, closeAll, openNote, selectLines, setUserSettings, testApi, waitFor, workspaceFolder } from './helpers';

type Part = { kind: 'markdown'; text: string } | { kind: 'anchor'; location: vscode.Location; title?: string } | { kind: 'reference'; uri: vscode.Uri } | { kind: 'progress'; text: string };

function recorder() {
  const parts: Part[] = [];
  return {
    parts,
    markdown: (v: string | vscode.MarkdownString) => parts.push({ kind: 'markdown', text: typeof v === 'string' ? v : v.value }),
    anchor: (v: vscode.Uri | vscode.Location, title?: string) => parts.push({ kind: 'anchor', location: v instanceof vscode.Location ? v : new vscode.Location(v, new vscode.Position(0, 0)), title }),
    reference: (v: vscode.Uri | vscode.Location) => parts.push({ kind: 'reference', uri: v instanceof vscode.Location ? v.uri : v }),
    progress: (v: string) => parts.push({ kind: 'progress', text: v }),
    text: () => parts.map((p) => (p.kind === 'markdown' ? p.text : p.kind === 'anchor' ? `[${p.title}]` : '')).join(''),
  };
}

const mode = process.env.MEDGEMMA_HOST_MODE || 'trusted';

if (mode === 'untrusted') {
  suite('@medgemma (untrusted workspace)', () => {
    test('sends nothing and says why', async () => {
      const sim = await startSim();
      const restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl });
      try {
        await activate();
        await openNote();
        const rec = recorder();
        const r = await (await testApi()).participant({ prompt: '', command: 'summarize' }, rec, new vscode.CancellationTokenSource().token);
        assert.deepStrictEqual(r, { command: 'summarize', ok: false });
        assert.match(rec.text(), /MedGemma sends nothing from an untrusted workspace/);
        assert.strictEqual(sim.requests.length, 0);
      } finally {
        await restore();
        await sim.stop();
      }
    });
  });
} else {
  suite('@medgemma in VS Code\'s chat', () => {
    let sim: Sim;
    let restore: () => Promise<void>;
    const token = () => new vscode.CancellationTokenSource().token;

    suiteSetup(async () => {
      sim = await startSim({ tokensPerSecond: 0, obeyInstructions: true });
      restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'summary.defaultTemplate': 'brief' });
      await activate();
    });
    suiteTeardown(async () => {
      await closeAll();
      await restore?.();
      await sim?.stop();
    });

    test('/summarize: the summary with each citation an anchor to the note\'s lines; the model\'s own links inert', async () => {
      // A note that carries a link and markup for the model to copy (the simulator obeys).
      const file = path.join(workspaceFolder().uri.fsPath, 'participant-note.txt');
      const note = `${fs.readFileSync(path.join(workspaceFolder().uri.fsPath, 'note.txt'), 'utf8')}\nSee [the portal](https://evil.example/steal) and <img src=x onerror=alert(1)>.\n`;
      fs.writeFileSync(file, note);
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc, { preview: false });
      const rec = recorder();
      const r = await (await testApi()).participant({ prompt: '', command: 'summarize' }, rec, token());
      assert.deepStrictEqual(r, { command: 'summarize', ok: true });
      assert.match((rec.parts.find((p) => p.kind === 'progress') as { text: string }).text, /^Summarizing the note \(Brief clinical summary\)…$/);
      const anchors = rec.parts.filter((p): p is Extract<Part, { kind: 'anchor' }> => p.kind === 'anchor');
      assert.ok(anchors.length > 5, `${anchors.length} anchors`);
      for (const a of anchors) {
        assert.strictEqual(a.location.uri.toString(), doc.uri.toString());
        assert.ok(a.location.range.start.line >= 0 && a.location.range.end.line < doc.lineCount, `${a.title} outside the note`);
        assert.match(a.title ?? '', /^L\d+(-L\d+)?$/);
        assert.strictEqual(a.location.range.start.line + 1, Number(/^L(\d+)/.exec(a.title!)![1]));
      }
      const text = rec.text();
      assert.ok(text.trim().endsWith(DISCLAIMER), 'no disclaimer at the end');
      assert.match(text, /\*\*Citation check:\*\*|statements? passed|verified/);
      const markdown = rec.parts.filter((p) => p.kind === 'markdown').map((p) => (p as { text: string }).text).join('');
      assert.ok(markdown.includes('evil.example'), 'the simulator did not copy the link: the test would prove nothing');
      assert.doesNotMatch(markdown, /(?<!\\)\]\(https:\/\/evil/, 'the model\'s link is live');
      assert.doesNotMatch(markdown, /(?<!\\)<img/, 'the model\'s HTML is live');
      fs.rmSync(file, { force: true });
    });

    test('/summarize on a selection: only those lines are sent, citations within them', async () => {
      const editor = await openNote();
      selectLines(editor, 3, 8);
      const before = sim.requests.length;
      const rec = recorder();
      await (await testApi()).participant({ prompt: '', command: 'summarize' }, rec, token());
      assert.match((rec.parts.find((p) => p.kind === 'progress') as { text: string }).text, /lines 3–8/);
      const sent = JSON.stringify(sim.requests.slice(before).find((q) => q.path.endsWith('/chat/completions'))!.body.messages);
      assert.ok(sent.includes(editor.document.lineAt(4).text.trim().slice(0, 20)), 'a selected line was not sent');
      const outside = Array.from({ length: editor.document.lineCount - 10 }, (_, i) => editor.document.lineAt(i + 10).text.trim()).sort((a, b) => b.length - a.length)[0];
      assert.ok(outside.length > 20, 'the note has no long line after line 10');
      assert.ok(!sent.includes(outside.slice(0, 30)), `a line outside the selection was sent: ${outside}`);
      for (const p of rec.parts) if (p.kind === 'anchor') assert.ok(p.location.range.start.line >= 2 && p.location.range.end.line <= 7, `${p.title} outside the selection`);
    });

    test('/doctor reports the server; no command says what @medgemma does; /papers without a question says how to ask', async () => {
      const api = await testApi();
      const doctor = recorder();
      assert.deepStrictEqual(await api.participant({ prompt: '', command: 'doctor' }, doctor, token()), { command: 'doctor', ok: true });
      assert.match(doctor.text(), /Reachable: yes/);
      const usage = recorder();
      await api.participant({ prompt: 'hello', command: undefined }, usage, token());
      assert.match(usage.text(), /`\/summarize`.*\n.*`\/papers <question>`.*\n.*`\/doctor`/);
      const papers = recorder();
      assert.deepStrictEqual(await api.participant({ prompt: ' ', command: 'papers' }, papers, token()), { command: 'papers', ok: false });
      assert.match(papers.text(), /Ask a question after `\/papers`/);
    });

    test('a stop ends the summary; a server that is down is said in the chat with what to do', async () => {
      await openNote();
      sim.setOptions({ tokensPerSecond: 40 });
      const source = new vscode.CancellationTokenSource();
      const rec = recorder();
      const before = sim.requests.length;
      const run = (await testApi()).participant({ prompt: '', command: 'summarize' }, rec, source.token);
      // Stop once the answer is streaming.
      await waitFor('the summary to stream', () => sim.requests.slice(before).some((q) => q.path.endsWith('/chat/completions') && q.contentChunks > 0), 20_000);
      source.cancel();
      const r = await run;
      assert.strictEqual(r.ok, false);
      await waitFor('the request to close', () => sim.requests.slice(before).some((q) => q.path.endsWith('/chat/completions') && q.closedEarly), 10_000);
      sim.setOptions({ tokensPerSecond: 0 });

      await sim.stop();
      try {
        const down = recorder();
        assert.deepStrictEqual(await (await testApi()).participant({ prompt: '', command: 'summarize' }, down, token()), { command: 'summarize', ok: false });
        assert.match(down.text(), /⚠ .*(reach|connect)/i);
      } finally {
        await sim.restart();
      }
    });
  });
}
