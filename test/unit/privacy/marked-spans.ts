// The marked-span helpers of the detector tests: "«6/8»" marks a span of the test's default type,
// "«CITY:Tulsa»" a span of its own type; a finder is run directly or through detect().
import * as assert from 'node:assert/strict';
import { detect, type DetectOptions } from '../../../src/core/privacy/detect';
import { PHI_TYPES, type Candidate, type PhiType, type Span } from '../../../src/core/privacy/types';

const TYPED = new RegExp(`^(${PHI_TYPES.join('|')}):`);

/**
 * A text with its expected spans marked: "seen «6/8» today" holds a span of the default type,
 * "«CITY:Tulsa»" one of its own type; a text without marks must yield nothing.
 */
export function unmark(marked: string, type: PhiType): { text: string; spans: Span[] } {
  let text = '';
  const spans: Span[] = [];
  for (const [i, part] of marked.split(/[«»]/).entries()) {
    const piece = i % 2 ? part.replace(TYPED, '') : part;
    if (i % 2) spans.push({ start: text.length, end: text.length + piece.length, type: (TYPED.exec(part)?.[1] as PhiType | undefined) ?? type, text: piece });
    text += piece;
  }
  return { text, spans };
}

/** detect() on every marked text, compared as one whole list so a failure shows which text differs. */
export function each(type: PhiType, texts: string[], opts?: DetectOptions): void {
  const cases = texts.map((m) => unmark(m, type));
  assert.deepEqual(cases.map(({ text }) => ({ text, spans: detect(text, opts) })), cases);
}
export const expectClean = (texts: string[], opts?: DetectOptions): void => each('NAME', texts, opts);

export type Finder = (text: string, base: number, out: Candidate[]) => void;

/** A finder's candidates at base 0; at base 1000 they must be the same, moved by 1000. */
export function run(find: Finder, text: string, out: Candidate[] = [], moved: Candidate[] = []): Candidate[] {
  find(text, 0, out);
  find(text, 1000, moved);
  assert.deepEqual(moved, out.map((c) => ({ ...c, start: c.start + 1000, end: c.end + 1000 })));
  return out;
}

/** One finder over marked texts, every mark a candidate of `type` at `priority`, in text order. */
export function found(find: Finder, type: PhiType, priority: number, texts: string[]): void {
  const cases = texts.map((m) => unmark(m, type));
  assert.deepEqual(cases.map(({ text }) => ({ text, found: run(find, text) })), cases.map(({ text, spans }) => ({ text, found: spans.map(({ start, end }) => ({ start, end, type, priority })) })));
}

/** What `f` pushes into a fresh list. */
export function collect(f: (out: Candidate[]) => void, out: Candidate[] = []): Candidate[] {
  f(out);
  return out;
}

/** The candidate for the `nth` (0-based) occurrence of `piece` in `text`. */
export function cand(text: string, type: PhiType, piece: string, priority: number, nth = 0): Candidate {
  const start = text.split(piece, nth + 1).join(piece).length;
  return { start, end: start + piece.length, type, priority };
}

/** `list` split on spaces, each word put into `template` at "@". */
export const fill = (list: string, template: string, sep = ' '): string[] => list.split(sep).map((w) => template.replace(/@/g, w));
