// MedGemma's tools for VS Code's agent mode (languageModelTools): VS Code lists them with the
// schemas package.json declares; searching the papers runs through vscode.lm.invokeTool (it
// asks nothing: nothing leaves the machine); the tools that send say first which server gets
// what and what the privacy mode does to it (the confirmation is read through the test API,
// since a test cannot click it), then give the same grounded results as the MCP tools. Bad
// input and a server that is down are our sentences; an untrusted workspace sends nothing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PaperRecord } from '../../src/core/papers/types';
import type { ToolName } from '../../src/vscode/tools/register';
import { fixture, requireFixture } from '../fixtures';
import { startSim, type Sim } from '../sim';
import { activate, closeAll, NOTE_FILE, openNote, selectLines, setUserSettings, testApi, workspaceFolder } from './helpers';

const mode = process.env.MEDGEMMA_HOST_MODE || 'trusted';
const token = () => new vscode.CancellationTokenSource().token;
const PAPER = 'tully2010-heart-failure-programmes.pdf';

async function invoke(name: ToolName, input: object): Promise<{ text?: string; error?: string }> {
  try {
    return { text: await (await testApi()).agentTools!.invoke(name, input, token()) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Markdown's escapes undone (appendText escapes spaces and punctuation): the text the user reads. */
function shown(markdown: string): string {
  return markdown.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!<>|~])/g, '$1');
}

/** The confirmation's title and message as the user reads them. */
async function confirmationOf(name: ToolName, input: object): Promise<{ title: string; message: string } | undefined> {
  const prepared = await (await testApi()).agentTools!.prepare(name, input);
  const c = prepared?.confirmationMessages;
  return c && { title: c.title, message: shown(typeof c.message === 'string' ? c.message : c.message.value) };
}

