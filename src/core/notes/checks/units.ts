// Value-with-unit pairs: "25 mcg" is not "25 mg", "3 days" is not "3 weeks". A statement's
// quantity must equal one in its cited lines after conversion (1 g = 1000 mg, 101 kg = 222 lb,
// 38.9 °C = 102 °F); a bare number is the number check's business.

import { perLine } from './text';
import type { CitedLine, Rule, RuleInput } from './types';

type Dimension = 'mass' | 'length' | 'volume' | 'temperature' | 'time';

interface Unit {
  dim: Dimension;
  /** Factor to the dimension's base unit (g, m, L, s); temperatures convert by formula. */
  factor: number;
  label: string;
}

const U = (dim: Dimension, factor: number, label: string): Unit => ({ dim, factor, label });
const UNITS: Record<string, Unit> = {
  mcg: U('mass', 1e-6, 'mcg'), ug: U('mass', 1e-6, 'mcg'), 'µg': U('mass', 1e-6, 'mcg'), microgram: U('mass', 1e-6, 'mcg'),
  mg: U('mass', 1e-3, 'mg'), milligram: U('mass', 1e-3, 'mg'), g: U('mass', 1, 'g'), gram: U('mass', 1, 'g'),
  kg: U('mass', 1e3, 'kg'), kilogram: U('mass', 1e3, 'kg'), lb: U('mass', 453.592, 'lb'), lbs: U('mass', 453.592, 'lb'),
  pound: U('mass', 453.592, 'lb'), oz: U('mass', 28.35, 'oz'),
  mm: U('length', 1e-3, 'mm'), millimeter: U('length', 1e-3, 'mm'), cm: U('length', 1e-2, 'cm'),
  centimeter: U('length', 1e-2, 'cm'), m: U('length', 1, 'm'), meter: U('length', 1, 'm'),
  inch: U('length', 0.0254, 'in'), ml: U('volume', 1e-3, 'mL'), milliliter: U('volume', 1e-3, 'mL'), l: U('volume', 1, 'L'),
  liter: U('volume', 1, 'L'), litre: U('volume', 1, 'L'),
  c: U('temperature', 1, '°C'), f: U('temperature', 1, '°F'),
  ms: U('time', 1e-3, 'ms'), s: U('time', 1, 'seconds'), sec: U('time', 1, 'seconds'), second: U('time', 1, 'seconds'),
  min: U('time', 60, 'minutes'), minute: U('time', 60, 'minutes'), h: U('time', 3600, 'hours'), hr: U('time', 3600, 'hours'),
  hour: U('time', 3600, 'hours'), d: U('time', 86400, 'days'), day: U('time', 86400, 'days'),
  wk: U('time', 604800, 'weeks'), week: U('time', 604800, 'weeks'), mo: U('time', 2629800, 'months'),
  month: U('time', 2629800, 'months'), yr: U('time', 31557600, 'years'), year: U('time', 31557600, 'years'),
};

export interface Quantity {
  value: number;
  unit: Unit;
  /** What follows a slash ("/dL", "/kg/min"): only the same rate compares. */
  per: string;
  /** As written, for messages. */
  text: string;
}

// A number (or range "6-8") then a unit word; the number must not be glued to letters (q6h, L12).
const QUANTITY = /(?<![\w./])(\d{1,7}(?:[.,]\d{1,4})?)(?:\s*(?:-|–|to)\s*(\d{1,7}(?:\.\d{1,4})?))?\s?(°\s?[cf]|degrees?\s+[cf]|µg|[a-z]{1,11})((?:\/[a-z0-9.²]{1,8}){0,2})(?![a-z0-9²])/gi;

function unitOf(word: string): Unit | undefined {
  const w = word.toLowerCase().replace(/^°\s?|^degrees?\s+/, '');
  return UNITS[w] ?? (w.endsWith('s') ? UNITS[w.slice(0, -1)] : undefined);
}

/** "1,000" is a thousand (as the number check reads it), "1,5" a decimal comma (1.5). */
function amount(written: string): number {
  return Number(/^\d{1,3},\d{3}$/.test(written) ? written.replace(',', '') : written.replace(',', '.'));
}

