// How one model's summaries of a set of notes score (`medgemma eval summaries`): how many
// statements cite lines, how many the checks verified, why the others failed, what it cost, and,
// given clinician-written reference summaries, how much of them the model's summaries cover.

import { parseStatements } from '../notes/citations';
import type { SummaryResult } from '../notes/summarize';
import { STOPWORDS } from '../papers/stopwords';

/** One note's summary by one model, or why there is none. */
export interface NoteRun {
  note: string;
  result?: SummaryResult;
  error?: string;
  seconds: number;
  /** The clinician's summary of this note, when one was given. */
  reference?: string;
}

export interface ModelScore {
  model: string;
  notes: number;
  /** Notes with no summary (the server failed, the note could not be read). */
  failed: number;
  statements: number;
  /** Statements that cite at least one note line. */
  cited: number;
  /** Statements every check passed. */
  verified: number;
  unsupported: number;
  /** Unsupported statements by the check that flagged them (CheckedStatement.kind). */
  byReason: Record<string, number>;
  tokens: number;
  /** Summed over the notes (they run side by side, so this is work, not wall time). */
  seconds: number;
  /** With references: reference statements, and those some statement of the model's covers. */
  reference?: { statements: number; covered: number };
}

/** A reference statement is covered when one model statement has this share of its content words. */
export const COVER_SHARE = 0.6;

/** Content words: lowercased words and numbers ("1,000" as "1000"), stop words left out. */
export function contentWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}](?:[\p{L}\p{N}./%-]|,(?=\d{3}))*/gu) ?? [];
  return new Set(words.map((w) => w.replace(/,/g, '').replace(/[./%-]+$/, '')).filter((w) => w && !STOPWORDS.has(w)));
}

/** Whether some statement holds at least COVER_SHARE of the reference statement's content words. */
export function covers(reference: string, statements: readonly string[]): boolean {
  const want = contentWords(reference);
  if (!want.size) return true;
  return statements.some((s) => {
    const have = contentWords(s);
    let n = 0;
    for (const w of want) if (have.has(w)) n++;
    return n / want.size >= COVER_SHARE;
  });
}

/** The statements of a reference summary: its bullets (citations, if any, are ignored). */
export function referenceStatements(markdown: string): string[] {
  return parseStatements(markdown).map((s) => s.text).filter((t) => t.trim());
}

export function scoreModel(model: string, runs: readonly NoteRun[]): ModelScore {
  const score: ModelScore = { model, notes: runs.length, failed: 0, statements: 0, cited: 0, verified: 0, unsupported: 0, byReason: {}, tokens: 0, seconds: 0 };
  let withReference = false;
  const ref = { statements: 0, covered: 0 };
  for (const run of runs) {
    score.seconds += run.seconds;
    const r = run.result;
    if (!r) {
      score.failed++;
      continue;
    }
    score.tokens += r.usage?.totalTokens ?? 0;
    score.statements += r.statements.length;
    for (const s of r.statements) {
      if (s.lines.length) score.cited++;
      if (s.supported) score.verified++;
      else {
        score.unsupported++;
        const kind = s.kind ?? 'other';
        score.byReason[kind] = (score.byReason[kind] ?? 0) + 1;
      }
    }
    if (run.reference !== undefined) {
      withReference = true;
      const mine = r.statements.map((s) => s.text);
      for (const want of referenceStatements(run.reference)) {
        ref.statements++;
        if (covers(want, mine)) ref.covered++;
      }
    }
  }
  score.seconds = Number(score.seconds.toFixed(2));
  if (withReference) score.reference = ref;
  return score;
}
