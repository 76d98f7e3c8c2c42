// Runs in its own VS Code with workspace trust ON and the folder left untrusted
// (run-host.mjs, MEDGEMMA_HOST_MODE=untrusted): nothing may reach any server.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startSim, type Sim } from '../sim';
import { activate, openNote, selectLines, setUserSettings, startCommand, waitFor } from './helpers';

suite('untrusted workspace', () => {
  let sim: Sim;
  let restore: () => Promise<void>;

  suiteSetup(async () => {
    sim = await startSim();
    restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'summary.defaultTemplate': 'brief' });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await restore?.();
    await sim?.stop();
  });

  test('the workspace is untrusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
  });

  test('the extension still loads (limited support)', async () => {
    const ext = await activate();
    assert.strictEqual(ext.isActive, true);
  });

  test('summaries and server checks send nothing', async () => {
    await activate();
    // Not vacuous: the user setting does point at the simulator.
    assert.strictEqual(vscode.workspace.getConfiguration('medgemma').get('server.baseUrl'), sim.baseUrl);
    const editor = await openNote();
    // Each command waits on the "trust this workspace" notification: dismissing it lets them
    // finish, so when all have finished, each has had its chance to send something.
    const started = [startCommand('medgemma.summarizeNote')];
    selectLines(editor, 3, 8);
    started.push(startCommand('medgemma.summarizeSelection'), startCommand('medgemma.checkServer'));
    // The chat too: its view and its ask command.
    started.push(startCommand('medgemma.focusChat'));
    const asked = startCommand('medgemma.chat.ask', 'Anything');
    started.push(asked);
    await waitFor('every command to finish once its trust notice is dismissed', async () => {
      await vscode.commands.executeCommand('notifications.clearAll');
      return started.every((c) => c.settled()) || undefined;
    }, 30_000);
    const r = (await asked.done) as { saved: boolean; error?: string };
    assert.strictEqual(r.saved, false);
    assert.match(r.error ?? '', /untrusted/i);
    assert.deepStrictEqual(
      sim.requests.map((r) => `${r.method} ${r.path}`),
      [],
      'an untrusted workspace sent requests to the server',
    );
  });
});
