// Summarize a note through the one ChatService: in one call when it fits the model's context,
// otherwise map-reduce (summarize parts, then combine, hierarchically if needed). Whatever
// happens -- cancel, cut, server failure -- the text produced so far is kept and returned.

import { MedGemmaError, isMedGemmaError } from '../server/errors';
import type { ChatMessage, ChatResult, ChatService, FinishReason, Usage } from '../server/types';
import { checkSummary, type CheckedStatement } from './citations';
import { numberNote, subNote, type LineRange, type NumberedNote } from './numbering';
import { buildCombineMessages, buildSummaryMessages, formatPartSummary, type PartSummary } from './prompts';
import { splitNote } from './split';
import type { Template } from './templates';

export interface SummarizeInput {
  /** The whole note file; `range` picks the lines to summarize (1-based, inclusive). */
  text: string;
  range?: LineRange;
  template: Template;
  maxTokens: number;
  temperature: number;
  model?: string;
}

export interface SummaryProgress {
  /** 1-based step within the phase; `parts` steps in this phase (or combine round). */
  part: number;
  parts: number;
  phase: 'summarize' | 'combine';
}

export interface SummarizeOptions {
  signal?: AbortSignal;
  onProgress?(p: SummaryProgress): void;
  /** Text of the final phase only, as it streams (the single call, or the last combine). */
  onDelta?(text: string): void;
  /** Map-reduce only: each part summary when it is done, for display while the rest runs. */
  onPart?(p: PartSummary & { part: number; parts: number }): void;
}

export interface SummaryResult {
  summary: string;
  statements: CheckedStatement[];
  /** Parts the note was split into (1 when it fitted). */
  parts: number;
  finishReason: FinishReason;
  model: string;
  /** Summed over every call that reported usage. */
  usage?: Usage;
  /** Cancelled, cut at max tokens, or interrupted: the summary is incomplete. */
  partial: boolean;
  /** The summarized lines, 1-based inclusive. */
  range: [number, number];
  /** Parts whose own summary was cut at the token limit (facts from them may be missing). */
  cutParts: number[];
  /** Set when a server error stopped the summary (the message to show). */
  interrupted?: string;
}

/**
 * Thrown when the server fails after some of the summary exists: a MedGemmaError of the
 * original kind and message, with `detail.partial` holding the text so far and `result` the
 * checked partial summary (finished parts included) ready to render.
 */
export class SummaryFailedError extends MedGemmaError {
  constructor(
    original: MedGemmaError,
    readonly result: SummaryResult,
  ) {
    super(original.kind, original.message, { ...original.detail, partial: result.summary, cause: original });
  }
}

// Headroom for tokenizer differences between our count and the server's chat template.
function marginFor(context: number, exact: boolean): number {
  return exact ? Math.max(64, Math.ceil(context * 0.02)) : Math.max(128, Math.ceil(context * 0.05));
}

class Run {
  usage?: Usage;
  model = '';
  constructor(
    private readonly chat: ChatService,
    private readonly input: SummarizeInput,
    private readonly signal?: AbortSignal,
  ) {
    this.model = input.model ?? '';
  }

  async call(messages: ChatMessage[], maxTokens: number, onDelta?: (t: string) => void): Promise<ChatResult> {
    if (this.signal?.aborted) {
      return { text: '', finishReason: 'cancelled', model: this.model, promptTokens: 0, maxTokens };
    }
    const r = await this.chat.chat(
      { messages, maxTokens, temperature: this.input.temperature, model: this.input.model, job: 'text' },
      { signal: this.signal, onDelta },
    );
    if (r.model) this.model = r.model;
    if (r.usage) {
      const u = this.usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
      this.usage = {
        promptTokens: u.promptTokens + r.usage.promptTokens,
        completionTokens: u.completionTokens + r.usage.completionTokens,
        totalTokens: u.totalTokens + r.usage.totalTokens,
      };
    }
    return r;
  }

  async tokens(messages: ChatMessage[]): Promise<{ tokens: number; exact: boolean }> {
    return this.chat.countTokens(messages, 'text');
  }
}

const stoppedEarly = (r: ChatResult) => r.finishReason === 'cancelled' || r.finishReason === 'abort';

