// Token budgeting without an exact count, and when a failed request is worth a retry: the
// estimate must stay high (Gemma splits every digit), the headroom must be kept when the count
// is only estimated, and a Retry-After over a minute gives up at once.
import * as assert from 'node:assert/strict';
import { APIConnectionTimeoutError, APIError } from 'openai';
import { estimateTextTokens, estimateTokens, safetyMargin } from '../../../src/core/server/budget';
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
