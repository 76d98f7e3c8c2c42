// Small helpers the rules share: bounded word scanning and memoized per-line analyses.

import type { CitedLine } from './types';

export interface Word {
  /** Lower-cased word as written (letters, digits, inner hyphens and slashes kept). */
  w: string;
  /** As written. */
  raw: string;
  /** Index of the clause it is in (clauses end at . ; : ! ? and brackets). */
  clause: number;
  /** Right after a number, with only spaces between ("2 L"). */
  afterNumber: boolean;
}

const WORD_OR_BREAK = /[a-z0-9][a-z0-9'’]*(?:[-/][a-z0-9]+)*|[.;:!?()[\]]/gi;

/** Words of a text with their clause index; at most `max` words. */
export function wordsOf(text: string, max = 400): Word[] {
  const out: Word[] = [];
  let clause = 0;
  for (const m of text.matchAll(WORD_OR_BREAK)) {
    const t = m[0];
    if (/^[.;:!?()[\]]$/.test(t)) {
      // A decimal point is not a clause end.
      if (t === '.' && /\d/.test(text[m.index! - 1] ?? '') && /\d/.test(text[m.index! + 1] ?? '')) continue;
      clause++;
      continue;
    }
    const before = text.slice(Math.max(0, m.index! - 12), m.index!);
    out.push({ w: t.toLowerCase().replace(/['’]s$/, ''), raw: t, clause, afterNumber: /\d\s*$/.test(before) });
    if (out.length >= max) break;
  }
  return out;
}

/** Per-line memo: an analysis computed once per cited line object, whatever the statement. */
export function perLine<T>(fn: (line: CitedLine) => T): (line: CitedLine) => T {
  const memo = new WeakMap<CitedLine, T>();
  return (line) => {
    let v = memo.get(line);
    if (v === undefined) {
      v = fn(line);
      memo.set(line, v);
    }
    return v;
  };
}

/** A set of phrases as one bounded, word-delimited regex (alternatives are plain literals). */
export function phraseRegex(phrases: readonly string[], flags = 'gi'): RegExp {
  const alts = [...phrases]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
  return new RegExp(`(?<![\\w-])(?:${alts.join('|')})(?![\\w-])`, flags);
}
