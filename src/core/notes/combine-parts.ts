// The reduce step of a long note: the part summaries combined at once if they fit, else in
// groups, round after round. Whatever stops it, the complete inputs are kept.

import { MedGemmaError } from '../server/errors';
import type { ChatResult } from '../server/types';
import { groupInOrder } from './group-parts';
import { buildCombineMessages, formatPartSummary, type PartSummary } from './prompts';
import type { SummaryResult } from './summarize';
import { messageOf } from '../server/errors';
import { failed } from './summary-failure';
import { stoppedEarly, type SummaryJob } from './summary-run';

export async function combineParts(job: SummaryJob, parts: PartSummary[], partCount: number, cutParts: number[], interAnswer: number): Promise<SummaryResult> {
  const { input, opts, run, context, margin, finish } = job;
  let level = parts;
  const tokenCache = new Map<PartSummary, number>();
  const tokensOf = async (p: PartSummary) => {
    let t = tokenCache.get(p);
    if (t === undefined) tokenCache.set(p, (t = await run.textTokens(formatPartSummary(p))));
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
        throw failed(e, (partial) => finish(keepInputs(partial, level), 'abort', partCount, cutParts, messageOf(e)));
      }
      if (stoppedEarly(r)) return finish(keepInputs(r.text, level), r.finishReason, partCount, cutParts);
      return finish(r.text, r.finishReason, partCount, cutParts);
    }

    const groupBudget = context - interAnswer - margin - (await run.tokens(buildCombineMessages(input.template, []))).tokens;
    const sizes: number[] = [];
    for (const p of level) sizes.push(await tokensOf(p));
    const groups = groupInOrder(level, sizes, groupBudget);
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
        throw failed(e, () => finish(remaining().map(formatPartSummary).join('\n\n'), 'abort', partCount, cutParts, messageOf(e)));
      }
      // An unfinished intermediate combine is dropped: its inputs are complete and kept instead.
      if (stoppedEarly(r)) return finish(remaining().map(formatPartSummary).join('\n\n'), r.finishReason, partCount, cutParts);
      next.push({ start: group[0].start, end: group[group.length - 1].end, text: r.text });
    }
    level = next;
  }
}

/** A final combine that stopped early: its text so far, then the complete inputs it was combining. */
function keepInputs(partialCombine: string, inputs: readonly PartSummary[]): string {
  const parts = inputs.map(formatPartSummary).join('\n\n');
  return partialCombine.trim() ? `${partialCombine.trim()}\n\n## Part summaries (not yet combined)\n\n${parts}` : parts;
}
