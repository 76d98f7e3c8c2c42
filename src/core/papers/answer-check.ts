// Checks on a generated answer: every [Sn] must name a source that was given; every number
// quoted in a cited sentence must appear in one of the chunks it cites.

import { linkKey, linksIn } from '../model-text/links';

export interface Source {
  key: string; // "S1"
  text: string;
}

export interface SentenceCheck {
  text: string;
  keys: string[];
  /** Numbers in the sentence not found in any cited source. */
  unsupportedNumbers: string[];
}

export interface AnswerCheck {
  /** Keys cited that were not among the sources (e.g. [S9] with 5 sources). */
  unknownKeys: string[];
  /** Keys cited and known, in first-cited order. */
  cited: string[];
  sentences: SentenceCheck[];
  /** Sentences with no citation at all (headings and very short lines excluded). */
  uncited: string[];
  /** Links and addresses in the answer that none of the given passages has. */
  foreignLinks: string[];
}

export const CITE_RE = /\[(S\d+(?:\s*[,;]\s*S?\d+)*)\]/g;

export function keysIn(citation: string): string[] {
  return citation.split(/\s*[,;]\s*/).map((k) => (k.startsWith('S') ? k : `S${k}`));
}

/** Splits into sentences; a citation right after the full stop belongs to that sentence. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\n+/)) {
    const parts = block.match(/[^.!?]+(?:[.!?]+(?:\s*\[S[^\]]*\])*|$)/g) ?? [];
    let cur = '';
    for (let i = 0; i < parts.length; i++) {
      cur += parts[i];
      // Do not split inside decimals ("2.5", "p=.05"), inside "e.g." and "i.e.", or after an
      // abbreviation.
      if (/\d\.$/.test(cur) || (/\.$/.test(cur) && /^\d/.test(parts[i + 1] ?? ''))) continue;
      if (/(?:^|[\s(,;])(?:e|i|e\.g|i\.e)\.$/.test(cur) || /\b(?:et al|vs|Fig|approx)\.$/i.test(cur.trim())) continue;
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    }
    if (cur.trim()) out.push(cur.trim());
  }
  return out;
}

const NUMBER = /(?<![\w.])\d+(?:[.,]\d+)*(?:\s?%)?/g;

function normalizeNumber(n: string): string {
  return n.replace(/\s?%$/, '').replace(/,(?=\d{3}\b)/g, '');
}

export function checkAnswer(answer: string, sources: Source[]): AnswerCheck {
  const known = new Map(sources.map((s) => [s.key, s.text]));
  const unknown = new Set<string>();
  const cited: string[] = [];
  const checked: SentenceCheck[] = [];
  const uncited: string[] = [];
  for (const s of sentences(answer)) {
    const keys = [...s.matchAll(CITE_RE)].flatMap((m) => keysIn(m[1]));
    for (const k of keys) {
      if (!known.has(k)) unknown.add(k);
      else if (!cited.includes(k)) cited.push(k);
    }
    const bare = s.replace(CITE_RE, '');
    if (!keys.length) {
      if (bare.replace(/[#*\-\s]/g, '').length > 40) uncited.push(s);
      continue;
    }
    const texts = keys.map((k) => known.get(k)).filter((t): t is string => !!t);
    const haystack = texts.join('\n').replace(/,(?=\d{3}\b)/g, '');
    const unsupported = (bare.match(NUMBER) ?? [])
      .map(normalizeNumber)
      .filter((n) => !new RegExp(`(?<![\\d.])${n.replace(/\./g, '\\.')}(?![\\d])`).test(haystack));
    checked.push({ text: s, keys, unsupportedNumbers: [...new Set(unsupported)] });
  }
  // An address no passage has came from somewhere else (an instruction hidden in a paper,
  // an invented reference); it is shown as text and reported.
  const inSources = new Set(linksIn(sources.map((s) => s.text).join('\n')).map(linkKey));
  const foreignLinks = [...new Set(linksIn(answer))].filter((l) => !inSources.has(linkKey(l)));
  return { unknownKeys: [...unknown], cited, sentences: checked, uncited, foreignLinks };
}
