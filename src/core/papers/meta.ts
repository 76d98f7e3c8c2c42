// Title, authors and year of a paper: from the PDF's metadata when it is usable, else from
// the first page (largest type = title; a year next to ©/Copyright/Published, else the
// commonest plausible year).

import type { PageLines } from './layout';
import type { KnownMeta, Paragraph, PaperMeta } from './types';

// "Microsoft Word - manuscript v3": the name of the file it was printed from, not a title.
const BAD_TITLE = /^(untitled|microsoft word|document\d*|title)$|^microsoft (word|powerpoint|excel) - |\.(docx?|pdf|tex|dvi|indd|qxd)$|^\s*$/i;

export function paperMeta(pageCount: number, info: { title?: string; author?: string; date?: string }, first: PageLines | undefined, fileName: string): PaperMeta {
  const title = usableTitle(info.title) ?? titleFromPage(first) ?? fileName.replace(/\.pdf$/i, '');
  const authors = info.author ? splitAuthors(info.author) : [];
  const year = yearFromPage(first) ?? yearFromDate(info.date);
  return { title, authors, year, pages: pageCount };
}

function usableTitle(t?: string): string | undefined {
  if (!t) return undefined;
  const s = t.replace(/\s+/g, ' ').replace(/^(?:research|review|original|clinical study|case report)\s+article\s+/i, '').trim();
  const words = s.match(/\p{L}{3,}/gu)?.length ?? 0;
  return words >= 3 && !BAD_TITLE.test(s) && !/^www\.|\.(?:org|com|net)$/i.test(s) ? s : undefined;
}

const NOT_TITLE = /www\.|https?:|@|\.(?:org|com|net)\b|^(?:research|review|original)?\s*article$|open access|journal|volume|doi/i;

/** The largest type in the upper part of page 1 that reads like a title (not a URL or journal line). */
function titleFromPage(p?: PageLines): string | undefined {
  if (!p || !p.lines.length) return undefined;
  const top = p.lines.filter((l) => l.y > p.height * 0.35 && /\p{L}{3}/u.test(l.text) && !NOT_TITLE.test(l.text));
  const sizes = [...new Set(top.map((l) => l.size))].sort((a, b) => b - a);
  for (const size of sizes.slice(0, 3)) {
    const idx = p.lines.findIndex((l) => l.size === size && top.includes(l));
    const parts: string[] = [];
    for (let i = idx; i < p.lines.length && Math.abs(p.lines[i].size - size) < 0.5 && parts.length < 6 && !NOT_TITLE.test(p.lines[i].text); i++) parts.push(p.lines[i].text);
    const t = parts.join(' ').replace(/\s+/g, ' ').replace(/^(?:research|review|original|clinical study|case report)\s+article\s+/i, '').trim();
    if ((t.match(/\p{L}{3,}/gu)?.length ?? 0) >= 3) return t.slice(0, 200);
  }
  return undefined;
}

