// Record, plan, account, licence, vehicle, device and other numbers. Most are found by the
// label before them ("MRN", "member ID", "serial no."); a few by a check digit (NPI, NHS, DEA)
// or by their shape (letters, a hyphen and many digits), with a lower priority.

import { isDea, isNhsNumber, isNpi } from './checksums';
import { anyCase, countDigits } from './cue';
import type { Candidate, PhiType } from './types';

// One upper-case token of letters, digits and single inner separators, then up to four more
// after single spaces, each with a digit within its first five characters ("CCM 4410 2297 06").
const VALUE = '#?[A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9])){0,24}(?: (?=[A-Z-]{0,4}\\d)[A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9])){0,14}){0,4}';
// Plates: letter-only groups too ("OR 482 KXT").
const PLATE = '[A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9])){0,9}(?: [A-Z0-9]{1,8}){0,3}(?![a-z])';
const NO = '(?: (?:no\\.?|number|num|#(?!\\w)|id))?';
// A '#' glued to the value is part of it ("message #PM-4471893"); "Job # 12" or "#:" is a label.
const SEP = '(?:[ \\t]{0,3}(?:[:=.]|#(?![A-Z0-9]))){0,2}[ \\t]{0,3}';

const CUES: [PhiType, string, string][] = [
  ['MRN', `mrn|mr #|mr#|medical record${NO}|hospital${NO}|record${NO}|unit number|chart${NO}`, VALUE],
  ['ACCOUNT', `hospital account${NO}|account ending(?: in)?|account${NO}|acct\\.?${NO}|visit${NO}|billing${NO}|fin`, VALUE],
  ['HEALTH_PLAN', `member${NO}|subscriber${NO}|policy${NO}|group${NO}|medicaid case number|medicaid${NO}|medicare beneficiary id|medicare${NO}|mbi|insurance${NO}|health plan${NO}|plan id`, VALUE],
  ['LICENSE', `(?:driver's |drivers |medical |professional |nursing |state )?licen(?:s|c)e${NO}|dea${NO}|gmc${NO}|nmc${NO}|hcpc${NO}`, VALUE],
  ['VEHICLE', `(?:license |licence )?plate${NO}|vin|vehicle(?: for \\S{1,12}| id| plate)?|tag${NO}`, PLATE],
  ['DEVICE', `serial${NO}|s/n|device${NO}|model${NO}|udi|imei`, VALUE],
  ['OTHER_ID', `accession${NO}|acc\\.? #|encounter${NO}|csn|npi|nhs${NO}|chi${NO}|intake${NO}|case${NO}|job${NO}|(?:interpreter|wristband|patient|employee|badge|specimen|order|requisition|claim|reference|ref\\.?|confirmation|rx|study|message)${NO}|message|rx|id`, VALUE],
];

const CUED = CUES.map(([type, cue, value]) => ({ type, re: new RegExp(`(?<![\\p{L}])(?:${anyCase(cue)})${SEP}(${value})`, 'gdu') }));

// "Her hospital number at Leicester Royal Infirmary is L4471029".
const NUMBER_IS = new RegExp(`${anyCase('(?:hospital|record|mrn) number')}[^\\n]{0,60}? is (${VALUE})`, 'gd');
// "@1400" and "NPO @midnight" are times: a handle starts with a letter or "_" and is not a time word.
const HANDLE = /(?<![\w.@])@(?!(?:midnight|noon|night|bedtime|home|rest|baseline|discharge)\b)[A-Za-z_](?:[A-Za-z0-9_]|\.(?=\w)){1,29}/gi;
const SHAPED = /(?<![\w-])[A-Z]{1,6}\d{0,4}(?:-[A-Z0-9]{1,12}){1,3}(?![\w-])/g;
// A full stop or comma after the number ends a sentence or a clause; with a digit after it, the
// number goes on (1234567.5, 1,234,567).
const LONG_NUMBER = /(?<![\w.,/-])\d{7,20}(?![\w/]|[.,]\d)/g;
const TEN_DIGITS = /(?<![\w.,/-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w/-]|[.,]\d)/g;
const DEA = /(?<![\w-])[A-Z]{2}\d{7}(?![\w-])/g;
const STATE_PREFIX = /^[A-Z]{2} (?=\d)/;

function cuedValue(type: PhiType, value: string): [number, number] | undefined {
  const digits = countDigits(value);
  // A date after "visit" ("Visit: 10-15-2024") is not an identifier.
  if (/^\d{1,2}-\d{1,2}(?:-\d{2,4})?$/.test(value)) return undefined;
  if (digits < 3 && !(type === 'VEHICLE' && digits >= 1 && value.length >= 5)) return undefined;
  // "Driver's license: PA 27 481 906": the state is not part of the number.
  const skip = type === 'LICENSE' && STATE_PREFIX.test(value) ? 3 : 0;
  return [skip, value.length];
}

export function findIds(text: string, base: number, out: Candidate[]): void {
  for (const { type, re } of CUED) {
    for (const m of text.matchAll(re)) {
      const s = m.indices![1][0];
      const span = cuedValue(type, m[1]);
      // A bare "ID" or "Rx" label is weaker than "member ID": the specific label wins a tie.
      if (span) out.push({ start: base + s + span[0], end: base + s + span[1], type, priority: type === 'OTHER_ID' ? 6.5 : 7 });
    }
  }
  for (const m of text.matchAll(NUMBER_IS)) {
    const [s, e] = m.indices![1];
    if (countDigits(m[1]) >= 3) out.push({ start: base + s, end: base + e, type: 'MRN', priority: 7 });
  }
  for (const m of text.matchAll(HANDLE)) out.push({ start: base + m.index, end: base + m.index + m[0].length, type: 'OTHER_ID', priority: 3 });
  for (const m of text.matchAll(TEN_DIGITS)) {
    // An NPI or NHS number checks out; a phone number that happens to is still an identifier.
    if (isNpi(m[0]) || isNhsNumber(m[0])) out.push({ start: base + m.index, end: base + m.index + m[0].length, type: 'OTHER_ID', priority: 5 });
  }
  for (const m of text.matchAll(DEA)) if (isDea(m[0])) out.push({ start: base + m.index, end: base + m.index + m[0].length, type: 'LICENSE', priority: 5 });
  for (const m of text.matchAll(SHAPED)) {
    if (countDigits(m[0]) >= 5) out.push({ start: base + m.index, end: base + m.index + m[0].length, type: 'OTHER_ID', priority: 2 });
  }
  for (const m of text.matchAll(LONG_NUMBER)) out.push({ start: base + m.index, end: base + m.index + m[0].length, type: 'OTHER_ID', priority: 1 });
}
