// Summarize a note through the one ChatService: in one call when it fits the model's context,
// otherwise map-reduce (summarize parts, then combine, hierarchically if needed). Whatever
// happens -- cancel, cut, server failure -- the text produced so far is kept and returned.

import { PrivacyScope } from '../privacy/gate';
import { MedGemmaError } from '../server/errors';
import type { ChatMessage, ChatResult, ChatService, FinishReason, Usage } from '../server/types';
import { checkSummary, type CheckedStatement } from './citations';
import { combineParts } from './combine-parts';
import { numberNote, type LineRange, type NumberedNote } from './numbering';
import { buildSummaryMessages, type PartSummary } from './prompts';
import { splitNote } from './split';
import { summarizeParts } from './summarize-parts';
import { messageOf } from '../server/errors';
import { failed } from './summary-failure';
import { Run, type SummaryJob } from './summary-run';
import type { Template } from './templates';
import { verifyWithModel, type ModelCheck, type VerifyMode } from './verify/verify';

export { SummaryFailedError } from './summary-failure';

export interface SummarizeInput {
  /** The whole note file; `range` picks the lines to summarize (1-based, inclusive). */
  text: string;
  range?: LineRange;
  template: Template;
  maxTokens: number;
  temperature: number;
  model?: string;
  /** 'rules' (default): the local checks only; 'rules+model': then the model checks each statement they pass. */
  verify?: VerifyMode;
  /** The note's privacy scope: every request of this summary and its check use the same stand-ins. */
  privacy?: PrivacyScope;
}

export interface SummaryProgress {
  /** 1-based step within the phase; `parts` steps in this phase (or combine round). */
  part: number;
  parts: number;
  phase: 'summarize' | 'combine' | 'verify';
}

export interface SummarizeOptions {
  signal?: AbortSignal;
  onProgress?(p: SummaryProgress): void;
  /** Text of the final phase only, as it streams (the single call, or the last combine). */
  onDelta?(text: string): void;
  /** Map-reduce only: each part summary when it is done, for display while the rest runs. */
  onPart?(p: PartSummary & { part: number; parts: number }): void;
  /** verify 'rules+model' only: the rule-checked result, before the model check starts. */
  onRulesChecked?(r: SummaryResult): void;
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
  /** What the model check did, when it ran (verify: 'rules+model'). */
  modelCheck?: ModelCheck;
}

// Headroom for tokenizer differences between our count and the server's chat template.
function marginFor(context: number, exact: boolean): number {
  return exact ? Math.max(64, Math.ceil(context * 0.02)) : Math.max(128, Math.ceil(context * 0.05));
}

export async function summarizeNote(
  chat: ChatService,
  input: SummarizeInput,
  opts: SummarizeOptions = {},
): Promise<SummaryResult> {
  const note = linesToSummarize(input);
  input = { ...input, privacy: input.privacy ?? new PrivacyScope() };
  const result = await summarizeLines(chat, note, input, opts);
  // A summary the user stopped is not checked further; one cut at the token limit is (its
  // last statement, cut before its citation, is already flagged and not sent).
  if (input.verify !== 'rules+model' || result.finishReason === 'cancelled' || opts.signal?.aborted) return result;
  opts.onRulesChecked?.(result);
  const { statements, check } = await verifyWithModel(chat, result.statements, note, {
    model: input.model,
    signal: opts.signal,
    privacy: input.privacy,
    onProgress: (done, total) => opts.onProgress?.({ part: done, parts: total, phase: 'verify' }),
  });
  return { ...result, statements, modelCheck: check };
}

async function summarizeLines(chat: ChatService, note: NumberedNote, input: SummarizeInput, opts: SummarizeOptions): Promise<SummaryResult> {
  const run = new Run(chat, input, opts.signal);
  const context = await chat.contextLength('text');
  const whole = buildSummaryMessages(input.template, note);
  const count = await run.tokens(whole);
  const margin = marginFor(context, count.exact);
  const job: SummaryJob = {
    input,
    opts,
    run,
    context,
    margin,
    finish: (summary, finishReason, parts, cutParts, interrupted) => summaryResult(note, run, { summary, finishReason, parts, cutParts, interrupted }),
  };

  // One call: the whole note fits with room for the answer.
  if (count.tokens + input.maxTokens + margin <= context) return summarizeWhole(job, whole, input.maxTokens);

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
  const split = await splitNote(note, budget, (text) => run.textTokens(text));
  // The note fits once the answer is shortened to what the context leaves: one call, no
  // combine step (a cut answer is reported as 'length').
  if (split.length === 1) return summarizeWhole(job, whole, Math.max(partAnswer, Math.min(input.maxTokens, context - count.tokens - margin)));
  const mapped = await summarizeParts(job, note, split, partAnswer);
  if ('stopped' in mapped) return mapped.stopped;
  // Reduce: intermediate combines get the part answer's size.
  return combineParts(job, mapped.done, split.length, mapped.cutParts, partAnswer);
}

/** The lines to summarize, numbered; a bad or empty range is the caller's error. */
function linesToSummarize(input: SummarizeInput): NumberedNote {
  let note: NumberedNote;
  try {
    note = numberNote(input.text, input.range);
  } catch (e) {
    throw new MedGemmaError('bad-request', `${(e as Error).message}`, { cause: e });
  }
  if (note.block === '') {
    throw new MedGemmaError('bad-request', `Lines ${note.start}-${note.end} are empty: there is nothing to summarize.`);
  }
  return note;
}

/** The whole note in one call, its answer streamed. */
async function summarizeWhole(job: SummaryJob, whole: ChatMessage[], maxTokens: number): Promise<SummaryResult> {
  job.opts.onProgress?.({ part: 1, parts: 1, phase: 'summarize' });
  let r: ChatResult;
  try {
    r = await job.run.call(whole, maxTokens, job.opts.onDelta);
  } catch (e) {
    throw failed(e, (partial) => job.finish(partial, 'abort', 1, [], messageOf(e)));
  }
  return job.finish(r.text, r.finishReason, 1, []);
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
    last.kind = 'cut-off';
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
