// detect(text): every identifier span in a note. Pattern finders run on blocks of whole lines
// (no pattern crosses a line end), a line longer than a block on overlapping windows, so each
// regex sees a bounded input and the whole scan stays linear in the note's length whatever it
// holds. Overlaps are settled by priority, then length; then found names, cities and
// facilities mark their other mentions.

import { findContacts } from './contacts';
import { findDates } from './dates';
import { findIds } from './ids';
import { findNames, propagate } from './names';
import { citiesNearAddresses, findPlaces } from './places';
import type { Candidate, Span } from './types';

export interface DetectOptions {
  /** Lower-case given names: "Keisha Dunwoody" is then a name without a cue beside it. */
  firstNames?: ReadonlySet<string>;
}

/** Longest input one regex scan sees. */
export const BLOCK = 4096;
/** Overlap of the windows over a longer line: a span longer than this may be cut there. */
export const OVERLAP = 512;

/** [start, end) pieces of `text` that the finders scan; together they cover it. */
export function blocksOf(text: string): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + BLOCK);
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end - 1);
      if (nl >= start) end = nl + 1;
    }
    out.push([start, end]);
    if (end === text.length) break;
    // A line longer than a block: the next window starts OVERLAP back, not at a line start.
    start = text[end - 1] === '\n' ? end : end - OVERLAP;
  }
  return out;
}

function findAll(text: string, opts: DetectOptions): Candidate[] {
  const out: Candidate[] = [];
  for (const [s, e] of blocksOf(text)) {
    const block = text.slice(s, e);
    findContacts(block, s, out);
    findIds(block, s, out);
    findDates(block, s, out);
    findPlaces(block, s, out);
    findNames(block, s, out, opts.firstNames);
  }
  return out;
}

/** Keeps the best of overlapping candidates: higher priority, then longer, then earlier. */
function resolve(length: number, cands: readonly Candidate[]): Candidate[] {
  const order = [...cands].sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken = new Uint8Array(length);
  const kept: Candidate[] = [];
  for (const c of order) {
    if (c.end <= c.start) continue;
    let free = true;
    for (let i = c.start; i < c.end && free; i++) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, c.start, c.end);
    kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** "Marisol" and "Okonkwo-Bell" found apart are one name. */
function mergeNames(text: string, spans: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of spans) {
    const prev = out[out.length - 1];
    if (prev && prev.type === 'NAME' && c.type === 'NAME' && c.start === prev.end + 1 && text[prev.end] === ' ') prev.end = c.end;
    else out.push({ ...c });
  }
  return out;
}

export function detect(text: string, opts: DetectOptions = {}): Span[] {
  const first = findAll(text, opts);
  const settled = resolve(text.length, first);
  const more: Candidate[] = [];
  citiesNearAddresses(text, settled, more);
  propagate(text, [...settled, ...more], more);
  const final = mergeNames(text, resolve(text.length, [...first, ...more]));
  return final.map((c) => {
    // No span crosses a line end (the pseudonymizer keeps the line count by relying on it).
    const nl = text.indexOf('\n', c.start);
    const end = nl >= 0 && nl < c.end ? nl : c.end;
    return { start: c.start, end, type: c.type, text: text.slice(c.start, end) };
  });
}
