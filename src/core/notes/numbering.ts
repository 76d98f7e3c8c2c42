// Turns a note into the line-numbered block the model reads ("L12: text"). Numbers are always
// those of the original file, so a citation like [L12] means line 12 in the editor, whatever
// range or part of the note the model saw.

export type LineRange = readonly [number, number];

export interface NumberedNote {
  /** First and last summarized line, 1-based and inclusive, in original numbering. */
  readonly start: number;
  readonly end: number;
  /** Number of lines in the whole file (the way an editor counts them). */
  readonly totalLines: number;
  /** Original text of every line in start..end, blank lines included. */
  readonly lines: ReadonlyMap<number, string>;
  /** The prompt block: one `L<n>: text` line per non-blank line of the range. */
  readonly block: string;
}

/** Split like an editor does: \r\n, \r and \n all end a line; a trailing newline leaves an empty last line. */
export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

/**
 * One prompt line, or undefined for a blank line (dropped to save tokens; numbering is
 * unaffected). Column padding and long rules are shortened: lab tables and `=====` separators
 * otherwise cost many tokens and carry no meaning.
 */
export function formatLine(n: number, text: string): string | undefined {
  const compact = text
    .replace(/\s+$/, '')
    .replace(/[ \t]{2,}/g, '  ')
    .replace(/([^\w\s])\1{9,}/g, (run) => run.slice(0, 10));
  if (compact.trim() === '') return undefined;
  return `L${n}: ${compact}`;
}

/** The prompt block for lines a..b (inclusive) of a numbered note. */
export function blockFor(note: NumberedNote, a: number, b: number): string {
  const out: string[] = [];
  for (let n = Math.max(a, note.start); n <= Math.min(b, note.end); n++) {
    const line = formatLine(n, note.lines.get(n) ?? '');
    if (line !== undefined) out.push(line);
  }
  return out.join('\n');
}

/**
 * Number a note, optionally only lines range[0]..range[1] (1-based, inclusive, of the original
 * file). An end past the last line is clamped (a selection may end on the trailing empty line);
 * a start past the end or an inverted range is a RangeError with a readable message.
 */
export function numberNote(text: string, range?: LineRange): NumberedNote {
  const all = splitLines(text);
  const totalLines = all.length;
  const [start, asked] = range ?? [1, totalLines];
  if (!Number.isInteger(start) || !Number.isInteger(asked) || start < 1 || asked < start) {
    throw new RangeError(`Line range ${start}-${asked} is not valid: use first-last, 1-based, with first <= last.`);
  }
  if (start > totalLines) {
    throw new RangeError(`Line range ${start}-${asked} starts after the end of the note (${totalLines} lines).`);
  }
  const end = Math.min(asked, totalLines);
  const lines = new Map<number, string>();
  for (let n = start; n <= end; n++) lines.set(n, all[n - 1]);
  const note = { start, end, totalLines, lines, block: '' };
  note.block = blockFor(note, start, end);
  return note;
}

/** A view of the same note restricted to a..b, numbering unchanged (used for map-reduce parts). */
export function subNote(note: NumberedNote, a: number, b: number): NumberedNote {
  const start = Math.max(a, note.start);
  const end = Math.min(b, note.end);
  const lines = new Map<number, string>();
  for (let n = start; n <= end; n++) lines.set(n, note.lines.get(n) ?? '');
  const part = { start, end, totalLines: note.totalLines, lines, block: '' };
  part.block = blockFor(part, start, end);
  return part;
}
