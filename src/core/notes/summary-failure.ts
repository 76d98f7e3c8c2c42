// What a summary throws when the server fails: the original error while nothing is written,
// else an error that carries the partial result (finished parts included).

import { MedGemmaError, isMedGemmaError, messageOf } from '../server/errors';
import type { SummaryResult } from './summarize';

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

/**
 * The error to throw after a failure: the original when nothing was produced, otherwise a
 * SummaryFailedError carrying the partial result (non-MedGemma errors become 'interrupted').
 */
export function failed(e: unknown, partialResult: (partialText: string) => SummaryResult): unknown {
  const original = isMedGemmaError(e)
    ? e
    : new MedGemmaError('interrupted', `The summary stopped unexpectedly (${messageOf(e)}); the text so far is kept.`, { cause: e });
  const result = partialResult(original.partial);
  if (result.summary.trim() === '') return e;
  return new SummaryFailedError(original, result);
}
