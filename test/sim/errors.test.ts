import * as assert from 'node:assert/strict';
import { CONTEXT_LENGTH_PATTERN, contextLengthMessage, countChatTokens, startSim, type Sim } from './index';
import { chat, userMessage } from './test-helpers';

const words = (n: number): string => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

describe('sim: validation errors (vLLM profile)', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim({ maxModelLen: 100 });
  });
  after(() => sim.stop());
  afterEach(() => sim.setOptions({ contextWording: undefined, maxModelLen: 100, maxImages: undefined, models: undefined }));

  it('rejects prompt + max_tokens over max_model_len with the classic wording and real numbers', async () => {
    const messages = userMessage(words(60));
    const p = countChatTokens(messages);
    const res = await chat(sim, { messages, max_tokens: 100 - p + 1 });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error: { message: contextLengthMessage(1, 100, p, 100 - p + 1), type: 'BadRequestError', param: null, code: 400 },
    });
    assert.equal((await chat(sim, { messages, max_tokens: 100 - p })).status, 200);
  });

  it('rejects a prompt that alone fills the context, and fills the rest when max_tokens is missing', async () => {
    const long = userMessage(words(100));
    const res = await chat(sim, { messages: long });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.message, contextLengthMessage(2, 100, countChatTokens(long), 0));

    const short = userMessage(words(80));
    const ok = await (await chat(sim, { messages: short })).json();
    assert.equal(ok.usage.prompt_tokens + ok.usage.completion_tokens <= 100, true);
  });

  it('uses each of the four wordings, all matching the doc pattern', async () => {
    const messages = userMessage(words(50));
    const p = countChatTokens(messages);
    for (const wording of [1, 2, 3, 4] as const) {
      sim.setOptions({ contextWording: wording });
      const body = await (await chat(sim, { messages, max_tokens: 64 })).json();
      assert.equal(body.error.message, contextLengthMessage(wording, 100, p, 64));
      assert.match(body.error.message, CONTEXT_LENGTH_PATTERN);
    }
    assert.match(contextLengthMessage(3, 8192, 8150, 64), /'max_tokens' or 'max_completion_tokens' is too large: 64\. .*\(64 > 8192 - 8150\)\.$/);
    assert.match(contextLengthMessage(4, 8192, 9000, 64), /maximum input length of 8128 tokens/);
  });

  it('answers 404 NotFoundError for an unknown model', async () => {
    const res = await chat(sim, { model: 'foo', messages: userMessage('hi') });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: { message: 'The model `foo` does not exist.', type: 'NotFoundError', param: null, code: 404 } });
  });

  it('limits images per prompt: 1 for 4b-it, 0 for a -text- root, or maxImages', async () => {
    const img = { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } };
    const two = [{ role: 'user', content: [img, img, { type: 'text', text: 'compare' }] }];
    const one = [{ role: 'user', content: [img, { type: 'text', text: 'describe' }] }];
    sim.setOptions({ maxModelLen: 4096 });
    let res = await chat(sim, { messages: two });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.message, 'At most 1 image(s) may be provided in one prompt.');
    assert.equal((await chat(sim, { messages: one })).status, 200);

    sim.setOptions({ models: [{ id: 'medgemma', root: 'google/medgemma-27b-text-it' }] });
    res = await chat(sim, { messages: one });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.message, 'At most 0 image(s) may be provided in one prompt.');

    sim.setOptions({ models: undefined, maxImages: 4 });
    assert.equal((await chat(sim, { messages: two })).status, 200);
  });

  it('lists LoRA adapters with their parent and a per-model max_model_len', async () => {
    sim.setOptions({
      models: [
        { id: 'medgemma', root: 'google/medgemma-4b-it', maxModelLen: 8192 },
        { id: 'notes-lora', root: '/adapters/notes', parent: 'medgemma' },
      ],
    });
    const body = await (await fetch(`${sim.baseUrl}/models`)).json();
    assert.deepEqual(
      body.data.map((m: any) => [m.id, m.root, m.parent, m.max_model_len]),
      [
        ['medgemma', 'google/medgemma-4b-it', null, 8192],
        ['notes-lora', '/adapters/notes', 'medgemma', 100],
      ],
    );
    assert.equal((await chat(sim, { model: 'notes-lora', messages: userMessage('hi') })).status, 200);
  });

  it('answers 400 for a body that is not a chat request', async () => {
    for (const body of ['not json', '{"messages": []}', '{"messages": [{"content": "no role"}]}']) {
      const res = await fetch(`${sim.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400, body);
      assert.equal((await res.json()).error.type, 'BadRequestError');
    }
  });
});

describe('sim: API key', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim({ apiKey: 'sekret' });
  });
  after(() => sim.stop());

  it('guards /v1/* with a plain-string 401 and leaves /health, /tokenize, /version, /metrics open', async () => {
    for (const [method, path] of [
      ['GET', '/v1/models'],
      ['POST', '/v1/chat/completions'],
    ]) {
      for (const auth of [undefined, 'Bearer wrong', 'sekret']) {
        const res = await fetch(sim.url + path, { method, headers: auth ? { authorization: auth } : {}, body: method === 'POST' ? '{}' : undefined });
        assert.equal(res.status, 401, `${path} ${auth}`);
        assert.deepEqual(await res.json(), { error: 'Unauthorized' });
      }
    }
    assert.equal((await fetch(`${sim.baseUrl}/models`, { headers: { authorization: 'Bearer sekret' } })).status, 200);
    assert.equal((await chat(sim, { messages: userMessage('hi') }, { authorization: 'Bearer sekret' })).status, 200);
    assert.equal((await fetch(`${sim.url}/health`)).status, 200);
    assert.equal((await fetch(`${sim.url}/version`)).status, 200);
    assert.equal((await fetch(`${sim.url}/metrics`)).status, 200);
    const tok = await fetch(`${sim.url}/tokenize`, { method: 'POST', body: JSON.stringify({ prompt: 'x' }) });
    assert.equal(tok.status, 200);
  });

  it('records the Authorization header the client sent', async () => {
    await fetch(`${sim.baseUrl}/models`, { headers: { authorization: 'Bearer sekret' } });
    assert.equal(sim.requests.at(-1)?.headers.authorization, 'Bearer sekret');
  });
});
