// The server client against the simulator, over real HTTP: every fault the issue lists.
import * as assert from 'node:assert/strict';
import { startSim, type Sim } from '../../sim';
import { makeConfig } from '../../../src/core/server/config';
import { apiKeyCredentials, noCredentials } from '../../../src/core/server/credentials';
import { isMedGemmaError, type MedGemmaError } from '../../../src/core/server/errors';
import { MedGemmaClient } from '../../../src/core/server/service';
import type { ChatMessage } from '../../../src/core/server/types';

const note: ChatMessage[] = [
  { role: 'system', content: 'Cite lines.' },
  { role: 'user', content: 'L1: Troponin 0.08 rising.\nL2: No evidence of pulmonary embolism.\nL3: Started heparin drip.' },
];

function client(sim: Sim, over: Partial<Parameters<typeof makeConfig>[0]> = {}, key?: string) {
  return new MedGemmaClient(
    makeConfig({ baseUrl: sim.baseUrl, connectTimeoutMs: 2000, idleTimeoutMs: 1000, ...over }),
    key ? apiKeyCredentials(() => key) : noCredentials,
  );
}

async function failure(p: Promise<unknown>): Promise<MedGemmaError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isMedGemmaError(e), `expected a MedGemmaError, got ${e}`);
    return e;
  }
  assert.fail('expected a failure');
}

