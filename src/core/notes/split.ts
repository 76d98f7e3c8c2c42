// Splits a note that does not fit the model's context into parts for map-reduce. Cuts go where
// a reader would cut: before a new dated note or "Day N", then before a section heading, then
// at a blank line, and only as a last resort between two lines -- never inside a line.

import { blockFor, formatLine, type NumberedNote } from './numbering';
import { SEPARATOR, isNoteHeader, isSectionHeading } from './sections';

/** Tokens of a text: exact (the server's /tokenize) or an estimate; may be async. */
export type TokenCounter = (text: string) => number | Promise<number>;

export interface NotePart {
  /** First and last line, inclusive, in original numbering. */
  start: number;
  end: number;
  /** Tokens of the part's prompt block, as counted by the counter. */
  tokens: number;
  /** A single line longer than the budget: it cannot be split, the caller decides. */
  oversize?: boolean;
}

// How good a place the start of line n is for a cut.
const enum Cut {
  Never = 0,
  Line = 1,
  Paragraph = 2,
  Section = 3,
  Note = 4,
}

// The least a part must be filled (share of the budget) before a cut of each kind is taken:
// a new dated note is worth a shorter part, a bare line break is not.
const MIN_FILL: Record<number, number> = { [Cut.Note]: 0.3, [Cut.Section]: 0.5, [Cut.Paragraph]: 0.6, [Cut.Line]: 0 };

/** Cut quality before each line start..end (index 0 = start). */
function cutScores(note: NumberedNote): Cut[] {
  const text = (n: number) => note.lines.get(n) ?? '';
  const blank = (n: number) => text(n).trim() === '';
  const scores: Cut[] = [];
  for (let n = note.start; n <= note.end; n++) {
    if (isSectionHeading(text(n))) scores.push(Cut.Section);
    else if (!blank(n) && n > note.start && blank(n - 1)) scores.push(Cut.Paragraph);
    else scores.push(Cut.Line);
  }
  // A note header owns the separators and blank lines just above it: cut before all of them,
  // never between a "=====" rule and the title it introduces.
  for (let n = note.start; n <= note.end; n++) {
    if (!isNoteHeader(text(n))) continue;
    let first = n;
    while (first > note.start && (blank(first - 1) || SEPARATOR.test(text(first - 1)))) first--;
    for (let k = first + 1; k <= n; k++) scores[k - note.start] = Cut.Never;
    scores[first - note.start] = Cut.Note;
  }
  return scores;
}

/** Estimated tokens per line from a tokens-per-character ratio (blank lines cost nothing). */
function lineCosts(note: NumberedNote, a: number, b: number, ratio: number): number[] {
  const costs: number[] = [];
  for (let n = a; n <= b; n++) {
    const line = formatLine(n, note.lines.get(n) ?? '');
    costs.push(line === undefined ? 0 : (line.length + 1) * ratio);
  }
  return costs;
}

/** Greedy packing of lines a..b into ranges of estimated cost <= budget, cutting at the best place. */
function pack(note: NumberedNote, a: number, b: number, budget: number, ratio: number, scores: Cut[]): Array<[number, number]> {
  const costs = lineCosts(note, a, b, ratio);
  const cum = [0];
  for (const c of costs) cum.push(cum[cum.length - 1] + c);
  const cost = (i: number, j: number) => cum[j + 1] - cum[i]; // indices relative to a, inclusive
  const out: Array<[number, number]> = [];
  let i = 0;
  const last = b - a;
  while (i <= last) {
    let j = i;
    while (j < last && cost(i, j + 1) <= budget) j++;
    if (j === last) {
      out.push([a + i, b]);
      break;
    }
    // Next part starts at k in (i, j+1]; pick the best kind of cut, the latest of that kind.
    let k = j + 1;
    for (const kind of [Cut.Note, Cut.Section, Cut.Paragraph]) {
      let best = -1;
      for (let c = j + 1; c > i; c--) {
        if (scores[a - note.start + c] === kind && cost(i, c - 1) >= MIN_FILL[kind] * budget) {
          best = c;
          break;
        }
      }
      if (best > 0) {
        k = best;
        break;
      }
    }
    out.push([a + i, a + k - 1]);
    i = k;
  }
  return out;
}

/**
 * Split the note's range into consecutive parts whose prompt blocks fit `budget` tokens.
 * Parts cover every line of the range exactly once and keep original numbering. Estimates
 * come from one count of the whole block; each part is then counted and re-split if over.
 */
export async function splitNote(note: NumberedNote, budget: number, count: TokenCounter): Promise<NotePart[]> {
  if (!(budget > 0)) throw new RangeError(`Token budget must be positive (got ${budget}).`);
  const total = await count(note.block);
  if (total <= budget) return [{ start: note.start, end: note.end, tokens: total }];

  const scores = cutScores(note);
  const ratio = total / Math.max(1, note.block.length);
  let ranges = pack(note, note.start, note.end, budget, ratio, scores);
  // Greedy packing leaves a small last part; aim for parts of even size instead, with the
  // same number of calls (evenly sized parts also get more even attention from the model).
  const even = pack(note, note.start, note.end, Math.min(budget, (total / ranges.length) * 1.15), ratio, scores);
  if (even.length <= ranges.length) ranges = even;
  const todo = ranges.map((range) => ({ range, tries: 0 }));
  const parts: NotePart[] = [];
  while (todo.length > 0) {
    const { range: [a, b], tries } = todo.shift()!;
    const block = blockFor(note, a, b);
    const tokens = block === '' ? 0 : await count(block);
    if (tokens <= budget) {
      parts.push({ start: a, end: b, tokens });
      continue;
    }
    if (a === b) {
      parts.push({ start: a, end: b, tokens, oversize: true });
      continue;
    }
    // The estimate was low here (dense numbers, unusual text): re-pack with this part's own
    // ratio, raised 5 % a try. The lines' estimated costs then add up to more than the budget,
    // so the part is always cut in two or more (it never comes back whole).
    const local = (tokens / Math.max(1, block.length)) * (1 + 0.05 * (tries + 1));
    todo.unshift(...pack(note, a, b, budget, local, scores).map((range) => ({ range, tries: tries + 1 })));
  }
  return mergeBlankTails(note, parts);
}

/** A part holding only blank lines joins the part before it (nothing to summarize alone). */
function mergeBlankTails(note: NumberedNote, parts: NotePart[]): NotePart[] {
  const out: NotePart[] = [];
  for (const p of parts) {
    if (p.tokens === 0 && blockFor(note, p.start, p.end) === '') {
      if (out.length > 0) {
        out[out.length - 1] = { ...out[out.length - 1], end: p.end };
        continue;
      }
      // Leading blank lines: the next part will absorb them.
    }
    const prev = out[out.length - 1];
    if (prev && prev.tokens === 0 && blockFor(note, prev.start, prev.end) === '') {
      out[out.length - 1] = { ...p, start: prev.start };
      continue;
    }
    out.push(p);
  }
  return out;
}
