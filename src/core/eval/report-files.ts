// The comparison as a folder a user opens: report.md (the table, one chart per measure, a row
// per note linking each model's summary), the charts as SVG files beside it, and every
// summary as the document Summarize Note would have shown. Paths are relative to the folder.

import { renderFinal } from '../notes/render';
import type { Template } from '../notes/templates';
import { type Bar, barChartSvg } from './bar-chart';
import type { Comparison } from './compare-models';
import { cell, modelCell, renderComparison } from './report';
import type { ModelScore } from './summary-scores';

const share = (n: number, of: number) => (of ? (100 * n) / of : 0);

/** One chart per measure: what it shows, and each model's value. */
function measures(scores: readonly ModelScore[]): Array<{ file: string; title: string; bars: Bar[]; max?: number }> {
  const pctBar = (s: ModelScore, n: number, of: number): Bar => ({ label: s.model, value: share(n, of), text: of ? `${share(n, of).toFixed(1)} %` : '—' });
  const out = [
    { file: 'chart-verified.svg', title: 'Statements verified by the checks', bars: scores.map((s) => pctBar(s, s.verified, s.statements)), max: 100 },
    { file: 'chart-cited.svg', title: 'Statements citing note lines', bars: scores.map((s) => pctBar(s, s.cited, s.statements)), max: 100 },
    { file: 'chart-unsupported.svg', title: 'Unsupported statements', bars: scores.map((s) => ({ label: s.model, value: s.unsupported, text: String(s.unsupported) })) },
  ];
  if (scores.some((s) => s.reference)) out.push({ file: 'chart-reference.svg', title: "Clinicians' statements covered", bars: scores.map((s) => pctBar(s, s.reference?.covered ?? 0, s.reference?.statements ?? 0)), max: 100 });
  out.push({ file: 'chart-seconds.svg', title: 'Time, summed over notes (s)', bars: scores.map((s) => ({ label: s.model, value: s.seconds, text: `${s.seconds.toFixed(1)} s` })) });
  return out;
}

/** A file-name-safe form of a model id or note name (unique per input thanks to `index`). */
export function safeName(s: string, index?: number): string {
  const base = s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'x';
  return index === undefined ? base : `${index + 1}-${base}`;
}

const link = (rel: string) => encodeURI(rel).replace(/\(/g, '%28').replace(/\)/g, '%29');

export interface ReportFiles {
  /** Relative path -> content. */
  files: Map<string, string>;
  /** For each note (in order) the summary file of each model, when it was made. */
  pairs: Array<{ note: string; summaries: Record<string, string | undefined> }>;
}

export function reportFiles(c: Comparison, o: { template: Template; notes: readonly { file: string; text?: string }[]; now?: Date }): ReportFiles {
  const files = new Map<string, string>();
  const models = c.scores.map((s) => s.model);
  const dirs = new Map(models.map((m, i) => [m, `summaries/${safeName(m, i)}`]));
  const pairs: ReportFiles['pairs'] = o.notes.map((n, i) => {
    const summaries: Record<string, string | undefined> = {};
    for (const m of models) {
      const run = c.runs[m]?.find((r) => r.note === n.file);
      if (!run?.result) continue;
      const rel = `${dirs.get(m)}/${safeName(n.file.split(/[\\/]/).pop() ?? n.file, i)}.summary.md`;
      files.set(rel, renderFinal({ template: o.template, model: m, source: n.file, range: run.result.range, date: o.now }, run.result));
      summaries[m] = rel;
    }
    return { note: n.file, summaries };
  });
  const lines = [renderComparison(c, { template: o.template.id, notes: o.notes.length }).trimEnd(), '', '## Charts', ''];
  for (const m of measures(c.scores)) {
    files.set(m.file, barChartSvg(m.title, m.bars, m.max));
    lines.push(`![${m.title}](${m.file})`, '');
  }
  lines.push('## Summaries, note by note', '', `| note | ${models.map(modelCell).join(' | ')} |`, `|---|${models.map(() => '---').join('|')}|`);
  for (const p of pairs) {
    const cells = models.map((m) => (p.summaries[m] ? `[summary](${link(p.summaries[m]!)})` : 'not made'));
    lines.push(`| ${cell(p.note)} | ${cells.join(' | ')} |`);
  }
  lines.push('', 'Compare two models\' summaries of one note side by side with **MedGemma: Compare Summaries Side by Side…**.', '');
  files.set('report.md', lines.join('\n'));
  return { files, pairs };
}
