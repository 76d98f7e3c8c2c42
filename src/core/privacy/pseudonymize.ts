// A Pseudonymizer replaces the identifiers of every text of one document or conversation with
// stand-ins, the same original always by the same stand-in; dates all move by one secret
// offset (order and intervals survive); no stand-in holds a line break, so line numbers (and
// the summaries' [L12] citations) stay valid. Its restorer() puts the originals back into an
// answer. The mapping stays inside the object: it is never logged, and printing the object
// shows only counts.

import { shiftDate } from './date-shift';
import { detect, type DetectOptions } from './detect';
import { EPONYM_AFTER, NAME_WORD } from './name-words';
import { escapeRe, Restorer } from './restore';
import { caseLike, nameWord, scramble, seededRng, surrogate, type Rng } from './surrogates';
import type { PhiType, Span } from './types';

export interface PseudonymizerOptions {
  /** Makes the stand-ins and the date offset reproducible (tests); default: random. */
  seed?: number;
  /** Days every date moves; default: a random 30-365 days back or forward. */
  dateShiftDays?: number;
  detect?: DetectOptions;
}

export interface Replacement extends Span {
  replacement: string;
}

export interface Pseudonymized {
  text: string;
  /** Offsets into the input text, as detect() gives them. */
  spans: Replacement[];
}

const WORD = new RegExp(`${NAME_WORD}|\\p{Lu}\\.|\\p{Lu}{2,}(?:['’-]\\p{Lu}+)*`, 'gu');

function randomSeed(): number {
  const a = new Uint32Array(1);
  globalThis.crypto.getRandomValues(a);
  return a[0];
}

export class Pseudonymizer {
  private readonly rng: Rng;
  private readonly shiftDays: number;
  /** `${type}\u0000${original}` -> stand-in; name words keyed by `NAME\u0000${lower-case word}`. */
  private readonly forward = new Map<string, string>();
  /** stand-in -> original, what a Restorer needs. */
  private readonly back = new Map<string, string>();
  /** A day-first date (23/08/1961) was seen: numeric dates are read day-first, also in answers. */
  private dayFirst = false;
  /** Every original replaced so far (whole names and their words) -> its type: see recall(). */
  private readonly originals = new Map<string, PhiType>();

  constructor(private readonly opts: PseudonymizerOptions = {}) {
    this.rng = seededRng(opts.seed ?? randomSeed());
    const days = 30 + Math.floor(this.rng() * 336);
    this.shiftDays = opts.dateShiftDays ?? (this.rng() < 0.5 ? -days : days);
  }

  /** `text` with every identifier replaced; `spans` defaults to detect(text). */
  pseudonymize(text: string, spans: readonly Span[] = detect(text, this.opts.detect)): Pseudonymized {
    const dayFirst = spans.some((s) => s.type === 'DATE' && /(?:^|\s)(?:1[3-9]|2\d|3[01])[/.]\d{1,2}[/.]/.test(s.text));
    if (dayFirst) this.dayFirst = true;
    const out: Replacement[] = [];
    let result = '';
    let last = 0;
    for (const s of [...spans].sort((a, b) => a.start - b.start)) {
      if (s.start < last) continue;
      const replacement = this.replace(s, text, dayFirst);
      result += text.slice(last, s.start) + replacement;
      last = s.end;
      out.push({ ...s, replacement });
    }
    return { text: result + text.slice(last), spans: out };
  }