/** Quantities written in a text ("25 mcg", "6-8 weeks", "38.9 °C", "12 units/kg/h"). */
export function quantitiesIn(text: string): Quantity[] {
  const out: Quantity[] = [];
  for (const m of text.slice(0, 4000).matchAll(QUANTITY)) {
    const unit = unitOf(m[3]);
    if (!unit) continue;
    // A lone C or F is a temperature only in a plausible range ("4 C" may be anything).
    if (unit.dim === 'temperature' && !m[3].startsWith('°') && !/^deg/i.test(m[3])) {
      const v = Number(m[1]);
      if (!(v >= 30 && v <= 45) && !(v >= 86 && v <= 113)) continue;
    }
    // "2 L" of oxygen and "5 days" are quantities; "1 L arm" is not a volume (but L alone before a body word is a side).
    if (unit.label === 'L' && m[4] === '' && /^\s+[a-z]/i.test(text.slice(m.index! + m[0].length)) && !/^\s+(?:nc|nasal|o2|of|lr|ns|bolus|fluid|net|neg|pos|positive|negative|over|per|in|on)\b/i.test(text.slice(m.index! + m[0].length))) continue;
    const per = m[4].toLowerCase().replace(/\.+$/, ''); // a full stop ends the sentence, not the unit
    const values = [m[1], m[2]].filter((v): v is string => v !== undefined).map(amount);
    for (const value of values) out.push({ value, unit, per, text: `${value} ${unit.label}${per}` });
  }
  return out;
}

function toBase(q: Quantity): number {
  if (q.unit.dim === 'temperature') return q.unit.label === '°F' ? ((q.value - 32) * 5) / 9 : q.value;
  return q.value * q.unit.factor;
}

/** Same amount: equal in the same unit, or after conversion allowing a writer's rounding (0.5%). */
export function sameAmount(a: Quantity, b: Quantity): boolean {
  if (a.unit.dim !== b.unit.dim || a.per !== b.per) return false;
  if (a.unit.label === b.unit.label) return a.value === b.value;
  const x = toBase(a);
  const y = toBase(b);
  if (a.unit.dim === 'temperature') return Math.abs(x - y) <= 0.15;
  // Half a unit of the last digit either writer gave ("5.4 kg" for 12 lb), and at least 0.5%.
  const slack = Math.max(halfDigit(a) * a.unit.factor, halfDigit(b) * b.unit.factor, 0.005 * Math.max(Math.abs(x), Math.abs(y)));
  return Math.abs(x - y) <= slack * 1.0001;
}

function halfDigit(q: Quantity): number {
  const decimals = (/\.(\d+)$/.exec(String(q.value))?.[1].length ?? 0);
  return decimals > 0 ? 0.5 * 10 ** -decimals : 0;
}

const lineQuantities = perLine((line: CitedLine) => quantitiesIn(`${line.text}\n${line.context}`));

/** Numbers of the statement that an equal quantity in the cited lines accounts for (1 g for 1000 mg). */
export function convertedNumbers(text: string, cited: readonly CitedLine[]): Set<string> {
  const noted = cited.flatMap((l) => lineQuantities(l));
  const out = new Set<string>();
  for (const q of quantitiesIn(text)) if (noted.some((n) => sameAmount(q, n))) out.add(String(q.value));
  return out;
}

export const units: Rule = {
  kind: 'units',
  check({ text, cited }: RuleInput) {
    const said = quantitiesIn(text);
    if (said.length === 0) return undefined;
    const noted = cited.flatMap((l) => lineQuantities(l));
    for (const q of said) {
      if (noted.some((n) => sameAmount(q, n))) continue;
      // The same number with another unit of the same kind, or another rate ("/min" for "/h"),
      // is a unit error; say what the note has.
      const sameNumber = noted.find((n) => n.value === q.value && n.unit.dim === q.unit.dim);
      if (sameNumber) return `the note says ${sameNumber.text}, not ${q.text}`;
      // The number written elsewhere without this unit: the unit was added.
      const unitless = cited.some((l) => new RegExp(`(?<![\\d.])${String(q.value).replace('.', '\\.')}(?![\\d]|\\.\\d)`).test(l.text));
      const sameDim = noted.filter((n) => n.unit.dim === q.unit.dim);
      if (unitless && sameDim.length > 0 && !sameDim.some((n) => n.unit.label === q.unit.label)) {
        return `the note gives ${q.unit.dim} in ${sameDim[0].unit.label}, not ${q.unit.label}`;
      }
    }
    return undefined;
  },
};
