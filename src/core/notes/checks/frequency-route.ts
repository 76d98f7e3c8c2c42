// How often and by which route: "twice daily" is BID is q12h, "by mouth" is PO. When a statement
// names a drug, only the cited lines that name it are compared, so a medication list with
// several schedules does not excuse a wrong one.

import { DRUG_RE, drugsIn } from './medications';
import { perLine, phraseRegex } from './text';
import type { CitedLine, Rule, RuleInput } from './types';

// Doses per day (nightly and in the morning count as daily: the schedule, not the hour).
const FREQUENCIES: Record<string, number> = {
  daily: 1, 'once daily': 1, 'once a day': 1, 'every day': 1, qd: 1, q24h: 1, 'q 24 h': 1, 'every 24 hours': 1,
  nightly: 1, qhs: 1, 'at bedtime': 1, 'every night': 1, 'each night': 1, 'every morning': 1, qam: 1, qpm: 1, 'once nightly': 1,
  bid: 2, 'twice daily': 2, 'twice a day': 2, 'two times a day': 2, 'two times daily': 2, q12h: 2, 'every 12 hours': 2,
  tid: 3, 'three times daily': 3, 'three times a day': 3, q8h: 3, 'every 8 hours': 3,
  qid: 4, 'four times daily': 4, 'four times a day': 4, q6h: 4, 'every 6 hours': 4,
  q4h: 6, 'every 4 hours': 6, q2h: 12, 'every 2 hours': 12, q1h: 24, hourly: 24, 'every hour': 24,
  weekly: 1 / 7, 'once weekly': 1 / 7, 'once a week': 1 / 7, 'every week': 1 / 7, monthly: 1 / 30, 'once a month': 1 / 30,
};
const ROUTES: Record<string, string> = {
  iv: 'IV', intravenous: 'IV', intravenously: 'IV', 'iv push': 'IV', ivpb: 'IV',
  po: 'by mouth', oral: 'by mouth', orally: 'by mouth', 'by mouth': 'by mouth',
  sc: 'subcutaneous', sq: 'subcutaneous', subq: 'subcutaneous', subcutaneous: 'subcutaneous', subcutaneously: 'subcutaneous',
  im: 'IM', intramuscular: 'IM', intramuscularly: 'IM',
  sl: 'sublingual', sublingual: 'sublingual', 'per tube': 'per tube', 'via tube': 'per tube', ng: 'per tube', og: 'per tube',
  'per rectum': 'rectal', pr: 'rectal', rectal: 'rectal', topical: 'topical', topically: 'topical', transdermal: 'topical',
  inhaled: 'inhaled', nebulized: 'inhaled',
};
const FREQ_RE = phraseRegex(Object.keys(FREQUENCIES));
const ROUTE_RE = phraseRegex(Object.keys(ROUTES));

function describeFrequency(perDay: number): string {
  const names: Record<number, string> = {
    1: 'daily', 2: 'twice daily', 3: 'three times daily', 4: 'four times daily', 6: 'every 4 hours', 12: 'every 2 hours', 24: 'hourly',
    [1 / 7]: 'weekly', [1 / 30]: 'monthly',
  };
  // Less than daily and not weekly or monthly: "q48h" is every 48 hours, not weekly.
  return names[perDay] ?? (perDay < 1 ? `every ${Math.round(24 / perDay)} hours` : `${perDay} times a day`);
}

interface Schedule {
  freq: Set<number>;
  route: Set<string>;
}

function scheduleOf(text: string): Schedule {
  const t = text.slice(0, 4000);
  const freq = new Set<number>();
  for (const m of t.matchAll(FREQ_RE)) freq.add(FREQUENCIES[m[0].toLowerCase().replace(/\s+/g, ' ')]);
  // "every N hours" written with another N.
  for (const m of t.matchAll(/\b(?:q|every\s)\s?(\d{1,2})\s?(?:h|hr|hrs|hours?)\b/gi)) {
    const h = Number(m[1]);
    if (h > 0) freq.add(24 / h);
  }
  const route = new Set<string>();
  // Upper-case-only abbreviations: "po" and "im" are words too ("I'm", "pr" in "PR interval" is caught by case).
  for (const m of t.matchAll(ROUTE_RE)) {
    const k = m[0].toLowerCase().replace(/\s+/g, ' ');
    if (['im', 'pr', 'sl', 'ng', 'og'].includes(k) && m[0] !== m[0].toUpperCase()) continue;
    if (k === 'pr' && /^\s*(?:interval|depression|segment|\d)/i.test(t.slice(m.index! + 2))) continue;
    route.add(ROUTES[k]);
  }
  return { freq, route };
}

const lineSchedule = perLine((line: CitedLine) => scheduleOf(line.text));

/**
 * Each drug's own part of a line: from its name to the next drug's name or the end of the
 * sentence ("apixaban 5 mg PO BID (...), hypertension on enalapril 10 mg PO daily").
 */
const lineSegments = perLine((line: CitedLine) => {
  const t = line.text.slice(0, 4000);
  const names = [...t.matchAll(DRUG_RE)];
  return names.map((m, i) => {
    // A route often comes first ("oral torsemide", "IV furosemide"): take a few words before the name.
    const prevEnd = i > 0 ? names[i - 1].index! + names[i - 1][0].length : 0;
    const lead = t.slice(Math.max(prevEnd, m.index! - 16), m.index!);
    const from = m.index! - (lead.length - Math.max(...[...',.;:('].map((c) => lead.lastIndexOf(c) + 1)));
    const next = names[i + 1]?.index ?? t.length;
    const stop = /[.;](?:\s|$)/.exec(t.slice(m.index!, next));
    const to = stop ? m.index! + stop.index : next;
    return { drug: drugsIn(m[0])[0]?.canonical ?? '', schedule: scheduleOf(t.slice(from, to)) };
  });
});

export const frequencyRoute: Rule = {
  kind: 'frequency-route',
  check({ text, cited }: RuleInput) {
    const said = scheduleOf(text);
    if (said.freq.size === 0 && said.route.size === 0) return undefined;
    // Lines naming the statement's drugs, if any do; otherwise all cited lines.
    const drugs = new Set(drugsIn(text).map((d) => d.canonical));
    const segments = drugs.size === 0 ? [] : cited.flatMap((l) => lineSegments(l).filter((seg) => drugs.has(seg.drug)));
    const schedules = segments.length > 0 ? segments.map((seg) => seg.schedule) : cited.map((l) => lineSchedule(l));
    const freq = new Set<number>();
    const route = new Set<string>();
    for (const s of schedules) {
      s.freq.forEach((f) => freq.add(f));
      s.route.forEach((r) => route.add(r));
    }
    if (said.freq.size > 0 && freq.size > 0 && ![...said.freq].some((f) => freq.has(f))) {
      return `frequency: the note says ${describeFrequency([...freq][0])}`;
    }
    if (said.route.size > 0 && route.size > 0 && ![...said.route].some((r) => route.has(r))) {
      return `route: the note says ${[...route][0]}`;
    }
    return undefined;
  },
};
