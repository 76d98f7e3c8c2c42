// Chunks of ~1.5–2.5k characters on paragraph boundaries, overlapping by the last paragraph
// (or sentences) of the previous chunk, each with its page range and section. Reference
// lists, licence/correspondence boilerplate and headings alone are not indexed.

import type { Chunk, Paragraph } from './types';

export interface ChunkOptions {
  target?: number;
  max?: number;
  overlap?: number;
}

const SENTENCE = /[^.!?]+(?:[.!?]+["')\]]*\s*|$)/g;

/** Splits a paragraph longer than max into pieces on sentence boundaries. */
function pieces(p: Paragraph, max: number): Paragraph[] {
  if (p.text.length <= max) return [p];
  const out: Paragraph[] = [];
  let cur = '';
  for (const s of p.text.match(SENTENCE) ?? [p.text]) {
    if (cur && cur.length + s.length > max) {
      out.push({ ...p, text: cur.trim() });
      cur = '';
    }
    // A single "sentence" longer than max (tables, lists) is cut on word boundaries.
    let rest = s;
    while (rest.length > max) {
      const cut = rest.lastIndexOf(' ', max) > max / 2 ? rest.lastIndexOf(' ', max) : max;
      out.push({ ...p, text: rest.slice(0, cut).trim() });
      rest = rest.slice(cut);
    }
    cur += rest;
  }
  if (cur.trim()) out.push({ ...p, text: cur.trim() });
  return out;
}

function tail(text: string, overlap: number): string {
  if (text.length <= overlap) return text;
  const sentences = text.match(SENTENCE) ?? [];
  let t = '';
  for (let i = sentences.length - 1; i >= 0 && t.length + sentences[i].length <= overlap; i--) t = sentences[i] + t;
  if (t.trim()) return t.trim();
  // The last words within the overlap; with no space there (a URL, a table row), its last characters.
  const space = text.indexOf(' ', text.length - overlap);
  return text.slice(space >= 0 ? space + 1 : text.length - overlap);
}

export function chunkParagraphs(paperId: string, paragraphs: Paragraph[], opts: ChunkOptions = {}): Chunk[] {
  const target = opts.target ?? 2000;
  const max = opts.max ?? 2500;
  const overlap = opts.overlap ?? 300;
  const body = paragraphs.filter((p) => !p.reference && !p.boilerplate).flatMap((p) => pieces(p, max));
  const chunks: Chunk[] = [];
  let parts: Paragraph[] = [];
  let size = 0;
  let carry: Paragraph | undefined;
  const emit = () => {
    const content = parts.filter((p) => !p.heading);
    if (!content.length) return;
    const all = carry ? [carry, ...parts] : parts;
    // Stray fragments (a footnote mark, a page's last word) do not decide the page range.
    const solid = all.filter((p) => (p.text.match(/\p{L}{2,}/gu)?.length ?? 0) >= 3);
    const pages = (solid.length ? solid : all).map((p) => p.page);
    chunks.push({
      id: `${paperId}#${chunks.length}`,
      paperId,
      pageStart: Math.min(...pages),
      pageEnd: Math.max(...pages),
      section: content[0].section,
      text: all.map((p) => p.text).join('\n\n'),
    });
    const last = content[content.length - 1];
    carry = { ...last, text: tail(last.text, overlap) };
    parts = [];
    size = 0;
  };
  for (const p of body) {
    // A new top-level section starts a new chunk once the current one is big enough.
    if (size >= target * 0.75 && p.heading) emit();
    if (size && size + p.text.length > max) emit();
    parts.push(p);
    size += p.text.length + 2;
    if (size >= target) emit();
  }
  emit();
  return chunks;
}
