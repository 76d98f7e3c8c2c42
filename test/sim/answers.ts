// Deterministic "model" answers, built from the last user message:
// - note lines `L<n>: text`   -> grounded markdown bullets citing [L<n>] / [L<a>-L<b>]
// - cited bullets, no lines   -> the bullets again, deduplicated (the "combine parts" step)
// - numbered sources `[S<n>] …` (papers questions) -> one sentence per source (at most 3),
//                                its first words, citing [S<n>]
// - anything else             -> `Received: <first 12 words>`

export type Section = 'findings' | 'negatives' | 'family';

export const SECTION_TITLES: Record<Section, string> = {
  findings: 'Findings',
  negatives: 'Pertinent negatives',
  family: 'Family history',
};
const SECTION_ORDER: Section[] = ['findings', 'negatives', 'family'];

export interface NoteLine {
  n: number;
  text: string;
}

export interface Bullet {
  section: Section;
  statement: string;
  /** The citation as written, e.g. `[L12]` or `[L12-L14]`. */
  citation: string;
}

export interface AnswerOptions {
  /** The `flip-negation` fault: negated lines lose their negation and become findings. */
  flipNegation?: boolean;
  /** Images attached to the last user message (mentioned in the plain answer). */
  images?: number;
}

/** Lines of at most this many words may be merged with their neighbours into one bullet. */
export const SHORT_LINE_WORDS = 4;
/** At most this many lines in one merged bullet. */
export const MAX_MERGED_LINES = 3;

const NOTE_LINE = /^\s*L(\d+):[ \t]?(.*)$/;
const NEGATION = /\b(?:no evidence of|negative for|ruled out|denies|denied|without|absent|no)\b/i;
const FAMILY = /family history|\bFH:|\b(?:mother|father|sister|brother|sibling)s?\b/i;
const CITED_BULLET = /^\s*[-*+]\s+(.*?)\s*(\[L\d+(?:\s*[-–]\s*L?\d+)?(?:\s*[,;]\s*L\d+(?:\s*[-–]\s*L?\d+)?)*\])\s*[.]?\s*$/;
const WORD = /[\p{L}\p{N}]+/gu;

export function answerFor(userText: string, opts: AnswerOptions = {}): string {
  const lines = parseNoteLines(userText);
  if (lines.length > 0) {
    const bullets = noteBullets(lines, opts);
    return bullets.length > 0 ? renderBullets(bullets) : 'The note lines contain no statements to summarize.';
  }
  const cited = citedBullets(userText, opts);
  if (cited.length > 0) return renderBullets(cited);
  const sourced = sourcedAnswer(userText);
  if (sourced) return sourced;
  return plainAnswer(userText, opts.images ?? 0);
}

export function parseNoteLines(text: string): NoteLine[] {
  const out: NoteLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = NOTE_LINE.exec(raw);
    if (m) out.push({ n: Number(m[1]), text: m[2] });
  }
  return out;
}

export function wordCount(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/** ALL CAPS alone (`FINDINGS:`, `RADIOLOGY REPORT`) or a markdown heading. */
export function isHeading(text: string): boolean {
  const t = text.trim();
  if (t.startsWith('#')) return true;
  if (!/\p{L}/u.test(t) || /\p{Ll}/u.test(t)) return false;
  return t.endsWith(':') || !/\d/.test(t);
}

export function hasNegation(text: string): boolean {
  return NEGATION.test(text);
}

export function isFamilyHistory(text: string): boolean {
  return FAMILY.test(text);
}

export function classify(text: string): Section {
  if (isFamilyHistory(text)) return 'family';
  return hasNegation(text) ? 'negatives' : 'findings';
}

/** Trimmed, list marker and trailing punctuation removed. */
export function cleanStatement(text: string): string {
  return text
    .trim()
    .replace(/^(?:[-*+•]|\d+[.)])\s+/, '')
    .replace(/[\s.,;:]+$/, '');
}