// "Tully, Patrick J.", "Smith, J. K.": a surname, then given names ending in an initial.
const SURNAME = /^(?:(?:van|von|de|der|da|del|di|le|la)\s+)*\p{Lu}[\p{L}'’-]+$/u;
const GIVEN_WITH_INITIAL = /^(?:\p{Lu}[\p{Ll}'’-]+\s+)*\p{Lu}\.?(?:[\s-]*\p{Lu}\.?)*$/u;

export function splitAuthors(a: string): string[] {
  const out: string[] = [];
  for (const part of a.replace(/\{?\bet al\.?\}?/gi, '').split(/\s*(?:;|\band\b|&)\s*/)) {
    const names: string[] = [];
    for (const piece of part.split(/\s*,\s*/).map((s) => s.trim())) {
      // Written "Last, First" (as Word fills the field in): one author, not two.
      const prev = names.at(-1);
      if (prev !== undefined && SURNAME.test(prev) && GIVEN_WITH_INITIAL.test(piece)) names[names.length - 1] = `${prev}, ${piece}`;
      else names.push(piece);
    }
    out.push(...names);
  }
  return out.filter((s) => /\p{L}{2}/u.test(s));
}

function yearFromPage(p?: PageLines): number | undefined {
  if (!p) return undefined;
  const text = p.lines.map((l) => l.text).join('\n');
  const now = new Date().getFullYear() + 1;
  const ok = (y: number) => y >= 1950 && y <= now;
  const m = /(?:©|\(c\)|copyright|published(?: online)?:?)\s*(?:\d{1,2}\s+\w+\s+)?((?:19|20)\d\d)/i.exec(text);
  if (m && ok(Number(m[1]))) return Number(m[1]);
  const counts = new Map<number, number>();
  for (const y of text.match(/\b(?:19|20)\d\d\b/g) ?? []) if (ok(Number(y))) counts.set(Number(y), (counts.get(Number(y)) ?? 0) + 1);
  let best: number | undefined;
  let most = 0;
  for (const [y, n] of counts) if (n > most || (n === most && best !== undefined && y > best)) [best, most] = [y, n];
  return best;
}

function yearFromDate(d?: string): number | undefined {
  const m = d && /^(?:D:)?((?:19|20)\d\d)/.exec(d);
  return m ? Number(m[1]) : undefined;
}

/** "Tully 2010" / "Tully et al. 2010"-style short label; falls back to the title. */
export function shortLabel(meta: PaperMeta | undefined, fileName: string): string {
  const first = meta?.authors[0];
  // Zotero's names are "Last, First" or one name to use whole (an institution's).
  const surname = first ? (first.includes(',') ? first.split(',')[0] : meta?.zotero ? first : first.split(/\s+/).at(-1)) : undefined;
  const who = surname ? `${surname}${meta!.authors.length > 1 ? ' et al.' : ''}` : undefined;
  if (who) return meta?.year ? `${who} ${meta.year}` : who;
  const t = (meta?.title ?? fileName).replace(/[.,;:\s]+$/, '');
  const short = t.length > 40 ? `${t.slice(0, 37)}…` : t;
  return meta?.year ? `${short}, ${meta.year}` : short;
}

const NAME = /^\p{Lu}[\p{L}'’.-]*(?:\s+(?:\p{Lu}[\p{L}'’.-]*|van|von|de|der|da|del|di|le|la)){1,4}$/u;

/**
 * Authors from the lines right after the title on page 1 (when the PDF metadata has none):
 * names separated by commas or "and", affiliation marks (digits, *, †) dropped. Stops at the
 * first paragraph that is not a list of names.
 */
export function authorsFromParagraphs(paragraphs: Paragraph[], title: string): string[] {
  const norm = (t: string) => t.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const i = paragraphs.findIndex((p) => p.page === 1 && norm(p.text).startsWith(norm(title).slice(0, 40)));
  if (i < 0) return [];
  const out: string[] = [];
  for (const p of paragraphs.slice(i + 1, i + 12)) {
    if (p.page !== 1) break;
    const cleaned = p.text.replace(/[\d*∗†‡§¶#]+/g, ' ').replace(/\s+/g, ' ').trim();
    if (!cleaned.replace(/[,;]/g, '').trim()) continue; // a line of affiliation marks only ("1,2")
    const parts = cleaned.split(/\s*(?:,|;|\band\b|&)\s*/).map((x) => x.trim()).filter(Boolean);
    if (!parts.length || !parts.every((x) => NAME.test(x))) break;
    out.push(...parts);
  }
  return out.slice(0, 30).map((a) => a.replace(/\b(\p{Lu})(\p{Lu}+)\b/gu, (_m, f: string, r: string) => f + r.toLowerCase()));
}

/** A record's metadata already is what is known of the paper (nothing known: it is). */
export function sameKnownMeta(had: KnownMeta | undefined, known: KnownMeta | undefined): boolean {
  if (!known) return true;
  const key = (m: KnownMeta | undefined) => JSON.stringify([m?.title, m?.authors, m?.year, m?.journal, m?.doi, m?.zotero?.key, m?.zotero?.library]);
  return key(had) === key(known);
}

/** The metadata of a record without what the PDF itself gives (its pages). */
export function knownOf(meta: PaperMeta): KnownMeta {
  const { pages: _, ...known } = meta;
  return known;
}
