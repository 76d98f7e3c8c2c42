// The reduce step of a long note (combine-parts.ts), driven directly with a scripted model whose
// token count is the number of characters: when the part summaries are combined at once, how they
// are grouped when they do not fit, the answer sizes asked for, and what is kept when a combine
// stops or fails.
import * as assert from 'node:assert/strict';
import { combineParts } from '../../../src/core/notes/combine-parts';
import { buildCombineMessages, formatPartSummary, type PartSummary } from '../../../src/core/notes/prompts';
import type { SummaryProgress, SummaryResult } from '../../../src/core/notes/summarize';
import { SummaryFailedError } from '../../../src/core/notes/summary-failure';
import { Run, type SummaryJob } from '../../../src/core/notes/summary-run';
import type { Template } from '../../../src/core/notes/templates';
import { MedGemmaError } from '../../../src/core/server/errors';
import type { ChatMessage, ChatRequest, ChatResult, ChatService, FinishReason } from '../../../src/core/server/types';

type Answer = { text: string; finishReason?: FinishReason } | Error;

const tokensOf = (messages: ChatMessage[]) => messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : 0), 0);

class ScriptedChat implements ChatService {
  readonly calls: ChatRequest[] = [];
  constructor(private readonly answers: Answer[]) {}
  async chat(req: ChatRequest): Promise<ChatResult> {
    this.calls.push(req);
    const a = this.answers.shift() ?? { text: '- done [L1]' };
    if (a instanceof Error) throw a;
    return { text: a.text, finishReason: a.finishReason ?? 'stop', model: 'm', promptTokens: tokensOf(req.messages), maxTokens: req.maxTokens };
  }
  async countTokens(messages: ChatMessage[]) {
    return { tokens: tokensOf(messages), exact: true };
  }
  async contextLength() {
    return 100_000;
  }
}

const template = { id: 'brief', label: 'Brief', instructions: 'Problems first.' } as Template;
const MARGIN = 10;
const MAX = 100;
const INTER = 50;
const EMPTY = tokensOf(buildCombineMessages(template, []));
/** A part summary whose formatted size is exactly `size` tokens. */
function part(start: number, end: number, size: number): PartSummary {
  const head = formatPartSummary({ start, end, text: '' }).length;
  const cite = ` [L${start}]`;
  const text = `- ${'x'.repeat(size - head - cite.length - 2)}${cite}`;
  assert.equal(head + text.length, size);
  return { start, end, text };
}
const combined = (parts: PartSummary[]) => tokensOf(buildCombineMessages(template, parts));

interface Finished {
  summary: string;
  finishReason: FinishReason;
  parts: number;
  cutParts: number[];
  interrupted?: string;
}

function job(chat: ScriptedChat, context: number) {
  const finished: Finished[] = [];
  const progress: SummaryProgress[] = [];
  const input = { text: '', template, maxTokens: MAX, temperature: 0 };
  const j: SummaryJob = {
    input,
    opts: { onProgress: (p) => progress.push(p) },
    run: new Run(chat, input),
    context,
    margin: MARGIN,
    finish: (summary, finishReason, parts, cutParts, interrupted) => {
      finished.push({ summary, finishReason, parts, cutParts, interrupted });
      return { summary, finishReason } as SummaryResult;
    },
  };
  return { j, finished, progress };
}

