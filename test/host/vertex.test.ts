// The editor's features over a Vertex AI endpoint (the simulator's Vertex profile), its access
// tokens from a real token command and good for three requests each: Summarize Note, the chat,
// Summarize Folder. Each works as on vLLM, a refused token is replaced without the user seeing
// it, and with the privacy mode auto the notes go pseudonymized (a Vertex endpoint is not this
// machine, even on a loopback address).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DISCLAIMER } from '../../src/core/notes/render';
import { fixture } from '../fixtures';
import { startSim, type Sim } from '../sim';
import { simTokenCommand, tokensUsed, VERTEX } from '../sim/vertex-access';
import { activate, closeAll, openNote, setUserSettings, summaryDocs, waitFor, workspaceFolder } from './helpers';

const chats = (sim: Sim) => sim.requests.filter((r) => r.path.endsWith('/chat/completions'));

suite('a Vertex AI endpoint, tokens expiring mid-run', () => {
  let sim: Sim;
  let restore: () => Promise<void>;
  const folder = () => path.join(workspaceFolder().uri.fsPath, 'vertex-notes');

  suiteSetup(async () => {
    // Three uses a token: more than the two notes Summarize Folder sends at once here (a real
    // token expires by time, so requests refused together all pass with one new token).
    sim = await startSim({ tokensPerSecond: 0, vertex: { ...VERTEX, tokenUses: 3 } });
    restore = await setUserSettings({
      'server.baseUrl': sim.baseUrl,
      'server.tokenCommand': simTokenCommand(sim),
      'summary.defaultTemplate': 'brief',
      'batch.concurrency': 2,
      'privacy.mode': 'auto',
    });
    await activate();
  });

  suiteTeardown(async () => {
    await closeAll();
    await restore?.();
    await sim?.stop();
    fs.rmSync(folder(), { recursive: true, force: true });
    fs.rmSync(`${folder()}-summaries`, { recursive: true, force: true });
  });

  test('Summarize Note twice and three chat questions: every answer arrives, tokens are fetched again as they run out', async () => {
    await openNote();
    for (let i = 0; i < 2; i++) {
      const before = new Set(summaryDocs());
      await vscode.commands.executeCommand('medgemma.summarizeNote');
      const doc = await waitFor('a finished summary', () => summaryDocs().find((d) => !before.has(d) && d.getText().trim().endsWith(DISCLAIMER)), 60_000);
      assert.match(doc.getText(), /\*\*Citation check:\*\* \d+ of \d+ statements? passed/);
    }
    await vscode.commands.executeCommand('medgemma.newChat');
    for (const q of ['What is the HbA1c target for this patient?', 'And the blood pressure target?', 'Which drug should be started first?']) {
      const r = await vscode.commands.executeCommand<{ finish?: string; error?: string; answer?: string }>('medgemma.chat.ask', q);
      assert.strictEqual(r?.error, undefined);
      assert.strictEqual(r?.finish, 'stop');
      assert.ok(r?.answer);
    }
    const sent = chats(sim);
    assert.ok(sent.some((q) => q.status === 401), 'no token ran out');
    assert.deepStrictEqual([...new Set(sent.map((q) => q.status))].sort(), [200, 401], 'a request failed for another reason');
    assert.ok(tokensUsed(sim) >= 2);
    assert.ok(sent.every((q) => q.body.model === ''), 'a Vertex endpoint serves one model, named by its URL');
    assert.strictEqual(sim.requests.length, sent.length, 'something besides chat completions was asked for (a Vertex endpoint has no /models or /tokenize)');
  });

  test('Summarize Folder: every note summarized, identifiers pseudonymized under privacy auto', async () => {
    fs.rmSync(folder(), { recursive: true, force: true });
    fs.mkdirSync(folder(), { recursive: true });
    for (const n of ['deid-sample.txt', 'ed-chest-pain.txt', 'radiology-cxr-report.txt', 'pathology-report.txt', 'progress-soap-diabetes.txt']) fs.copyFileSync(fixture('notes', n), path.join(folder(), n));
    const before = chats(sim).length;
    const win = vscode.window as unknown as Record<string, unknown>;
    const real = { pick: win.showQuickPick, info: win.showInformationMessage };
    win.showQuickPick = async (items: vscode.QuickPickItem[] | Thenable<vscode.QuickPickItem[]>) => (await items).find((i) => /-summaries/.test(i.label));
    win.showInformationMessage = async () => undefined;
    let r: { ok: number; failed: number; outDir: string } | undefined;
    try {
      const uri = vscode.Uri.file(folder());
      r = await vscode.commands.executeCommand('medgemma.summarizeFolder', uri, [uri]);
    } finally {
      win.showQuickPick = real.pick;
      win.showInformationMessage = real.info;
    }
    assert.deepStrictEqual([r?.ok, r?.failed], [5, 0]);
    const sent = chats(sim).slice(before);
    assert.ok(sent.some((q) => q.status === 401), 'no token ran out during the folder');
    for (const id of ['Vandersloot', '519-22-4078', '00728814']) assert.ok(!sent.some((q) => JSON.stringify(q.body).includes(id)), `${id} reached the endpoint`);
    assert.match(fs.readFileSync(path.join(r!.outDir, 'deid-sample.txt.summary.md'), 'utf8'), /Vandersloot/, 'the summary does not show the real name');
  });
});
