// Splits a streamed markdown answer into finished top-level blocks and an unfinished tail,
// incrementally and without a DOM: each character is scanned once, so the work per token does
// not grow with the answer. A finished block is rendered once; only the tail re-renders.
//
// A block ends where the next one can safely start on its own: at a line that starts in
// column 0 (not indented: indented lines after a blank may continue a list item) after a
// blank line or after a closing code fence, outside any fence. Splitting there renders the
// same as rendering the whole text, except that reference-style link definitions only apply
// within their block (models rarely write them).

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export class BlockSplitter {
  private text = '';
  /** Start of the unfinished tail. */
  private pos = 0;
  /** Start of the first line not yet scanned (always at a line start). */
  private scan = 0;
  /** The open fence's marker, e.g. "```" or "~~~~". */
  private fence: string | null = null;
  /** The last scanned line was blank, or closed a fence. */
  private boundary = false;

  /** Adds streamed text; returns the blocks it finished (markdown source, in order). */
  push(delta: string): string[] {
    this.text += delta;
    const done: string[] = [];
    for (;;) {
      const nl = this.text.indexOf('\n', this.scan);
      if (nl < 0) break;
      const start = this.scan;
      const line = this.text.slice(start, nl);
      this.scan = nl + 1;
      if (this.fence) {
        const m = FENCE.exec(line);
        if (m && m[1][0] === this.fence[0] && m[1].length >= this.fence.length && line.slice(m[0].length).trim() === '') {
          this.fence = null;
          this.boundary = true;
        }
        continue;
      }
      const startsBlock = line.length > 0 && line[0] !== ' ' && line[0] !== '\t';
      if (this.boundary && startsBlock && start > this.pos) {
        const block = this.text.slice(this.pos, start);
        if (block.trim()) done.push(block);
        this.pos = start;
      }
      const m = FENCE.exec(line);
      if (m && !(m[1][0] === '`' && line.slice(m[0].length).includes('`'))) {
        this.fence = m[1];
        this.boundary = false;
      } else {
        this.boundary = line.trim() === '';
      }
    }
    return done;
  }

  /** The unfinished part, re-rendered on every update. */
  get tail(): string {
    return this.text.slice(this.pos);
  }

  /** Everything received so far. */
  get all(): string {
    return this.text;
  }

  /** The answer is over: the tail becomes the last block. */
  end(): string[] {
    const last = this.text.slice(this.pos);
    this.pos = this.text.length;
    this.scan = this.text.length;
    return last.trim() ? [last] : [];
  }
}

/** A whole text split the same way (for rendering a saved answer block by block). */
export function splitBlocks(text: string): string[] {
  const s = new BlockSplitter();
  const out = s.push(text);
  return [...out, ...s.end()];
}
