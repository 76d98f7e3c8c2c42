import * as assert from 'node:assert/strict';
import { CONTEXT_LENGTH_PATTERN, startSim, type Sim } from './index';
import { chat, sseData, userMessage } from './test-helpers';

const ask = { messages: userMessage('one two three four five six'), max_tokens: 50 };
const streamAsk = { ...ask, stream: true };

describe('sim: faults', () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim();
  });
  after(() => sim.stop());
  afterEach(() => {
    sim.setFault(undefined);
    sim.setOptions({ profile: 'vllm' });
  });

  describe('before the stream', () => {
    it('unauthorized: 401 {"error":"Unauthorized"}', async () => {
      sim.setFault({ kind: 'unauthorized' });
      const res = await chat(sim, ask);
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), { error: 'Unauthorized' });
    });

    it('unknown-model: 404 naming the requested model', async () => {
      sim.setFault({ kind: 'unknown-model' });
      const res = await chat(sim, ask);
      assert.equal(res.status, 404);
      assert.equal((await res.json()).error.message, 'The model `medgemma` does not exist.');
    });

    it('context-overflow: 400 in the chosen wording, first by default', async () => {
      sim.setFault({ kind: 'context-overflow' });
      const first = (await (await chat(sim, ask)).json()).error.message;
      assert.match(first, /^This model's maximum context length is 32768 tokens\. However, you requested \d+ tokens \(\d+ in the messages, 50 in the completion\)/);
      for (const wording of [2, 3, 4] as const) {
        sim.setFault({ kind: 'context-overflow', wording });
        const res = await chat(sim, ask);
        assert.equal(res.status, 400);
        const message = (await res.json()).error.message;
        assert.match(message, CONTEXT_LENGTH_PATTERN);
        assert.notEqual(message, first);
      }
    });

    it('rate-limit: 429 with Retry-After and a RateLimitError body', async () => {
      sim.setFault({ kind: 'rate-limit', retryAfter: 7 });
      const res = await chat(sim, ask);
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '7');
      const body = await res.json();
      assert.equal(body.error.type, 'RateLimitError');
      assert.equal(body.error.code, 429);
    });

    it('server-error-500, unavailable-503, bad-gateway-502 (an HTML proxy page)', async () => {
      sim.setFault({ kind: 'server-error-500' });
      let res = await chat(sim, ask);
      assert.equal(res.status, 500);
      assert.equal((await res.json()).error.type, 'InternalServerError');
      sim.setFault({ kind: 'unavailable-503' });
      res = await chat(sim, ask);
      assert.equal(res.status, 503);
      assert.equal((await res.json()).error.code, 503);
      sim.setFault({ kind: 'bad-gateway-502' });
      res = await chat(sim, ask);
      assert.equal(res.status, 502);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await res.text(), /502 Bad Gateway/);
    });

    it('stall-before-headers: no response for ms, then a normal one', async () => {
      sim.setFault({ kind: 'stall-before-headers', ms: 200 });
      const t0 = Date.now();
      const res = await chat(sim, ask);
      assert.ok(Date.now() - t0 >= 190, 'headers came too early');
      assert.equal(res.status, 200);
    });

    it('clears itself after count requests; forever without count', async () => {
      sim.setFault({ kind: 'server-error-500', count: 2 });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await chat(sim, ask)).status);
      assert.deepEqual(statuses, [500, 500, 200]);
      sim.setFault({ kind: 'server-error-500' });
      for (let i = 0; i < 3; i++) assert.equal((await chat(sim, ask)).status, 500);
    });

    it('hits only chat requests unless scope is all', async () => {
      sim.setFault({ kind: 'unavailable-503', count: 1 });
      assert.equal((await fetch(`${sim.baseUrl}/models`)).status, 200);
      assert.equal((await chat(sim, ask)).status, 503);
      sim.setFault({ kind: 'unavailable-503', count: 1, scope: 'all' });
      assert.equal((await fetch(`${sim.url}/health`)).status, 503);
      assert.equal((await fetch(`${sim.url}/health`)).status, 200);
    });

    it('speaks the profile: flat body under vllm-0.10', async () => {
      sim.setOptions({ profile: 'vllm-0.10' });
      sim.setFault({ kind: 'server-error-500' });
      assert.deepEqual(await (await chat(sim, ask)).json(), { object: 'error', message: 'Internal server error', type: 'InternalServerError', param: null, code: 500 });
    });

    it('can be set over HTTP: POST /__sim/fault', async () => {
      let res = await fetch(`${sim.url}/__sim/fault`, { method: 'POST', body: JSON.stringify({ kind: 'rate-limit', count: 1 }) });
      assert.equal(res.status, 200);
      assert.equal((await chat(sim, ask)).status, 429);
      assert.equal((await chat(sim, ask)).status, 200);
      await fetch(`${sim.url}/__sim/fault`, { method: 'POST', body: JSON.stringify({ kind: 'server-error-500' }) });
      await fetch(`${sim.url}/__sim/fault`, { method: 'POST', body: 'null' });
      assert.equal((await chat(sim, ask)).status, 200);
      res = await fetch(`${sim.url}/__sim/fault`, { method: 'POST', body: JSON.stringify({ kind: 'nonsense' }) });
      assert.equal(res.status, 400);
      assert.match((await res.json()).error, /unknown fault kind/);
      assert.ok(!sim.requests.some((r) => r.path.startsWith('/__sim')), 'control calls are not recorded');
    });

    it('rejects an unknown kind in setFault', () => {
      assert.throws(() => sim.setFault({ kind: 'nope' as never }), /unknown fault kind/);
    });
  });

  describe('inside the stream', () => {
    const contents = (raw: string[]): string[] =>
      raw.filter((d) => d.startsWith('{') && d.includes('"content":"') && !d.includes('"content":""')).map((d) => JSON.parse(d).choices[0].delta.content);

    it('stall-mid-stream: goes silent after afterChunks, then finishes', async () => {
      // A long stall (1 s). Only lower bounds on time: the chunk after the stall cannot come
      // sooner than 1 s after the request was sent, however busy the machine is.
      sim.setFault({ kind: 'stall-mid-stream', afterChunks: 2, ms: 1000 });
      const t0 = Date.now();
      const res = await chat(sim, streamAsk);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const stamps: [number, number][] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        stamps.push([Date.now() - t0, contents(sseData(text.slice(0, text.lastIndexOf('\n\n') + 2))).length]);
      }
      const raw = sseData(text);
      assert.equal(raw.at(-1), '[DONE]');
      assert.ok(contents(raw).length > 3, 'the stream went on after the stall');
      const after = stamps.findIndex(([, n]) => n > 2);
      assert.ok(after > 0, `no read ended with two content chunks: ${JSON.stringify(stamps)}`);
      assert.equal(stamps[after - 1][1], 2, 'exactly two content chunks before the stall');
      assert.ok(stamps[after][0] >= 990, `the third content chunk came ${stamps[after][0]} ms after the request, during the 1000 ms stall`);
    });

    it('disconnect-mid-stream: the socket dies after afterChunks content chunks', async () => {
      sim.setFault({ kind: 'disconnect-mid-stream', afterChunks: 3 });
      const res = await chat(sim, streamAsk);
      assert.equal(res.status, 200);
      await assert.rejects(res.text());
      const r = sim.requests.at(-1)!;
      assert.equal(r.contentChunks, 3);
      assert.equal(r.closedEarly, false, 'the simulator cut it, not the client');
    });

    it('error-event-nested / error-event-flat: one error event, then [DONE]', async () => {
      for (const [kind, event] of [
        ['error-event-nested', { error: { message: 'Internal server error', type: 'InternalServerError', param: null, code: 500 } }],
        ['error-event-flat', { object: 'error', message: 'Internal server error', type: 'InternalServerError', param: null, code: 500 }],
      ] as const) {
        sim.setFault({ kind, afterChunks: 2 });
        const raw = sseData(await (await chat(sim, streamAsk)).text());
        assert.equal(contents(raw).length, 2);
        assert.deepEqual(JSON.parse(raw.at(-2)!), event);
        assert.equal(raw.at(-1), '[DONE]');
        assert.ok(!raw.some((d) => d.includes('"finish_reason":"stop"')));
      }
    });

    it('malformed-chunk: a broken event after afterChunks, then the rest', async () => {
      sim.setFault({ kind: 'malformed-chunk', afterChunks: 1 });
      const raw = sseData(await (await chat(sim, streamAsk)).text());
      assert.equal(raw[2], '{"id": broken');
      assert.throws(() => JSON.parse(raw[2]));
      assert.equal(raw.at(-1), '[DONE]');
    });

    it('finish-length: ends early with finish_reason length', async () => {
      sim.setFault({ kind: 'finish-length', afterChunks: 2 });
      const raw = sseData(await (await chat(sim, streamAsk)).text());
      assert.equal(contents(raw).length, 2);
      assert.equal(JSON.parse(raw.at(-2)!).choices[0].finish_reason, 'length');
    });

    it('thinking: a 27B thinking-mode reply', async () => {
      sim.setFault({ kind: 'thinking' });
      const body = await (await chat(sim, ask)).json();
      assert.match(body.choices[0].message.content, /^<unused94>thought\n[\s\S]*<unused95>Received: one two/);
    });

    it('mid-stream faults without streaming: cut, 500 body, broken JSON', async () => {
      sim.setFault({ kind: 'disconnect-mid-stream', count: 1 });
      await assert.rejects(chat(sim, ask));
      sim.setFault({ kind: 'error-event-nested', count: 1 });
      assert.equal((await chat(sim, ask)).status, 500);
      sim.setFault({ kind: 'malformed-chunk', count: 1 });
      await assert.rejects((await chat(sim, ask)).json());
      sim.setFault({ kind: 'finish-length', afterChunks: 1, count: 1 });
      const body = await (await chat(sim, ask)).json();
      assert.equal(body.choices[0].finish_reason, 'length');
      assert.equal(body.usage.completion_tokens, 1);
    });
  });
});
