// One summary's calls to the model (summary-run.ts): the model named in the result, usage summed,
// no request once stopped, and which endings count as a stop.
import * as assert from 'node:assert/strict';
import { Run, stoppedEarly } from '../../../src/core/notes/summary-run';
import type { Template } from '../../../src/core/notes/templates';
import type { ChatRequest, ChatResult, ChatService, FinishReason } from '../../../src/core/server/types';

class Answers implements ChatService {
  readonly requests: ChatRequest[] = [];
  constructor(private readonly results: Partial<ChatResult>[]) {}
  async chat(req: ChatRequest): Promise<ChatResult> {
    this.requests.push(req);
    return { text: 'ok', finishReason: 'stop', model: '', promptTokens: 1, maxTokens: req.maxTokens, ...this.results.shift() };
  }
  async countTokens() {
    return { tokens: 7, exact: true };
  }
  async contextLength() {
    return 8192;
  }
}

const input = (model?: string) => ({ text: 'note', template: { id: 'brief' } as Template, maxTokens: 100, temperature: 0.2, model });

describe('notes/summary-run', () => {
  it('names the model asked for until a server names the one that answered; an answer naming none keeps it', async () => {
    assert.equal(new Run(new Answers([]), input()).model, '');
    const chat = new Answers([{ model: 'google/medgemma-27b' }, { model: '' }]);
    const run = new Run(chat, input('medgemma'));
    assert.equal(run.model, 'medgemma');
    await run.call([{ role: 'user', content: 'a' }], 50);
    assert.equal(run.model, 'google/medgemma-27b');
    await run.call([{ role: 'user', content: 'b' }], 50);
    assert.equal(run.model, 'google/medgemma-27b');
    assert.deepEqual(
      chat.requests.map((r) => [r.model, r.maxTokens, r.temperature, r.job, r.feature]),
      [
        ['medgemma', 50, 0.2, 'text', 'summary'],
        ['medgemma', 50, 0.2, 'text', 'summary'],
      ],
    );
  });

  it('sums the usage of every call that reports one', async () => {
    const usage = (p: number, c: number) => ({ promptTokens: p, completionTokens: c, totalTokens: p + c });
    const run = new Run(new Answers([{ usage: usage(10, 5) }, {}, { usage: usage(1, 2) }]), input());
    assert.equal(run.usage, undefined);
    for (let i = 0; i < 3; i++) await run.call([{ role: 'user', content: 'x' }], 10);
    assert.deepEqual(run.usage, usage(11, 7));
  });

  it('sends nothing once stopped: the call ends "cancelled" with the model known so far', async () => {
    const ac = new AbortController();
    ac.abort();
    const chat = new Answers([]);
    const r = await new Run(chat, input('medgemma'), ac.signal).call([{ role: 'user', content: 'x' }], 42);
    assert.deepEqual(r, { text: '', finishReason: 'cancelled', model: 'medgemma', promptTokens: 0, maxTokens: 42 });
    assert.equal(chat.requests.length, 0);
  });

  it('counts tokens of a bare text as one user message', async () => {
    assert.equal(await new Run(new Answers([]), input()).textTokens('hello'), 7);
  });

  it('a stop by the user or the server ends a summary early; a cut at the token limit or a normal end does not', () => {
    const ends: Record<FinishReason, boolean> = { cancelled: true, abort: true, length: false, stop: false };
    for (const [finishReason, early] of Object.entries(ends)) {
      assert.equal(stoppedEarly({ text: '', finishReason: finishReason as FinishReason, model: '', promptTokens: 0, maxTokens: 0 }), early, finishReason);
    }
  });
});
