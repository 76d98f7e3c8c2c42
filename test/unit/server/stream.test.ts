// streamChat and openStream against a scripted HTTP server: each test writes the exact bytes a
// server might send (finish reasons, usage-only chunks, both shapes of error event, a chunk
// that is not JSON, silence, Retry-After in its forms), and checks what the user gets: the
// text, how it ended, the sentence when it failed, and what was sent again.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { isMedGemmaError, type MedGemmaError } from '../../../src/core/server/errors';
import { completionBody, retryDelay } from '../../../src/core/server/open-stream';
import { streamChat, type StreamParams } from '../../../src/core/server/stream';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

const chunk = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
const delta = (content: string, finish: string | null = null, model = 'medgemma') => chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta: { content }, finish_reason: finish }] });
const DONE = 'data: [DONE]\n\n';
const sse = (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });

describe('server/stream: one streamed completion against a scripted server', function () {
  this.timeout(20_000);
  let server: http.Server;
  let handler: Handler;
  let bodies: unknown[];
  let sdk: OpenAI;
  let base: string;

  before(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        bodies.push(raw ? JSON.parse(raw) : undefined);
        handler(req, res, bodies.length);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  beforeEach(() => {
    bodies = [];
    sdk = new OpenAI({ baseURL: base, apiKey: 'unused', maxRetries: 0, logLevel: 'off' });
  });

  const params = (over: Partial<StreamParams> = {}): StreamParams => ({
    model: 'medgemma',
    messages: [{ role: 'user', content: 'L1: Cough.' }],
    maxTokens: 50,
    temperature: 0,
    baseUrl: base,
    connectTimeoutMs: 5000,
    idleTimeoutMs: 5000,
    maxRetries: 0,
    ...over,
  });
  const failure = (p: Promise<unknown>) => p.then(() => assert.fail('no error'), (e: unknown) => (assert.ok(isMedGemmaError(e), String(e)), e as MedGemmaError));

  it('text in pieces, the model the server names, usage from the last chunk; the request as vLLM takes it', async () => {
    handler = (_q, res) => {
      sse(res);
      res.write(chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'google/medgemma-4b-it', choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] }));
      res.write(delta('Cough ', null, 'google/medgemma-4b-it'));
      res.write(delta('[L1].', 'stop', 'google/medgemma-4b-it'));
      res.write(chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'google/medgemma-4b-it', choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } }));
      res.end(DONE);
    };
    const pieces: string[] = [];
    const r = await streamChat(sdk, params(), { onDelta: (d) => pieces.push(d) });
    assert.deepEqual(r, { text: 'Cough [L1].', finishReason: 'stop', model: 'google/medgemma-4b-it', usage: { promptTokens: 7, completionTokens: 3, totalTokens: 10 } });
    assert.deepEqual(pieces, ['Cough ', '[L1].']);
    assert.deepEqual(bodies[0], { model: 'medgemma', messages: [{ role: 'user', content: 'L1: Cough.' }], max_tokens: 50, temperature: 0, stream: true, stream_options: { include_usage: true } });
  });

  it('finish reasons: length and abort kept, any other reason is a stop; none at all is an interrupted answer', async () => {
    for (const [sent, got] of [['length', 'length'], ['abort', 'abort'], ['tool_calls', 'stop'], ['stop', 'stop']] as const) {
      handler = (_q, res) => (sse(res), res.end(delta('x', sent) + DONE));
      const r = await streamChat(sdk, params());
      assert.equal(r.finishReason, got, sent);
      assert.equal(r.model, 'medgemma');
      assert.equal(r.usage, undefined);
    }
    handler = (_q, res) => (sse(res), res.end(delta('half an ans') + DONE));
    const e = await failure(streamChat(sdk, params()));
    assert.equal(e.kind, 'interrupted');
    assert.equal(e.partial, 'half an ans');
    assert.equal(e.message, "The answer stopped before the server said it was finished; the text received so far is kept. Try again, and check the server's log if it repeats.");
  });

  it("vLLM <= 0.10's flat error events, in each shape, end the answer with the server's words; other chunks without choices are skipped", async () => {
    const events: [object, string][] = [
      [{ object: 'error', message: 'CUDA out of memory', code: 500 }, 'CUDA out of memory'],
      [{ message: 'engine dead' }, 'engine dead'],
      [{ error: { message: 'nested in a flat event' } }, 'nested in a flat event'],
      [{ object: 'error' }, 'unknown error'],
    ];
    for (const [event, words] of events) {
      handler = (_q, res) => (sse(res), res.end(delta('Cough ') + chunk({ id: 'x', ...event }) + delta('never seen', 'stop') + DONE));
      const e = await failure(streamChat(sdk, params()));
      assert.equal(e.kind, 'interrupted', JSON.stringify(event));
      assert.equal(e.partial, 'Cough ');
      assert.ok(e.message.includes(words), `${e.message} lacks ${words}`);
    }
    handler = (_q, res) => (sse(res), res.end(delta('a') + chunk({ id: 'x', object: 'chat.completion.chunk' }) + chunk({ id: 'y', choices: [] }) + chunk({ id: 'z', model: 'm', choices: [{ index: 0, delta: {}, finish_reason: null }] }) + delta('b', 'stop') + DONE));
    assert.equal((await streamChat(sdk, params())).text, 'ab');
  });

  it('a chunk that is not JSON: interrupted, the text so far kept, a sentence that says so', async () => {
    handler = (_q, res) => (sse(res), res.end(`${delta('Cough ')}data: {"choices": [oops\n\n${DONE}`));
    const e = await failure(streamChat(sdk, params()));
    assert.equal(e.kind, 'interrupted');
    assert.equal(e.partial, 'Cough ');
    assert.equal(e.message, 'The server sent a malformed chunk mid-answer; the text received so far is kept. Try again, and check the server version if it repeats.');
  });

  it('silence after the headers: the longer of the two limits before the first token, then the idle limit', async () => {
    handler = (_q, res) => sse(res).flushHeaders(); // and nothing more
    let t0 = Date.now();
    const e = await failure(streamChat(sdk, params({ idleTimeoutMs: 150, connectTimeoutMs: 700 })));
    assert.ok(Date.now() - t0 >= 650, `gave up after ${Date.now() - t0} ms, before the connect limit`);
    assert.equal(e.kind, 'timeout');
    assert.equal(e.partial, '');
    assert.equal(e.message, 'The server accepted the request but sent nothing for 0.7 s. Check the server\'s load, or raise "medgemma.server.connectTimeoutSeconds" (CLI: --timeout).');

    handler = (_q, res) => (sse(res), res.write(delta('Cough ')));
    t0 = Date.now();
    const mid = await failure(streamChat(sdk, params({ idleTimeoutMs: 250, connectTimeoutMs: 5000 })));
    assert.ok(Date.now() - t0 < 3000, 'a mid-stream stall was held to the connect limit');
    assert.equal(mid.kind, 'interrupted');
    assert.equal(mid.partial, 'Cough ');
    assert.equal(mid.message, 'The server stopped sending for 0.3 s mid-answer; the text received so far is kept. Check the server\'s load, or raise "medgemma.server.idleTimeoutSeconds" (CLI: --timeout).');
  });

  it('stopped before it starts: nothing is sent; stopped mid-answer: what was shown, and not a chunk more', async () => {
    const before = new AbortController();
    before.abort();
    handler = (_q, res) => (sse(res), res.end(delta('x', 'stop') + DONE));
    assert.deepEqual(await streamChat(sdk, params(), { signal: before.signal }), { text: '', finishReason: 'cancelled', model: 'medgemma' });
    assert.equal(bodies.length, 0, 'a request was sent after the stop');

    const stop = new AbortController();
    handler = (_q, res) => (sse(res), res.write(delta('one ') + delta('two ') + delta('three ')));
    const shown: string[] = [];
    const r = await streamChat(sdk, params(), {
      signal: stop.signal,
      onDelta: (d) => {
        shown.push(d);
        stop.abort(); // the next two chunks are already buffered
      },
    });
    assert.deepEqual([r.text, r.finishReason, shown], ['one ', 'cancelled', ['one ']]);
  });

  describe('retries before the first token', () => {
    it('503 with Retry-After in seconds, 429 with an HTTP date, 502 without: sent again and answered; onRetry hears each', async () => {
      const first: Record<number, (res: http.ServerResponse) => void> = {
        1: (res) => res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"error":{"message":"busy"}}'),
        2: (res) => res.writeHead(429, { 'retry-after': new Date(Date.now() - 5000).toUTCString(), 'content-type': 'application/json' }).end('{"error":{"message":"slow down"}}'),
        3: (res) => res.writeHead(502).end('bad gateway'),
      };
      handler = (_q, res, n) => (first[n] ? first[n](res) : (sse(res), res.end(delta('ok', 'stop') + DONE)));
      const heard: [number, string][] = [];
      const r = await streamChat(sdk, params({ maxRetries: 3 }), { onRetry: (attempt, _ms, why) => heard.push([attempt, why]) });
      assert.equal(r.text, 'ok');
      assert.deepEqual(heard, [[1, 'HTTP 503'], [2, 'HTTP 429'], [3, 'HTTP 502']]);
      assert.equal(bodies.length, 4);
    });

    it('not sent again: a 500, a Retry-After over a minute, retries used up, a token already shown', async () => {
      handler = (_q, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"kaput"}}');
      assert.equal((await failure(streamChat(sdk, params({ maxRetries: 3 })))).kind, 'server-error');
      assert.equal(bodies.length, 1);

      bodies = [];
      handler = (_q, res) => res.writeHead(503, { 'retry-after': '61' }).end();
      await failure(streamChat(sdk, params({ maxRetries: 3 })));
      assert.equal(bodies.length, 1, 'waited over a minute for a retry');

      bodies = [];
      handler = (_q, res) => res.writeHead(503, { 'retry-after': '0' }).end();
      await failure(streamChat(sdk, params({ maxRetries: 2 })));
      assert.equal(bodies.length, 3, 'the first try and two retries');

      bodies = [];
      handler = (_q, res) => (sse(res), res.write(delta('shown ')), setTimeout(() => res.destroy(), 50));
      const e = await failure(streamChat(sdk, params({ maxRetries: 3 })));
      assert.equal(e.kind, 'interrupted');
      assert.equal(e.partial, 'shown ');
      assert.equal(bodies.length, 1, 'sent again after text was shown');
    });

    it('a stop during the wait for a retry ends it as cancelled, without another request', async () => {
      handler = (_q, res) => res.writeHead(503, { 'retry-after': '30' }).end();
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 200);
      const t0 = Date.now();
      const r = await streamChat(sdk, params({ maxRetries: 3 }), { signal: stop.signal });
      assert.equal(r.finishReason, 'cancelled');
      assert.ok(Date.now() - t0 < 5000, 'waited out the Retry-After despite the stop');
      assert.equal(bodies.length, 1);
    });
  });
});

