// Finds what a sentence negates ("No evidence of pulmonary embolism", "denies fever, chills",
// "MRSA nares PCR: negative"), NegEx-style: a cue word, then a scope that ends at clause
// punctuation or a word like "but". Used to catch a summary that turns a pertinent negative
// into a finding.

import { isContentWord, stem, tokenize, type Token } from './terms';

export interface NegationScan {
  /** Each negated item as its head stems, e.g. [["pulmonary","embolism"], ["fever"]]. */
  negated: string[][];
  /** Content stems outside any negation (not expanded). */
  affirmed: string[];
}

// Longest first; each entry is a token sequence.
const PRE_CUES = [
  'no evidence of', 'without evidence of', 'no signs of', 'no sign of', 'no history of', 'negative for', 'neg for',
  'free of', 'absence of', 'no', 'not', 'denies', 'denied', 'deny', 'denying', 'without', 'w/o', 'never', 'none',
  'neither', 'nor', 'non', 'negative', 'neg',
].map((c) => c.split(' '));

// Phrases that look negative but negate nothing nearby.
const PSEUDO = ['no longer', 'not only', 'no change', 'no changes', 'not changed', 'no increase', 'no decrease',
  'not necessarily', 'without difficulty', 'no further'].map((c) => c.split(' '));

const POST_CUES = ['ruled out', 'excluded', 'negative', 'neg', 'not seen', 'not present', 'not identified',
  'not detected', 'absent'].map((c) => c.split(' '));

const CLAUSE_END = new Set(['.', ';', ':', '!', '?', '(', ')', '[', ']']);
const SCOPE_END_WORDS = new Set(['but', 'however', 'although', 'though', 'except', 'yet', 'which', 'who', 'aside',
  'apart', 'while', 'whereas', 'because', 'since', 'so', 'then', 'now', 'still', 'given', 'despite', 'otherwise',
  'presents', 'presented', 'reports', 'has', 'had', 'have', 'is', 'was', 'are', 'were', 'be', 'been']);
// Skipped when looking back from a post cue: "blood cultures were negative".
const COPULAS = new Set(['is', 'was', 'are', 'were', 'be', 'been', 'has', 'had', 'have', 'remain', 'remains',
  'remained', 'came', 'back', 'returned', 'all', 'both']);
const ITEM_SEPARATORS = new Set([',', '/', 'or', 'and', 'nor']);
const PREPOSITIONS = new Set(['of', 'to', 'in', 'at', 'on', 'with', 'from', 'for', 'by', 'after', 'since', 'during',
  'over', 'under', 'per', 'as', 'than', 'into', 'within', 'beyond', 'around', 'about', 'between', 'until']);
// The test, not the thing tested: "MRSA nares PCR: negative" negates MRSA.
const TEST_WORDS = new Set(['pcr', 'nare', 'naris', 'antigen', 'ag', 'screen', 'test', 'swab', 'panel', 'serology',
  'assay', 'titer', 'serogroup', 'result', 'toxin', 'smear', 'stain', 'antibody']);
const MAX_SCOPE_WORDS = 12;
const MAX_POST_WORDS = 5;

function matchesAt(tokens: Token[], i: number, seq: string[]): boolean {
  return seq.every((w, k) => tokens[i + k]?.norm === w);
}

function cueAt(tokens: Token[], i: number, cues: string[][]): string[] | undefined {
  return cues.find((c) => matchesAt(tokens, i, c));
}

/** "negative"/"neg" before a content word negates forward ("negative CTA", a pre cue), otherwise backward. */
function isPostUse(tokens: Token[], i: number, cue: string[]): boolean {
  if (cue[0] !== 'negative' && cue[0] !== 'neg') return true;
  const next = tokens[i + cue.length];
  return !next || next.kind !== 'word' || !isContentWord(next.norm);
}

