// Reads a summary back: which statements it makes and which note lines each one cites, then
// checks every statement against those lines. Tolerant of how models actually write
// citations ([L12–L15], [L12, L15], [Lines 12-15], (L12), [L3][L9-L10]).

import { linkKey, linksIn } from '../model-text/links';
import type { NumberedNote } from './numbering';
import { scanNegation, talksAboutEvaluation } from './negation';
import { isSectionHeading } from './sections';
import { TermSet, isContentWord, lineNumbers, numbersIn, stem, tokenize } from './terms';
import { RULES, runRules, type CitedLine, type Rule } from './checks';
import { convertedNumbers } from './checks/units';

/** Inclusive line range [first, last] in original note numbering. */
export type Citation = [number, number];

export interface Statement {
  /** The statement without bullet marker, markdown emphasis or citations. */
  text: string;
  lines: Citation[];
  /** Character offsets [start, end) in the summary; end is where a marker may be appended. */
  span: [number, number];
}

export interface CheckedStatement extends Statement {
  supported: boolean;
  /** Why it is not supported, in a few words. */
  reason?: string;
  /**
   * Which check flagged it: 'link', 'no-citation', 'line-range', 'negation', 'family-history',
   * 'number', 'overlap', a rule's kind from checks/ ('laterality', 'units', ...), or the
   * model's ('model-contradicted', 'model-not-in-lines').
   */
  kind?: string;
  /** What the model check made of it, when one ran and the rules had passed it (verify/). */
  model?: ModelOutcome;
}

/** A model verdict, or why there is none: the answer was not in the asked shape, the request failed, the statement was too long to send. */
export type ModelOutcome = 'supported' | 'contradicted' | 'not-in-lines' | 'unreadable' | 'failed' | 'skipped';

const DASH = String.raw`(?:[-‐‑‒–—−]|to)`;
const REF = String.raw`\d+(?:\s*${DASH}\s*(?:l\.?\s*)?\d+)?`;
const LABEL = String.raw`(?:lines?|ln|ll?)\.?\s*#?\s*`;
// One bracketed group: "[L12]", "[L12-L15]", "[Lines 12 to 15]", "(L3, L9-10)", "\[L12\]".
const GROUP = new RegExp(
  String.raw`\\?[\[(（【]\s*${LABEL}${REF}(?:\s*(?:[,;&]|and)\s*(?:${LABEL})?${REF})*\s*\\?[\])）】]`,
  'gi',
);
const REF_IN_GROUP = new RegExp(String.raw`(\d+)(?:\s*${DASH}\s*(?:l\.?\s*)?(\d+))?`, 'gi');

function refsOf(group: string): Citation[] {
  const out: Citation[] = [];
  for (const m of group.matchAll(REF_IN_GROUP)) {
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    out.push(a <= b ? [a, b] : [b, a]);
  }
  return out;
}

