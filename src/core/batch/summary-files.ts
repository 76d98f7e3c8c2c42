// The files a folder summary leaves beside its results file: one markdown summary per note,
// at the note's path relative to the folder summarized plus ".summary.md" (the input tree
// mirrored), and index.md. Both are made from the results file's records, so a results file
// written by the CLI gets them too. The results file is read line by line and only a small
// row per note is kept, the latest record of a note winning; a summary file missing for a
// finished note is written from its record on a second pass.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { HeaderInfo } from '../notes/render';
import { indexMarkdown, type IndexInfo, type IndexRow } from './index-markdown';
import { recordMarkdown } from './record-summary';

export const INDEX_FILE = 'index.md';
export const RESULTS_FILE = 'results.jsonl';
export const SUMMARY_SUFFIX = '.summary.md';

export interface SummaryLayout {
  /** The output folder: results file, index, summaries. */
  outDir: string;
  /** The folder the notes' paths are shown relative to (the folder summarized). */
  base: string;
  /** The header of a note's summary document (template label, model, source link, ...). */
  header(file: string, record: Record<string, unknown>): HeaderInfo;
  /** The clock (tests fix it). */
  now?: () => Date;
}

/** Whether `file` lies inside `dir` (not dir itself). */
export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
}

/**
 * The folder the notes' paths are shown relative to: a folder given alone is its own; several
 * files and folders are placed by their parent folders, and the deepest folder holding all of
 * those is the base.
 */
export function commonBase(paths: readonly string[], isFolder: (p: string) => boolean): string {
  const dirs = paths.map((p) => (paths.length === 1 && isFolder(p) ? p : path.dirname(p)));
  let base = dirs[0];
  for (const d of dirs.slice(1)) {
    while (d !== base && !isInside(d, base) && base !== path.dirname(base)) base = path.dirname(base);
  }
  return base;
}

/** The note as the index names it: relative to the base, forward slashes; else as recorded. */
export function noteName(layout: SummaryLayout, file: string): string {
  return path.isAbsolute(file) && isInside(file, layout.base) ? path.relative(layout.base, file).split(path.sep).join('/') : file;
}

/**
 * Where a note's summary goes, or undefined for a note outside the base (a results file
 * shared with other runs): nothing is ever written outside the output folder.
 */
export function summaryPath(layout: SummaryLayout, file: string): string | undefined {
  if (!path.isAbsolute(file) || !isInside(file, layout.base)) return undefined;
  const target = path.join(layout.outDir, `${path.relative(layout.base, file)}${SUMMARY_SUFFIX}`);
  return isInside(target, layout.outDir) ? target : undefined;
}

/**
 * Writes the summary file of one record (a failed note's partial summary too); removes a
 * summary that a failed record without text leaves stale (the note, template or model changed
 * since). A file that already says what the record says is left as it is, with its date.
 */
export function writeSummaryFile(layout: SummaryLayout, record: Record<string, unknown>): 'written' | 'removed' | 'none' {
  const file = typeof record.file === 'string' ? record.file : undefined;
  const target = file && summaryPath(layout, file);
  if (!file || !target) return 'none';
  const header = layout.header(file, record);
  const text = recordMarkdown(record, { ...header, date: layout.now?.() ?? new Date() });
  const before = fs.statSync(target, { throwIfNoEntry: false });
  if (text === undefined) {
    if (!before) return 'none';
    fs.rmSync(target, { force: true });
    return 'removed';
  }
  if (before?.isFile() && recordMarkdown(record, { ...header, date: before.mtime }) === fs.readFileSync(target, 'utf8')) return 'none';
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  return 'written';
}

/** Each line of the results file that parses as a record of a note, with its line number. */
async function eachRecord(results: string, fn: (record: Record<string, unknown>, file: string, line: number) => void): Promise<void> {
  const lines = readline.createInterface({ input: fs.createReadStream(results), crlfDelay: Infinity });
  let line = -1;
  for await (const text of lines) {
    line += 1;
    let r: unknown;
    try {
      r = JSON.parse(text);
    } catch {
      continue; // not a record (damaged, or not ours): the index leaves it out
    }
    if (typeof r !== 'object' || r === null || Array.isArray(r)) continue;
    const record = r as Record<string, unknown>;
    if (typeof record.file !== 'string' || (record.status !== 'ok' && record.status !== 'error')) continue;
    fn(record, record.file, line);
  }
}

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

function rowOf(layout: SummaryLayout, record: Record<string, unknown>, file: string): IndexRow {
  const target = summaryPath(layout, file);
  const statements = Array.isArray(record.statements) ? record.statements.length : undefined;
  return {
    note: noteName(layout, file),
    ok: record.status === 'ok',
    statements,
    unsupported: count(record.unsupported) ?? (statements === undefined ? undefined : 0),
    summary: target && fs.existsSync(target) ? path.relative(layout.outDir, target).split(path.sep).join('/') : undefined,
    // The row names the note: its full path in the reason would only repeat it, longer.
    error: record.status === 'ok' ? undefined : typeof record.error === 'string' ? record.error.split(file).join(noteName(layout, file)) : 'no reason was recorded',
  };
}

/** Orders notes as a folder walk meets them: segment by segment, in name order. */
function byPath(a: IndexRow, b: IndexRow): number {
  const x = a.note.split('/');
  const y = b.note.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

export interface IndexWritten {
  path: string;
  rows: number;
  failed: number;
  /** Summary files written or removed now, from records this run did not write them for. */
  updated: number;
}

/**
 * Rewrites index.md from the results file, the latest record of each note winning. First the
 * summary files of the records this run did not write (`written`: the notes whose files it
 * wrote as they finished) are brought up to date with their record: another run (the CLI, a
 * window that closed) may have left them missing or made from an older record. An unchanged
 * summary keeps its file and its date. The index is replaced whole (written beside, then
 * renamed): a reader never sees half of one.
 */
export async function writeIndex(layout: SummaryLayout, info: Omit<IndexInfo, 'results'>, written: ReadonlySet<string> = new Set()): Promise<IndexWritten> {
  const results = path.join(layout.outDir, RESULTS_FILE);
  const latest = new Map<string, number>();
  const exists = fs.existsSync(results);
  if (exists) await eachRecord(results, (_record, file, line) => latest.set(file, line));
  const rows: IndexRow[] = [];
  let updated = 0;
  if (exists) {
    await eachRecord(results, (record, file, line) => {
      if (latest.get(file) !== line) return;
      if (!written.has(file) && writeSummaryFile(layout, record) !== 'none') updated += 1;
      rows.push(rowOf(layout, record, file));
    });
  }
  rows.sort(byPath);
  const target = path.join(layout.outDir, INDEX_FILE);
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, indexMarkdown(rows, { date: layout.now?.(), ...info, results: RESULTS_FILE }));
  fs.renameSync(temp, target);
  return { path: target, rows: rows.length, failed: rows.filter((r) => !r.ok).length, updated };
}
