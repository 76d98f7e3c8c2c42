// Splits a streamed markdown answer into finished top-level blocks and an unfinished tail,
// incrementally and without a DOM: each character is scanned once and only the tail is kept
// as a working string, so the work per token does not grow with the answer. A finished block
// is rendered once; only the tail re-renders.
//
// A block ends where the next one can safely start on its own: at a line that starts in
// column 0 (not indented: indented lines after a blank may continue a list item) after a
// blank line or after a closing code fence, outside any fence. The split is made as soon as
// that line's first character arrives. Splitting there renders the same as rendering the
// whole text, except that reference-style link definitions only apply within their block
// (models rarely write them).

import { hasInvisible } from '../../../src/core/model-text/invisible';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export class BlockSplitter {
  /** The unfinished tail (everything after the last finished block). */
  private buf = '';
  /** Finished blocks, kept only to give the whole text back. */
  private readonly finished: string[] = [];
  /** Start (in buf) of the first line not yet scanned. */
  private scan = 0;
  /** The current line's first character was already looked at. */
  private lineChecked = false;
  /** The open fence's marker, e.g. "```" or "~~~~". */
  private fence: string | null = null;
  /** The last scanned line was blank, or closed a fence. */
  private boundary = false;
  /** Where (in buf) the search for the next newline resumes: a long line is not searched again. */
  private searched = 0;
  /** Characters searched for a newline so far (each once; a test holds us to it). */
  private examined = 0;

  /** Adds streamed text; returns the blocks it finished (markdown source, in order). */
  push(delta: string): string[] {
    this.buf += delta;
    const done: string[] = [];
    for (;;) {
      if (!this.lineChecked && this.scan < this.buf.length) {
        this.lineChecked = true;
        const c = this.buf.charCodeAt(this.scan);
        const startsBlock = c !== 32 && c !== 9 && c !== 10 && c !== 13;
        if (!this.fence && this.boundary && startsBlock && this.scan > 0) this.cut(this.scan, done);
      }
      const from = Math.max(this.scan, this.searched);
      const nl = this.buf.indexOf('\n', from);
      this.examined += (nl < 0 ? this.buf.length : nl + 1) - from;
      this.searched = nl < 0 ? this.buf.length : nl + 1;
      if (nl < 0) break;
      this.line(this.buf.slice(this.scan, nl));
      this.scan = nl + 1;
      this.lineChecked = false;
    }
    return done;
  }

  private cut(at: number, done: string[]): void {
    const block = this.buf.slice(0, at);
    this.buf = this.buf.slice(at);
    this.scan -= at;
    this.searched -= at;
    if (block.trim()) {
      done.push(block);
      this.finished.push(block);
    } else if (this.finished.length) {
      this.finished[this.finished.length - 1] += block;
    } else {
      this.finished.push(block);
    }
  }

  private line(line: string): void {
    if (this.fence) {
      const m = FENCE.exec(line);
      if (m && m[1][0] === this.fence[0] && m[1].length >= this.fence.length && line.slice(m[0].length).trim() === '') {
        this.fence = null;
        this.boundary = true;
      }
      return;
    }
    const m = FENCE.exec(line);
    if (m && !(m[1][0] === '`' && line.slice(m[0].length).includes('`'))) {
      this.fence = m[1];
      this.boundary = false;
    } else {
      this.boundary = line.trim() === '';
    }
  }

  /** The unfinished part, re-rendered on every update. */
  get tail(): string {
    return this.buf;
  }

  /** How many characters were searched for line ends: the work per token stays constant. */
  get scanned(): number {
    return this.examined;
  }

  /** Everything received so far. */
  get all(): string {
    return this.finished.join('') + this.buf;
  }

  /** The answer is over: the tail becomes the last block. */
  end(): string[] {
    const last = this.buf;
    this.buf = '';
    this.scan = 0;
    this.searched = 0;
    this.lineChecked = false;
    if (!last) return [];
    this.finished.push(last);
    return last.trim() ? [last] : [];
  }
}

// The streaming renderer's cheap path (stream-renderer.ts): words that cannot change markup.
/** Characters that can change markup mid-line (emphasis, code, links, linkify, entities, tables, escapes). */
const MARKUP = /[*_`[\]()!<>#|~&\\:@./\n\r]/;
/** Lines shorter than this may still turn into a list item, heading, quote or rule. */
const LINE_START = 6;

/** True when `delta`, added after `before`, renders as the same text appended to the last text node. */
export function isPlainAppend(before: string, delta: string): boolean {
  // Hidden characters are rendered as visible labels, which only a real render does.
  if (!before || MARKUP.test(delta) || /\s$/.test(before) || hasInvisible(delta)) return false;
  const nl = before.lastIndexOf('\n');
  return before.length - nl - 1 >= LINE_START;
}

/** A whole text split the same way (for rendering a saved answer block by block). */
export function splitBlocks(text: string): string[] {
  const s = new BlockSplitter();
  const out = s.push(text);
  return [...out, ...s.end()];
}
