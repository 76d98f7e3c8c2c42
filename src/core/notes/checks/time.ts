// When: dates, clock times, order words and past-versus-current. A date or time the statement
// gives must be in the cited lines; "before" where the note says "after" is flagged; so is a
// history item stated as current, and a current one stated as history.

import { perLine, phraseRegex } from './text';
import type { CitedLine, Rule, RuleInput } from './types';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
// "Sept" is the one four-letter abbreviation in common use.
const MONTH_RE = new RegExp(String.raw`\b(sept\.?|${MONTHS.map((m) => `${m.slice(0, 3)}(?:${m.slice(3)}|\\.)?`).join('|')})\s+(\d{1,2})(?:st|nd|rd|th)?\b`, 'gi');
const NUMERIC_DATE = /(?<![\d/])(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?(?![\d/])/g;
const CLOCK = /(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?!\d)(?:\s*([ap])\.?m\.?)?/gi;

/** Month/day keys ("9/12") of every date written, numeric or with a month name. */
export function datesIn(text: string): Set<string> {
  const out = new Set<string>();
  const t = text.slice(0, 4000);
  for (const m of t.matchAll(NUMERIC_DATE)) {
    const mo = Number(m[1]);
    const d = Number(m[2]);
    // "24/26 mg" and blood pressures are not dates.
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && !/^\s*(?:mg|mcg|mmhg)/i.test(t.slice(m.index! + m[0].length))) out.add(`${mo}/${d}`);
  }
  for (const m of t.matchAll(MONTH_RE)) {
    const mo = MONTHS.findIndex((name) => name.startsWith(m[1].toLowerCase().slice(0, 3))) + 1;
    out.add(`${mo}/${Number(m[2])}`);
  }
  return out;
}

/** Clock times as minutes after midnight ("08:15", "8:15 pm"). */
export function timesIn(text: string): Set<number> {
  const out = new Set<number>();
  for (const m of text.slice(0, 4000).matchAll(CLOCK)) {
    let h = Number(m[1]);
    if (m[3]?.toLowerCase() === 'p' && h < 12) h += 12;
    if (m[3]?.toLowerCase() === 'a' && h === 12) h = 0;
    out.add(h * 60 + Number(m[2]));
  }
  return out;
}

const BEFORE = phraseRegex(['before', 'prior to', 'preceding', 'preceded', 'earlier than', 'pre']);
const AFTER = phraseRegex(['after', 'following', 'followed by', 'subsequent to', 'subsequently', 'post', 'later than', 'status post', 's/p']);
const SAME_DAY = phraseRegex(['same day', 'that day', 'the same day', 'on the day of']);
const NEXT_DAY = phraseRegex(['next day', 'following day', 'day after', 'next morning', 'the following morning', 'overnight', 'in am', 'in the morning', 'tomorrow']);
/** Past-history words: in a statement they say "not now"; in a note they mark history. */
const PAST = phraseRegex(['history of', 'h/o', 'hx of', 'prior', 'previous', 'previously', 'former', 'formerly', 'remote', 'past', 'quit', 'resolved', 'used to', 'years ago', 'ago', 'in the past', 'no longer']);
/** Current words. */
const CURRENT = phraseRegex(['currently', 'current', 'active', 'actively', 'ongoing', 'still', 'presently', 'at present', 'continues to', 'now has', 'presents with', 'new', 'acute', 'today']);

const has = (re: RegExp, text: string) => {
  re.lastIndex = 0;
  const found = re.test(text);
  re.lastIndex = 0;
  return found;
};

interface LineTime {
  dates: Set<string>;
  times: Set<number>;
  before: boolean;
  after: boolean;
  sameDay: boolean;
  nextDay: boolean;
  past: boolean;
  current: boolean;
}

const lineTime = perLine((l: CitedLine): LineTime => {
  const t = `${l.text}\n${l.context}`;
  return {
    dates: datesIn(t), times: timesIn(l.text), before: has(BEFORE, l.text), after: has(AFTER, l.text),
    sameDay: has(SAME_DAY, l.text), nextDay: has(NEXT_DAY, l.text), past: has(PAST, l.text), current: has(CURRENT, l.text),
  };
});

export const time: Rule = {
  kind: 'time',
  check({ text, cited }: RuleInput) {
    const facts = cited.map((l) => lineTime(l));
    const any = (k: keyof LineTime) => facts.some((f) => f[k] === true);
    const dates = datesIn(text);
    for (const d of dates) {
      if (!facts.some((f) => f.dates.has(d))) return `the cited lines do not give the date ${d}`;
    }
    for (const t of timesIn(text)) {
      if (!facts.some((f) => f.times.has(t))) return `the cited lines do not give the time ${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
    }
    const before = has(BEFORE, text);
    const after = has(AFTER, text);
    if (before && !after && any('after') && !any('before')) return 'the note says after, not before';
    if (after && !before && any('before') && !any('after')) return 'the note says before, not after';
    if (has(SAME_DAY, text) && !any('sameDay')) {
      const noted = new Set(facts.flatMap((f) => [...f.dates]));
      if (noted.size > 1 || any('nextDay')) return 'the note gives different days';
    }
    const past = has(PAST, text);
    const current = has(CURRENT, text);
    if (current && !past && any('past') && !any('current')) return 'the note gives it as past history';
    if (past && !current && any('current') && !any('past')) return 'the note gives it as current';
    return undefined;
  },
};