  /**
   * `spans` plus the mentions in `text` of identifiers this pseudonymizer already replaced in an
   * earlier text of the same document or conversation ("Hobart" alone in a later chat turn,
   * once "Dr. Hobart" was found): detect() sees one text at a time and may miss them alone.
   */
  recall(text: string, spans: readonly Span[]): Span[] {
    // Not dates and ages: "100" or "3/4" alone are as likely a dose or a ratio.
    const words = [...this.originals].filter(([w, t]) => w.length >= 3 && t !== 'DATE' && t !== 'AGE').map(([w]) => w).sort((a, b) => b.length - a.length);
    if (!words.length) return [...spans];
    const taken = spans.map((s) => [s.start, s.end]).sort((a, b) => a[0] - b[0]);
    const free = (s: number, e: number): boolean => !taken.some(([a, b]) => s < b && a < e);
    const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escapeRe).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
    const out = [...spans];
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      const type = this.originals.get(m[0])!;
      // "Parkinson disease" stays a disease when a Mr. Parkinson was replaced (detect() knows too).
      if (type === 'NAME' && EPONYM_AFTER.test(text.slice(end, end + 40))) continue;
      if (free(start, end)) out.push({ start, end, type, text: m[0] });
    }
    return out.sort((a, b) => a.start - b.start);
  }

  /**
   * A streaming restorer with every stand-in handed out so far. Once dates were shifted, a date
   * the model wrote in its own words is shifted back too (it can only have come from shifted
   * ones), unless `unshiftDates: false`: the model also read real dates (a paper's).
   */
  restorer(opts: { unshiftDates?: boolean } = {}): Restorer {
    const shifted = opts.unshiftDates !== false && [...this.originals.values()].includes('DATE');
    return new Restorer(this.back, shifted ? (d) => shiftDate(d, -this.shiftDays, this.dayFirst) : undefined);
  }

  /** How many stand-ins are mapped: the one thing about the mapping safe to show. */
  get size(): number {
    return this.back.size;
  }

  toJSON(): { stand_ins: number } {
    return { stand_ins: this.back.size };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Pseudonymizer { ${this.back.size} stand-ins }`;
  }

  private replace(s: Span, text: string, dayFirst: boolean): string {
    // A span never holds a line break (detect() cuts at one); keep them anyway if a caller's does.
    if (s.text.includes('\n')) return s.text.split('\n').map((part) => (part ? this.replace({ ...s, text: part }, text, dayFirst) : part)).join('\n');
    if (s.type === 'NAME') return this.name(s.text, text);
    const key = `${s.type}\u0000${s.text}`;
    const known = this.forward.get(key);
    if (known !== undefined) return known;
    const make = (): string => (s.type === 'DATE' ? (shiftDate(s.text, this.shiftDays, dayFirst) ?? scramble(s.text, this.rng)) : surrogate(s.type, s.text, this.rng));
    let stand = make();
    // A shifted date may equal another date of the note: that one is shifted too, so the stand-in
    // still means one original. Anything else must be new.
    // Short stand-ins (an age of 90-99) may all occur somewhere in a long note: then one that is
    // at least not the original and not another's stand-in, never the original itself.
    if (s.type !== 'DATE') {
      let unused = stand !== s.text && !this.back.has(stand) ? stand : undefined;
      for (let i = 0; i < 20 && (stand === s.text || this.back.has(stand) || text.includes(stand)); i++) {
        stand = make();
        if (unused === undefined && stand !== s.text && !this.back.has(stand)) unused = stand;
      }
      if ((stand === s.text || this.back.has(stand)) && unused !== undefined) stand = unused;
    }
    this.forward.set(key, stand);
    this.back.set(stand, s.text);
    this.originals.set(s.text, s.type);
    return stand;
  }

  /** Word by word, so each word of a name keeps its stand-in wherever it appears. */
  private name(original: string, text: string): string {
    const comma = original.indexOf(',');
    let index = 0;
    const replaced = original.replace(WORD, (word, offset: number) => {
      const first = index++ === 0;
      // "Eleanor Vandersloot": the first word is a given name; "VANDERSLOOT, Eleanor": the one after the comma.
      const given = comma >= 0 ? offset > comma : first && /\s/.test(original);
      const bare = word.replace(/['’]s$/, '');
      const key = `NAME\u0000${bare.toLowerCase()}`;
      let stand = this.forward.get(key);
      if (stand === undefined) {
        stand = nameWord(bare, given, this.rng);
        for (let i = 0; i < 20 && (this.back.has(stand) || this.back.has(stand.toUpperCase()) || text.includes(stand)); i++) stand = nameWord(bare, given, this.rng);
        this.forward.set(key, stand);
      }
      const cased = /^\p{Lu}\.$/u.test(bare) ? stand : caseLike(bare, stand);
      if (!this.back.has(cased)) this.back.set(cased, bare);
      if (/^\p{Lu}/u.test(bare)) this.originals.set(bare, 'NAME');
      return cased + word.slice(bare.length);
    });
    if (replaced !== original && !this.back.has(replaced)) this.back.set(replaced, original);
    return replaced;
  }
}
