// Loading a LoRA adapter into a running vLLM (the simulator's runtime-LoRA route): loaded and
// listed under its base; a server without runtime loading, a missing path, a name in use: each
// a sentence saying what to do.
import * as assert from 'node:assert/strict';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import type { MedGemmaError } from '../../../src/core/server/errors';
import { loadLoraAdapter, startWithAdapter } from '../../../src/core/server/lora';
import { MedGemmaClient } from '../../../src/core/server/service';
import { startSim, type Sim } from '../../sim';

describe('server: loading a LoRA adapter at run time', function () {
  this.timeout(30_000);
  let sim: Sim;
  const client = () => new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl }), noCredentials);
  afterEach(async () => sim.stop());

  it('loads it, and the model list has it under its base at once (the cached list is refreshed)', async () => {
    sim = await startSim({ runtimeLora: true });
    const c = client();
    assert.deepEqual((await c.endpoint('text').discovery.models()).map((m) => m.id), ['medgemma']);
    await loadLoraAdapter(c, 'notes-lora', '/srv/adapters/notes-lora');
    const req = sim.requests.find((q) => q.path === '/v1/load_lora_adapter')!;
    assert.deepEqual(req.body, { lora_name: 'notes-lora', lora_path: '/srv/adapters/notes-lora' });
    const models = await c.endpoint('text').discovery.models();
    assert.deepEqual(models.map((m) => [m.id, m.parent, m.vision]), [['medgemma', undefined, true], ['notes-lora', 'medgemma', true]]);
  });

  it('a name in use, a path the server cannot find: what to do', async () => {
    sim = await startSim({ runtimeLora: true });
    await assert.rejects(loadLoraAdapter(client(), 'medgemma', '/srv/a'), (e: MedGemmaError) => {
      assert.equal(e.kind, 'bad-request');
      assert.equal(e.message, 'The server already has an adapter named "medgemma": pick it in the model picker, or load this one under another name.');
      return true;
    });
    await assert.rejects(loadLoraAdapter(client(), 'x', '/missing/x'), (e: MedGemmaError) => {
      assert.equal(e.detail.status, 404);
      assert.equal(e.message, "The server found no adapter at /missing/x (No adapter found for /missing/x). The path is one on the server's machine: check it there (a folder with adapter_config.json and the adapter's weights).");
      return true;
    });
  });

  it('a server started without runtime loading: exactly what to start it with', async () => {
    sim = await startSim();
    await assert.rejects(loadLoraAdapter(client(), 'notes-lora', '/srv/a'), (e: MedGemmaError) => {
      assert.equal(e.kind, 'bad-config');
      assert.equal(e.message, `The server at ${new URL(sim.baseUrl).origin} cannot load adapters while it runs: ${startWithAdapter('notes-lora', '/srv/a')}.`);
      assert.match(e.message, /--enable-lora --lora-modules notes-lora=\/srv\/a .*VLLM_ALLOW_RUNTIME_LORA_UPDATING=True/);
      return true;
    });
  });

  it('a key the server refuses, a server that is down: our sentences', async () => {
    sim = await startSim({ runtimeLora: true, apiKey: 'sk-right' });
    await assert.rejects(loadLoraAdapter(client(), 'a', '/srv/a'), (e: MedGemmaError) => e.kind === 'unauthorized' && /Set API Key/.test(e.message));
    const url = sim.baseUrl;
    await sim.stop();
    const down = new MedGemmaClient(makeConfig({ baseUrl: url }), noCredentials);
    await assert.rejects(loadLoraAdapter(down, 'a', '/srv/a'), (e: MedGemmaError) => e.kind === 'unreachable');
    sim = await startSim();
  });
});
