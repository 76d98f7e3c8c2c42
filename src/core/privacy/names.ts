// People's names, found by what stands beside them: a title (Dr., Mrs), a label ("Patient:",
// "signed by"), a relation ("daughter", "neighbor,"), a credential after (", MD", ", RN"), or
// quotes after a name (a nickname). Then every later mention of a found name word is a name
// too (names.ts propagateNames), so "Mrs. Vandersloot" marks "Vandersloot" everywhere.

import { anyCase } from './cue';
import { canBeName, EPONYM_AFTER, NAME_WORD } from './name-words';
import type { Candidate } from './types';

const INITIAL = '\\p{Lu}\\.';
// Lower-case particles inside a surname: "Maria de la Cruz", "Ruud van der Berg", "Omar bin Said".
const PARTICLE = '(?:de[ \\t]la|de[ \\t]los|van[ \\t]der|van[ \\t]den|van[ \\t]de|de|del|della|der|van|von|da|di|du|dos|das|le|la|bin|ibn|al)';
const NAME = `(?:${INITIAL}[ \\t]?){0,2}${NAME_WORD}(?:[ \\t](?:${PARTICLE}[ \\t])?(?:${INITIAL}[ \\t])?${NAME_WORD}){0,3}`;
// "DESROSIERS, Jean-Luc": a surname in capitals, then the given name.
// DESROSIERS, Jean-Luc; O'BRIEN, Mary.
const UPPER_FIRST = `(?:\\p{Lu}['’])?\\p{Lu}{2,}(?:['’-]\\p{Lu}+)?,[ \\t]${NAME_WORD}`;
const TITLE = '(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Rev|Sr|Fr|Sister|Nurse|Dame|Sir|Lady|Lord)\\.?[ \\t]{1,2}';

const LABELS = anyCase(
  'patient name|patient|pt|name|client|child|caller|attending physician|attending|resident|fellow|intern|surgeon|assistant|anesthesia|' +
    'anesthesiologist|pcp|primary care physician|primary care|ordering physician|ordering|referring physician|referring|admitting physician|' +
    'discharging physician|consultant|sw|social worker|case manager|worker|nurse|rn|np|cc|emergency contact|contact|partner|guardian|' +
    'spouse|preferred name|health care proxy|proxy|poa|interpreter|pharmacist|therapist|provider|physician|author|cosigner|supervisor|' +
    'from|to|re|attn|dear|chaplain|accompanied by|caregiver|next of kin|nok',
);
const BY = anyCase(
  '(?:electronically |e-)?(?:signed|co-signed|cosigned|countersigned|dictated|documented|referred|requested|witnessed|seen|examined|' +
    'reviewed|discussed|ordered|performed|transcribed|written|accompanied|verified|called|entered|authored|approved|read) (?:by|with)|report from|handoff to|care of|c/o',
);
const RELATIONS = anyCase(
  'wife|husband|spouse|partner|son|daughter|mother|father|mom|mum|dad|brother|sister|grandmother|grandfather|grandson|granddaughter|' +
    'grandchild|aunt|uncle|niece|nephew|cousin|neighbor|neighbour|friend|roommate|flatmate|caregiver|carer|boyfriend|girlfriend|fiance|' +
    'stepson|stepdaughter|stepmother|stepfather|pastor|priest|rabbi|imam|therapist|counselor|counsellor|psychiatrist|psychologist|' +
    'neurologist|cardiologist|oncologist|nephrologist|surgeon|physician|doctor|nurse|worker|colleague|employer|landlord|teacher|sibling|' +
    'twin|guardian|proxy|widow|widower|fob|sponsor|circulator|scrub|midwife|doula|dentist|pediatrician|gp',
);
const CREDENTIALS = 'MD|DO|RN|NP|PA-C|PA|PharmD|DPT|LCSW|LICSW|LMSW|MSW|CNM|CST|BSN|MSN|FACS|FAAP|FACP|PhD|DDS|DMD|MBBS|MBChB|MRCP|FRCP|FRCS|BCPS|APRN|FNP-BC|FNP|DNP|LPN|CNA|RRT|OTR/L|OTR|SLP|CCC-SLP|RD|EMT|CRNA|PsyD|MPH|OD|CNS|ANP|RPh';

