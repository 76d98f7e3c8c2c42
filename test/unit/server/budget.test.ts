// Token budgeting without an exact count, and when a failed request is worth a retry: the
// estimate must stay high (Gemma splits every digit), the headroom must be kept when the count
// is only estimated, and a Retry-After over a minute gives up at once.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIConnectionTimeoutError, APIError } from 'openai';
import { answerTokens, estimateTextTokens, estimateTokens, safetyMargin, TokenCounter } from '../../../src/core/server/budget';
import { makeFetch } from '../../../src/core/server/http';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import { isMedGemmaError } from '../../../src/core/server/errors';
import { UNKNOWN_CONTEXT_LENGTH } from '../../../src/core/server/discovery';
import { shapeMessages } from '../../../src/core/server/messages';
import { retryDelay } from '../../../src/core/server/open-stream';
import { MedGemmaClient } from '../../../src/core/server/service';
import type { ChatMessage } from '../../../src/core/server/types';
import { startSim, type Sim } from '../../sim';

describe('server/budget: the estimate', () => {
  it('counts a token per 3 letters of a word, per digit, per symbol, per run of line breaks', () => {
    assert.equal(estimateTextTokens('hypertension'), 4); // 12 letters
    assert.equal(estimateTextTokens('pneumothorax'), 4);
    assert.equal(estimateTextTokens('a b c'), 3);
    assert.equal(estimateTextTokens('12345'), 5);
    assert.equal(estimateTextTokens('BP 168/94'), 1 + 3 + 1 + 2);
    assert.equal(estimateTextTokens('one\n\n\ntwo'), 1 + 1 + 1);
    assert.equal(estimateTextTokens(' \t '), 0);
    assert.equal(estimateTextTokens('ménière'), 3, 'letters beyond ASCII are letters');
  });

  it('adds the chat template per message and 256 per image', () => {
    const text: ChatMessage = { role: 'user', content: 'abc' };
    const image: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'abc' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] };
    assert.equal(estimateTokens([text]), 8 + 6 + 1);
    assert.equal(estimateTokens([text, text]), 8 + 12 + 2);
    assert.equal(estimateTokens([image]), 8 + 6 + 1 + 256);
  });

  it('keeps 3 % of the context plus 32 free when the count is an estimate, nothing when exact', () => {
    assert.equal(safetyMargin({ tokens: 100, exact: true }, 8192), 0);
    assert.equal(safetyMargin({ tokens: 100, exact: false }, 8192), Math.ceil(8192 * 0.03) + 32);
    assert.equal(safetyMargin({ tokens: 100, exact: false }, 4096), 123 + 32);
  });
});

describe('server/budget: against a server without /tokenize or a context length (Ollama)', function () {
  this.timeout(20_000);
  let sim: Sim;
  beforeEach(async () => (sim = await startSim({ profile: 'ollama' })));
  afterEach(async () => sim.stop());

  it('caps max_tokens to the fallback context minus the estimate and the headroom', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: `Summarize: ${'L1: BP 168/94, HR 72. '.repeat(40)}` }];
    const client = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl, model: 'medgemma' }), noCredentials);
    const r = await client.chat({ messages, maxTokens: 100_000, temperature: 0 });
    const estimate = estimateTokens(shapeMessages(messages));
    const margin = safetyMargin({ tokens: estimate, exact: false }, UNKNOWN_CONTEXT_LENGTH);
    const sent = sim.requests.find((q) => q.path === '/v1/chat/completions')!.body.max_tokens;
    assert.equal(r.promptTokens, estimate);
    assert.equal(sent, UNKNOWN_CONTEXT_LENGTH - estimate - margin);
    assert.ok(!sim.requests.some((q) => q.path === '/tokenize' && q.status === 200), 'Ollama has no /tokenize');
  });
});

describe('server/open-stream: which failures are retried, and after how long', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  const apiError = (status: number, h: Record<string, string> = {}) => APIError.generate(status, { message: 'x' }, 'x', headers(h));

  it("waits what the server's Retry-After says, up to a minute; longer gives up", () => {
    assert.equal(retryDelay(apiError(429, { 'retry-after': '2' }), 0), 2000);
    assert.equal(retryDelay(apiError(503, { 'retry-after': '60' }), 0), 60_000);
    assert.equal(retryDelay(apiError(429, { 'retry-after': '61' }), 0), undefined);
    const later = new Date(Date.now() + 5 * 60_000).toUTCString();
    assert.equal(retryDelay(apiError(429, { 'retry-after': later }), 0), undefined);
  });

  it('backs off exponentially without Retry-After, capped at 8 s (±20 %)', () => {
    for (const [attempt, base] of [[0, 500], [1, 1000], [3, 4000], [6, 8000]] as const) {
      const d = retryDelay(apiError(503), attempt)!;
      assert.ok(d >= base * 0.8 && d <= base * 1.2, `attempt ${attempt}: ${d} ms`);
    }
  });

  it('never retries a request the server rejected, or a slow prefill', () => {
    for (const status of [400, 401, 404, 500]) assert.equal(retryDelay(apiError(status), 0), undefined, `HTTP ${status}`);
    assert.equal(retryDelay(new APIConnectionTimeoutError(), 0), undefined);
  });

  it('gives up at once on a Retry-After over a minute (one request, no wait)', async () => {
    const sim = await startSim();
    try {
      sim.setFault({ kind: 'rate-limit', retryAfter: 3600 });
      const client = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl }), noCredentials);
      const e = await client.chat({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 10, temperature: 0 }).then(
        () => assert.fail('expected a failure'),
        (x: unknown) => x,
      );
      assert.ok(isMedGemmaError(e) && e.kind === 'rate-limited', String(e));
      assert.equal(sim.requests.filter((q) => q.path === '/v1/chat/completions').length, 1);
    } finally {
      await sim.stop();
    }
  });
});

