// Contact and network identifiers with a shape of their own: e-mail, URL, IP, phone and fax,
// SSN, and ages over 89. A phone number is a fax when the nearest label before it says so.

import { isPlausibleSsn } from './checksums';
import { anyCase, countDigits } from './cue';
import type { Candidate, PhiType } from './types';

const EMAIL = /(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}/g;
const URL = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`]{1,2048}/g;
// A full stop after the address ends the sentence; another dot and digit would be a longer number.
const IPV4 = /(?<![\d.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?!\d|\.\d)/g;
const IPV6 = /(?<![\w:])[0-9A-Fa-f]{0,4}(?::{1,2}[0-9A-Fa-f]{1,4}){2,7}(?:::)?(?![\w:])/g;
const US_PHONE = /(?<![\w+-])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])/g;
// 01632 960001, 0161 496 0000, +44 (0)1632 960001, and London's 020 7946 0958.
const UK_PHONE = /(?<![\w+-])(?:\+44[ ]?(?:\(0\))?[ ]?|0)(?:\d{2,4}[ ]?\d{3}[ ]?\d{3,4}|\d{2}[ ]?\d{4}[ ]?\d{4})(?![\w-])/g;
// A label word of its own: "next 1000 mL" holds no extension.
const SHORT_PHONE = new RegExp(`(?<![A-Za-z])${anyCase('(?:pager|beeper|bleep|ext\\.?|extension)')}[ \\t]{0,3}[:#]?[ \\t]{0,3}(\\d[\\d-]{2,9}\\d)(?!\\d)`, 'gd');
const SSN = /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g;
const SSN_CUED = new RegExp(`(?:SSN|${anyCase('social security(?: no\\.?| number| #)?')})[ \\t]{0,3}[:#]?[ \\t]{0,3}(\\d{3}[ -]?\\d{2}[ -]?\\d{4})(?!\\d)`, 'gd');

// Over 89, numerals: "92-year-old", "91 years", "(93 y)", "92F", "Age: 92", "at age 94", "she was 97".
const AGE_AFTER = /(?<![\d.])(?:9\d|1[01]\d)(?=[ \t]?-?[ \t]?(?:y(?:ears?|rs?|r|\/o|o)?\b|-year|[FM]\b))/g;
const AGE_BEFORE = new RegExp(`\\b(?:${anyCase('at age|aged|ages|age')}|was|is|turned|turns)[ \\t]{0,3}[:=(]?[ \\t]{0,3}(9\\d|1[01]\\d)(?!\\d|\\.\\d|[%/]|[ \\t]{0,2}(?:mg|kg|%|lbs?|cm|mm|beats|bpm|mmHg|on|at))`, 'gd');
const SPELLED = '(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one hundred(?:[- ](?:and[- ])?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)';
const AGE_SPELLED = new RegExp(`(?<=\\b(?:${anyCase('aged|ages|age')}|was|is|turned|turns)[ \\t(:]{1,3})${anyCase(SPELLED)}\\b|\\b${anyCase(SPELLED)}(?=[ -]{1,2}years?\\b)`, 'g');

// What a number of 90-119 measures when it is not an age: a temperature ("Febrile to 101 F",
// "T 101F"), or a vital sign or result ("Heart rate was 96", "sats were 94").
const TEMPERATURE_BEFORE = /\b(?:temp(?:erature)?|tmax|t|febrile|fever(?:ish)?|afebrile|pyrexi\w*)\b[^.;\n]{0,20}$/i;
const MEASURE_BEFORE = /\b(?:heart rate|hr|pulse|rate|spo2|sats?|saturations?|o2|oxygen|temp(?:erature)?|bp|pressure|glucose|sugar|weight|wt|score|level|count|fev1|ef|ejection fraction|hgb|hemoglobin|haemoglobin|sodium|na|chloride|cl|iq|map)\b[^.;\n]{0,20}$/i;

const PHONE_LABEL = /\b(fax|facsimile|tel|telephone|phone|ph|cell|mobile|mob|home|work|pager|callback)\b/gi;

/** FAX when the nearest label before the number (within 30 characters) says fax. */
function phoneType(text: string, start: number): PhiType {
  let nearest = '';
  for (const m of text.slice(Math.max(0, start - 30), start).matchAll(PHONE_LABEL)) nearest = m[1];
  return /^f/i.test(nearest) ? 'FAX' : 'PHONE';
}

function push(out: Candidate[], base: number, start: number, end: number, type: PhiType, priority: number): void {
  out.push({ start: base + start, end: base + end, type, priority });
}

export function findContacts(text: string, base: number, out: Candidate[]): void {
  for (const m of text.matchAll(EMAIL)) push(out, base, m.index, m.index + m[0].length, 'EMAIL', 9);
  for (const m of text.matchAll(URL)) {
    // Sentence punctuation after a URL is not part of it.
    const url = m[0].replace(/[.,;:!?)\]}'"]+$/, '');
    push(out, base, m.index, m.index + url.length, 'URL', 9);
  }
  for (const m of text.matchAll(IPV4)) push(out, base, m.index, m.index + m[0].length, 'IP', 8);
  for (const m of text.matchAll(IPV6)) {
    // Times (14:02:33) have colons too: an address has a hex letter, a "::" or many groups.
    if (/[a-f]|::/i.test(m[0]) || m[0].split(':').length >= 6) push(out, base, m.index, m.index + m[0].length, 'IP', 8);
  }
  for (const re of [US_PHONE, UK_PHONE]) {
    for (const m of text.matchAll(re)) {
      // UK: 10 to 12 digits counted with the leading 0 (after +44, with or without "(0)", it is implied).
      const digits = re === UK_PHONE && m[0].startsWith('+44') ? countDigits(m[0].slice(3).replace('(0)', '')) + 1 : countDigits(m[0]);
      if (re === UK_PHONE && (digits < 10 || digits > 12)) continue;
      push(out, base, m.index, m.index + m[0].length, phoneType(text, m.index), 6);
    }
  }
  for (const m of text.matchAll(SHORT_PHONE)) push(out, base, m.indices![1][0], m.indices![1][1], 'PHONE', 5);
  for (const m of text.matchAll(SSN)) if (isPlausibleSsn(m[0])) push(out, base, m.index, m.index + m[0].length, 'SSN', 7);
  for (const m of text.matchAll(SSN_CUED)) push(out, base, m.indices![1][0], m.indices![1][1], 'SSN', 8);
  for (const m of text.matchAll(AGE_AFTER)) {
    const before = text.slice(Math.max(0, m.index - 30), m.index);
    if (/^[ \t]?-?[ \t]?F\b/.test(text.slice(m.index + m[0].length)) && TEMPERATURE_BEFORE.test(before)) continue;
    push(out, base, m.index, m.index + m[0].length, 'AGE', 5);
  }
  for (const m of text.matchAll(AGE_BEFORE)) {
    // "was 96" after a measurement is its value; "age 96" is an age whatever comes before.
    if (!/^(?:at age|aged|ages|age)/i.test(m[0]) && MEASURE_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) continue;
    push(out, base, m.indices![1][0], m.indices![1][1], 'AGE', 5);
  }
  for (const m of text.matchAll(AGE_SPELLED)) push(out, base, m.index, m.index + m[0].length, 'AGE', 5);
}
