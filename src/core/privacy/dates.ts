// Date elements more specific than a year, in the forms notes use: 03/04/2024, 3/4, 4.3.2024,
// 2024-03-04T10:00, 4 March, March 4th, Dec. 18, 2024, March 2015, 6/2021, 19-Mar-1947, a
// weekday before any of them, and a month alone after "in", "since"... Every quantifier is
// bounded and no group can match the same text two ways, so a scan stays linear.

import type { Candidate } from './types';

export const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
export const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const FULL = 'January|February|March|April|May|June|July|August|September|October|November|December';
const MONTH = `(?:${FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?)(?![a-z])`;
const WEEKDAY = '(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\\.?,?[ \\t]{1,3})?';
const DAY = '(?:[12]\\d|3[01]|0?[1-9])';
const ORD = '(?:st|nd|rd|th)?';
const YEAR = '(?:19|20)\\d{2}';

interface DatePattern {
  re: RegExp;
  /** A match the pattern cannot rule out alone (3/4 may be a score): look at its neighbours. */
  check?: (text: string, start: number, end: number) => boolean;
}

function validDayMonth(a: number, b: number): boolean {
  return (a >= 1 && a <= 12 && b >= 1 && b <= 31) || (a >= 1 && a <= 31 && b >= 1 && b <= 12);
}

// What turns "6/10" into a pain score, "4/5" into strength or "1/2" into a fraction of a tablet.
const SCORE_BEFORE = /(?:score|scale|pain|strength|power|reflex(?:es)?|mini-cog|moca|mmse|gcs|apgar|asa|nyha|grade|murmur|ratio|motor|ctx|dilat\w*|sve|effaced|station|tab(?:let)?s?|x)[\s:=]{0,3}$/i;
const UNIT_AFTER = /^[ \t]{0,2}(?:mg|mcg|g\b|ml|units?|tabs?|tablets?|strength|power|pain|scale|score|ratio|mmhg|%|ms\b|cm|mm\b|weeks|wk|d\b|days|x\b)/i;

// "7/10 at worst", "improved to 3/10", "3/5 strength", "2/2 sets": out of ten or five is a
// rating unless a word that introduces a date comes just before it ("on 3/10", "since 3/4").
const DATE_INTRO = /(?:\b(?:on|since|from|until|till|by|dated?|due|next|last|before|after|of)|[;:(])[ \t]{0,2}$/i;

const DATE_LABEL = /\b(?:DOB|DOD|LMP|EDD|EDC|DOS|DOI)\b[ \t]{0,2}[:#-]?[ \t]{0,2}$/;

function numericDateOk(text: string, start: number, end: number): boolean {
  const m = /(\d{1,2})[/.-](\d{1,2})/.exec(text.slice(start, end));
  if (!m || !validDayMonth(Number(m[1]), Number(m[2]))) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  const before = text.slice(Math.max(0, start - 12), start);
  // After a date label (LMP 3/4, EDD 1/5) it is a date, whatever the numbers.
  if (DATE_LABEL.test(before)) return true;
  // "PS 10/5", "PEEP 12/8": a short acronym before the numbers makes them a setting.
  if (end - start <= 5 && /\b(?!DOB|DOD|LMP|EDD|EDC|DOS|DOI)[A-Z]{1,4}[ \t]?$/.test(before)) return false;
  if (end - start <= 5 && ((b === 10 && a <= 10) || (b <= 5 && a <= b)) && !DATE_INTRO.test(before)) return false;
  return end - start > 5 || (!SCORE_BEFORE.test(text.slice(Math.max(0, start - 16), start)) && !UNIT_AFTER.test(text.slice(end, end + 12)));
}

const PATTERNS: DatePattern[] = [
  // ISO, with a time when it is glued on with T.
  { re: new RegExp(`(?<![\\d-])${YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])(?:T\\d{2}:\\d{2}(?::\\d{2})?)?(?!\\d)`, 'g') },
  // Numeric with a year: 03/04/2024, 3-4-24, 30.01.2026.
  { re: new RegExp(`(?<![\\d/.])${WEEKDAY}\\d{1,2}([/.-])\\d{1,2}\\1(?:\\d{4}|\\d{2})(?![\\d/]|\\.\\d)`, 'g'), check: (t, s, e) => numericDateOk(t, s, e) },
  // Month and day alone, 3/4: the form most often something else, so checked against context.
  { re: new RegExp(`(?<![\\w/.,-])${WEEKDAY}(?:1[0-2]|0?[1-9])/${DAY}(?![\\d/]|\\.\\d|%)`, 'g'), check: numericDateOk },
  // Day first, 25/12 (a day over 12, so no month first): only where a date is announced ("on 25/12").
  { re: new RegExp(`(?<![\\w/.,-])${WEEKDAY}(?:1[3-9]|2\\d|3[01])/(?:1[0-2]|0?[1-9])(?![\\d/]|\\.\\d|%)`, 'g'), check: (t, s, e) => (DATE_INTRO.test(t.slice(Math.max(0, s - 12), s)) || DATE_LABEL.test(t.slice(Math.max(0, s - 12), s))) && numericDateOk(t, s, e) },
  // Month and year: 6/2021.
  { re: new RegExp(`(?<![\\d/.])(?:1[0-2]|0?[1-9])/${YEAR}(?![\\d/])`, 'g') },
  // March 4th, Dec. 18, 2024, Wednesday, April 8, 2026.
  { re: new RegExp(`(?<![\\p{L}])${WEEKDAY}${MONTH}[ \\t]{0,2}${DAY}${ORD}(?![\\d:])(?:,?[ \\t]{1,2}${YEAR}(?!\\d))?`, 'gu') },
  // 4 March 2025, 2nd January, 4th of March.
  { re: new RegExp(`(?<![\\d.])${WEEKDAY}${DAY}${ORD}[ \\t]{1,2}(?:of[ \\t]{1,2})?${MONTH}(?:,?[ \\t]{1,2}${YEAR}(?!\\d))?`, 'g') },
  // 19-Mar-1947.
  { re: new RegExp(`(?<![\\d])${DAY}-${MONTH}-(?:\\d{4}|\\d{2})(?!\\d)`, 'g') },
  // March 2015.
  { re: new RegExp(`(?<![\\p{L}])${MONTH},?[ \\t]{1,2}${YEAR}(?!\\d)`, 'gu') },
];

// A month alone ("since May", "in September") only after a word that makes it a time.
const MONTH_ALONE = new RegExp(`\\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Ff]rom|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id|[Ll]ast|[Tt]his|[Nn]ext|[Tt]hrough|[Oo]f)[ \\t-]{1,2}(${FULL})\\b`, 'gd');

export function findDates(text: string, base: number, out: Candidate[]): void {
  for (const p of PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (p.check && !p.check(text, start, end)) continue;
      out.push({ start: base + start, end: base + end, type: 'DATE', priority: 6 });
    }
  }
  for (const m of text.matchAll(MONTH_ALONE)) {
    const [s, e] = m.indices![1];
    out.push({ start: base + s, end: base + e, type: 'DATE', priority: 5 });
  }
}
