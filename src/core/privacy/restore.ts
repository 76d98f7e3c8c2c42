// Puts the originals back into a model's answer: every stand-in the pseudonymizer handed out
// is replaced by what it stood for. Streaming: a chunk may end inside a stand-in ("Dr. Hob"
// ... "art"), so the restorer holds back the shortest tail that could still be the start of
// one, and nothing else; the output of any chunking equals restoring the whole answer at once.

import { PrivacyError } from './types';

export const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Restorer {
  private readonly map: ReadonlyMap<string, string>;
  private readonly re: RegExp | undefined;
  private readonly prefixes = new Set<string>();
  private readonly longest: number;
  private buffer = '';
  /** The last character already emitted: the next match must not start inside a word. */
  private before = '';
  private ended = false;

  /** `map`: stand-in -> original. Copied: later additions need a new Restorer. */
  constructor(map: ReadonlyMap<string, string>) {
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
    return this.flush(this.buffer.length - this.heldTail());
  }

  /** The rest, at the end of the answer. */
  end(): string {
    if (this.ended) return '';
    const out = this.flush(this.buffer.length);
    this.ended = true;
    return out;
  }

  /** Restores a whole text at once. */
  restore(text: string): string {
    const r = new Restorer(this.map);
    return r.push(text) + r.end();
  }

  /** Length of the longest end of the buffer that is the start of a stand-in (or one whole, whose end is not yet known). */
  private heldTail(): number {
    for (let n = Math.min(this.longest, this.buffer.length); n > 0; n--) {
      if (this.prefixes.has(this.buffer.slice(this.buffer.length - n))) return n;
    }
    return 0;
  }

  private flush(cut: number): string {
    if (cut <= 0) return '';
    const text = this.before + this.buffer;
    const skip = this.before.length;
    let out = '';
    let last = skip;
    let end = cut + skip;
    if (this.re) {
      this.re.lastIndex = skip;
      for (let m = this.re.exec(text); m && m.index < end; m = this.re.exec(text)) {
        out += text.slice(last, m.index) + this.map.get(m[0])!;
        last = m.index + m[0].length;
        end = Math.max(end, last);
      }
    }
    out += text.slice(last, end);
    this.before = text.slice(Math.max(skip, end - 1), end);
    this.buffer = text.slice(end);
    return out;
  }
}
