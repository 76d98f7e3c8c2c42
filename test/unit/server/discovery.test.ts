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

describe('server/discovery: what each answer is read as', function () {
  this.timeout(10_000);
  const json = (status: number, body: unknown) => (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  it('the model list: every field, null parents, llama.cpp\'s n_ctx_train, and an adapter sees what its base model sees', async () => {
    const s = await serve(
      json(200, {
        data: [
          { id: 'notes-lora', root: '/adapters/notes', parent: 'medgemma', owned_by: 'vllm' },
          { id: 'medgemma', root: 'google/medgemma-27b-text-it', parent: null, max_model_len: 32768, owned_by: 'vllm' },
          { id: 'gguf', meta: { n_ctx_train: 131072 } },
          { id: 'orphan-lora', parent: 'not-listed' },
        ],
      }),
    );
    try {
      assert.deepEqual(await discover(s.url).models(), [
        { id: 'notes-lora', root: '/adapters/notes', parent: 'medgemma', maxModelLen: undefined, vision: false, ownedBy: 'vllm' },
        { id: 'medgemma', root: 'google/medgemma-27b-text-it', parent: undefined, maxModelLen: 32768, vision: false, ownedBy: 'vllm' },
        { id: 'gguf', root: undefined, parent: undefined, maxModelLen: 131072, vision: undefined, ownedBy: undefined },
        { id: 'orphan-lora', root: undefined, parent: 'not-listed', maxModelLen: undefined, vision: undefined, ownedBy: undefined },
      ]);
    } finally {
      await s.close();
    }
    const noData = await serve(json(200, { object: 'list' }));
    try {
      assert.deepEqual(await discover(noData.url).models(), []);
    } finally {
      await noData.close();
    }
  });

  it('403 is a refused key too; a 500 is the server\'s error; the wait is named in whole seconds', async () => {
    const forbidden = await serve(json(403, { error: 'Forbidden' }));
    try {
      await assert.rejects(discover(forbidden.url).models(), (e: Error & { kind?: string }) => e.kind === 'unauthorized');
    } finally {
      await forbidden.close();
    }
    const broken = await serve(json(500, { error: { message: 'engine down' } }));
    try {
      await assert.rejects(discover(broken.url).models(), (e: Error & { kind?: string }) => e.kind === 'server-error' && /engine down/.test(e.message));
    } finally {
      await broken.close();
    }
    const silent = await serve(() => undefined);
    try {
      await assert.rejects(discover(silent.url, 1400).models(), (e: Error & { kind?: string }) => {
        assert.equal(e.kind, 'timeout');
        assert.equal(e.message, `The server at ${silent.url} did not answer within 1 s. Check that it is running and not overloaded.`);
        return true;
      });
    } finally {
      await silent.close();
    }
  });

  it("llama.cpp's /props: asked once, read only from a 200; otherwise the setting, else 4096", async () => {
    let props = 0;
    const s = await serve((req, res) => {
      if (req.url === '/props') {
        props++;
        return json(200, { default_generation_settings: { n_ctx: 8192 } })(req, res);
      }
      return json(200, { data: [{ id: 'm' }] })(req, res);
    });
    try {
      const d = discover(s.url);
      const m = await d.resolve('');
      assert.equal(await d.contextLength(m), 8192);
      assert.equal(await d.contextLength(m), 8192);
      assert.equal(props, 1, '/props asked again');
      d.refresh();
      await d.contextLength(m);
      assert.equal(props, 2, 'refresh() forgets /props too');
    } finally {
      await s.close();
    }
    const notThere = await serve((req, res) => (req.url === '/props' ? json(500, { default_generation_settings: { n_ctx: 8192 } })(req, res) : json(200, { data: [{ id: 'm' }] })(req, res)));
    try {
      const d = discover(notThere.url, undefined, 6000);
      assert.equal(await d.contextLength(await d.resolve('')), 6000, 'a failed /props is not read');
    } finally {
      await notThere.close();
    }
  });

  it('health: 200 yes, 404 no such route, another status or no answer false; version only from a 200', async () => {
    let status = 200;
    const s = await serve((req, res) => (req.url === '/version' ? json(status, { version: '0.9.9' })(req, res) : res.writeHead(status).end()));
    try {
      const d = discover(s.url);
      assert.deepEqual([await d.health(), await d.version()], [true, '0.9.9']);
      status = 404;
      assert.deepEqual([await d.health(), await d.version()], [undefined, undefined]);
      status = 500;
      assert.deepEqual([await d.health(), await d.version()], [false, undefined]);
    } finally {
      await s.close();
    }
    const gone = discover(s.url);
    assert.deepEqual([await gone.health(), await gone.version()], [false, undefined]);
  });

  it('a Vertex AI endpoint: nothing asked; one model named by the endpoint, the configured id; the context from the setting or 32,768', async () => {
    const s = await serve((_req, res) => res.writeHead(500).end());
    const url = `${new URL(s.url).origin}/v1beta1/projects/p/locations/us-central1/endpoints/123`;
    let asked = 0;
    const counting: typeof fetch = (input, init) => (asked++, fetch(input, init));
    try {
      const d = new Discovery(url, makeFetch(noCredentials, url, counting));
      assert.deepEqual(d.vertex, { project: 'p', region: 'us-central1', endpoint: '123' });
      assert.deepEqual(await d.models(), [{ id: '', label: 'Vertex AI endpoint 123 (p, us-central1)', maxModelLen: 32768 }]);
      assert.deepEqual(await d.resolve('medgemma'), { id: 'medgemma', label: 'Vertex AI endpoint 123 (p, us-central1)', maxModelLen: 32768 });
      assert.equal(await d.contextLength({ id: '' }), 32768);
      assert.deepEqual([await d.health(), await d.version()], [undefined, undefined]);
      const set = new Discovery(url, makeFetch(noCredentials, url, counting), undefined, 8192);
      assert.equal(await set.contextLength(await set.resolve('')), 8192);
      assert.equal(await set.contextLength({ id: '' }), 8192);
      assert.equal(asked, 0);
    } finally {
      await s.close();
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
