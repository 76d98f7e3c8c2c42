// MedGemma: Load LoRA Adapter… in a real VS Code: the adapter is loaded into the (simulated)
// vLLM and every view re-reads the models (VS Code's model picker lists it as an adapter of its
// base); a server that cannot load adapters leaves everything as it was.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startSim, type Sim } from '../sim';
import { activate, setUserSettings, startCommand, testApi, waitFor } from './helpers';

const mode = process.env.MEDGEMMA_HOST_MODE || 'trusted';

if (mode === 'untrusted') {
  suite('Load LoRA Adapter (untrusted workspace)', () => {
    test('sends nothing', async () => {
      const sim = await startSim({ runtimeLora: true });
      const restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl });
      try {
        await activate();
        // The command waits on the "trust this workspace" notice: dismissing it lets it finish.
        const run = startCommand('medgemma.loadLoraAdapter', { name: 'notes-lora', path: '/srv/a' });
        await waitFor('the command to finish once its trust notice is dismissed', async () => {
          await vscode.commands.executeCommand('notifications.clearAll');
          return run.settled() || undefined;
        }, 30_000);
        assert.strictEqual(await run.done, false);
        assert.strictEqual(sim.requests.length, 0);
      } finally {
        await restore();
        await sim.stop();
      }
    });
  });
} else {
  suite('Load LoRA Adapter', () => {
    let sim: Sim;
    let restore: () => Promise<void>;

    suiteSetup(async () => {
      sim = await startSim({ runtimeLora: true });
      restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl });
      await activate();
    });
    suiteTeardown(async () => {
      await restore?.();
      await sim?.stop();
    });

    test('loads the adapter; the models are read again and list it under its base', async () => {
      assert.strictEqual(await vscode.commands.executeCommand('medgemma.loadLoraAdapter', { name: 'notes-lora', path: '/srv/adapters/notes-lora' }), true);
      assert.deepStrictEqual(sim.requests.filter((q) => q.path === '/v1/load_lora_adapter').map((q) => q.body), [{ lora_name: 'notes-lora', lora_path: '/srv/adapters/notes-lora' }]);
      const api = await testApi();
      if (api.chatModels) {
        const entry = await waitFor('the adapter in the model list', async () => (await api.chatModels!.models()).find((m) => m.id === 'notes-lora'));
        assert.strictEqual(entry.version, 'LoRA adapter on medgemma');
      }
    });

    test('a server without runtime loading: false, nothing changes', async () => {
      sim.setOptions({ runtimeLora: false });
      try {
        assert.strictEqual(await vscode.commands.executeCommand('medgemma.loadLoraAdapter', { name: 'other-lora', path: '/srv/b' }), false);
        assert.ok(!sim.requests.some((q) => (q.body as { lora_name?: string } | undefined)?.lora_name === 'other-lora' && q.status === 200));
      } finally {
        sim.setOptions({ runtimeLora: true });
      }
    });
  });
}