const AFTER_TITLE = new RegExp(`(?<![\\p{L}])${TITLE}(${NAME})`, 'gdu');
const AFTER_LABEL = new RegExp(`(?<![\\p{L}])(?:${LABELS})[ \\t]{0,3}[:–-][ \\t]{0,3}(?:${TITLE})?["“]?(${UPPER_FIRST}|${NAME})`, 'gdu');
const AFTER_BY = new RegExp(`(?<![\\p{L}])(?:${BY})[ \\t:]{1,3}(?:(?:day|night|charge|on-call|covering) )?(?:(?:RN|NP|MD) )?(?:${TITLE})?(${NAME})`, 'gdu');
// An aside after the relation: a few lower-case words or an abbreviation ("daughter (NOK),").
const AFTER_RELATION = new RegExp(`(?<![\\p{L}])(?:${RELATIONS})(?:[ \\t]\\((?:[\\p{Ll} ]{1,20}|\\p{Lu}{2,6})\\))?,?[ \\t]{1,2}(?:(?:is|was)[ \\t])?(?:(?:named|called)[ \\t])?\\(?["“]?(${NAME})`, 'gdu');
const BEFORE_CREDENTIAL = new RegExp(`(?<![\\p{L}.])(${NAME}),?[ \\t]{1,2}(?:${CREDENTIALS})(?![\\p{L}\\d/-]|[ \\t]\\d)`, 'gdu');
const AFTER_CREDENTIAL = new RegExp(`(?<![\\p{L}])(?:RN|NP|CNM|MD|DO)[ \\t]{1,2}(${NAME})`, 'gdu');
const CUES = [AFTER_TITLE, AFTER_LABEL, AFTER_BY, AFTER_RELATION, BEFORE_CREDENTIAL, AFTER_CREDENTIAL];

const WORD = new RegExp(`${NAME_WORD}|\\p{Lu}\\.|(?:\\p{Lu}['’])?\\p{Lu}{2,}(?:['’-]\\p{Lu}+)?`, 'gu');

const MONTH_GIVEN = /^(?:April|May|June|August)$/;

