// The comparison as a Markdown report: one column per model, one row per measure, then the
// notes that failed and why. Model ids, file names and error texts come from outside: they are
// escaped, so none becomes a link or markup.

import { checkKindName, escapeMarkdown } from '../notes/render';
import type { Comparison } from './compare-models';
import { COVER_SHARE, type ModelScore } from './summary-scores';

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)} %` : '—');
const num = (n: number) => n.toLocaleString('en-US');
/** Text from outside on one line, inert (escapeMarkdown escapes the table's pipes too). */
export const cell = (s: string) => escapeMarkdown(s).replace(/\s+/g, ' ');
/** A model id in bold, escaped: not a code span, whose `<img …>` an editor's link detection would still read. */
export const modelCell = (id: string) => `**${cell(id)}**`;

/** Each measure: its label and its cell for one model. */
function rows(scores: readonly ModelScore[]): Array<[string, (s: ModelScore) => string]> {
  const reasons = [...new Set(scores.flatMap((s) => Object.keys(s.byReason)))].sort((a, b) => scores.reduce((n, s) => n + (s.byReason[b] ?? 0) - (s.byReason[a] ?? 0), 0) || a.localeCompare(b));
  const out: Array<[string, (s: ModelScore) => string]> = [
    ['notes summarized', (s) => `${num(s.notes - s.failed)} of ${num(s.notes)}`],
    ['statements', (s) => num(s.statements)],
    ['cite note lines', (s) => pct(s.cited, s.statements)],
    ['verified by the checks', (s) => pct(s.verified, s.statements)],
    ['unsupported', (s) => num(s.unsupported)],
    ...reasons.map((r): [string, (s: ModelScore) => string] => [`— ${checkKindName(r)}`, (s) => num(s.byReason[r] ?? 0)]),
  ];
  if (scores.some((s) => s.reference)) {
    out.push(['reference statements covered', (s) => (s.reference ? `${pct(s.reference.covered, s.reference.statements)} (${num(s.reference.covered)} of ${num(s.reference.statements)})` : '—')]);
  }
  out.push(['tokens', (s) => num(s.tokens)], ['time, summed over notes', (s) => `${s.seconds.toFixed(1)} s`]);
  return out;
}

export function renderComparison(c: Comparison, o: { template: string; notes: number }): string {
  const lines = [`# Summaries compared: ${num(o.notes)} ${o.notes === 1 ? 'note' : 'notes'}, template ${cell(o.template)}`, ''];
  if (c.stopped) lines.push('> Stopped before every summary finished: the counts cover the summaries that did.', '');
  lines.push(`| measure | ${c.scores.map((s) => modelCell(s.model)).join(' | ')} |`, `|---|${c.scores.map(() => '---:').join('|')}|`);
  for (const [label, value] of rows(c.scores)) lines.push(`| ${label} | ${c.scores.map(value).join(' | ')} |`);
  const verified = '"Verified" means every check passed: the statement cites note lines, and what it says (numbers, negation, side, units, doses, people, dates) is in them.';
  const covered = ` A reference statement is covered when one of the model's statements holds at least ${COVER_SHARE * 100} % of its content words: a rough, lexical measure.`;
  lines.push('', verified + (c.scores.some((s) => s.reference) ? covered : ''));
  const failed = c.scores.flatMap((s) => c.runs[s.model].filter((r) => r.error).map((r) => `- ${modelCell(s.model)}, ${cell(r.note)}: ${cell(r.error!)}`));
  if (failed.length) lines.push('', '## Not summarized', '', ...failed);
  lines.push('', 'AI-generated summaries checked by rules; a clinician reviews them before any use.', '');
  return lines.join('\n');
}