describe('notes/combine-parts', () => {
  it('combines at once when prompt, answer and margin fit exactly, asking for the full answer', async () => {
    const parts = [part(1, 40, 200), part(41, 80, 200)];
    const chat = new ScriptedChat([{ text: '- Fever [L3]' }]);
    const { j, finished, progress } = job(chat, combined(parts) + MAX + MARGIN);
    const r = await combineParts(j, parts, 2, [2], INTER);
    assert.equal(chat.calls.length, 1);
    assert.deepEqual(chat.calls[0].messages, buildCombineMessages(template, parts));
    assert.equal(chat.calls[0].maxTokens, MAX);
    assert.deepEqual(finished, [{ summary: '- Fever [L3]', finishReason: 'stop', parts: 2, cutParts: [2], interrupted: undefined }]);
    assert.equal(r.summary, '- Fever [L3]');
    assert.deepEqual(progress, [{ part: 1, parts: 1, phase: 'combine' }]);

    // One token short: the two are combined as a group first (an intermediate answer), then alone.
    const short = new ScriptedChat([{ text: '- merged [L1]' }, { text: '- Fever [L3]' }]);
    await combineParts(job(short, combined(parts) + MAX + MARGIN - 1).j, parts, 2, [], INTER);
    assert.deepEqual(short.calls.map((c) => c.maxTokens), [INTER, MAX]);
  });

  it('groups the parts that fit the budget and passes a part alone through untouched', async () => {
    const parts = [part(1, 40, 200), part(41, 80, 200), part(81, 120, 200)];
    // The group budget (context - intermediate answer - margin - empty prompt) holds two parts exactly.
    const context = 400 + INTER + MARGIN + EMPTY;
    assert.ok(combined(parts) + MAX + MARGIN > context, 'the three do not fit at once');
    const chat = new ScriptedChat([{ text: '- merged [L1]' }, { text: '- final [L1]' }]);
    const { j, finished, progress } = job(chat, context);
    await combineParts(j, parts, 3, [], INTER);
    assert.equal(chat.calls.length, 2, 'one combine of the first two, then the final one: the third is not combined alone');
    assert.deepEqual(chat.calls[0].messages, buildCombineMessages(template, parts.slice(0, 2)));
    assert.equal(chat.calls[0].maxTokens, INTER);
    const level2 = [{ start: 1, end: 80, text: '- merged [L1]' }, parts[2]];
    assert.deepEqual(chat.calls[1].messages, buildCombineMessages(template, level2));
    assert.equal(chat.calls[1].maxTokens, Math.min(MAX, context - combined(level2) - MARGIN));
    assert.deepEqual(progress, [
      { part: 1, parts: 2, phase: 'combine' },
      { part: 1, parts: 1, phase: 'combine' },
    ]);
    assert.deepEqual(finished.map((f) => f.summary), ['- final [L1]']);
  });

  it('a last summary that does not fit is still combined, with the room left (at least 64 tokens)', async () => {
    const one = [part(1, 40, 300)];
    const chat = new ScriptedChat([{ text: 'a' }, { text: 'b' }]);
    await combineParts(job(chat, combined(one) + MARGIN + 70).j, one, 1, [], INTER);
    assert.equal(chat.calls[0].maxTokens, 70);
    await combineParts(job(chat, combined(one) + MARGIN + 20).j, one, 1, [], INTER);
    assert.equal(chat.calls[1].maxTokens, 64);
  });

  it('says the context is too small when no two part summaries fit together', async () => {
    const parts = [part(1, 40, 200), part(41, 80, 200)];
    const context = 399 + INTER + MARGIN + EMPTY;
    const chat = new ScriptedChat([]);
    await assert.rejects(combineParts(job(chat, context).j, parts, 2, [], INTER), (e: unknown) => {
      assert.ok(e instanceof MedGemmaError);
      assert.equal(e.kind, 'context-overflow');
      assert.equal(
        e.message,
        `The part summaries are too long to combine in the model's context (${context} tokens); lower medgemma.summary.maxTokens or use a model with a longer context.`,
      );
      return true;
    });
    assert.equal(chat.calls.length, 0);
  });

  it('an intermediate combine stopped by the user keeps what is combined and every part not yet combined', async () => {
    const parts = [part(1, 40, 200), part(41, 80, 200), part(81, 120, 200), part(121, 160, 200)];
    const context = 400 + INTER + MARGIN + EMPTY;
    const chat = new ScriptedChat([{ text: '- first half [L1]' }, { text: '- half of the second', finishReason: 'cancelled' }]);
    const { j, finished, progress } = job(chat, context);
    await combineParts(j, parts, 4, [3], INTER);
    assert.equal(chat.calls.length, 2);
    const kept = [{ start: 1, end: 80, text: '- first half [L1]' }, parts[2], parts[3]].map(formatPartSummary).join('\n\n');
    assert.deepEqual(finished, [{ summary: kept, finishReason: 'cancelled', parts: 4, cutParts: [3], interrupted: undefined }]);
    assert.deepEqual(progress, [
      { part: 1, parts: 2, phase: 'combine' },
      { part: 2, parts: 2, phase: 'combine' },
    ]);
  });

  it('an intermediate combine that fails throws the error with the same text kept', async () => {
    const parts = [part(1, 40, 200), part(41, 80, 200), part(81, 120, 200), part(121, 160, 200)];
    const context = 400 + INTER + MARGIN + EMPTY;
    const chat = new ScriptedChat([{ text: '- first half [L1]' }, new MedGemmaError('server-error', 'The server failed (HTTP 500).')]);
    const { j, finished } = job(chat, context);
    const err = await combineParts(j, parts, 4, [], INTER).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof SummaryFailedError);
    assert.equal(err.kind, 'server-error');
    const kept = [{ start: 1, end: 80, text: '- first half [L1]' }, parts[2], parts[3]].map(formatPartSummary).join('\n\n');
    assert.deepEqual(finished, [{ summary: kept, finishReason: 'abort', parts: 4, cutParts: [], interrupted: 'The server failed (HTTP 500).' }]);
  });

  it('a final combine stopped early keeps its text, then the inputs it was combining; with no text, the inputs alone', async () => {
    const parts = [part(1, 40, 200), part(41, 80, 200)];
    const inputs = parts.map(formatPartSummary).join('\n\n');
    const context = combined(parts) + MAX + MARGIN;
    const chat = new ScriptedChat([
      { text: '  - Fever [L3]\n', finishReason: 'cancelled' },
      { text: ' \n', finishReason: 'abort' },
      { text: '- Fever [L3] and', finishReason: 'length' },
    ]);
    const runs = [job(chat, context), job(chat, context), job(chat, context)];
    for (const r of runs) await combineParts(r.j, parts, 2, [], INTER);
    assert.equal(runs[0].finished[0].summary, `- Fever [L3]\n\n## Part summaries (not yet combined)\n\n${inputs}`);
    assert.equal(runs[0].finished[0].finishReason, 'cancelled');
    assert.equal(runs[1].finished[0].summary, inputs);
    assert.equal(runs[1].finished[0].finishReason, 'abort');
    // Cut at the token limit is not a stop: the text is the summary, flagged as cut by the caller.
    assert.equal(runs[2].finished[0].summary, '- Fever [L3] and');
    assert.equal(runs[2].finished[0].finishReason, 'length');
  });
});