/** Trims words that cannot be names from both ends and cuts at the first one inside. */
function trimName(text: string, start: number, end: number): [number, number] | undefined {
  const words = [...text.slice(start, end).matchAll(WORD)].map((m) => ({ s: start + m.index, e: start + m.index + m[0].length, w: m[0] }));
  const ok = (w: string): boolean => /^\p{Lu}\.$/u.test(w) || canBeName(w);
  // A month that is also a given name opens a name when a name word follows ("Patient: June Carter").
  const opens = (k: number): boolean => ok(words[k].w) || (MONTH_GIVEN.test(words[k].w) && k + 1 < words.length && canBeName(words[k + 1].w));
  let i = 0;
  while (i < words.length && !opens(i)) i++;
  if (i === words.length) return undefined;
  let j = i + 1;
  while (j < words.length && ok(words[j].w)) j++;
  // An initial alone, or a name ending in an initial ("Smith J."), keeps only what is certain.
  while (j > i && /^\p{Lu}\.$/u.test(words[j - 1].w)) j--;
  if (j <= i) return undefined;
  return [words[i].s, words[j - 1].e - (/['’]s$/.test(words[j - 1].w) ? 2 : 0)];
}

export function findNames(text: string, base: number, out: Candidate[], firstNames?: ReadonlySet<string>): void {
  for (const re of CUES) {
    for (const m of text.matchAll(re)) {
      const [s, e] = m.indices![1];
      const span = trimName(text, s, e);
      if (span) out.push({ start: base + span[0], end: base + span[1], type: 'NAME', priority: 4 });
    }
  }
  if (firstNames) findDictionaryNames(text, base, out, firstNames);
}

// The second word is a lookahead so that every pair is tried: "Yesterday Keisha Dunwoody" tries "Keisha Dunwoody" too.
const TWO_WORDS = new RegExp(`(?<![\\p{L}])(${NAME_WORD})(?=[ \\t](?:${INITIAL}[ \\t])?(${NAME_WORD})(?![\\p{L}]))`, 'gdu');

/** "Keisha Dunwoody" with no cue: a known given name followed by a word that can be a surname. */
function findDictionaryNames(text: string, base: number, out: Candidate[], firstNames: ReadonlySet<string>): void {
  for (const m of text.matchAll(TWO_WORDS)) {
    const end = m.indices![2][1];
    if (firstNames.has(m[1].toLowerCase()) && canBeName(m[1]) && canBeName(m[2]) && !EPONYM_AFTER.test(text.slice(end, end + 40))) {
      out.push({ start: base + m.index, end: base + end, type: 'NAME', priority: 3 });
    }
  }
}

const NICKNAME = new RegExp(`^[ \\t]{0,2}\\(?["“](${NAME})["”]`, 'du');
const CAP_WORD = new RegExp(`(?<![\\p{L}\\d'’-])(?:${NAME_WORD}|\\p{Lu}{2,}(?:['’-]\\p{Lu}+)*)`, 'gu');

/**
 * Every name word found (and every city or facility name) marks its other mentions; a name
 * mention then takes in the name-like words right beside it ("Keisha Marie Dunwoody" once
 * "Dunwoody" is known). One scan of the capitalized words, so linear in the text.
 */
export function propagate(text: string, found: readonly Candidate[], out: Candidate[]): void {
  const known = new Map<string, Candidate['type']>();
  for (const c of found) {
    if (c.type === 'NAME') {
      const nick = NICKNAME.exec(text.slice(c.end, c.end + 60));
      if (nick) out.push({ start: c.end + nick.indices![1][0], end: c.end + nick.indices![1][1], type: 'NAME', priority: 4 });
      const words = `${text.slice(c.start, c.end)} ${nick?.[1] ?? ''}`.match(WORD) ?? [];
      for (const w of words) if (w.length > 2 && canBeName(w)) known.set(w.toLowerCase(), 'NAME');
    } else if (c.type === 'CITY' || c.type === 'ADDRESS') {
      const core = facilityCore(text.slice(c.start, c.end));
      if (core && !known.has(core.toLowerCase())) known.set(core.toLowerCase(), c.type);
    }
  }
  if (known.size === 0) return;
  const words = [...text.matchAll(CAP_WORD)].map((m) => ({ s: m.index, e: m.index + m[0].length, w: m[0] }));
  for (let i = 0; i < words.length; i++) {
    for (let k = 3; k >= 1; k--) {
      if (i + k > words.length) continue;
      const last = words[i + k - 1];
      if (!contiguous(text, words, i, k)) continue;
      const key = text.slice(words[i].s, last.e).replace(/['’]s$/, '').toLowerCase();
      const type = known.get(key);
      if (!type) continue;
      const end = words[i].s + key.length;
      if (type === 'NAME' && EPONYM_AFTER.test(text.slice(end, end + 40))) break;
      if (type === 'NAME') {
        const [s, e] = extend(text, words, i, i + k - 1);
        out.push({ start: s, end: e, type, priority: 3.5 });
      } else out.push({ start: words[i].s, end, type, priority: type === 'CITY' ? 3.5 : 2.5 });
      i += k - 1;
      break;
    }
  }
}

function contiguous(text: string, words: readonly { s: number; e: number }[], i: number, k: number): boolean {
  for (let j = i + 1; j < i + k; j++) if (words[j].s !== words[j - 1].e + 1 || text[words[j - 1].e] !== ' ') return false;
  return true;
}

/** Widens a name mention over up to two name-like capitalized words on each side. */
function extend(text: string, words: readonly { s: number; e: number; w: string }[], first: number, last: number): [number, number] {
  let a = first;
  let b = last;
  const nameLike = (w: string): boolean => /\p{Ll}/u.test(w) && canBeName(w);
  while (a > first - 2 && a > 0 && contiguous(text, words, a - 1, 2) && nameLike(words[a - 1].w)) a--;
  while (b < last + 2 && b + 1 < words.length && contiguous(text, words, b, 2) && nameLike(words[b + 1].w)) b++;
  return [words[a].s, words[b].e - (/['’]s$/.test(words[b].w) ? 2 : 0)];
}

const FACILITY_TAIL = /(?:[ \t](?:Behavioral|Behavioural|Health|Center|Centre|Medical|Regional|General|Hospital|Clinic|Family|Practice|Pharmacy|Anticoagulation|Imaging|Surgery|Infirmary|University|Royal|Memorial|Community|Children's|Women's|Home|Care|Services|Group|Dental|Pediatrics|Church|Gardens|Learning|Supply|Books))+$/u;

/** The distinctive part of a facility name ("Cedar Hollow" of "Cedar Hollow Behavioral Health Center"). */
function facilityCore(name: string): string | undefined {
  if (name.includes('\n')) return undefined;
  const core = name.replace(FACILITY_TAIL, '');
  return core.length >= 4 && canBeName(core.split(' ')[0]) ? core : undefined;
}