if (mode === 'untrusted') {
  suite('agent-mode tools (untrusted workspace)', () => {
    test('a tool that sends refuses and sends nothing', async () => {
      const sim = await startSim();
      const restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl });
      try {
        await activate();
        const r = await invoke('medgemma_summarize_note', { text: 'Cough for three days.' });
        assert.match(r.error ?? '', /^MedGemma sends nothing from an untrusted workspace/);
        assert.strictEqual(sim.requests.length, 0);
      } finally {
        await restore();
        await sim.stop();
      }
    });
  });
} else {
  suite('agent-mode tools', () => {
    let sim: Sim;
    let restore: () => Promise<void>;
    const chats = () => sim.requests.filter((q) => q.path === '/v1/chat/completions').length;

    suiteSetup(async () => {
      sim = await startSim({ tokensPerSecond: 0 });
      restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'server.model': 'medgemma' });
      await activate();
    });
    suiteTeardown(async () => {
      await closeAll();
      await restore?.();
      await sim?.stop();
    });

    test('VS Code lists the four tools with the schemas package.json declares', async () => {
      const ours = vscode.lm.tools.filter((t) => t.name.startsWith('medgemma_'));
      assert.deepStrictEqual(ours.map((t) => t.name).sort(), ['medgemma_ask_papers', 'medgemma_describe_image', 'medgemma_search_papers', 'medgemma_summarize_note']);
      const summarize = ours.find((t) => t.name === 'medgemma_summarize_note')!;
      assert.match(summarize.description, /cites the note lines it came from/);
      assert.deepStrictEqual(Object.keys((summarize.inputSchema as { properties: object }).properties), ['path', 'text', 'template', 'lines']);
    });

    test('summarize: the confirmation names the note, the server and the privacy mode; the result cites and checks lines', async () => {
      const origin = new URL(sim.baseUrl).origin;
      const c = await confirmationOf('medgemma_summarize_note', { path: NOTE_FILE });
      assert.strictEqual(c?.title, `Send to MedGemma at ${origin} (model medgemma)?`);
      assert.strictEqual(c?.message, `The note ${NOTE_FILE} will be sent to MedGemma at ${origin} (model medgemma). It goes as written (privacy mode off, or a server on this machine).`);
      const before = chats();
      const r = await invoke('medgemma_summarize_note', { path: NOTE_FILE, template: 'brief' });
      assert.strictEqual(r.error, undefined);
      assert.match(r.text!, /\[L\d+/);
      assert.match(r.text!, /Grounding check: \d+ of \d+ statements verified against the cited lines/);
      assert.ok(chats() > before);
    });

    test('summarize with no path or text: the note open in the editor, only its selected lines', async () => {
      const editor = await openNote();
      selectLines(editor, 3, 8);
      const c = await confirmationOf('medgemma_summarize_note', {});
      assert.match(c?.message ?? '', new RegExp(`^The note lines 3-8 of ${NOTE_FILE.replace('.', '\\.')} will be sent`));
      const from = sim.requests.length;
      const r = await invoke('medgemma_summarize_note', {});
      assert.strictEqual(r.error, undefined, r.error);
      const sent = JSON.stringify(sim.requests.slice(from).find((q) => q.path === '/v1/chat/completions')?.body.messages);
      assert.match(sent, /The note, lines 3-8:/);
      const numbered = [...sent.matchAll(/\\nL(\d+): /g)].map((m) => Number(m[1]));
      assert.deepStrictEqual(numbered, [3, 4, 5, 7, 8], 'only the selected lines (the blank one left out)');
      for (const m of r.text!.matchAll(/\[L(\d+)/g)) assert.ok(Number(m[1]) >= 3 && Number(m[1]) <= 8, m[0]);
    });

    test('privacy pseudonymize: the confirmation says identifiers are replaced; a bad path or range is a sentence, nothing sent', async () => {
      const undo = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'server.model': 'medgemma', 'privacy.mode': 'pseudonymize' });
      try {
        const c = await confirmationOf('medgemma_summarize_note', { text: 'Patient: Jane Roe. Cough.' });
        assert.match(c?.message ?? '', /^A note of 25 characters will be sent to MedGemma at .*\. Names, dates, record numbers and other identifiers are replaced by stand-ins before it leaves/);
      } finally {
        await undo();
      }
      const before = sim.requests.length;
      const missing = await invoke('medgemma_summarize_note', { path: 'no-such-note.txt' });
      assert.strictEqual(missing.error, `${path.join(workspaceFolder().uri.fsPath, 'no-such-note.txt')} does not exist. Give the path of a note on this machine.`);
      const range = await invoke('medgemma_summarize_note', { path: NOTE_FILE, lines: '9-3' });
      assert.strictEqual(range.error, 'Lines 9-3 is not a valid range: use first-last with 1 <= first <= last.');
      assert.strictEqual(sim.requests.length, before);
    });

    test('papers: none attached is a sentence; search runs through vscode.lm.invokeTool with no confirmation; ask cites pages', async function () {
      requireFixture(this, fixture('pdfs', PAPER));
      const none = await vscode.lm.invokeTool('medgemma_search_papers', { input: { query: 'heart failure' }, toolInvocationToken: undefined }).then(
        () => '',
        (e: Error) => e.message,
      );
      assert.match(none, /^No indexed papers in .*\. Attach PDFs with "MedGemma: Attach Papers" \(or drop them on the Papers view\), then ask again\.$/);
      const dir = path.join(workspaceFolder().uri.fsPath, 'tool-papers');
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(fixture('pdfs', PAPER), path.join(dir, PAPER));
      const [rec] = (await vscode.commands.executeCommand('medgemma.attachPaper', vscode.Uri.file(path.join(dir, PAPER)))) as PaperRecord[];
      try {
        assert.strictEqual(await confirmationOf('medgemma_search_papers', { query: 'x' }), undefined, 'search sends nothing: no confirmation');
        const before = sim.requests.length;
        const result = await vscode.lm.invokeTool('medgemma_search_papers', { input: { query: 'GP services', k: 2 }, toolInvocationToken: undefined }, token());
        const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
        assert.match(text, /^1\. Patient Experiences of Structured Heart Failure Programmes, pp?\. \d/);
        assert.strictEqual(sim.requests.length, before, 'nothing sent for a search');
        const c = await confirmationOf('medgemma_ask_papers', { question: 'What did participants think of GP services?' });
        assert.match(c?.message ?? '', /^The question with passages from the attached papers will be sent to MedGemma at /);
        const ask = await invoke('medgemma_ask_papers', { question: 'What did participants think of GP services?' });
        assert.strictEqual(ask.error, undefined, ask.error);
        assert.match(ask.text!, /Tully 2010, p\. \d/);

        // An embedding server that is down: one warning, not one per question; both are answered by words.
        const win = vscode.window as unknown as { showWarningMessage: (m: string) => Thenable<unknown> };
        const realWarning = win.showWarningMessage;
        const warnings: string[] = [];
        win.showWarningMessage = async (m: string) => void warnings.push(m);
        const offline = await setUserSettings({ 'papers.embeddingModel': 'sim-embed', 'papers.embeddingUrl': 'http://127.0.0.1:9/v1' });
        try {
          for (let i = 0; i < 2; i++) {
            const r = await invoke('medgemma_ask_papers', { question: 'What did participants think of GP services?' });
            assert.strictEqual(r.error, undefined, r.error);
            assert.match(r.text!, /Tully 2010, pp?\. \d/, 'answered from the words (no passage has vectors yet)');
          }
          assert.strictEqual(warnings.length, 1, warnings.join('\n'));
          assert.match(warnings[0], /^Search by meaning is not ready: Cannot reach the embedding server at http:\/\/127\.0\.0\.1:9 /);
        } finally {
          win.showWarningMessage = realWarning;
          await offline();
        }

        // Search by meaning at another server, and the scoring step: the confirmation says where
        // the question also goes; the answer says how its passages were chosen.
        const embed = await startSim({ models: [{ id: 'sim-embed', embedding: { dims: 64 } }] });
        const restore = await setUserSettings({ 'papers.embeddingModel': 'sim-embed', 'papers.embeddingUrl': embed.baseUrl, 'papers.rerank': true });
        try {
          const c2 = await confirmationOf('medgemma_ask_papers', { question: 'What did participants think of GP services?' });
          const embedOrigin = new URL(embed.baseUrl).origin;
          assert.ok(c2?.message.includes(`The question also goes to ${embedOrigin} (model sim-embed) to find passages by meaning.`), c2?.message);
          const meaning = await invoke('medgemma_ask_papers', { question: 'What did participants think of GP services?' });
          assert.strictEqual(meaning.error, undefined, meaning.error);
          assert.match(meaning.text!, /MedGemma scored the \d+ passages found before answering/);
          const embedded = embed.requests.filter((r) => r.path === '/v1/embeddings');
          assert.ok(embedded.some((r) => JSON.stringify(r.body).includes('What did participants think of GP services?')), 'the question was embedded');
          const plain = await invoke('medgemma_ask_papers', { question: 'What did participants think of GP services?', rerank: false });
          assert.doesNotMatch(plain.text!, /MedGemma scored/, "the agent's rerank: false wins over the setting");
        } finally {
          await restore();
          await embed.stop();
        }
      } finally {
        await vscode.commands.executeCommand('medgemma.removePaper', rec);
      }
    });

    test('describe image: the confirmation names the image; the answer about it; a server that is down is our sentence', async function () {
      const cxr = fixture('images', 'nih-cxr14-00000001_000.png');
      requireFixture(this, cxr);
      const c = await confirmationOf('medgemma_describe_image', { path: cxr, region: { x: 10, y: 10, width: 100, height: 100 } });
      assert.strictEqual(c?.message.startsWith(`The pixels of ${cxr} (and the region asked about) with the question will be sent to MedGemma at `), true, c?.message);
      const r = await invoke('medgemma_describe_image', { path: cxr, prompt: 'Is there a pneumothorax?' });
      assert.strictEqual(r.error, undefined, r.error);
      assert.match(r.text!, /^Received: .*Is there a pneumothorax\? \(\+1 image\)/);
      const down = await startSim();
      await down.stop();
      const undo = await setUserSettings({ 'server.baseUrl': down.baseUrl });
      try {
        const failed = await invoke('medgemma_describe_image', { path: cxr });
        assert.match(failed.error ?? '', new RegExp(new URL(down.baseUrl).host.replace(/\./g, '\\.')));
      } finally {
        await undo();
      }
    });
  });
}
