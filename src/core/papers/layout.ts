// Rebuilds readable text from pdf.js lines: running headers and footers removed, paragraphs
// from vertical gaps / font-size changes / indentation, words hyphenated at line ends
// rejoined, headings found, reference lists marked. Every paragraph keeps its page number.

import type { Paragraph } from './types';
import type { RawLine } from './worker-protocol';

export interface PageLines {
  page: number;
  height: number;
  lines: RawLine[];
}

const SECTION_NAMES =
  /^(?:(?:\d+(?:\.\d+)*|[IVX]+)\.?\s+)?(abstract|summary|background|introduction|objectives?|aims?|methods?|materials and methods|patients and methods|methodology|study design|results|findings|discussion|conclusions?|limitations|implications|acknowledge?ments?|competing interests|conflicts? of interest|funding|authors'? contributions|references|bibliography|literature cited|appendix|supplementary (?:material|data|information)|abbreviations)\s*:?\s*$/i;
const REFERENCES = /^(?:\d+\.?\s*)?(references|bibliography|literature cited)\s*:?$/i;
const AFTER_REFERENCES = /appendix|supplement/i;
const SENTENCE_END = /[.?!:;]["')\]]?$/;
/** Licence and correspondence lines every open-access paper carries: not worth retrieving. */
const BOILERPLATE = /creative commons|open access article distributed|licensee |permits unrestricted use|^\*?\s*correspondence:|this article is available from|©\s*\d{4}/i;

/** Text of a line with digits blanked: running headers differ only in page numbers. */
function furnitureKey(text: string): string {
  // Odd and even pages put the page number on opposite sides: ignore it wherever it is.
  return text.toLowerCase().replace(/\d+/g, '#').replace(/^[#\s]+|[#\s]+$/g, '').replace(/\s+/g, ' ').trim() || '#';
}

/** Removes lines repeated at the top or bottom of most pages, and bare page numbers there. */
export function removeRunningLines(pages: PageLines[]): PageLines[] {
  const EDGE = 3;
  const counts = new Map<string, number>();
  const edges = (p: PageLines) => {
    const n = p.lines.length;
    // Among the first/last lines, and in the top or bottom 12 % of the page.
    return p.lines.filter((l, i) => (i < EDGE || i >= n - EDGE) && (!p.height || l.y > p.height * 0.88 || l.y < p.height * 0.12));
  };
  for (const p of pages) {
    for (const k of new Set(edges(p).map((l) => furnitureKey(l.text)))) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const withText = pages.filter((p) => p.lines.length > 0).length;
  const min = Math.max(2, Math.ceil(0.4 * withText));
  return pages.map((p) => {
    const edge = new Set(edges(p));
    const lines = p.lines.filter((l) => {
      if (!edge.has(l)) return true;
      const k = furnitureKey(l.text);
      // "7", "Page 7", "Page 7 of 12", "Page 7/12", "7 / 12", "7 of 12" (digits are # in the key).
      if (k === '#' || /^(?:page(?: ?# ?(?:of|\/))?|of|\/)$/.test(k)) return false;
      return withText < 2 || (counts.get(k) ?? 0) < min;
    });
    return { ...p, lines };
  });
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * The body font size: the size carrying the most characters before the reference list (a
 * long list in small type would otherwise pass for the body and make the text look like
 * headings).
 */
export function bodySize(pages: PageLines[]): number {
  const count = (stopAtReferences: boolean) => {
    const bySize = new Map<number, number>();
    outer: for (const p of pages) {
      for (const l of p.lines) {
        if (stopAtReferences && REFERENCES.test(l.text.trim())) break outer;
        const k = Math.round(l.size * 2) / 2;
        bySize.set(k, (bySize.get(k) ?? 0) + l.text.length);
      }
    }
    return bySize;
  };
  let bySize = count(true);
  if (!bySize.size) bySize = count(false);
  let best = 10;
  let most = -1;
  for (const [s, n] of bySize) if (n > most) [best, most] = [s, n];
  return best;
}

export function isHeadingLine(l: RawLine, body: number): boolean {
  const t = l.text.trim();
  if (SECTION_NAMES.test(t)) return true;
  if (t.length > 100 || t.length < 3 || !/\p{L}{3}/u.test(t)) return false;
  return l.size >= body * 1.15 && !SENTENCE_END.test(t.replace(/[.:]$/, ''));
}

/** Joins line b to text a, rejoining a word hyphenated across the line break. */
export function joinLines(a: string, b: string): string {
  if (/\p{L}-$/u.test(a) && /^\p{Ll}/u.test(b)) return a.slice(0, -1) + b;
  return `${a} ${b}`;
}

export function toParagraphs(rawPages: PageLines[]): Paragraph[] {
  const pages = removeRunningLines(rawPages);
  const body = bodySize(pages);
  const gaps: number[] = [];
  for (const p of pages) {
    for (let i = 1; i < p.lines.length; i++) {
      const dy = p.lines[i - 1].y - p.lines[i].y;
      if (dy > 0 && Math.abs(p.lines[i].size - body) < 0.5) gaps.push(dy);
    }
  }
  const lineGap = median(gaps) || body * 1.2;

  const out: Paragraph[] = [];
  let section = '';
  let inReferences = false;
  for (const p of pages) {
    let cur: { text: string; heading: boolean; last: RawLine } | undefined;
    const flush = () => {
      if (!cur) return;
      const text = cur.text.replace(/\s+/g, ' ').trim();
      if (text) {
        if (cur.heading) {
          section = text.replace(/^(?:\d+(?:\.\d+)*|[IVX]+)\.?\s+/, '').slice(0, 80);
          if (REFERENCES.test(text)) inReferences = true;
          else if (AFTER_REFERENCES.test(text) || SECTION_NAMES.test(text)) inReferences = false;
          out.push({ page: p.page, text, section, heading: true, ...(inReferences ? { reference: true } : {}) });
        } else {
          const boilerplate = text.length < 700 && BOILERPLATE.test(text);
          out.push({ page: p.page, text, section, ...(inReferences ? { reference: true } : {}), ...(boilerplate ? { boilerplate: true } : {}) });
        }
      }
      cur = undefined;
    };
    for (const l of p.lines) {
      const heading = isHeadingLine(l, body);
      // Consecutive heading lines of one size (a title over several lines) stay one heading.
      const headingGoesOn = heading && cur?.heading && Math.abs(l.size - cur.last.size) < 0.5 && cur.last.y > l.y && cur.last.y - l.y < Math.max(lineGap, l.size * 1.25) * 1.4;
      if (cur && !headingGoesOn) {
        const prev = cur.last;
        const dy = prev.y - l.y;
        const sizeChange = Math.abs(l.size - prev.size) > 0.15 * Math.max(l.size, prev.size);
        const ended = SENTENCE_END.test(prev.text);
        const bigGap = dy > lineGap * 1.45;
        const columnJump = dy < -lineGap || (dy > lineGap * 1.45 && l.x > prev.x + 100);
        const indent = l.x > prev.x + 0.8 * l.size && Math.abs(dy - lineGap) < lineGap * 0.4 && ended;
        const brk = heading || cur.heading || sizeChange || indent || (columnJump ? ended : bigGap);
        if (brk) flush();
      }
      if (!cur) cur = { text: l.text, heading, last: l };
      else {
        cur.text = joinLines(cur.text, l.text);
        cur.last = l;
      }
    }
    flush();
  }
  return out;
}
