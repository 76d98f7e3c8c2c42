// A summary record of a batch's results file (summarize-job.ts), read back into the document a
// single "Summarize Note" shows: header, summary with its unsupported statements marked,
// citation check, disclaimer (notes/render.ts). A record keeps no character offsets, so the
// statements are found again in its summary text. A results file is read as untrusted input
// (it may come from another machine, or be damaged): every field is checked before use, and
// the model's text is made inert by renderFinal as everywhere else.

import { parseStatements, type Citation, type CheckedStatement, type ModelOutcome } from '../notes/citations';
import { escapeMarkdown, renderFinal, renderHeader, type HeaderInfo, type RenderableSummary } from '../notes/render';
import type { ModelCheck } from '../notes/verify/verify';
import type { FinishReason } from '../server/types';

type RecordedStatement = Omit<CheckedStatement, 'span'>;

const FINISH: readonly FinishReason[] = ['stop', 'length', 'abort', 'cancelled'];
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const count = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function recordedStatements(v: unknown): RecordedStatement[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((s): RecordedStatement[] => {
    if (typeof s !== 'object' || s === null) return [];
    const o = s as Record<string, unknown>;
    const lines = Array.isArray(o.lines) ? o.lines.filter((l): l is Citation => Array.isArray(l) && l.length === 2 && l.every(count)) : [];
    return [{
      text: str(o.text) ?? '',
      lines,
      // Anything but an explicit true is not a verified statement.
      supported: o.supported === true,
      reason: str(o.reason),
      kind: str(o.kind),
      model: str(o.model) as ModelOutcome | undefined,
    }];
  });
}

function modelCheckOf(v: unknown): ModelCheck | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const c = v as Record<string, unknown>;
  const fields = ['total', 'checked', 'flagged', 'unreadable', 'failed', 'skipped', 'requests'] as const;
  if (!fields.every((f) => count(c[f])) || typeof c.structured !== 'boolean') return undefined;
  const usage = c.usage as { totalTokens?: unknown } | undefined;
  return {
    ...(Object.fromEntries(fields.map((f) => [f, c[f]])) as Record<(typeof fields)[number], number>),
    structured: c.structured,
    usage: usage && count(usage.totalTokens) ? (usage as ModelCheck['usage']) : undefined,
    stopped: str(c.stopped),
  };
}

/**
 * The recorded statements placed in the summary: in order, each on the next parsed statement
 * of the same text. One that cannot be found (a record written by another version) is listed
 * under the summary, so a flag is never lost.
 */
export function placeStatements(summary: string, recorded: readonly RecordedStatement[]): { summary: string; statements: CheckedStatement[] } {
  const parsed = parseStatements(summary);
  const statements: CheckedStatement[] = [];
  const missing: RecordedStatement[] = [];
  let next = 0;
  for (const r of recorded) {
    const at = parsed.findIndex((p, i) => i >= next && p.text === r.text);
    if (at < 0) {
      missing.push(r);
      continue;
    }
    statements.push({ ...r, span: parsed[at].span });
    next = at + 1;
  }
  if (!missing.length) return { summary, statements };
  let text = `${summary.trimEnd()}\n\n### Statements not found in the summary text\n`;
  for (const m of missing) {
    text += '\n- ';
    const start = text.length;
    text += m.text.replace(/\s+/g, ' ');
    statements.push({ ...m, span: [start, text.length] });
  }
  return { summary: `${text}\n`, statements };
}

/** What the document of a record shows, or undefined when the record holds no summary text. */
export function recordSummary(record: Record<string, unknown>): RenderableSummary | undefined {
  const summary = str(record.summary);
  if (summary === undefined || (summary.trim() === '' && record.status !== 'ok')) return undefined;
  const finishReason = FINISH.includes(record.finishReason as FinishReason) ? (record.finishReason as FinishReason) : 'stop';
  const placed = placeStatements(summary, recordedStatements(record.statements));
  return {
    ...placed,
    finishReason,
    partial: finishReason !== 'stop',
    parts: count(record.parts) ? record.parts : undefined,
    modelCheck: modelCheckOf(record.modelCheck),
  };
}

/**
 * The markdown file of one record: the single-note document, with the reason first when the
 * note was recorded as failed (a partial summary is kept). Undefined: nothing to show.
 */
export function recordMarkdown(record: Record<string, unknown>, header: HeaderInfo): string | undefined {
  const r = recordSummary(record);
  if (!r) return undefined;
  const info = { ...header, date: header.date ?? new Date() };
  const text = renderFinal(info, r);
  if (record.status === 'ok') return text;
  const head = renderHeader(info);
  const why = str(record.error) ?? 'no reason was recorded';
  return `${head}> ⚠ Not finished: ${escapeMarkdown(why)}\n\n${text.slice(head.length)}`;
}
