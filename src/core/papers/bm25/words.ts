// The words of the papers index: how text is split and which words count. Shared by the
// index (segment.ts), its search (search.ts) and the "does the best passage cover the
// question" check, so a question is read exactly as the chunks were.

import { STOPWORDS } from '../stopwords';

const SPLIT = /[^\p{L}\p{N}]+/u;

/** The raw pieces of a text (may include '' at its ends). */
export function tokenize(text: string): string[] {
  return text.split(SPLIT);
}

/** The indexed form of a piece, or null when it carries no topic. */
export function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (t.length < 2 && !/\d/.test(t)) return null;
  if (STOPWORDS.has(t)) return null;
  // Light plural folding: "infections" and "infection" meet.
  if (t.length > 4 && t.endsWith('s') && !t.endsWith('ss') && !t.endsWith('us') && !t.endsWith('is')) return t.slice(0, -1);
  return t;
}

/** The indexed words of a text, in order, repeats kept. */
export function terms(text: string): string[] {
  return tokenize(text)
    .map(processTerm)
    .filter((t): t is string => !!t);
}

/**
 * A field's length for BM25's length normalisation: the number of distinct raw pieces
 * (stop words and the empty ends included). This is how the earlier index (minisearch)
 * measured it; keeping it keeps every ranking as it was.
 */
export function fieldLength(pieces: string[]): number {
  return new Set(pieces).size;
}