function dedupe(cites: Citation[]): Citation[] {
  const seen = new Set<string>();
  return cites.filter(([a, b]) => {
    const k = `${a}-${b}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Every cited line range in a piece of text, in order of appearance. */
export function parseCitations(text: string): Citation[] {
  return dedupe([...text.matchAll(GROUP)].flatMap((m) => refsOf(m[0])));
}

/** Each citation group in a text, where it is, and the line ranges it cites (a chat turns them into links). */
export function citationGroups(text: string): { start: number; end: number; cites: Citation[] }[] {
  return [...text.matchAll(GROUP)].map((m) => ({ start: m.index, end: m.index + m[0].length, cites: refsOf(m[0]) }));
}

/** The text with citation groups removed (and the spaces they leave tidied). */
export function stripCitations(text: string): string {
  return text.replace(GROUP, ' ').replace(/\s+([.,;:!?])/g, '$1').replace(/\s{2,}/g, ' ').trim();
}

function cleanText(text: string): string {
  return stripCitations(text)
    .replace(/\*\*|__|`/g, '')
    .replace(/(^|\s)[*_](?=\S)|(?<=\S)[*_](?=\s|$|[.,;:])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

const BULLET = /^\s*(?:>\s*)?(?:[-*+•◦▪‣–]|\d{1,3}[.)]|[a-z][.)])\s+/;
const RULE = /^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;

function isHeadingWithoutCitation(clean: string, raw: string): boolean {
  if (clean.endsWith(':') && clean.length <= 100) return true;
  if (/^\s*(?:[-*+]\s+)?(?:\*\*[^*]+\*\*|__[^_]+__):?\s*$/.test(raw)) return true;
  return clean.length <= 60 && /[A-Z]{3}/.test(clean) && !/[a-z]/.test(clean);
}

/**
 * Split a summary into statements. A statement is a bullet, a table row or a line of prose;
 * a line holding several cited sentences ("A [L3]. B [L5].") gives one statement per sentence.
 * Headings, rules, code fences and blank lines are not statements.
 */
export function parseStatements(summary: string): Statement[] {
  const out: Statement[] = [];
  const lines = summary.split('\n');
  let offset = 0;
  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li].replace(/\r$/, '');
    const lineStart = offset;
    offset += lines[li].length + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || /^(?:```|~~~)/.test(trimmed) || RULE.test(raw) || /^\s*#{1,6}(?:\s|$)/.test(raw)) continue;

    if (TABLE_ROW.test(raw)) {
      if (TABLE_SEPARATOR.test(raw) || TABLE_SEPARATOR.test(lines[li + 1] ?? '')) continue; // header row
      const cells = trimmed.slice(1, -1).split('|').map(cleanText).filter((c) => c !== '');
      const text = cells.join('; ');
      if (text === '' && parseCitations(raw).length === 0) continue;
      out.push({ text, lines: parseCitations(raw), span: [lineStart, lineStart + raw.lastIndexOf('|')] });
      continue;
    }

    const bullet = BULLET.exec(raw);
    const contentStart = bullet ? bullet[0].length : raw.length - raw.trimStart().length;
    const groups = [...raw.matchAll(GROUP)];
    if (groups.length === 0) {
      const clean = cleanText(raw.slice(contentStart));
      if (clean === '' || isHeadingWithoutCitation(clean, raw)) continue;
      out.push({ text: clean, lines: [], span: [lineStart + contentStart, lineStart + raw.trimEnd().length] });
      continue;
    }

    // Citations alone on a line belong to the uncited statement just above them.
    const prev = out[out.length - 1];
    if (prev && prev.lines.length === 0 && stripCitations(raw.slice(contentStart)).replace(/[\s.,;:*_]/g, '') === '') {
      prev.lines = parseCitations(raw);
      continue;
    }

    // Cut after a citation run that is followed by a new sentence.
    let segStart = contentStart;
    const cites: Citation[] = [];
    const push = (end: number) => {
      const text = cleanText(raw.slice(segStart, end));
      if (text !== '' || cites.length > 0) {
        out.push({ text, lines: dedupe(cites.splice(0)), span: [lineStart + segStart, lineStart + end] });
      }
    };
    for (let g = 0; g < groups.length; g++) {
      const m = groups[g];
      cites.push(...refsOf(m[0]));
      const runEnd = m.index! + m[0].length;
      const next = groups[g + 1];
      if (next && /^[\s,;]*$/.test(raw.slice(runEnd, next.index))) continue; // adjacent groups: one run
      const after = raw.slice(runEnd);
      const tail = /^[\s*_]*[.;!?]*[\s*_]*/.exec(after)![0];
      const rest = after.slice(tail.length);
      if (rest.trim() === '') break;
      const hasTextBefore = /[\p{L}\p{N}]/u.test(stripCitations(raw.slice(segStart, m.index)));
      const newSentence = /[.;!?]|\s/.test(tail) && /^(?:\*\*|__)?[\p{Lu}\p{N}(]/u.test(rest);
      if (hasTextBefore && newSentence) {
        const end = runEnd + tail.trimEnd().length;
        push(end);
        segStart = runEnd + tail.length;
      }
    }
    push(raw.trimEnd().length);
  }
  return out;
}

interface LineFacts {
  terms: TermSet;
  affirmed: TermSet;
  negated: string[][];
  numbers: Set<string>;
  /** The line is about relatives (a family history section, "FHx:", "Father: MI at 54"). */
  family: boolean;
  /** The same line as the statement rules see it (checks/). */
  line: CitedLine;
}

const BLOOD_RELATIVE = String.raw`(?:mother|father|mom|dad|parents?|sisters?|brothers?|siblings?|sons?|daughters?|aunts?|uncles?|cousins?|grand(?:mother|father|parent)s?|(?:maternal|paternal)\s+[a-z]+)`;
/** A line that starts as family history: "Family history: …", "FHx: …", "Father: MI at 54 …", "Mother with …". */
const FAMILY_LINE = new RegExp(
  String.raw`^\s*(?:[-*•]\s*)?(?:(?:family\s+history|fam(?:ily)?\s+hx|fhx?|${BLOOD_RELATIVE})\s*[:(–-]|${BLOOD_RELATIVE}\s+(?:with|had|has|died)\b)`,
  'i',
);
const FAMILY_HEADING = /\bfamily\s+(?:history|hx)\b|^\s*fhx?\b/i;
/** A statement that says whose problem it is ("in his father", "family history of …"). */
const MENTIONS_RELATIVE = new RegExp(String.raw`\b(?:${BLOOD_RELATIVE}|relatives?|family|familial|fhx?|hereditary|inherited)\b`, 'i');

/**
 * The line an indented or bulleted line is listed under: "  1 h (07:58): 71 ng/L" is a
 * troponin value because of "High-sensitivity troponin T (ref < 22 ng/L):" above it.
 */
export function labelLineOf(note: NumberedNote, n: number): number | undefined {
  const own = note.lines.get(n) ?? '';
  if (!/^(?:\s+\S|\s*[-*•]\s)/.test(own)) return undefined;
  for (let k = n - 1; k >= Math.max(note.start, n - 40); k--) {
    const line = note.lines.get(k) ?? '';
    if (line.trim() === '') return undefined;
    if (/:\s*$/.test(line) || isSectionHeading(line)) return k;
    if (!/^(?:\s+\S|\s*[-*•]\s)/.test(line)) return undefined;
  }
  return undefined;
}

/** Analyses of note lines, computed on first use: a long note is checked quickly. */
class LineFactsCache {
  private readonly cache = new Map<number, LineFacts>();
  private links?: Set<string>;
  constructor(private readonly note: NumberedNote) {}

  /** Addresses written in the summarized lines (normalized), read once. */
  noteLinks(): Set<string> {
    this.links ??= new Set(linksIn([...this.note.lines.values()].join('\n')).map(linkKey));
    return this.links;
  }

  private contextOf(n: number): string {
    const k = labelLineOf(this.note, n);
    return k === undefined ? '' : (this.note.lines.get(k) ?? '');
  }

  /** In a family history section, or written as family history itself. */
  private isFamily(n: number, text: string): boolean {
    if (FAMILY_LINE.test(text)) return true;
    for (let k = n; k >= Math.max(this.note.start, n - 60); k--) {
      const line = this.note.lines.get(k) ?? '';
      if (isSectionHeading(line)) return FAMILY_HEADING.test(line);
    }
    return false;
  }

  get(n: number): LineFacts {
    let f = this.cache.get(n);
    if (!f) {
      const text = this.note.lines.get(n) ?? '';
      const terms = new TermSet();
      // Words only from the label: its numbers (reference ranges) support nothing.
      for (const t of tokenize(`${text}\n${this.contextOf(n)}`)) {
        if (t.kind === 'word' && isContentWord(t.norm)) terms.addExpanded(stem(t.norm));
      }
      const scan = scanNegation(text);
      const affirmed = new TermSet();
      for (const a of scan.affirmed) affirmed.addExpanded(a);
      const line: CitedLine = { n, text, context: this.contextOf(n), covers: (t) => terms.covers(t) };
      f = { terms, affirmed, negated: scan.negated, numbers: lineNumbers(text), family: this.isFamily(n, text), line };
      this.cache.set(n, f);
    }
    return f;
  }
}

/** Share of a statement's content words that must be found in the cited lines. */
const MIN_OVERLAP = 1 / 3;

function describeRange(note: NumberedNote): string {
  return note.start === note.end ? `line ${note.start}` : `lines ${note.start}-${note.end}`;
}

function checkOne(s: Statement, note: NumberedNote, facts: LineFactsCache, ruleList: readonly Rule[]): CheckedStatement {
  const result = (supported: boolean, reason?: string, kind?: string): CheckedStatement =>
    reason === undefined ? { ...s, supported } : { ...s, supported, reason, kind };
  // A link or address the note does not have came from somewhere else (a prompt injection,
  // an invented reference): never a grounded statement, whatever it cites.
  if (linksIn(s.text).some((l) => !facts.noteLinks().has(linkKey(l)))) return result(false, 'contains a link the note does not have', 'link');
  if (s.lines.length === 0) return result(false, 'no citation', 'no-citation');

  for (const [a, b] of s.lines) {
    const bad = a < 1 || b > note.totalLines ? (a < 1 ? a : b) : undefined;
    if (bad !== undefined) return result(false, `cites L${bad}, but the note has ${note.totalLines} lines`, 'line-range');
    if (a < note.start || b > note.end) {
      return result(false, `cites L${a < note.start ? a : b}, outside the summarized ${describeRange(note)}`, 'line-range');
    }
  }
  const cited: LineFacts[] = [];
  for (const [a, b] of s.lines) for (let n = a; n <= b; n++) cited.push(facts.get(n));

  // Content words of the statement (stems), with one original spelling for messages.
  const words = new Map<string, string>();
  for (const m of s.text.matchAll(/[\p{L}][\p{L}\p{N}'’]*/gu)) {
    for (const t of tokenize(m[0])) {
      if (t.kind === 'word' && isContentWord(t.norm) && !words.has(stem(t.norm))) words.set(stem(t.norm), m[0]);
    }
  }

  // (c) A pertinent negative in a cited line asserted by the statement as a finding.
  if (!talksAboutEvaluation(s.text)) {
    const scan = scanNegation(s.text);
    const asserted = new TermSet();
    for (const a of scan.affirmed) asserted.addExpanded(a);
    for (const line of cited) {
      for (const item of line.negated) {
        if (!item.every((t) => asserted.covers(t))) continue;
        const affirmedElsewhere = item.every((t) => cited.some((c) => c.affirmed.covers(t)));
        if (!affirmedElsewhere) return result(false, 'cited line negates it', 'negation');
      }
    }
  }

  // (d) A relative's history stated as the patient's own ("MI at 54" citing "Father: MI at 54"),
  // also when the citation covers a line of the patient's too that does not say it.
  if (cited.some((c) => c.family) && !MENTIONS_RELATIVE.test(s.text)) {
    const own = cited.filter((c) => !c.family);
    if (own.length === 0 || !groundedIn(own, s.text, words)) {
      return result(false, "cited line is family history, not the patient's", 'family-history');
    }
  }

  // (b) Numbers must be written in the cited lines (or an equal quantity: 1 g for 1000 mg).
  let missingNumbers = [...new Set(numbersIn(s.text))].filter((n) => !cited.some((c) => c.numbers.has(n)));
  if (missingNumbers.length > 0) {
    const converted = convertedNumbers(s.text, cited.map((c) => c.line));
    missingNumbers = missingNumbers.filter((n) => !converted.has(n));
  }
  if (missingNumbers.length > 0) {
    return result(false, `number not in cited lines: ${missingNumbers.slice(0, 3).join(', ')}`, 'number');
  }

  // (b) Enough content words shared with the cited lines.
  if (words.size === 0) return rules(s, cited, ruleList, result);
  const missing = wordsMissing(cited, words);
  if (!sharesEnough(words, missing)) {
    return result(false, `cited lines do not mention: ${missing.slice(0, 4).join(', ')}`, 'overlap');
  }
  return rules(s, cited, ruleList, result);
}

/** The statement's content words (as written) that none of these lines covers. */
function wordsMissing(lines: LineFacts[], words: Map<string, string>): string[] {
  return [...words].filter(([t]) => !lines.some((c) => c.terms.covers(t))).map(([, original]) => original);
}

/** At least one content word, and MIN_OVERLAP of them, found. */
function sharesEnough(words: Map<string, string>, missing: string[]): boolean {
  const found = words.size - missing.length;
  return found > 0 && found / words.size >= MIN_OVERLAP;
}

/** The statement's numbers and enough of its content words are in these lines. */
function groundedIn(lines: LineFacts[], text: string, words: Map<string, string>): boolean {
  if (!numbersIn(text).every((n) => lines.some((c) => c.numbers.has(n)))) return false;
  return words.size === 0 || sharesEnough(words, wordsMissing(lines, words));
}

/** The statement rules (checks/): side, units, schedule, drug, people, time, certainty, clinical terms. */
function rules(
  s: Statement,
  cited: LineFacts[],
  ruleList: readonly Rule[],
  result: (supported: boolean, reason?: string, kind?: string) => CheckedStatement,
): CheckedStatement {
  const flag = runRules({ text: s.text, cited: cited.map((c) => c.line) }, ruleList);
  return flag ? result(false, flag.reason, flag.kind) : result(true);
}

export interface CheckOptions {
  /** The statement rules to run after the built-in checks; RULES by default, [] for none. */
  rules?: readonly Rule[];
}

/**
 * Check parsed statements against the summarized note (its range is the allowed range).
 * Synchronous and local. A second, slower pass (a model asked to verify each statement) can
 * take the result and re-check the statements still supported, adding flags of its own kind.
 */
export function checkStatements(statements: readonly Statement[], note: NumberedNote, options: CheckOptions = {}): CheckedStatement[] {
  const facts = new LineFactsCache(note);
  const ruleList = options.rules ?? RULES;
  return statements.map((s) => checkOne(s, note, facts, ruleList));
}

/** Parse and check a summary in one go. */
export function checkSummary(summary: string, note: NumberedNote): CheckedStatement[] {
  return checkStatements(parseStatements(summary), note);
}