/** What the `flip-negation` fault does to a negated statement. */
export function removeNegation(text: string): string {
  const out = text
    .replace(/\bno evidence of\s+/gi, '')
    .replace(/\bnegative for\b/gi, 'positive for')
    .replace(/\bruled out\b/gi, 'confirmed')
    .replace(/\bdenies\b/gi, 'reports')
    .replace(/\bdenied\b/gi, 'reported')
    .replace(/\bwithout\b/gi, 'with')
    .replace(/\babsent\b/gi, 'present')
    .replace(/\bno\s+(?=[\p{L}\p{N}])/giu, '')
    .replace(/\bno\b/gi, 'yes');
  // Capitalize each sentence start again.
  return out.replace(/(^|[.!?:]\s+)(\p{Ll})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

export function noteBullets(lines: NoteLine[], opts: AnswerOptions = {}): Bullet[] {
  interface Item {
    n: number;
    section: Section;
    statement: string;
    short: boolean;
  }
  const items: Item[] = [];
  for (const line of lines) {
    if (wordCount(line.text) === 0 || isHeading(line.text)) continue;
    let statement = cleanStatement(line.text);
    if (opts.flipNegation && hasNegation(statement)) statement = removeNegation(statement);
    if (!statement) continue;
    items.push({ n: line.n, section: classify(statement), statement, short: wordCount(statement) <= SHORT_LINE_WORDS });
  }
  const bullets: Bullet[] = [];
  for (let i = 0; i < items.length; ) {
    const group = [items[i]];
    while (
      group[0].short &&
      group.length < MAX_MERGED_LINES &&
      i + group.length < items.length
    ) {
      const next = items[i + group.length];
      const prev = group[group.length - 1];
      if (!next.short || next.n !== prev.n + 1 || next.section !== prev.section) break;
      group.push(next);
    }
    const first = group[0].n;
    const last = group[group.length - 1].n;
    bullets.push({
      section: group[0].section,
      statement: group.map((g) => g.statement).join('; '),
      citation: first === last ? `[L${first}]` : `[L${first}-L${last}]`,
    });
    i += group.length;
  }
  return bullets;
}

/** Bullets that already cite lines, grouped by the heading they were under; deduplicated. */
export function citedBullets(text: string, opts: AnswerOptions = {}): Bullet[] {
  const out: Bullet[] = [];
  const seen = new Set<string>();
  let section: Section | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const heading = /^\s*#{1,6}\s+(.*?)\s*$/.exec(raw);
    if (heading) {
      const title = heading[1].toLowerCase();
      section = SECTION_ORDER.find((s) => SECTION_TITLES[s].toLowerCase() === title);
      continue;
    }
    const m = CITED_BULLET.exec(raw);
    if (!m) continue;
    let statement = m[1].trim();
    const citation = m[2];
    let bulletSection = section ?? classify(statement);
    if (opts.flipNegation && hasNegation(statement)) {
      statement = removeNegation(statement);
      bulletSection = classify(statement);
    }
    const bullet: Bullet = { section: bulletSection, statement, citation };
    const key = `${bullet.section}|${statement.toLowerCase()}|${citation.replace(/\s+/g, '')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(bullet);
  }
  return out;
}

export function renderBullets(bullets: Bullet[]): string {
  return SECTION_ORDER.filter((s) => bullets.some((b) => b.section === s))
    .map((s) => [`### ${SECTION_TITLES[s]}`, ...bullets.filter((b) => b.section === s).map((b) => `- ${b.statement} ${b.citation}`)].join('\n'))
    .join('\n\n');
}

const SOURCE_HEADER = /^\[S(\d+)\][^\n]*\n([^\n]+)/gm;

/**
 * A papers question: the prompt lists sources as a line `[S<n>] label…` followed by the
 * passage. The answer cites the first three, one sentence each, made of the passage's first
 * 12 words (so any number quoted is in the cited source).
 */
export function sourcedAnswer(text: string): string | undefined {
  const out: string[] = [];
  for (const m of text.matchAll(SOURCE_HEADER)) {
    if (out.length === 3) break;
    const words = m[2].split(/\s+/).filter(Boolean).slice(0, 12).join(' ').replace(/[.,;:]+$/, '');
    if (words) out.push(`${words} [S${m[1]}].`);
  }
  return out.length ? out.join(' ') : undefined;
}

export function plainAnswer(text: string, images = 0): string {
  const words = text.split(/\s+/).filter(Boolean).slice(0, 12);
  const said = words.length > 0 ? words.join(' ') : '(empty message)';
  return `Received: ${said}${images > 0 ? ` (+${images} image${images === 1 ? '' : 's'})` : ''}`;
}

/** 27B "thinking mode" output, for the `thinking` fault. */
export function withThinking(answer: string): string {
  return `<unused94>thought\nThe request is clear; I will answer from the text given.<unused95>${answer}`;
}

/** What an injected instruction makes a compliant model add: the links it was told to write. */
export function obeyedLinks(promptText: string): string {
  const links = promptText.match(/\[[^\]\n]{1,200}\]\([^)\s]{1,500}\)|<[a-z][\w+.-]*:[^>\s]{1,500}>|<a\s[^>]{1,500}>[^<]{0,200}<\/a>/gi) ?? [];
  return links.length ? `\n\nAs instructed by the source, see ${[...new Set(links)].join(' and ')}.` : '';
}