describe('server/open-stream: retryDelay and the request body', () => {
  const apiError = (status: number, headers: Record<string, string> = {}) => APIError.generate(status, { error: { message: 'x' } }, 'x', new Headers(headers));
  const connection = (code: string) => new APIConnectionError({ cause: Object.assign(new Error(code), { code }) });

  it('backs off 500 ms x 2^attempt (±20 %), at most 8 s, for refused or reset connections and 429/502/503', () => {
    for (const e of [connection('ECONNREFUSED'), connection('ECONNRESET'), connection('UND_ERR_SOCKET'), apiError(503), apiError(429), apiError(502)]) {
      const d0 = retryDelay(e, 0)!;
      assert.ok(d0 >= 400 && d0 <= 600, `${d0}`);
      const d2 = retryDelay(e, 2)!;
      assert.ok(d2 >= 1600 && d2 <= 2400, `${d2}`);
      const d9 = retryDelay(e, 9)!;
      assert.ok(d9 >= 6400 && d9 <= 9600, `${d9}: not capped`);
    }
    const nested = new APIConnectionError({ cause: Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }) });
    assert.ok(retryDelay(nested, 0)! > 0, 'the code one level down (undici) counts too');
  });

  it('Retry-After: seconds or a date, a past date backs off, over a minute is not waited for', () => {
    assert.equal(retryDelay(apiError(429, { 'retry-after': '2' }), 0), 2000);
    assert.equal(retryDelay(apiError(503, { 'retry-after': '60' }), 0), 60_000);
    assert.equal(retryDelay(apiError(503, { 'retry-after': '61' }), 0), undefined);
    const inThree = retryDelay(apiError(503, { 'retry-after': new Date(Date.now() + 3000).toUTCString() }), 0)!;
    assert.ok(inThree > 1000 && inThree <= 3000, `${inThree}`);
    const past = retryDelay(apiError(503, { 'retry-after': new Date(Date.now() - 3000).toUTCString() }), 0)!;
    assert.ok(past >= 400 && past <= 600, `${past}: a past date is the usual backoff`);
  });

  it('not retried: a timeout (a slow prefill), other connection errors, other statuses, anything else', () => {
    for (const e of [new APIConnectionTimeoutError(), connection('ENOTFOUND'), connection('ECONNABORTED'), apiError(500), apiError(400), apiError(401), new Error('x'), undefined]) {
      assert.equal(retryDelay(e, 0), undefined, String(e));
    }
  });

  it('the body: structured output only when asked, strict', () => {
    const p = { model: 'm', messages: [{ role: 'user' as const, content: 'q' }], maxTokens: 9, temperature: 0.5 };
    assert.deepEqual(completionBody(p), { model: 'm', messages: p.messages, max_tokens: 9, temperature: 0.5 });
    const schema = { name: 'verdict', schema: { type: 'object' } };
    assert.deepEqual(completionBody({ ...p, responseFormat: schema }).response_format, { type: 'json_schema', json_schema: { name: 'verdict', schema: { type: 'object' }, strict: true } });
  });
});