// Retries wait out real backoff delays (about 2 s for three): more than mocha's default 2 s on a busy machine.
describe('MedGemmaClient against the simulator', function () {
  this.timeout(20_000);
  let sim: Sim;
  beforeEach(async () => (sim = await startSim()));
  afterEach(async () => sim.stop());

  it('streams a grounded answer and sends a Gemma-safe request', async () => {
    const deltas: string[] = [];
    const r = await client(sim).chat({ messages: note, maxTokens: 200, temperature: 0 }, { onDelta: (d) => deltas.push(d) });
    assert.equal(r.finishReason, 'stop');
    assert.match(r.text, /Troponin 0\.08 rising \[L1\]/);
    assert.equal(deltas.join(''), r.text);
    assert.ok(r.usage && r.usage.completionTokens > 0);
    const body = sim.requests.find((q) => q.path === '/v1/chat/completions')!.body;
    assert.equal(body.temperature, 0);
    assert.deepEqual(body.messages.map((m: ChatMessage) => m.role), ['user']);
    assert.match(body.messages[0].content, /^Cite lines\.\n\nL1:/);
    assert.equal(body.max_tokens, 200);
  });

  it('caps max_tokens to what the context leaves, counting exactly with /tokenize near the limit', async () => {
    await sim.stop();
    sim = await startSim({ maxModelLen: 300 });
    const r = await client(sim).chat({ messages: note, maxTokens: 5000, temperature: 0 });
    const chatReq = sim.requests.find((q) => q.path === '/v1/chat/completions')!;
    assert.ok(sim.requests.some((q) => q.path === '/tokenize'), 'expected an exact count');
    assert.equal(chatReq.body.max_tokens, 300 - r.promptTokens);
    assert.equal(r.maxTokens, chatReq.body.max_tokens);
  });

  it('refuses before sending when the prompt alone fills the context', async () => {
    await sim.stop();
    sim = await startSim({ maxModelLen: 40 });
    const e = await failure(client(sim).chat({ messages: note, maxTokens: 100, temperature: 0 }));
    assert.equal(e.kind, 'context-overflow');
    assert.equal(sim.requests.filter((q) => q.path === '/v1/chat/completions').length, 0);
  });

  it('unreachable server: one actionable sentence with the vllm serve line', async () => {
    await sim.stop();
    const e = await failure(client(sim, { maxRetries: 0 }).chat({ messages: note, maxTokens: 10, temperature: 0 }));
    assert.equal(e.kind, 'unreachable');
    assert.match(e.message, /Cannot reach .*vllm serve google\/medgemma-4b-it/);
  });

  it('retries a refused connection until the server is back', async () => {
    const c = client(sim);
    await c.model();
    await sim.stop();
    setTimeout(() => void sim.restart(), 300);
    const retries: number[] = [];
    const r = await c.chat({ messages: note, maxTokens: 20, temperature: 0 }, { onRetry: (n) => retries.push(n) });
    assert.ok(retries.length >= 1);
    assert.ok(r.text.length > 0);
  });

  it('unauthorized with and without the key', async () => {
    await sim.stop();
    sim = await startSim({ apiKey: 'sekret' });
    const e = await failure(client(sim).chat({ messages: note, maxTokens: 10, temperature: 0 }));
    assert.equal(e.kind, 'unauthorized');
    assert.match(e.message, /Set API Key/);
    const ok = await client(sim, {}, 'sekret').chat({ messages: note, maxTokens: 10, temperature: 0 });
    assert.ok(ok.text);
    assert.equal(sim.requests.at(-1)!.headers.authorization, 'Bearer sekret');
  });

  describe('requests stay on the configured origin', () => {
    let other: Sim;
    beforeEach(async () => (other = await startSim()));
    afterEach(async () => other.stop());

    for (const status of [301, 302, 303, 307, 308] as const) {
      it(`a ${status} redirect of the chat request is not followed: nothing reaches the other host`, async () => {
        sim.setFault({ kind: 'redirect', status, location: other.url });
        const e = await failure(client(sim, {}, 'sekret').chat({ messages: note, maxTokens: 10, temperature: 0 }));
        assert.equal(e.kind, 'bad-config');
        assert.ok(e.message.includes(`redirected the request to ${other.url}`), e.message);
        assert.match(e.message, /follows no redirects, so nothing was sent there/);
        assert.equal(other.requests.length, 0, 'the other host got a request');
        assert.equal(sim.requests.filter((q) => q.path === '/v1/chat/completions').length, 1, 'retried or followed');
      });
    }

    it('a redirect of the model list (discovery) is refused the same way', async () => {
      sim.setFault({ kind: 'redirect', location: `${other.url}/steal?note=1`, scope: 'all' });
      const e = await failure(client(sim).chat({ messages: note, maxTokens: 10, temperature: 0 }));
      assert.equal(e.kind, 'bad-config');
      assert.ok(e.message.includes(`to ${other.url}.`), `only the origin is named: ${e.message}`);
      assert.equal(other.requests.length, 0);
    });

    it('a vision server at another origin never gets the main key; it gets its own or none', async () => {
      await sim.stop();
      await other.stop();
      sim = await startSim({ apiKey: 'main-key' });
      other = await startSim({ apiKey: 'vision-key' });
      const img: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }] };
      const config = makeConfig({ baseUrl: sim.baseUrl, vision: { baseUrl: other.baseUrl }, connectTimeoutMs: 2000 });
      const main = apiKeyCredentials(() => 'main-key');

      const e = await failure(new MedGemmaClient(config, main).chat({ messages: [img], maxTokens: 10, temperature: 0 }));
      assert.equal(e.kind, 'unauthorized');
      assert.ok(other.requests.length > 0);
      assert.ok(other.requests.every((q) => q.headers.authorization === undefined), 'the main key went to the vision server');

      const r = await new MedGemmaClient(config, main, fetch, apiKeyCredentials(() => 'vision-key')).chat({ messages: [img], maxTokens: 10, temperature: 0 });
      assert.ok(r.text);
      assert.ok(other.requests.every((q) => q.headers.authorization !== 'Bearer main-key'));
      assert.equal(other.requests.at(-1)!.headers.authorization, 'Bearer vision-key');
      // Text still goes to the main server with its key.
      await new MedGemmaClient(config, main).chat({ messages: note, maxTokens: 10, temperature: 0 });
      assert.equal(sim.requests.at(-1)!.headers.authorization, 'Bearer main-key');
    });

    it('a vision model on the same server shares its key', async () => {
      await sim.stop();
      sim = await startSim({ apiKey: 'main-key' });
      const config = makeConfig({ baseUrl: sim.baseUrl, vision: { baseUrl: sim.baseUrl.replace(/\/v1$/, '/v1/') }, connectTimeoutMs: 2000 });
      const img: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }] };
      const r = await new MedGemmaClient(config, apiKeyCredentials(() => 'main-key')).chat({ messages: [img], maxTokens: 10, temperature: 0 });
      assert.ok(r.text);
    });
  });

  it('unknown model lists the available ones', async () => {
    const e = await failure(client(sim, { model: 'nope' }).chat({ messages: note, maxTokens: 10, temperature: 0 }));
    assert.equal(e.kind, 'unknown-model');
    assert.match(e.message, /offers: medgemma/);
  });

  for (const wording of [1, 2, 3, 4] as const) {
    it(`context overflow from the server, wording ${wording}`, async () => {
      sim.setFault({ kind: 'context-overflow', wording });
      const e = await failure(client(sim).chat({ messages: note, maxTokens: 10, temperature: 0 }));
      assert.equal(e.kind, 'context-overflow');
    });
  }

  it('429 honours Retry-After, then succeeds', async () => {
    sim.setFault({ kind: 'rate-limit', count: 1, retryAfter: 1 });
    const t0 = Date.now();
    const r = await client(sim).chat({ messages: note, maxTokens: 10, temperature: 0 });
    assert.ok(Date.now() - t0 >= 900, 'waited for Retry-After');
    assert.ok(r.text);
  });

  it('503 and 502 are retried; 500 is not', async () => {
    sim.setFault({ kind: 'unavailable-503', count: 2 });
    assert.ok((await client(sim).chat({ messages: note, maxTokens: 10, temperature: 0 })).text);
    sim.setFault({ kind: 'bad-gateway-502', count: 1 });
    assert.ok((await client(sim).chat({ messages: note, maxTokens: 10, temperature: 0 })).text);
    sim.setFault({ kind: 'server-error-500', count: 1 });
    const before = sim.requests.length;
    const e = await failure(client(sim).chat({ messages: note, maxTokens: 10, temperature: 0 }));
    assert.equal(e.kind, 'server-error');
    assert.equal(sim.requests.slice(before).filter((q) => q.path === '/v1/chat/completions').length, 1);
    assert.doesNotMatch(e.message, /retrying/, 'a 500 is not retried, so the message must not say it was');
  });

  it('503 that persists gives up after the retries', async () => {
    sim.setFault({ kind: 'unavailable-503' });
    const e = await failure(client(sim, { maxRetries: 1 }).chat({ messages: note, maxTokens: 10, temperature: 0 }));
    assert.equal(e.kind, 'server-error');
    assert.match(e.message, /HTTP 503.*and still did after retrying/);
  });

  it('a stall before the headers times out without killing a normal prefill', async () => {
    sim.setFault({ kind: 'stall-before-headers', ms: 3000 });
    const e = await failure(client(sim, { connectTimeoutMs: 500 }).chat({ messages: note, maxTokens: 10, temperature: 0 }));
    assert.equal(e.kind, 'timeout');
    sim.setFault(undefined);
    sim.setOptions({ ttftMs: 700 }); // a slow prefill longer than the idle limit is fine
    const r = await client(sim, { connectTimeoutMs: 2000, idleTimeoutMs: 300 }).chat({ messages: note, maxTokens: 10, temperature: 0 });
    assert.equal(r.finishReason, 'length');
  });

  it('a stall mid-stream ends after the idle limit, not the longer connect limit; keeps the partial text and closes the connection', async () => {
    // The stall outlasts both limits; the message names the limit that ran out (the watchdog
    // reports the limit it applied), so a mid-stream stall held to the 5 s connect limit fails
    // here whatever the machine's load.
    sim.setFault({ kind: 'stall-mid-stream', afterChunks: 3, ms: 30_000 });
    const e = await failure(client(sim, { idleTimeoutMs: 300, connectTimeoutMs: 5000 }).chat({ messages: note, maxTokens: 100, temperature: 0 }));
    assert.equal(e.kind, 'interrupted');
    assert.ok(e.partial.length > 0);
    assert.match(e.message, /^The server stopped sending for 0\.3 s mid-answer; the text received so far is kept\./);
    await sim.waitForClose();
  });

  for (const kind of ['disconnect-mid-stream', 'error-event-nested', 'error-event-flat', 'malformed-chunk'] as const) {
    it(`${kind}: interrupted, partial text kept`, async () => {
      sim.setFault({ kind, afterChunks: 3 });
      const e = await failure(client(sim).chat({ messages: note, maxTokens: 100, temperature: 0 }));
      assert.equal(e.kind, 'interrupted');
      assert.ok(e.partial.length > 0, 'partial text kept');
      if (kind.startsWith('error-event')) assert.match(e.message, /Internal server error/);
    });
  }

  it('vLLM <= 0.10 flat error bodies are read too', async () => {
    await sim.stop();
    sim = await startSim({ profile: 'vllm-0.10' });
    const e = await failure(client(sim, { model: 'nope' }).chat({ messages: note, maxTokens: 10, temperature: 0 }));
    assert.equal(e.kind, 'unknown-model');
    sim.setFault({ kind: 'context-overflow', wording: 2 });
    assert.equal((await failure(client(sim).chat({ messages: note, maxTokens: 10, temperature: 0 }))).kind, 'context-overflow');
  });

  it('finish_reason length is reported, not hidden', async () => {
    sim.setFault({ kind: 'finish-length', afterChunks: 4 });
    const r = await client(sim).chat({ messages: note, maxTokens: 100, temperature: 0 });
    assert.equal(r.finishReason, 'length');
  });

  it('27B thinking mode: only the answer is returned', async () => {
    sim.setFault({ kind: 'thinking' });
    const r = await client(sim).chat({ messages: note, maxTokens: 200, temperature: 0 });
    assert.doesNotMatch(r.text, /unused9|thought/);
    assert.match(r.text, /^### Findings/);
  });

  it('cancel closes the HTTP request and keeps the text so far', async () => {
    sim.setOptions({ tokensPerSecond: 50 });
    const ac = new AbortController();
    let n = 0;
    const p = client(sim).chat({ messages: note, maxTokens: 200, temperature: 0 }, { signal: ac.signal, onDelta: () => ++n === 3 && ac.abort() });
    const r = await p;
    assert.equal(r.finishReason, 'cancelled');
    assert.ok(r.text.length > 0);
    await sim.waitForClose();
    const req = sim.requests.filter((q) => q.path === '/v1/chat/completions').at(-1)!;
    assert.equal(req.closedEarly, true);
  });

  it('images to a text-only model: a clear message, nothing sent', async () => {
    await sim.stop();
    sim = await startSim({ models: [{ id: 'medgemma-text', root: 'google/medgemma-27b-text-it' }] });
    const img: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }] };
    const e = await failure(client(sim).chat({ messages: [img], maxTokens: 10, temperature: 0 }));
    assert.equal(e.kind, 'not-image-capable');
    assert.equal(sim.requests.filter((q) => q.path === '/v1/chat/completions').length, 0);
  });

  it('Ollama profile: no context length, no /tokenize — budgets conservatively', async () => {
    await sim.stop();
    sim = await startSim({ profile: 'ollama' });
    const c = client(sim);
    assert.equal(await c.contextLength(), 4096);
    const count = await c.countTokens(note);
    assert.equal(count.exact, false);
    assert.ok((await c.chat({ messages: note, maxTokens: 50, temperature: 0 })).text);
  });

  it('llama.cpp profile: context from /props', async () => {
    await sim.stop();
    sim = await startSim({ profile: 'llamacpp', maxModelLen: 8192 });
    const c = client(sim);
    assert.ok([8192, 131072].includes(await c.contextLength()));
    assert.ok((await c.chat({ messages: note, maxTokens: 50, temperature: 0 })).text);
  });
});
