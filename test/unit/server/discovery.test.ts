// What the client learns from a server before it sends anything: models, image support,
// context length, health, version — per server kind, against the simulator.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { noCredentials } from '../../../src/core/server/credentials';
import { Discovery, UNKNOWN_CONTEXT_LENGTH, visionFromName } from '../../../src/core/server/discovery';
import { makeFetch } from '../../../src/core/server/http';
import { startSim, type Sim } from '../../sim';

const discover = (url: string, timeoutMs?: number, contextLength?: number) => new Discovery(url, makeFetch(noCredentials, url), timeoutMs, contextLength);

describe('server/discovery', function () {
  this.timeout(30_000);
  let sim: Sim | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('image support from the model name', () => {
    for (const n of ['google/medgemma-4b-it', 'medgemma-27b-it', 'gemma-3-12b-it', 'gemma3:4b', 'llava-1.6', 'qwen2.5-vl-7b', 'pixtral-12b', 'llama-3.2-11b-vision', 'Some-VL-model']) assert.equal(visionFromName(n), true, n);
    for (const n of ['google/medgemma-27b-text-it', 'medgemma-27b-text-it', 'nomic-embed', 'gemma-3-1b-it', 'gemma3-1b', 'gemma-3-270m']) assert.equal(visionFromName(n), false, n);
    for (const n of ['mistral-7b-instruct', 'llama-3.1-8b']) assert.equal(visionFromName(n), undefined, n);
  });

  it('resolve: the configured model, else the first base model (not an adapter)', async () => {
    sim = await startSim({ models: [{ id: 'notes-lora', root: '/a', parent: 'medgemma' }, { id: 'medgemma', root: 'google/medgemma-4b-it' }] });
    const d = discover(sim.baseUrl);
    assert.equal((await d.resolve('')).id, 'medgemma');
    assert.equal((await d.resolve('notes-lora')).id, 'notes-lora');
    await assert.rejects(d.resolve('other'), /The server has no model "other"\. It offers: notes-lora, medgemma\./);
  });

  it('models are asked for once, and again after refresh(); a failure is not kept', async () => {
    sim = await startSim();
    const d = discover(sim.baseUrl);
    const lists = () => sim!.requests.filter((q) => q.path === '/v1/models').length;
    await d.models();
    await d.models();
    assert.equal(lists(), 1);
    d.refresh();
    await d.models();
    assert.equal(lists(), 2);
    d.refresh();
    sim.setFault({ kind: 'server-error-500', scope: 'all', count: 1 });
    await assert.rejects(d.models(), /HTTP 500/);
    assert.equal((await d.models()).length, 1, 'the failed list was not cached');
  });

  it('context length: reported, else llama.cpp /props, else the setting, else 4096', async () => {
    sim = await startSim({ models: [{ id: 'm', maxModelLen: 12_000 }] });
    const vllm = discover(sim.baseUrl, undefined, 999);
    assert.equal(await vllm.contextLength(await vllm.resolve('')), 12_000);
    await sim.stop();
    sim = await startSim({ profile: 'llamacpp' });
    const llama = discover(sim.baseUrl, undefined, 999);
    const n = await llama.contextLength(await llama.resolve(''));
    assert.ok(n > 0 && n !== 999 && n !== UNKNOWN_CONTEXT_LENGTH, String(n));
    await sim.stop();
    sim = await startSim({ profile: 'ollama' });
    assert.equal(await discover(sim.baseUrl, undefined, 16_384).contextLength(await discover(sim.baseUrl).resolve('')), 16_384);
    assert.equal(await discover(sim.baseUrl).contextLength(await discover(sim.baseUrl).resolve('')), UNKNOWN_CONTEXT_LENGTH);
  });

  it('health and version: answered, absent (undefined) or failing (false)', async () => {
    sim = await startSim({ version: '0.11.5' });
    const d = discover(sim.baseUrl);
    assert.equal(await d.health(), true);
    assert.equal(await d.version(), '0.11.5');
    sim.setFault({ kind: 'unavailable-503', scope: 'all' });
    assert.equal(await d.health(), false);
    assert.equal(await d.version(), undefined);
    await sim.stop();
    sim = await startSim({ profile: 'ollama' });
    assert.equal(await discover(sim.baseUrl).health(), undefined);
  });

  it('a server that lists nothing, or has no model list, or refuses the key', async () => {
    const empty = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}'));
    try {
      await assert.rejects(discover(empty.url).resolve(''), /^MedGemmaError: The server at .* lists no models\. Set "medgemma\.server\.model" \(CLI: --model\) to the model id it serves\.$/);
      assert.deepEqual(await discover(empty.url).resolve('my-model'), { id: 'my-model', vision: undefined });
    } finally {
      await empty.close();
    }
    const none = await serve((_req, res) => res.writeHead(404).end());
    try {
      assert.deepEqual(await discover(none.url).models(), []);
    } finally {
      await none.close();
    }
    const refused = await serve((_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Unauthorized"}'));
    try {
      await assert.rejects(discover(refused.url).models(), (e: Error & { kind?: string }) => e.kind === 'unauthorized');
    } finally {
      await refused.close();
    }
    const garbage = await serve((_req, res) => res.writeHead(200).end('not json'));
    try {
      await assert.rejects(discover(garbage.url).models(), (e: Error & { kind?: string }) => e.kind === 'bad-request' || e.kind === 'server-error');
    } finally {
      await garbage.close();
    }
  });

  it('a server that does not answer the model list in time: a timeout naming the wait', async () => {
    const silent = await serve(() => undefined);
    try {
      await assert.rejects(discover(silent.url, 300).models(), /^MedGemmaError: The server at .* did not answer within 0 s\.|did not answer within/);
    } finally {
      await silent.close();
    }
  });
});

/** A throwaway HTTP server on a free port. */
async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
