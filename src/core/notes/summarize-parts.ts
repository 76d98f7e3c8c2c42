// The map step of a long note: each part summarized on its own, in order. A part that stops
// early ends the summary with the parts done so far.

import type { ChatResult } from '../server/types';
import { subNote, type NumberedNote } from './numbering';
import { buildSummaryMessages, formatPartSummary, type PartSummary } from './prompts';
import type { SummaryResult } from './summarize';
import { messageOf } from '../server/errors';
import { failed } from './summary-failure';
import { stoppedEarly, type SummaryJob } from './summary-run';

export type MapOutcome = { done: PartSummary[]; cutParts: number[] } | { stopped: SummaryResult };

export async function summarizeParts(job: SummaryJob, note: NumberedNote, split: readonly { start: number; end: number }[], partAnswer: number): Promise<MapOutcome> {
  const { input, opts, run, finish } = job;
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
    if (stoppedEarly(r)) return { stopped: finish(partsSoFar(summary), r.finishReason, split.length, cutParts) };
    if (r.finishReason === 'length') cutParts.push(i + 1);
    done.push(summary);
    opts.onPart?.({ ...summary, part: i + 1, parts: split.length });
  }
  return { done, cutParts };
}
