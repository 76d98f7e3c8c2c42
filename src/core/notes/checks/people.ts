// Who: a clinician or relative the statement names must be in the cited lines, in the same role
// ("Dr. Oyelaran, the ED attending" when the note has him as the PCP). Names are the words
// after "Dr." and capitalized words the cited lines write as part of a name.

import { perLine } from './text';
import type { CitedLine, Rule, RuleInput } from './types';

// Role words grouped by role; a statement's role must share the group of the note's.
const ROLE_GROUPS: Record<string, string> = {
  attending: 'attending', 'ed attending': 'ed physician', 'emergency physician': 'ed physician', 'emergency medicine': 'ed physician',
  'ed physician': 'ed physician', resident: 'resident', pgy: 'resident', intern: 'resident', 'night resident': 'resident',
  fellow: 'fellow', pcp: 'pcp', 'primary care': 'pcp', 'primary care physician': 'pcp', 'primary care provider': 'pcp',
  cardiologist: 'cardiology', cardiology: 'cardiology', radiologist: 'radiology', radiology: 'radiology',
  interpreted: 'radiology', 'interpreted by': 'radiology', pathologist: 'pathology', pathology: 'pathology',
  gastroenterologist: 'gastroenterology', gastroenterology: 'gastroenterology', gi: 'gastroenterology',
  surgeon: 'surgery', surgery: 'surgery', orthopedics: 'orthopedics', orthopedist: 'orthopedics', 'orthopedic surgeon': 'orthopedics',
  endocrinologist: 'endocrinology', endocrinology: 'endocrinology', nephrologist: 'nephrology', nephrology: 'nephrology',
  oncologist: 'oncology', oncology: 'oncology', nurse: 'nursing', nursing: 'nursing', rn: 'nursing', np: 'nurse practitioner',
  'nurse practitioner': 'nurse practitioner', pa: 'physician assistant', 'pa-c': 'physician assistant', 'physician assistant': 'physician assistant',
  ordering: 'ordering', ordered: 'ordering', submitting: 'ordering', referring: 'ordering', provider: 'provider',
  anesthesiologist: 'anesthesia', anesthesia: 'anesthesia', pharmacist: 'pharmacy', pharmacy: 'pharmacy',
  wife: 'wife', husband: 'husband', spouse: 'spouse', son: 'son', daughter: 'daughter', proxy: 'proxy',
  'health care proxy': 'proxy', mother: 'mother', father: 'father', brother: 'brother', sister: 'sister',
};
const ROLE_RE = new RegExp(
  String.raw`(?<![\w-])(?:${Object.keys(ROLE_GROUPS).sort((a, b) => b.length - a.length).map((r) => r.replace(/[-]/g, '\\-').replace(/ /g, '\\s+')).join('|')})(?![\w-])`,
  'gi',
);
// Spouses and proxies are compatible: a wife is often the proxy.
// "provider" says nothing about the kind of clinician.
const COMPATIBLE: Array<[string, string]> = [['provider', 'nurse practitioner'], ['provider', 'physician assistant'], ['wife', 'spouse'], ['husband', 'spouse'], ['wife', 'proxy'], ['husband', 'proxy'], ['spouse', 'proxy'], ['provider', 'pcp'], ['ed physician', 'attending'], ['provider', 'attending']];
const NAME_AFTER_TITLE = /\b(?:Dr\.?|Doctor)\s+((?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+){0,2}[A-Z][a-z]+(?:-[A-Z][a-z]+)?)/g;
const CAPITALIZED = /(?<![\w-])([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)(?![\w-])/g;
const CREDENTIAL = /^,?\s*(?:MD|DO|PA-C|NP|RN|PhD)\b/;

interface Person {
  /** Lower case, for lookups. */
  name: string;
  /** As written, for messages. */
  shown: string;
  at: number;
}

/** Names a cited line writes: after "Dr.", before a credential, or after "Name:" labels such as "Attending:". */
function namesInNote(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(NAME_AFTER_TITLE)) for (const w of m[1].split(/\s+/)) out.add(w.toLowerCase());
  // "Priya Natarajan, MD" and "M. Eskildsen, MD": the words right before the credential. Two-letter
  // surnames count ("Wei Li, MD"); an initial ("m.") is kept too but no name lookup can match it.
  for (const m of text.matchAll(/((?:[A-Z][a-z]*\.?\s+){0,3}[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?=,?\s*(?:MD|DO|PA-C|NP|RN)\b)/g)) {
    for (const w of m[1].split(/\s+/)) out.add(w.toLowerCase());
  }
  // Relatives and others named by first name: "Wife Teresa".
  for (const m of text.matchAll(/\b(?:[Ww]ife|[Hh]usband|[Ss]on|[Dd]aughter|[Pp]artner|[Mm]other|[Ff]ather)\s+([A-Z][a-z]+)/g)) out.add(m[1].toLowerCase());
  return out;
}

/** Roles written near a position, nearest first. */
function rolesNear(text: string, at: number, window = 60): string[] {
  const found: Array<{ group: string; dist: number }> = [];
  const from = Math.max(0, at - window);
  for (const m of text.slice(from, at + window).matchAll(ROLE_RE)) {
    found.push({ group: ROLE_GROUPS[m[0].toLowerCase().replace(/\s+/g, ' ')], dist: Math.abs(from + m.index! - at) });
  }
  return found.sort((a, b) => a.dist - b.dist).map((f) => f.group);
}

const lineNames = perLine((l: CitedLine) => namesInNote(l.text));

/**
 * Roles the line gives one named person: those between the previous name and this one, and
 * those after it up to the next name, except a label ("Attending:") that introduces the next.
 */
function rolesOf(line: CitedLine, name: string): string[] {
  const names = lineNames(line);
  const spans = [...line.text.matchAll(/[A-Z][a-z]+(?:-[A-Z][a-z]+)?/g)]
    .filter((m) => names.has(m[0].toLowerCase()))
    .map((m) => ({ name: m[0].toLowerCase(), start: m.index!, end: m.index! + m[0].length }));
  const i = spans.findIndex((sp) => sp.name === name);
  if (i < 0) return [];
  // A first and last name are one person: widen to the run of adjacent name words.
  let a = i;
  let b = i;
  while (a > 0 && /^\s*$/.test(line.text.slice(spans[a - 1].end, spans[a].start))) a--;
  while (b + 1 < spans.length && /^\s*$/.test(line.text.slice(spans[b].end, spans[b + 1].start))) b++;
  const from = a > 0 ? spans[a - 1].end : 0;
  const to = b + 1 < spans.length ? spans[b + 1].start : line.text.length;
  const roles: string[] = [];
  for (const m of line.text.slice(from, to).matchAll(ROLE_RE)) {
    const pos = from + m.index!;
    if (pos > spans[b].end && /^\s*:/.test(line.text.slice(pos + m[0].length))) continue;
    roles.push(ROLE_GROUPS[m[0].toLowerCase().replace(/\s+/g, ' ')]);
  }
  return roles;
}

const RELATIVES = new Set(['wife', 'husband', 'spouse', 'son', 'daughter', 'proxy', 'mother', 'father', 'brother', 'sister']);

function compatible(a: string, b: string): boolean {
  // Ordering or referring is something any clinician does ("Dr. Natarajan, the ED physician, ordered a CT").
  if ((a === 'ordering' && !RELATIVES.has(b)) || (b === 'ordering' && !RELATIVES.has(a))) return true;
  return a === b || COMPATIBLE.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

const RELATIVE_RE = /\b(wife|husband|spouse|partner|sons?|daughters?|mother|father|parents?|brothers?|sisters?|siblings?|grand(?:mother|father|son|daughter)|aunt|uncle|cousin)\b/gi;
const relativesIn = (text: string) => [...text.slice(0, 4000).matchAll(RELATIVE_RE)].map((m) => ({ who: m[1].toLowerCase().replace(/s$/, ''), at: m.index! }));

/**
 * A relative the statement names must be the one the cited lines name, and what it says of
 * them must be in that relative's part of the line ("Father: MI at 54. Brother: CABG at 60").
 */
function checkRelatives(text: string, cited: readonly CitedLine[]): string | undefined {
  const said = relativesIn(text);
  if (said.length === 0) return undefined;
  const noted = cited.flatMap((l) => relativesIn(l.text).map((r) => ({ ...r, line: l })));
  if (noted.length === 0) return undefined;
  for (const [i, r] of said.entries()) {
    const own = noted.filter((n) => n.who === r.who);
    if (own.length === 0) return `the note says ${noted[0].who}, not ${r.who}`;
    // What the statement says of this relative: up to the next relative it names.
    const numbers = text.slice(r.at, said[i + 1]?.at).match(/\d+(?:\.\d+)?/g) ?? [];
    for (const num of numbers) {
      const numRe = new RegExp(`(?<![\\d.])${num.replace('.', '\\.')}(?![\\d])`);
      const inLine = own.some((n) => numRe.test(n.line.text));
      if (!inLine) continue;
      const inOwnPart = own.some((n) => {
        const next = relativesIn(n.line.text).find((o) => o.at > n.at);
        return numRe.test(n.line.text.slice(n.at, next ? next.at : undefined));
      });
      if (!inOwnPart) {
        const whose = noted.find((n) => {
          const next = relativesIn(n.line.text).find((o) => o.at > n.at);
          return numRe.test(n.line.text.slice(n.at, next ? next.at : undefined));
        });
        // A number in the line but in no relative's part ("54 y/o man. Father: MI at 61") is not another relative's.
        return whose ? `the note says this of the ${whose.who}, not the ${r.who}` : `the note does not say this of the ${r.who}`;
      }
    }
  }
  return undefined;
}

// The statement's role for a person: nearest role in the same clause ("Dr. A is his cardiologist; Dr. B his PCP").
const clauseStart = (t: string, at: number) => Math.max(t.lastIndexOf(';', at), t.lastIndexOf('. ', at)) + 1;
function clauseAround(t: string, at: number): string {
  const ends = [t.indexOf(';', at), t.indexOf('. ', at)].filter((i) => i >= 0);
  return t.slice(clauseStart(t, at), ends.length > 0 ? Math.min(...ends) : t.length);
}

export const people: Rule = {
  kind: 'people',
  check({ text, cited }: RuleInput) {
    const t = text.slice(0, 2000);
    const relative = checkRelatives(t, cited);
    if (relative) return relative;
    const noted = new Set(cited.flatMap((l) => [...lineNames(l)]));
    const allNames = new Set(noted);
    const persons: Person[] = [];
    // The surname: the last word after the title.
    for (const m of t.matchAll(NAME_AFTER_TITLE)) {
      const shown = m[1].split(/\s+/).pop()!;
      persons.push({ name: shown.toLowerCase(), shown, at: m.index! });
    }
    for (const m of t.matchAll(CAPITALIZED)) {
      const n = m[1].toLowerCase();
      if (allNames.has(n) || CREDENTIAL.test(t.slice(m.index! + m[0].length))) persons.push({ name: n, shown: m[1], at: m.index! });
    }
    for (const p of persons) {
      const line = cited.find((l) => lineNames(l).has(p.name));
      if (!line) return `the cited lines do not name ${p.shown}`;
      const saidRole = rolesNear(clauseAround(t, p.at), p.at - clauseStart(t, p.at), 40)[0];
      if (!saidRole) continue;
      // Any role the note gives this person will do ("Referring provider: X, NP (primary care)").
      const notedRoles = rolesOf(line, p.name);
      if (notedRoles.length > 0 && !notedRoles.some((r) => compatible(saidRole, r))) {
        return `the note gives ${p.shown} as ${notedRoles[0]}, not ${saidRole}`;
      }
    }
    return undefined;
  },
};