export async function summarizeNote(
  chat: ChatService,
  input: SummarizeInput,
  opts: SummarizeOptions = {},
): Promise<SummaryResult> {
  let note: NumberedNote;
  try {
    note = numberNote(input.text, input.range);
  } catch (e) {
    throw new MedGemmaError('bad-request', `${(e as Error).message}`, { cause: e });
  }
  if (note.block === '') {
    throw new MedGemmaError('bad-request', `Lines ${note.start}-${note.end} are empty: there is nothing to summarize.`);
  }
  const run = new Run(chat, input, opts.signal);
  const finish = (summary: string, finishReason: FinishReason, parts: number, cutParts: number[], interrupted?: string) =>
    summaryResult(note, run, { summary, finishReason, parts, cutParts, interrupted });

  const context = await chat.contextLength('text');
  const whole = buildSummaryMessages(input.template, note);
  const count = await run.tokens(whole);
  const margin = marginFor(context, count.exact);

  const single = async (maxTokens: number): Promise<SummaryResult> => {
    opts.onProgress?.({ part: 1, parts: 1, phase: 'summarize' });
    let r: ChatResult;
    try {
      r = await run.call(whole, maxTokens, opts.onDelta);
    } catch (e) {
      throw failed(e, (partial) => finish(partial, 'abort', 1, [], messageOf(e)));
    }
    return finish(r.text, r.finishReason, 1, []);
  };

  // One call: the whole note fits with room for the answer.
  if (count.tokens + input.maxTokens + margin <= context) return single(input.maxTokens);

  // Map: split so that each part's prompt + answer fits. Part answers are capped so that a
  // large maxTokens cannot leave no room for the note.
  const partAnswer = Math.max(64, Math.min(input.maxTokens, Math.floor(context / 4)));
  const overhead = (await run.tokens(buildSummaryMessages(input.template, { ...note, block: '' }, { index: 99, count: 99 }))).tokens;
  const budget = context - partAnswer - margin - overhead;
  if (budget < 256) {
    throw new MedGemmaError(
      'context-overflow',
      `The model's context (${context} tokens) is too small to summarize this note; lower medgemma.summary.maxTokens or use a model with a longer context.`,
    );
  }
  const countText = async (text: string) => (await run.tokens([{ role: 'user', content: text }])).tokens;
  const split = await splitNote(note, budget, countText);
  // The note fits once the answer is shortened to what the context leaves: one call, no
  // combine step (a cut answer is reported as 'length').
  if (split.length === 1) return single(Math.max(partAnswer, Math.min(input.maxTokens, context - count.tokens - margin)));
  const done: PartSummary[] = [];
  const cutParts: number[] = [];
  const partsSoFar = (extra?: PartSummary) => [...done, ...(extra && extra.text.trim() ? [extra] : [])].map(formatPartSummary).join('\n\n');

  for (let i = 0; i < split.length; i++) {
    const p = split[i];
    opts.onProgress?.({ part: i + 1, parts: split.length, phase: 'summarize' });
    let r: ChatResult;
    try {
      r = await run.call(buildSummaryMessages(input.template, subNote(note, p.start, p.end), { index: i + 1, count: split.length }), partAnswer);
    } catch (e) {
      throw failed(e, (partial) => finish(partsSoFar({ start: p.start, end: p.end, text: partial }), 'abort', split.length, cutParts, messageOf(e)));
    }
    const summary: PartSummary = { start: p.start, end: p.end, text: r.text };
    if (stoppedEarly(r)) return finish(partsSoFar(summary), r.finishReason, split.length, cutParts);
    if (r.finishReason === 'length') cutParts.push(i + 1);
    done.push(summary);
    opts.onPart?.({ ...summary, part: i + 1, parts: split.length });
  }

  // Reduce: combine everything at once if it fits, else in groups, round after round.
  let level = done;
  const tokenCache = new Map<PartSummary, number>();
  const tokensOf = async (p: PartSummary) => {
    let t = tokenCache.get(p);
    if (t === undefined) tokenCache.set(p, (t = await countText(formatPartSummary(p))));
    return t;
  };
  for (;;) {
    const all = buildCombineMessages(input.template, level);
    const allTokens = (await run.tokens(all)).tokens;
    if (allTokens + input.maxTokens + margin <= context || level.length === 1) {
      opts.onProgress?.({ part: 1, parts: 1, phase: 'combine' });
      let r: ChatResult;
      try {
        r = await run.call(all, Math.max(64, Math.min(input.maxTokens, context - allTokens - margin)), opts.onDelta);
      } catch (e) {
        throw failed(e, (partial) => finish(keepInputs(partial, level), 'abort', split.length, cutParts, messageOf(e)));
      }
      if (stoppedEarly(r)) return finish(keepInputs(r.text, level), r.finishReason, split.length, cutParts);
      return finish(r.text, r.finishReason, split.length, cutParts);
    }

    const interAnswer = partAnswer;
    const groupBudget = context - interAnswer - margin - (await run.tokens(buildCombineMessages(input.template, []))).tokens;
    const groups = await groupParts(level, groupBudget, tokensOf);
    if (groups.every((g) => g.length === 1)) {
      throw new MedGemmaError(
        'context-overflow',
        `The part summaries are too long to combine in the model's context (${context} tokens); lower medgemma.summary.maxTokens or use a model with a longer context.`,
      );
    }

    const next: PartSummary[] = [];
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g];
      if (group.length === 1) {
        next.push(group[0]);
        continue;
      }
      opts.onProgress?.({ part: g + 1, parts: groups.length, phase: 'combine' });
      const remaining = () => [...next, ...groups.slice(g).flat()];
      let r: ChatResult;
      try {
        r = await run.call(buildCombineMessages(input.template, group), interAnswer);
      } catch (e) {
        throw failed(e, () => finish(remaining().map(formatPartSummary).join('\n\n'), 'abort', split.length, cutParts, messageOf(e)));
      }
      // An unfinished intermediate combine is dropped: its inputs are complete and kept instead.
      if (stoppedEarly(r)) return finish(remaining().map(formatPartSummary).join('\n\n'), r.finishReason, split.length, cutParts);
      next.push({ start: group[0].start, end: group[group.length - 1].end, text: r.text });
    }
    level = next;
  }
}

