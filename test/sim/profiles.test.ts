import * as assert from 'node:assert/strict';
import { LLAMACPP_N_CTX_TRAIN, startSim, type Sim, type SimProfile } from './index';
import { chat, readEvents, streamedText, userMessage } from './test-helpers';

const words = (n: number): string => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

describe('sim: profiles', () => {
  const sims: Partial<Record<SimProfile, Sim>> = {};
  before(async () => {
    for (const profile of ['vllm', 'vllm-0.10', 'ollama', 'llamacpp'] as const) sims[profile] = await startSim({ profile, maxModelLen: 100 });
  });
  after(async () => {
    for (const s of Object.values(sims)) await s?.stop();
  });
  const sim = (p: SimProfile): Sim => sims[p] as Sim;

  describe('/v1/models', () => {
    it('vLLM: id, object, created, owned_by vllm, root, parent, max_model_len, permission', async () => {
      const body = await (await fetch(`${sim('vllm').baseUrl}/models`)).json();
      assert.equal(body.object, 'list');
      const m = body.data[0];
      assert.deepEqual(Object.keys(m), ['id', 'object', 'created', 'owned_by', 'root', 'parent', 'max_model_len', 'permission']);
      assert.deepEqual([m.id, m.object, m.owned_by, m.root, m.parent, m.max_model_len], ['medgemma', 'model', 'vllm', 'google/medgemma-4b-it', null, 100]);
      assert.ok(Array.isArray(m.permission));
    });

    it('Ollama: the OpenAI list shape, no context length', async () => {
      const body = await (await fetch(`${sim('ollama').baseUrl}/models`)).json();
      assert.deepEqual(body, { object: 'list', data: [{ id: 'medgemma', object: 'model', created: body.data[0].created, owned_by: 'library' }] });
    });

    it('llama.cpp: meta.n_ctx_train, and the served context in /props', async () => {
      const body = await (await fetch(`${sim('llamacpp').baseUrl}/models`)).json();
      assert.equal(body.data[0].meta.n_ctx_train, LLAMACPP_N_CTX_TRAIN);
      assert.equal(body.data[0].max_model_len, undefined);
      const props = await (await fetch(`${sim('llamacpp').url}/props`)).json();
      assert.equal(props.default_generation_settings.n_ctx, 100);
    });
  });

  describe('other routes', () => {
    it('vLLM: /health empty 200, /version, /metrics', async () => {
      const health = await fetch(`${sim('vllm').url}/health`);
      assert.equal(health.status, 200);
      assert.equal(await health.text(), '');
      assert.deepEqual(await (await fetch(`${sim('vllm').url}/version`)).json(), { version: '0.11.0' });
      assert.deepEqual(await (await fetch(`${sim('vllm-0.10').url}/version`)).json(), { version: '0.10.0' });
      const metrics = await (await fetch(`${sim('vllm').url}/metrics`)).text();
      assert.match(metrics, /^vllm:num_requests_running\{.*\} \d/m);
      assert.match(metrics, /^vllm:num_requests_waiting\{.*\} \d/m);
      assert.match(metrics, /^vllm:kv_cache_usage_perc\{.*\} \d/m);
    });

    it('Ollama: no /tokenize, no /version, no /health', async () => {
      for (const [method, path] of [
        ['POST', '/tokenize'],
        ['GET', '/version'],
        ['GET', '/health'],
      ]) {
        const res = await fetch(sim('ollama').url + path, { method, body: method === 'POST' ? '{"prompt":"x"}' : undefined });
        assert.equal(res.status, 404, path);
      }
      assert.equal(await (await fetch(sim('ollama').url + '/')).text(), 'Ollama is running');
    });

    it('llama.cpp: /health {"status":"ok"}; /tokenize takes {content} and ignores a vLLM body', async () => {
      assert.deepEqual(await (await fetch(`${sim('llamacpp').url}/health`)).json(), { status: 'ok' });
      const vllmShaped = await (await fetch(`${sim('llamacpp').url}/tokenize`, { method: 'POST', body: JSON.stringify({ model: 'm', prompt: 'a b' }) })).json();
      assert.deepEqual(vllmShaped, { tokens: [] });
      const own = await (await fetch(`${sim('llamacpp').url}/tokenize`, { method: 'POST', body: JSON.stringify({ content: 'a b' }) })).json();
      assert.equal(own.tokens.length, 2);
    });

    it('answers 404 in each profile for a route it does not have', async () => {
      assert.deepEqual(await (await fetch(`${sim('vllm').url}/nope`)).json(), { detail: 'Not Found' });
      assert.equal(await (await fetch(`${sim('ollama').url}/nope`)).text(), '404 page not found');
      assert.equal((await (await fetch(`${sim('llamacpp').url}/nope`)).json()).error.code, 404);
    });
  });

  describe('error bodies', () => {
    const unknownModel = (p: SimProfile) => chat(sim(p), { model: 'foo', messages: userMessage('hi') });

    it('vLLM current: nested {"error":{message,type,param,code}}', async () => {
      const res = await unknownModel('vllm');
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { error: { message: 'The model `foo` does not exist.', type: 'NotFoundError', param: null, code: 404 } });
    });

    it('vLLM 0.10: flat {"object":"error",message,type,param,code}', async () => {
      const res = await unknownModel('vllm-0.10');
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { object: 'error', message: 'The model `foo` does not exist.', type: 'NotFoundError', param: null, code: 404 });
      const ctx = await chat(sim('vllm-0.10'), { messages: userMessage(words(90)), max_tokens: 50 });
      const body = await ctx.json();
      assert.equal(body.object, 'error');
      assert.equal(body.code, 400);
      assert.match(body.message, /maximum context length is 100 tokens/);
    });

    it('Ollama: {"error":{message,type:"invalid_request_error",param:null,code:null}}', async () => {
      const res = await chat(sim('ollama'), { model: undefined, messages: userMessage('hi') });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error: { message: 'model is required', type: 'invalid_request_error', param: null, code: null } });
      const missing = await unknownModel('ollama');
      assert.equal(missing.status, 404);
      assert.match((await missing.json()).error.message, /model "foo" not found/);
    });

    it('llama.cpp: {"error":{code,message,type}}, exceed_context_size_error, images rejected', async () => {
      const over = await chat(sim('llamacpp'), { messages: userMessage(words(100)) });
      assert.equal(over.status, 400);
      const body = await over.json();
      assert.equal(body.error.code, 400);
      assert.equal(body.error.type, 'exceed_context_size_error');
      assert.equal(body.error.n_ctx, 100);
      const img = [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }, { type: 'text', text: 'x' }] }];
      const res = await chat(sim('llamacpp'), { messages: img });
      assert.equal(res.status, 500);
      assert.deepEqual(await res.json(), { error: { code: 500, message: 'image input is not supported', type: 'server_error' } });
    });
  });

  describe('context overflow and templates', () => {
    it('Ollama silently truncates instead of failing, and does not enforce alternation', async () => {
      const res = await chat(sim('ollama'), { messages: userMessage(words(150)), max_tokens: 20 });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.usage.prompt_tokens, 100);
      const twoUsers = await chat(sim('ollama'), { messages: [...userMessage('a'), ...userMessage('b')] });
      assert.equal(twoUsers.status, 200);
    });

    it('llama.cpp caps the answer at the context left, with finish_reason length', async () => {
      const body = await (await chat(sim('llamacpp'), { messages: userMessage(words(85)), max_tokens: 50 })).json();
      assert.equal(body.choices[0].finish_reason, 'length');
      assert.equal(body.usage.prompt_tokens + body.usage.completion_tokens, 100);
    });
  });

  describe('stream shapes', () => {
    it('Ollama: no empty role chunk, role in every delta, usage on request', async () => {
      const events = await readEvents(await chat(sim('ollama'), { messages: userMessage('hello'), stream: true, stream_options: { include_usage: true } }));
      assert.equal(events[0].choices[0].delta.role, 'assistant');
      assert.notEqual(events[0].choices[0].delta.content, '');
      assert.equal(events.at(-3).choices[0].finish_reason, 'stop');
      assert.deepEqual(events.at(-2).choices, []);
      assert.equal(events.at(-1), '[DONE]');
      assert.equal(streamedText(events), 'Received: hello');
    });

    it('llama.cpp: first delta content null, last delta {}', async () => {
      const events = await readEvents(await chat(sim('llamacpp'), { messages: userMessage('hello'), stream: true }));
      assert.deepEqual(events[0].choices[0].delta, { role: 'assistant', content: null });
      assert.deepEqual(events.at(-2).choices[0].delta, {});
      assert.equal(events.at(-2).choices[0].finish_reason, 'stop');
      assert.equal(streamedText(events), 'Received: hello');
    });
  });
});