function headOf(item: Token[]): string[] {
  const head: string[] = [];
  for (const t of item) {
    if (t.kind === 'word' && PREPOSITIONS.has(t.norm) && head.length > 0) break;
    if (t.kind === 'word' && isContentWord(t.norm)) head.push(stem(t.norm));
  }
  return withoutTestWords(head);
}

function withoutTestWords(head: string[]): string[] {
  const kept = head.filter((t) => !TEST_WORDS.has(t));
  return kept.length > 0 ? kept : head;
}

export function scanNegation(text: string): NegationScan {
  const tokens = tokenize(text);
  const inScope = new Array<boolean>(tokens.length).fill(false);
  const negated: string[][] = [];

  for (let i = 0; i < tokens.length; i++) {
    const pseudo = cueAt(tokens, i, PSEUDO);
    if (pseudo) {
      i += pseudo.length - 1;
      continue;
    }
    const post = cueAt(tokens, i, POST_CUES);
    const pre = cueAt(tokens, i, PRE_CUES);
    if (post && (!pre || pre.length <= post.length) && isPostUse(tokens, i, post)) {
      // Backward: "MRSA nares PCR: negative", "PE ruled out". Colons and brackets may sit between.
      const item: Token[] = [];
      for (let j = i - 1, words = 0; j >= 0 && words < MAX_POST_WORDS; j--) {
        const t = tokens[j];
        if (t.kind === 'punct' && (t.norm === '.' || t.norm === ';' || t.norm === ',' || t.norm === '!' || t.norm === '?')) break;
        if (t.kind === 'punct' || COPULAS.has(t.norm)) continue;
        if (t.kind === 'word' && (SCOPE_END_WORDS.has(t.norm) || cueAt(tokens, j, PRE_CUES))) break;
        item.unshift(t);
        inScope[j] = true;
        words++;
      }
      const head = withoutTestWords(item.filter((t) => t.kind === 'word' && isContentWord(t.norm)).map((t) => stem(t.norm)));
      if (head.length > 0) negated.push(head);
      for (let k = 0; k < post.length; k++) inScope[i + k] = true;
      i += post.length - 1;
      continue;
    }
    if (!pre) continue;
    for (let k = 0; k < pre.length; k++) inScope[i + k] = true;
    // Forward scope, split into list items: "no fever, chills, or weight loss".
    const maxWords = pre[0] === 'non' ? 1 : MAX_SCOPE_WORDS;
    let item: Token[] = [];
    let words = 0;
    let j = i + pre.length;
    for (; j < tokens.length && words < maxWords; j++) {
      const t = tokens[j];
      if (t.kind === 'punct' && CLAUSE_END.has(t.norm)) break;
      if (t.kind === 'word' && SCOPE_END_WORDS.has(t.norm)) break;
      if (j > i + pre.length && (cueAt(tokens, j, PRE_CUES) || cueAt(tokens, j, PSEUDO))) {
        if (t.norm !== 'nor' && t.norm !== 'or') break;
      }
      inScope[j] = true;
      if (ITEM_SEPARATORS.has(t.norm)) {
        const head = headOf(item);
        if (head.length > 0) negated.push(head);
        item = [];
        continue;
      }
      item.push(t);
      if (t.kind !== 'punct') words++;
    }
    const head = headOf(item);
    if (head.length > 0) negated.push(head);
    i = j - 1;
  }

  const affirmed: string[] = [];
  tokens.forEach((t, k) => {
    if (!inScope[k] && t.kind === 'word' && isContentWord(t.norm)) affirmed.push(stem(t.norm));
  });
  return { negated, affirmed };
}

// A statement that talks about looking for something does not claim it exists.
const EVALUATION = /\b(?:rule[sd]?\s+out|r\/o|work-?\s?up|evaluat\w*|consider\w*|screen\w*|assess\w*|concern\s+for|question\s+of|tested\s+for|test\s+for|looked\s+for|checked\s+for|differential)\b|\?/i;

export function talksAboutEvaluation(text: string): boolean {
  return EVALUATION.test(text);
}
