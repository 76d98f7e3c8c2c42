// Moves a date by a number of days and writes it back in its own format ("03/04/2024" stays
// two-digit, "March 4th" keeps its ordinal, "Tue" its weekday), so every date in a document
// moved by one offset keeps its order and the intervals between them.

import { MONTH_NAMES, WEEKDAY_NAMES } from './dates';

const DAY_MS = 86_400_000;

interface Parts {
  y?: number;
  m: number;
  d?: number;
}

/** Where each part sits in the text, to write the new value in the same place and style. */
interface Slots {
  year?: [number, number];
  month?: [number, number];
  day?: [number, number];
  weekday?: [number, number];
}

function monthIndex(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, '');
  return w.length >= 3 ? MONTH_NAMES.findIndex((m) => m.startsWith(w)) : -1;
}

function parse(text: string, dayFirst: boolean): { parts: Parts; slots: Slots } | undefined {
  const tokens = [...text.matchAll(/[A-Za-z]+\.?|\d+/g)].map((m) => ({ s: m.index, e: m.index + m[0].length, t: m[0] }));
  const slots: Slots = {};
  const nums: { s: number; e: number; t: string }[] = [];
  let m = -1;
  for (const tok of tokens) {
    if (/^\d/.test(tok.t)) nums.push(tok);
    else if (WEEKDAY_NAMES.some((w) => w.startsWith(tok.t.toLowerCase().replace(/\.$/, '')) && tok.t.length >= 3)) slots.weekday = [tok.s, tok.e];
    else if (monthIndex(tok.t) >= 0 && m < 0) {
      m = monthIndex(tok.t);
      slots.month = [tok.s, tok.e];
    }
  }
  const year = nums.find((n) => n.t.length === 4);
  if (year) slots.year = [year.s, year.e];
  const rest = nums.filter((n) => n !== year);
  if (m >= 0) {
    // A word month: the one short number is the day; "19-Mar-47" has a two-digit year after it.
    const day = rest.find((n) => n.s < slots.month![0]) ?? rest[0];
    if (day) slots.day = [day.s, day.e];
    const yy = rest.find((n) => n !== day && n.s > slots.month![0]);
    if (yy && !year) slots.year = [yy.s, yy.e];
  } else if (/^\d{4}-/.test(text)) {
    // ISO: year-month-day, then maybe a time that stays as it is.
    if (rest.length < 2) return undefined;
    slots.month = [rest[0].s, rest[0].e];
    slots.day = [rest[1].s, rest[1].e];
  } else {
    if (rest.length < 1) return undefined;
    const [a, b, c] = rest;
    if (!year && c) slots.year = [c.s, c.e];
    if (!b) {
      slots.month = [a.s, a.e]; // 6/2021
    } else {
      const swap = dayFirst || Number(text.slice(a.s, a.e)) > 12;
      slots.month = swap ? [b.s, b.e] : [a.s, a.e];
      slots.day = swap ? [a.s, a.e] : [b.s, b.e];
    }
  }
  const num = (slot?: [number, number]): number | undefined => (slot ? Number(text.slice(slot[0], slot[1])) : undefined);
  const month = m >= 0 ? m + 1 : num(slots.month);
  if (!month || month > 12) return undefined;
  let y = num(slots.year);
  if (y !== undefined && y < 100) y += y < 50 ? 2000 : 1900;
  return { parts: { y, m: month, d: num(slots.day) }, slots };
}

function styleLike(original: string, word: string): string {
  const short = original.replace(/\.$/, '');
  let out = short.length <= 4 && short.length < word.length ? word.slice(0, short.length) : word;
  if (short.length === 4 && word === 'september') out = 'sept';
  if (original === original.toUpperCase()) out = out.toUpperCase();
  else if (original[0] === original[0].toUpperCase()) out = out[0].toUpperCase() + out.slice(1);
  return out + (original.endsWith('.') ? '.' : '');
}

function pad(padded: boolean, n: number): string {
  return padded ? String(n).padStart(2, '0') : String(n);
}

/** The date moved by `days`, in the same format; undefined when `text` is not a date it reads. */
export function shiftDate(text: string, days: number, dayFirst = false): string | undefined {
  const p = parse(text, dayFirst);
  if (!p) return undefined;
  const { parts, slots } = p;
  // No year: a leap year, so 02/29 exists. A month alone: its middle, so the month moves by about days/30.
  const base = Date.UTC(parts.y ?? 2000, parts.m - 1, parts.d ?? 15);
  const moved = new Date(base + days * DAY_MS);
  const edits: [[number, number], string][] = [];
  const at = (slot: [number, number]): string => text.slice(slot[0], slot[1]);
  // "09/30/24" is written with two digits each; "1/15/26" and "23/8/61" are not.
  const numeric = [slots.month, slots.day].filter((x): x is [number, number] => !!x && /^\d/.test(at(x)));
  const padded = numeric.length > 0 && numeric.every((x) => x[1] - x[0] === 2) && numeric.some((x) => text[x[0]] === '0' || numeric.length === 2);
  if (slots.year && parts.y !== undefined) {
    const y = moved.getUTCFullYear();
    edits.push([slots.year, at(slots.year).length === 2 ? String(y % 100).padStart(2, '0') : String(y)]);
  }
  if (slots.month) {
    const mo = moved.getUTCMonth();
    edits.push([slots.month, /^\d/.test(at(slots.month)) ? pad(padded, mo + 1) : styleLike(at(slots.month), MONTH_NAMES[mo])]);
  }
  if (slots.day && parts.d !== undefined) {
    const d = moved.getUTCDate();
    const ordinal = /^\d+(?:st|nd|rd|th)/i.test(text.slice(slots.day[0], slots.day[1] + 2));
    edits.push([slots.day, pad(padded, d)]);
    if (ordinal) edits.push([[slots.day[1], slots.day[1] + 2], d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th']);
  }
  if (slots.weekday) edits.push([slots.weekday, styleLike(at(slots.weekday), WEEKDAY_NAMES[moved.getUTCDay()])]);
  let out = text;
  for (const [[s, e], v] of edits.sort((a, b) => b[0][0] - a[0][0])) out = out.slice(0, s) + v + out.slice(e);
  return out;
}
