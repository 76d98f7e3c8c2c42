// summarizeNote's decisions at their boundaries, with a scripted model whose token count is the
// number of characters: the headroom kept (2 % of the context, at least 64 tokens, when the
// server counts exactly; 5 %, at least 128, when estimated), one call when the note fits exactly
// and a shortened answer one token short, and what the result says about how it ended.
import * as assert from 'node:assert/strict';
import { numberNote } from '../../../src/core/notes/numbering';
import { buildSummaryMessages } from '../../../src/core/notes/prompts';
import { summarizeNote } from '../../../src/core/notes/summarize';
import { findTemplate } from '../../../src/core/notes/templates';
import { PrivacyScope } from '../../../src/core/privacy/gate';
import { MedGemmaError } from '../../../src/core/server/errors';
import type { ChatMessage, ChatRequest, ChatResult, ChatService, FinishReason } from '../../../src/core/server/types';

const tokensOf = (messages: ChatMessage[]) => messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0);

class Scripted implements ChatService {
  readonly requests: ChatRequest[] = [];
  constructor(
    private readonly context: number,
    private readonly exact: boolean,
    private readonly answer: { text: string; finishReason?: FinishReason } = { text: '- Fever 38.5 [L1]' },
  ) {}
  async chat(req: ChatRequest): Promise<ChatResult> {
    this.requests.push(req);
    return { text: this.answer.text, finishReason: this.answer.finishReason ?? 'stop', model: 'm', promptTokens: tokensOf(req.messages), maxTokens: req.maxTokens };
  }
  async countTokens(messages: ChatMessage[]) {
    return { tokens: tokensOf(messages), exact: this.exact };
  }
  async contextLength() {
    return this.context;
  }
}

const template = findTemplate('brief')!;
const text = [
  'Fever 38.5 overnight.',
  'Cough productive of green sputum.',
  'Started ceftriaxone 1 g IV daily.',
  // A note long enough that its lines, not the instructions, make most of the prompt.
  ...Array.from({ length: 60 }, (_, i) => `Day ${i + 1}: vitals stable, tolerating diet, walking in the hallway.`),
].join('\n');
const promptTokens = tokensOf(buildSummaryMessages(template, numberNote(text)));
/** The headroom as the product states it. */
const margin = (context: number, exact: boolean) => (exact ? Math.max(64, Math.ceil(context * 0.02)) : Math.max(128, Math.ceil(context * 0.05)));
/** The context in which prompt + answer + headroom fit exactly. */
function exactFit(maxTokens: number, exact: boolean): number {
  for (let c = promptTokens + maxTokens; ; c++) if (promptTokens + maxTokens + margin(c, exact) === c) return c;
}

describe('notes/summarize at its boundaries', () => {
  for (const exact of [true, false]) {
    it(`keeps ${exact ? '2 % (at least 64)' : '5 % (at least 128)'} of the context as headroom when the count is ${exact ? 'exact' : 'estimated'}`, async () => {
      // An answer longer than a quarter of the context: one token short, it is shortened, not split.
      const maxTokens = Math.ceil(promptTokens * 0.6);
      const fit = exactFit(maxTokens, exact);
      assert.ok(maxTokens > fit / 4);
      const whole = new Scripted(fit, exact);
      await summarizeNote(whole, { text, template, maxTokens, temperature: 0 });
      assert.deepEqual(whole.requests.map((r) => r.maxTokens), [maxTokens], 'fits exactly: the full answer');
      const short = new Scripted(fit - 1, exact);
      await summarizeNote(short, { text, template, maxTokens, temperature: 0 });
      assert.deepEqual(short.requests.map((r) => r.maxTokens), [fit - 1 - promptTokens - margin(fit - 1, exact)], 'one token short: the answer shortened to the room left');
    });
  }

  it('the headroom grows with the context past its floor', () => {
    // The floor holds up to 3,200 tokens (exact) and 2,560 (estimated); above, 2 % and 5 %.
    assert.equal(margin(3200, true), 64);
    assert.equal(margin(10_000, true), 200);
    assert.equal(margin(2560, false), 128);
    assert.equal(margin(10_000, false), 500);
  });

  it('sends every request of one summary with one privacy scope, a new one when none is given', async () => {
    const chat = new Scripted(100_000, true);
    await summarizeNote(chat, { text, template, maxTokens: 200, temperature: 0 });
    assert.ok(chat.requests[0].privacy instanceof PrivacyScope);
    const scope = new PrivacyScope();
    await summarizeNote(chat, { text, template, maxTokens: 200, temperature: 0, privacy: scope });
    assert.equal(chat.requests[1].privacy, scope);
  });

  it('a finished summary is not partial and carries no "interrupted"; a cut one is partial', async () => {
    const done = await summarizeNote(new Scripted(100_000, true), { text, template, maxTokens: 200, temperature: 0 });
    assert.equal(done.partial, false);
    assert.ok(!('interrupted' in done));
    const cut = await summarizeNote(new Scripted(100_000, true, { text: '- Fever 38.5 [L1]\n- Cough productive of', finishReason: 'length' }), { text, template, maxTokens: 200, temperature: 0 });
    assert.equal(cut.partial, true);
    assert.deepEqual(cut.statements.map((s) => [s.kind, s.reason]), [
      [undefined, undefined],
      ['cut-off', 'cut off before its citation'],
    ]);
  });

  it('an uncited last statement of a finished summary is "no citation", not "cut off"', async () => {
    const r = await summarizeNote(new Scripted(100_000, true, { text: '- Fever 38.5 [L1]\n- Cough productive of green sputum' }), { text, template, maxTokens: 200, temperature: 0 });
    assert.notEqual(r.statements[1].kind, 'cut-off');
    assert.equal(r.statements[1].supported, false);
  });

  it('a bad range is the caller\'s error, with the range named', async () => {
    await assert.rejects(summarizeNote(new Scripted(100_000, true), { text, template, maxTokens: 200, temperature: 0, range: [90, 92] }), (e: unknown) => {
      assert.ok(e instanceof MedGemmaError);
      assert.equal(e.kind, 'bad-request');
      assert.equal(e.message, 'Line range 90-92 starts after the end of the note (63 lines).');
      return true;
    });
  });
});