describe('server/budget: answerTokens and the character classes of the estimate', () => {
  it('max_tokens is what was asked, capped to the room left; less than 16 tokens of room is an overflow naming the counts', () => {
    assert.equal(answerTokens({ tokens: 1000, exact: true }, 8192, 2048), 2048);
    assert.equal(answerTokens({ tokens: 7000, exact: true }, 8192, 2048), 1192);
    assert.equal(answerTokens({ tokens: 8192 - 16, exact: true }, 8192, 2048), 16, 'exactly 16 left is still sent');
    assert.equal(answerTokens({ tokens: 10, exact: true }, 8192, 0), 1, 'never asks for 0 tokens');
    const margin = Math.ceil(8192 * 0.03) + 32;
    assert.equal(answerTokens({ tokens: 7000, exact: false }, 8192, 2048), 8192 - 7000 - margin, 'an estimate keeps the headroom');
    const exact = (() => {
      try {
        answerTokens({ tokens: 8192 - 15, exact: true }, 8192, 100);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(isMedGemmaError(exact) && exact.kind === 'context-overflow');
    assert.equal((exact as Error).message, "The text is too long for the model's context (8177 tokens of 8192). Select a shorter part, or serve the model with a larger --max-model-len.");
    assert.throws(() => answerTokens({ tokens: 8000, exact: false }, 8192, 100), /\(about 8000 tokens of 8192\)/);
  });

  it('letters are a-z, A-Z and anything beyond ASCII; the characters around those ranges are symbols; CR LF is one break', () => {
    assert.equal(estimateTextTokens('azAZ'), 2);
    for (const symbol of ['@', '[', '`', '{', '\u007f', '0', '9']) assert.equal(estimateTextTokens(`${symbol}${symbol}${symbol}`), 3, JSON.stringify(symbol));
    assert.equal(estimateTextTokens('\u0080\u0080\u0080'), 1, 'U+0080 is a letter');
    assert.equal(estimateTextTokens('a\r\nb'), 3);
    assert.equal(estimateTextTokens('a\r\n\r\n\nb'), 3, 'a run of breaks, CR or LF, is one token');
    assert.equal(estimateTextTokens('abcd'), 2, 'four letters round up');
    assert.equal(estimateTextTokens('ab cd'), 2, 'a word ends at a space');
    assert.equal(estimateTextTokens('ab\ncd'), 3);
    assert.equal(estimateTextTokens('\n'), 1);
    assert.equal(estimateTextTokens(''), 0);
  });
});

describe('server/budget: TokenCounter against a scripted /tokenize', function () {
  this.timeout(10_000);
  let server: http.Server;
  let root: string;
  let asked: { body: Record<string, unknown> }[];
  let reply: (res: http.ServerResponse) => void;
  const messages: ChatMessage[] = [{ role: 'user', content: 'L1: BP 168/94.' }];

  before(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        asked.push({ body: JSON.parse(raw || '{}') });
        reply(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  beforeEach(() => (asked = []));
  const counter = (hasTokenize?: false) => new TokenCounter(root, makeFetch(noCredentials, root), 2000, hasTokenize);

  it('exact from /tokenize, asked with the model, the messages and the generation prompt', async () => {
    reply = (res) => res.writeHead(200).end('{"count": 42}');
    const c = counter();
    assert.deepEqual(await c.count(messages, 'medgemma'), { tokens: 42, exact: true });
    assert.deepEqual(asked[0].body, { model: 'medgemma', messages, add_generation_prompt: true });
    assert.deepEqual(await c.count(messages, 'medgemma'), { tokens: 42, exact: true });
    assert.equal(asked.length, 2);
  });

  it('no such route (404, 405, 501): estimated, and never asked again', async () => {
    for (const status of [404, 405, 501]) {
      asked = [];
      reply = (res) => res.writeHead(status).end();
      const c = counter();
      assert.deepEqual(await c.count(messages, 'm'), { tokens: estimateTokens(messages), exact: false });
      await c.count(messages, 'm');
      assert.equal(asked.length, 1, `asked again after ${status}`);
    }
  });

  it('a count it could not make (400, no count, unreachable): this one estimated, the next asked again', async () => {
    for (const send of [(res: http.ServerResponse) => res.writeHead(400).end('{"error":"image"}'), (res: http.ServerResponse) => res.writeHead(200).end('{"tokens":[1,2]}'), (res: http.ServerResponse) => res.destroy()]) {
      asked = [];
      reply = send;
      const c = counter();
      assert.equal((await c.count(messages, 'm')).exact, false);
      await c.count(messages, 'm');
      assert.equal(asked.length, 2);
    }
  });

  it('a server known to have none (Vertex AI) is never asked; a stop while asking is the caller\'s', async () => {
    reply = (res) => res.writeHead(200).end('{"count": 1}');
    assert.equal((await counter(false).count(messages, 'm')).exact, false);
    assert.equal(asked.length, 0);
    reply = () => undefined; // never answers
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    await assert.rejects(counter().count(messages, 'm', stop.signal));
    server.closeAllConnections();
  });
});
