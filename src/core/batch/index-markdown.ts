// index.md of a folder summary: one table row per note (status, statements, unsupported, a
// relative link to its summary file), then the failures with their reasons. Every name and
// reason is escaped: a file name or an error message cannot become markup, a live link or HTML;
// the only links are ours, relative paths to the summary files beside the index.

import { DISCLAIMER, escapeMarkdown, formatLocalTime } from '../notes/render';
import { plural } from '../plural';

export interface IndexRow {
  /** The note as shown: its path relative to the folder summarized (or as recorded). */
  note: string;
  ok: boolean;
  statements?: number;
  unsupported?: number;
  /** The summary file, relative to the index (forward slashes), when there is one. */
  summary?: string;
  /** Why it failed, in one sentence. */
  error?: string;
}

export interface IndexInfo {
  /** What was summarized: a folder's name or path. */
  source: string;
  /** The results file, relative to the index. */
  results: string;
  date?: Date;
  /** The last run ended early: by the user, or on an error every note would meet. */
  stopped?: 'user' | 'error';
}

/** The heading the failures are listed under ("Show Failures" scrolls to it). */
export const FAILURES_HEADING = '## Failures';

/**
 * A relative link destination: each path segment percent-encoded (so no character of a file
 * name can end the link, start a title or make a scheme), starting with "./".
 */
export function relativeLink(path: string): string {
  const encoded = path
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
  return `./${encoded}`;
}

/** The CLI's words in an error recorded by the batch engine, in the editor's. */
export function editorWording(error: string): string {
  return error.replace(/"([^"]+)" \(CLI: [^)]+\)/g, '"$1"').replace(/raise --max-tokens/g, 'raise "medgemma.summary.maxTokens"');
}

const n = (x: number) => x.toLocaleString('en-US');
const cell = (s: string) => escapeMarkdown(s);

export function indexMarkdown(rows: readonly IndexRow[], info: IndexInfo): string {
  const ok = rows.filter((r) => r.ok);
  const failed = rows.filter((r) => !r.ok);
  const unsupported = ok.reduce((sum, r) => sum + (r.unsupported ?? 0), 0);
  const flagged = ok.filter((r) => (r.unsupported ?? 0) > 0).length;

  const out: string[] = [];
  out.push(`# MedGemma summaries: ${cell(info.source)}`, '');
  out.push(`**Results:** [${cell(info.results)}](${relativeLink(info.results)})  `, `**Updated:** ${formatLocalTime(info.date ?? new Date())}`, '');
  const counts = [`${plural(rows.length, 'note')}: ${n(ok.length)} summarized`];
  if (failed.length) counts.push(`${n(failed.length)} failed (listed under Failures below)`);
  out.push(`${counts.join(', ')}.`);
  if (unsupported) out.push('', `> ⚠ ${plural(unsupported, 'statement')} in ${plural(flagged, 'summary', 'summaries')} could not be verified against the cited note lines; each is marked ⚠ in its summary.`);
  if (info.stopped) {
    const why = info.stopped === 'user' ? 'it was stopped' : 'an error stopped it';
    out.push('', `> ⚠ The last run did not reach every note (${why}). Run MedGemma: Summarize Folder… again on the same folder and output folder to go on: finished notes are skipped.`);
  }
  out.push('', '| Note | Status | Statements | Unsupported | Summary |', '|---|---|---:|---:|---|');
  for (const r of rows) {
    const link = r.summary ? `[${r.ok ? 'summary' : 'partial summary'}](${relativeLink(r.summary)})` : '—';
    const stmts = r.statements === undefined ? '—' : n(r.statements);
    const bad = r.unsupported === undefined ? '—' : r.unsupported > 0 ? `⚠ ${n(r.unsupported)}` : '0';
    out.push(`| ${cell(r.note)} | ${r.ok ? 'ok' : 'failed'} | ${stmts} | ${bad} | ${link} |`);
  }
  if (failed.length) {
    out.push('', FAILURES_HEADING, '');
    for (const r of failed) out.push(`- **${cell(r.note)}**: ${cell(editorWording(r.error ?? 'no reason was recorded'))}`);
  }
  out.push('', '---', '', DISCLAIMER, '');
  return out.join('\n');
}