interface Outcome {
  summary: string;
  finishReason: FinishReason;
  parts: number;
  cutParts: number[];
  /** Why the summary stopped before its end, if it did (an error's message). */
  interrupted?: string;
}

/** The result of a summary: its statements checked against the note. */
function summaryResult(note: NumberedNote, run: Run, o: Outcome): SummaryResult {
  const { summary, finishReason, parts, cutParts, interrupted } = o;
  const statements = checkSummary(summary, note);
  const last = statements[statements.length - 1];
  // A stopped or cut answer usually ends mid-statement: say so rather than "no citation".
  if ((finishReason !== 'stop' || interrupted !== undefined) && last && last.lines.length === 0 && last.span[1] >= summary.trimEnd().length) {
    last.reason = 'cut off before its citation';
  }
  const result: SummaryResult = {
    summary,
    statements,
    parts,
    finishReason,
    model: run.model,
    usage: run.usage,
    partial: finishReason !== 'stop' || interrupted !== undefined,
    range: [note.start, note.end],
    cutParts,
  };
  if (interrupted !== undefined) result.interrupted = interrupted;
  return result;
}

/** Part summaries in order, packed into groups that fit the budget (one alone may exceed it). */
async function groupParts(level: PartSummary[], budget: number, tokensOf: (p: PartSummary) => Promise<number>): Promise<PartSummary[][]> {
  const groups: PartSummary[][] = [];
  let current: PartSummary[] = [];
  let used = 0;
  for (const p of level) {
    const t = await tokensOf(p);
    if (current.length > 0 && used + t > budget) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(p);
    used += t;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** A final combine that stopped early: its text so far, then the complete inputs it was combining. */
function keepInputs(partialCombine: string, inputs: readonly PartSummary[]): string {
  const parts = inputs.map(formatPartSummary).join('\n\n');
  return partialCombine.trim() ? `${partialCombine.trim()}\n\n## Part summaries (not yet combined)\n\n${parts}` : parts;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The error to throw after a failure: the original when nothing was produced, otherwise a
 * SummaryFailedError carrying the partial result (non-MedGemma errors become 'interrupted').
 */
function failed(e: unknown, partialResult: (partialText: string) => SummaryResult): unknown {
  const original = isMedGemmaError(e)
    ? e
    : new MedGemmaError('interrupted', `The summary stopped unexpectedly (${messageOf(e)}); the text so far is kept.`, { cause: e });
  const result = partialResult(original.partial);
  if (result.summary.trim() === '') return e;
  return new SummaryFailedError(original, result);
}
