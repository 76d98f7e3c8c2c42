// Demo answers (SimOptions.demo), for `npm start -- --sim`: what a new user sees should look
// like MedGemma's work — a short summary of the note's key statements, each citing its line,
// that finishes well within the token limit — not the exhaustive echo the tests rely on.
// Chat questions get an honest canned reply: no model runs here, and it says so.

import { citedBullets, classify, cleanStatement, parseNoteLines, renderBullets, sourcedAnswer, wordCount, type Bullet, type NoteLine, type Section } from './answers';

/** How many bullets of each kind a demo summary keeps: a summary, not the note again. */
export const DEMO_LIMITS: Record<Section, number> = { findings: 6, negatives: 3, family: 2 };
/** Longer sentences are skipped: a summary bullet is one short statement. */
const MAX_WORDS = 32;
/** Headings whose lines matter most, best first; lines under other headings rank after them. */
const KEY_HEADINGS = [/assessment|impression|diagnos|conclusion/i, /complaint|reason/i, /plan|recommend/i];
/** At most this many bullets from one heading's lines: a summary touches every part. */
const PER_HEADING = 2;
/** `Patient: …`, `MRN: …`, `Attending: …`: identifiers and logistics, not findings. */
const IDENTIFIER_LINE = /^(?:patient|name|mrn|dob|date of birth|date of visit|visit date|visit type|attending|resident|pcp|physician|provider|cardiologist|arrival|admission date|discharge date|service|accession)\b[^:]{0,30}:/i;
/** Sign-off and paperwork lines. */
const LOGISTICS = /\b(?:electronically signed|signed by|dictated|communicated to|transcribed)\b/i;

interface Candidate extends Bullet {
  n: number;
  /** Which heading the line is under (its position in the note). */
  group: number;
  /** KEY_HEADINGS index of that heading; KEY_HEADINGS.length for any other. */
  rank: number;
}

export function demoAnswer(userText: string, images = 0): string {
  const lines = parseNoteLines(userText);
  if (lines.length > 0) return renderBullets(pick(noteCandidates(lines)));
  const cited = citedBullets(userText);
  // The "combine part summaries" step: keep the first ones of each kind, as a model would.
  if (cited.length > 0) return renderBullets(pick(cited.map((b, n) => ({ ...b, n, group: 0, rank: 0 })), Infinity));
  return sourcedAnswer(userText) ?? demoChat(userText, images);
}

/** A heading in a note: ALL CAPS, or a short label ending with a colon (`Principal:`). */
function isDemoHeading(text: string): boolean {
  const t = text.trim();
  if (t.startsWith('#')) return true;
  if (/\p{L}/u.test(t) && !/\p{Ll}/u.test(t)) return true;
  return t.endsWith(':') && wordCount(t) <= 4;
}

/** One candidate per sentence, so a paragraph's negative sentence does not drag the rest along. */
function noteCandidates(lines: NoteLine[]): Candidate[] {
  const out: Candidate[] = [];
  const hasHeadings = lines.some((l) => isDemoHeading(l.text));
  let group = 0;
  let rank = KEY_HEADINGS.length;
  for (const line of lines) {
    const text = line.text.trim();
    if (wordCount(text) === 0) continue;
    if (isDemoHeading(text)) {
      // `Principal:` under DISCHARGE DIAGNOSES is a sub-heading: it keeps its section's rank.
      if (!text.endsWith(':') || /\p{Lu}{3}/u.test(text)) {
        group = line.n;
        rank = KEY_HEADINGS.findIndex((h) => h.test(text));
        if (rank < 0) rank = KEY_HEADINGS.length;
      }
      continue;
    }
    // Before the first heading: the title and identifier block of a note that has headings.
    if ((group === 0 && hasHeadings) || IDENTIFIER_LINE.test(text) || LOGISTICS.test(text)) continue;
    for (const sentence of sentences(text)) {
      const clause = cleanStatement(sentence);
      const statement = clause.charAt(0).toUpperCase() + clause.slice(1);
      const words = wordCount(statement);
      if (words < 2 || words > MAX_WORDS) continue;
      out.push({ n: line.n, group, rank, section: classify(statement), statement, citation: `[L${line.n}]` });
    }
  }
  return out;
}

/** Sentences and `;` clauses, never cut inside brackets ("daily (renal benefit; eGFR > 25)" stays whole). */
function sentences(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (depth === 0 && (c === ';' || (/[.!?]/.test(c) && /^\s+[A-Z]/.test(text.slice(i + 1, i + 3))))) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((x) => x.trim().replace(/;$/, '')).filter(Boolean);
}

/** Up to DEMO_LIMITS per kind, key headings first, PER_HEADING from each; shown in note order. */
function pick(candidates: Candidate[], perHeading = PER_HEADING): Bullet[] {
  const chosen: Candidate[] = [];
  for (const section of Object.keys(DEMO_LIMITS) as Section[]) {
    const mine = candidates.filter((c) => c.section === section).sort((a, b) => a.rank - b.rank || a.n - b.n);
    const taken = new Map<number, number>();
    for (const c of mine) {
      if (chosen.filter((x) => x.section === section).length === DEMO_LIMITS[section]) break;
      if ((taken.get(c.group) ?? 0) >= perHeading) continue;
      taken.set(c.group, (taken.get(c.group) ?? 0) + 1);
      chosen.push(c);
    }
  }
  return chosen.sort((a, b) => a.n - b.n).map(({ section, statement, citation }) => ({ section, statement, citation }));
}

/** The user's own words: without the system text folded in front and the attached files. */
export function questionOf(text: string): string {
  const noFiles = text.replace(/^--- (?:file )?(.+?)(?: \(lines \d+-\d+\))? ---\n[\s\S]*?\n--- end of \1 ---\s*/gm, '');
  const paragraphs = noFiles.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  if (paragraphs.length > 1 && /^You are\b/.test(paragraphs[0])) paragraphs.shift();
  return paragraphs.join('\n\n');
}

function demoChat(text: string, images: number): string {
  const words = questionOf(text).split(/\s+/).filter(Boolean);
  const asked = words.length ? `“${words.slice(0, 30).join(' ')}${words.length > 30 ? ' …' : ''}”` : 'an empty message';
  const attached = /^--- (?:file )?.+ ---$/m.test(text) ? ' with the attached text' : '';
  const image = images > 0 ? ` and ${images === 1 ? 'an image' : `${images} images`}` : '';
  return [
    `**Simulated answer.** No model is running: this is the built-in simulator, so nothing here is medical advice.`,
    '',
    `You asked ${asked}${attached}${image}. A MedGemma server would answer here, in a few short paragraphs.`,
    '',
    'To see grounded output with the simulator:',
    '- **MedGemma: Summarize Note** on a note: every statement cites the note lines it came from.',
    '- `/papers <question>` with a paper attached: answers cite the paper and page.',
  ].join('\n');
}
