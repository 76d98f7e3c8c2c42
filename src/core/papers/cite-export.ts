// The papers an answer cites as BibTeX or CSL-JSON, for a manuscript's reference manager.
// Metadata is Zotero's when the paper came from Zotero, else what the PDF said: either may
// hold anything (a PDF's title field is the PDF author's text), so every value is escaped
// for the format (BibTeX's braces, backslash and specials; JSON by JSON.stringify) and the
// keys are made of plain letters and digits only.

import type { PaperRecord } from './types';

export type CiteFormat = 'bibtex' | 'csl-json';

interface Name {
  family?: string;
  given?: string;
  literal?: string;
}

/** "Last, First" → family + given; a one-field name (Zotero's institutions) whole; "First Last" from a PDF → last word as family. */
function nameOf(author: string, fromZotero: boolean): Name {
  const comma = author.indexOf(',');
  if (comma > 0) return { family: author.slice(0, comma).trim(), given: author.slice(comma + 1).trim() || undefined };
  if (fromZotero || !/\s/.test(author.trim())) return { literal: author.trim() };
  const parts = author.trim().split(/\s+/);
  return { family: parts.at(-1), given: parts.slice(0, -1).join(' ') };
}

/** Citation keys like tully2010heart, unique within the export. */
function keysOf(papers: PaperRecord[]): string[] {
  const seen = new Map<string, number>();
  return papers.map((p) => {
    const first = p.meta?.authors[0];
    const name = first ? nameOf(first, !!p.meta?.zotero) : undefined;
    const who = ascii(name?.family ?? name?.literal ?? '').split(/\s+/)[0] || 'paper';
    const word = ascii(p.meta?.title ?? '').split(/\s+/).find((w) => w.length > 3) ?? '';
    const base = `${who}${p.meta?.year ?? ''}${word}`.toLowerCase().slice(0, 60);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n ? `${base}${String.fromCharCode(96 + Math.min(n + 1, 26))}` : base;
  });
}

/** Letters folded to ASCII (diacritics dropped), anything else a space. */
function ascii(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim();
}

const BIB_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '%': '\\%',
  '&': '\\&',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** A value inside a BibTeX field's braces: nothing in it can close the field or run a command. */
function bib(v: string): string {
  // eslint-disable-next-line no-control-regex
  return v.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/[\\{}%&$#_~^]/g, (c) => BIB_SPECIAL[c]);
}

export function toBibtex(papers: PaperRecord[]): string {
  const keys = keysOf(papers);
  return papers
    .map((p, i) => {
      const m = p.meta;
      const zotero = !!m?.zotero;
      const fields: [string, string][] = [['title', m?.title || p.file.split(/[\\/]/).pop() || '']];
      const authors = (m?.authors ?? []).map((a) => nameOf(a, zotero)).map((n) => (n.literal ? `{${bib(n.literal)}}` : `${bib(n.family ?? '')}${n.given ? `, ${bib(n.given)}` : ''}`));
      if (authors.length) fields.push(['author', authors.join(' and ')]);
      if (m?.year) fields.push(['year', String(m.year)]);
      if (m?.journal) fields.push(['journal', m.journal]);
      if (m?.doi) fields.push(['doi', m.doi]);
      const body = fields.map(([k, v]) => `  ${k} = {${k === 'author' ? v : bib(v)}}`).join(',\n');
      return `@${m?.journal ? 'article' : 'misc'}{${keys[i]},\n${body}\n}`;
    })
    .join('\n\n')
    .concat(papers.length ? '\n' : '');
}

export function toCslJson(papers: PaperRecord[]): string {
  const keys = keysOf(papers);
  const items = papers.map((p, i) => {
    const m = p.meta;
    const item: Record<string, unknown> = { id: keys[i], type: m?.journal ? 'article-journal' : 'article', title: m?.title || p.file.split(/[\\/]/).pop() || '' };
    if (m?.authors.length) item.author = m.authors.map((a) => nameOf(a, !!m.zotero));
    if (m?.year) item.issued = { 'date-parts': [[m.year]] };
    if (m?.journal) item['container-title'] = m.journal;
    if (m?.doi) item.DOI = m.doi;
    return item;
  });
  return `${JSON.stringify(items, null, 2)}\n`;
}

export function exportCitations(papers: PaperRecord[], format: CiteFormat): string {
  return format === 'bibtex' ? toBibtex(papers) : toCslJson(papers);
}
