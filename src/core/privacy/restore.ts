// Puts the originals back into a model's answer: every stand-in the pseudonymizer handed out
// is replaced by what it stood for. Streaming: a chunk may end inside a stand-in ("Dr. Hob"
// ... "art"), so the restorer holds back the shortest tail that could still be the start of
// one; the output of any chunking equals restoring the whole answer at once.
//
// Dates: the model saw only shifted dates, so a date it writes in a form of its own ("Oct 15"
// for a stand-in "10/15/2024", or a date it worked out) is in shifted time too. With `unshift`,
// every date the answer holds that is not a stand-in is moved back. While streaming, the last
// DATE_HOLD characters wait (a date may still be growing: "March 4" + ", 2024").

import { findDates } from './dates';
import { PrivacyError, type Candidate } from './types';

export const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Longer than any date findDates() matches, weekday and year included. */
const DATE_HOLD = 40;

/** The original of a date written in shifted time, or undefined when it does not read as a date. */
export type Unshift = (date: string) => string | undefined;

export class Restorer {
  private readonly map: ReadonlyMap<string, string>;
  private readonly re: RegExp | undefined;
  private readonly prefixes = new Set<string>();
  private readonly longest: number;
  private buffer = '';
  /** The last characters already emitted: a match must not start inside a word, and a date's pattern looks behind. */
  private before = '';
  private ended = false;

  /** `map`: stand-in -> original. Copied: later additions need a new Restorer. */
  constructor(
    map: ReadonlyMap<string, string>,
    private readonly unshift?: Unshift,
  ) {
    this.map = new Map(map);
    const keys = [...this.map.keys()].filter((k) => k.length > 0).sort((a, b) => b.length - a.length);
    this.longest = keys.length ? keys[0].length : 0;
    for (const k of keys) for (let i = 1; i <= k.length; i++) this.prefixes.add(k.slice(0, i));
    // Whole words only: the stand-in "Hobart" is not restored inside "Hobarton".
    this.re = keys.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${keys.map(escapeRe).join('|')})(?![\\p{L}\\p{N}])`, 'gu') : undefined;
  }

  /** The restored text that is certain so far. */
  push(chunk: string): string {
    if (this.ended) throw new PrivacyError('Restorer.push after end(): make a new Restorer for each answer');
    this.buffer += chunk;
    let cut = this.buffer.length - this.heldTail();
    if (this.unshift) cut = Math.min(cut, this.dateSafeCut());
    return this.flush(cut, false);
  }

  /** The rest, at the end of the answer. */
  end(): string {
    if (this.ended) return '';
    const out = this.flush(this.buffer.length, true);
    this.ended = true;
    return out;
  }

  /** Restores a whole text at once. */
  restore(text: string): string {
    const r = new Restorer(this.map, this.unshift);
    return r.push(text) + r.end();
  }

  /** Length of the longest end of the buffer that is the start of a stand-in (or one whole, whose end is not yet known). */
  private heldTail(): number {
    for (let n = Math.min(this.longest, this.buffer.length); n > 0; n--) {
      if (this.prefixes.has(this.buffer.slice(this.buffer.length - n))) return n;
    }
    return 0;
  }

  /** Where the certain text ends for dates: DATE_HOLD back from the end, and never inside a date. */
  private dateSafeCut(): number {
    let cut = this.buffer.length - DATE_HOLD;
    if (cut <= 0) return 0;
    const text = this.before + this.buffer;
    const skip = this.before.length;
    for (const d of this.dates(text)) if (d.start - skip < cut && d.end - skip > cut) cut = d.start - skip;
    return Math.max(0, cut);
  }

  private dates(text: string): Candidate[] {
    const found: Candidate[] = [];
    findDates(text, 0, found);
    // Overlapping finds: the longest from the earliest start, as detect() settles them.
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    const out: Candidate[] = [];
    for (const d of found) if (!out.length || d.start >= out[out.length - 1].end) out.push(d);
    return out;
  }

  private flush(cut: number, final: boolean): string {
    if (cut <= 0 && !final) return '';
    const text = this.before + this.buffer;
    const skip = this.before.length;
    let end = cut + skip;
    // Stand-ins first; a match may run past the cut (it was held back until whole).
    const edits: { start: number; end: number; text: string }[] = [];
    if (this.re) {
      this.re.lastIndex = skip;
      for (let m = this.re.exec(text); m && m.index < end; m = this.re.exec(text)) {
        edits.push({ start: m.index, end: m.index + m[0].length, text: this.map.get(m[0])! });
        end = Math.max(end, m.index + m[0].length);
      }
    }
    if (this.unshift) {
      for (const d of this.dates(text)) {
        if (d.start < skip || d.end > end || edits.some((e) => d.start < e.end && e.start < d.end)) continue;
        const back = this.unshift(text.slice(d.start, d.end));
        if (back !== undefined) edits.push({ start: d.start, end: d.end, text: back });
      }
      edits.sort((a, b) => a.start - b.start);
    }
    let out = '';
    let last = skip;
    for (const e of edits) {
      out += text.slice(last, e.start) + e.text;
      last = e.end;
    }
    out += text.slice(last, end);
    // Enough of what was emitted for the next scan's look-behinds: one character for a stand-in,
    // 16 for a date ("score 3/4" is no date; findDates looks that far back).
    this.before = text.slice(Math.max(0, end - (this.unshift ? 16 : 1)), end);
    this.buffer = text.slice(end);
    return out;
  }
}
