// The model check's run loop (core/notes/verify/verify.ts) against a scripted ChatService, for
// what the simulator cannot stage exactly: stops at a given moment, a request that fails after
// the schema fallback, a statement too long to send, the cost sums, the caller's signal.
// The simulator runs are in verify.test.ts.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkSummary } from '../../../src/core/notes/citations';
import { numberNote } from '../../../src/core/notes/numbering';
import { modelCheckIncomplete, VERIFY_MODES, verifyWithModel, type ModelCheck } from '../../../src/core/notes/verify/verify';
import { MedGemmaError } from '../../../src/core/server/errors';
import type { ChatRequest, ChatResult, ChatService, StreamOptions } from '../../../src/core/server/types';

const note = numberNote(['Troponin 0.08 ng/mL.', 'Potassium 3.1 mmol/L.', 'Sodium 139 mmol/L.', ''].join('\n'));
const three = () => checkSummary('- Troponin 0.08 ng/mL [L1]\n- Potassium 3.1 mmol/L [L2]\n- Sodium 139 mmol/L [L3]', note);
const SUPPORTED = '{"verdict":"supported","words":""}';

type Answer = (req: ChatRequest, opts: StreamOptions | undefined) => Promise<Partial<ChatResult>> | Partial<ChatResult>;

/** A ChatService that answers with `answer` and records every request. */
function scripted(answer: Answer): ChatService & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    requests,
    countTokens: async () => ({ tokens: 0, exact: false }),
    contextLength: async () => 8192,
    chat: async (req, opts) => {
      requests.push(req);
      return { text: '', finishReason: 'stop', model: 'm', promptTokens: 0, maxTokens: 160, ...(await answer(req, opts)) };
    },
  };
}

const userText = (req: ChatRequest) => String(req.messages[1].content);
/** Resolves when the signal aborts, or after `ms`. */
const abortedOrAfter = (signal: AbortSignal | undefined, ms: number) =>
  new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve(true)), { once: true });
  });

describe('notes/verify: the run loop', () => {
  it('adds up the cost of every request', async () => {
    const chat = scripted(() => ({ text: SUPPORTED, usage: { promptTokens: 100, completionTokens: 7, totalTokens: 107 } }));
    const { check } = await verifyWithModel(chat, three(), note);
    assert.deepEqual(check.usage, { promptTokens: 300, completionTokens: 21, totalTokens: 321 });
  });

  it('nothing to check: no request and no progress', async () => {
    const chat = scripted(() => ({ text: SUPPORTED }));
    const flagged = three().map((s) => ({ ...s, supported: false }));
    const progress: number[] = [];
    const { check } = await verifyWithModel(chat, flagged, note, { onProgress: (d, t) => progress.push(d, t) });
    assert.equal(chat.requests.length, 0);
    assert.deepEqual(progress, []);
    assert.equal(check.total, 0);
  });

  it('a statement citing too many lines is skipped, not sent, and still counts as done', async () => {
    const long = numberNote(Array.from({ length: 100 }, (_, i) => `Line ${i + 1} text`).join('\n'));
    const [wide] = checkSummary('- Line 1 text [L1-L80]', long);
    const [narrow] = checkSummary('- Line 2 text [L2]', long);
    const chat = scripted(() => ({ text: SUPPORTED }));
    const progress: number[] = [];
    const { statements, check } = await verifyWithModel(chat, [{ ...wide, supported: true }, narrow], long, { onProgress: (d) => progress.push(d) });
    assert.equal(chat.requests.length, 1);
    assert.match(userText(chat.requests[0]), /Statement to check: Line 2 text$/);
    assert.deepEqual(statements.map((s) => s.model), ['skipped', 'supported']);
    assert.equal(check.skipped, 1);
    assert.equal(check.checked, 1);
    assert.deepEqual(progress, [0, 1, 2]);
  });

  it('the schema fallback happens once: a later refused request is a failure, not another retry', async () => {
    const chat = scripted((req) => {
      if (req.responseFormat || /Potassium/.test(userText(req))) throw new MedGemmaError('bad-request', 'The server refused the request.');
      return { text: SUPPORTED };
    });
    const { statements, check } = await verifyWithModel(chat, three(), note, { concurrency: 1 });
    assert.equal(check.structured, false);
    // Troponin: refused with the schema, asked again without; Potassium: refused once; Sodium.
    assert.equal(check.requests, 4);
    assert.deepEqual(statements.map((s) => s.model), ['supported', 'failed', 'supported']);
    assert.equal(check.stopped, undefined, 'a refused request is not a server that stopped answering');
  });

  it('a signal aborted before the start sends nothing', async () => {
    const chat = scripted(() => ({ text: SUPPORTED }));
    const ac = new AbortController();
    ac.abort();
    const { statements, check } = await verifyWithModel(chat, three(), note, { signal: ac.signal });
    assert.equal(chat.requests.length, 0);
    assert.equal(check.stopped, 'cancelled');
    assert.ok(statements.every((s) => s.supported && s.model === undefined));
  });

  for (const how of ['answers "cancelled"', 'rejects'] as const) {
    it(`a stop closes the request in flight (the service ${how}): nothing read, nothing failed`, async () => {
      const chat = scripted(async (_req, opts) => {
        if (!(await abortedOrAfter(opts?.signal, 3000))) return { text: '{"verdict":"contradicted","words":""}' };
        if (how === 'rejects') throw new Error('This operation was aborted');
        return { text: '', finishReason: 'cancelled' };
      });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      const t0 = Date.now();
      const { statements, check } = await verifyWithModel(chat, three(), note, { signal: ac.signal });
      assert.ok(Date.now() - t0 < 1500, `took ${Date.now() - t0} ms`);
      assert.equal(check.requests, 1);
      assert.deepEqual({ checked: check.checked, unreadable: check.unreadable, failed: check.failed, stopped: check.stopped }, { checked: 0, unreadable: 0, failed: 0, stopped: 'cancelled' });
      assert.ok(statements.every((s) => s.supported && s.model === undefined));
    });
  }

  it('a stop after the last answer leaves the check complete', async () => {
    const chat = scripted(() => ({ text: SUPPORTED }));
    const ac = new AbortController();
    const { check } = await verifyWithModel(chat, three(), note, { signal: ac.signal, onProgress: (d, t) => d === t && ac.abort() });
    assert.equal(check.checked, 3);
    assert.equal(check.stopped, undefined);
  });

  it("leaves no listener on the caller's signal", async () => {
    const ac = new AbortController();
    await verifyWithModel(scripted(() => ({ text: SUPPORTED })), three(), note, { signal: ac.signal });
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  });

  it('incomplete: failed requests or a server that stopped, not a stop by the user', () => {
    const base: ModelCheck = { total: 3, checked: 3, flagged: 0, unreadable: 0, failed: 0, skipped: 0, requests: 3, structured: true };
    assert.equal(modelCheckIncomplete(base), false);
    assert.equal(modelCheckIncomplete({ ...base, failed: 1 }), true);
    assert.equal(modelCheckIncomplete({ ...base, stopped: 'cancelled' }), false);
    assert.equal(modelCheckIncomplete({ ...base, stopped: 'The server answered 503.' }), true);
    assert.equal(modelCheckIncomplete({ ...base, failed: 1, stopped: 'cancelled' }), true);
  });

  it("the modes are the setting's choices", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
    assert.deepEqual([...VERIFY_MODES], pkg.contributes.configuration.properties['medgemma.summary.verify'].enum);
  });
});
