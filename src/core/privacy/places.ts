// Street addresses, named facilities and organisations (both ADDRESS, as in the gold files),
// cities and postal codes. A city is found from its neighbours: "City, ST 12345", a street
// address before it, "lives in ..."; a facility by the word that ends its name.

import type { Candidate } from './types';

const CAP = "\\p{Lu}\\p{Ll}+(?:\\p{Lu}\\p{Ll}+)?(?:['’-]\\p{Lu}?\\p{Ll}+)*";
const CAPS = `${CAP}(?:[ \\t]${CAP}){0,2}`;
const SUFFIX = 'Street|St\\.?|Road|Rd\\.?|Avenue|Ave\\.?|Lane|Ln\\.?|Drive|Dr\\.?|Court|Ct\\.?|Boulevard|Blvd\\.?|Way|Place|Pl\\.?|Terrace|Ter\\.?|Parkway|Pkwy\\.?|Circle|Cir\\.?|Highway|Hwy\\.?|Trail|Row|Close|Crescent|Square|Mews|Walk|Gardens|Grove|Hill|Pike|Alley';
const UNIT = "(?:,?[ \\t](?:Unit|Apt\\.?|Apartment|Suite|Ste\\.?|Flat|Room|#)[ \\t]?[A-Z0-9-]{1,6})?";
// A street name word: capitalized, or numbered ("5th", "42nd"); a compass point may come first ("W", "NE").
const STREET_WORD = `(?:${CAP}|\\d{1,3}(?:st|nd|rd|th))`;
const STREET = new RegExp(`(?<![\\w-])\\d{1,5}[A-Z]?[ \\t](?:(?:[NS][EW]?|[EW])\\.?[ \\t])?(?:${STREET_WORD}[ \\t]){0,3}(?:${SUFFIX})(?![\\p{L}])${UNIT}`, 'gu');

// The last word of a facility's or organisation's name.
const FACILITY_END = "Hospital|Infirmary|Clinic|Center|Centre|Surgery|Practice|Pediatrics|Paediatrics|Pharmacy|University|College|School|Academy|Institute|Church|Chapel|Mosque|Synagogue|Temple|Union|Bank|Books|Group|Health|Hospice|Home|Homes|Gardens|Manor|Lodge|Supply|Laboratories|Labs|Associates|Partners|Ministries|Foundation";
const FACILITY = new RegExp(`(?<![\\p{L}])(?:${CAP}(?:'s)?[ \\t]){1,5}(?:${FACILITY_END})(?![\\p{L}])`, 'gu');
// Words that begin many facility names but name none alone: the name needs one word more.
const GENERIC = new Set(
  ('the a an our your his her their this that emergency department family medical health clinic center centre regional general community ' +
    "children's women's university hospital imaging dental home anticoagulation primary care urgent behavioral behavioural pain cardiology neurology " +
    'pulmonology device surgery ambulatory outpatient inpatient sleep senior memory wound cancer heart vascular eye kidney rehab rehabilitation ' +
    'mental public state county city national royal saint st veterans and of at in for nursing assisted living day learning credit books baptist ' +
    'missionary church group supply practice pharmacy pediatrics paediatrics physical therapy occupational social work team service services ' +
    'interval history plan follow discharged admitted seen referred returned transferred presents presented ' +
    'orthopaedic orthopedic thoracic cardiac cardiothoracic plastic colorectal bariatric transplant trauma neurosurgery oral maxillofacial hand ' +
    'failure hypertension lipid asthma copd allergy headache epilepsy seizure fracture bone joint foot ' +
    'spine breast oncology dialysis infusion endoscopy radiology diabetes lung liver stroke cardiovascular bone marrow general').split(/\s+/),
);

const US_STATES = 'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';
// Abbreviations that are also words, credentials or clinical shorthand (MD, PA, OR, ND, NC, MI,
// CT...) need the ZIP code after them.
const SAFE_STATES = new Set('AK AZ AR CA FL GA IL KS KY MN MO NV NH NJ NM NY RI SD TN TX UT VT WA WV WI WY'.split(' '));
const CITY_STATE = new RegExp(`(?<![\\p{L}])(${CAPS}),[ \\t]{1,2}(${US_STATES})(?:[ \\t]{1,2}(\\d{5}(?:-\\d{4})?))?(?![\\w])`, 'gdu');
const LIVES_IN = new RegExp(`\\b(?:[Ll]ives|[Ll]iving|[Rr]esides|[Rr]esiding|[Mm]oved|[Rr]elocated|[Ll]ocated|[Bb]ased|[Vv]isiting|[Bb]orn)(?:[ \\t]{1,3}[\\p{Ll}]{1,12}){0,3}?[ \\t]{1,3}in[ \\t]{1,3}(${CAPS})`, 'gdu');
const ZIP_AFTER_STATE = new RegExp(`(?<=\\b(?:${US_STATES})[ \\t]{1,2})\\d{5}(?:-\\d{4})?(?!\\d)`, 'g');
const UK_POSTCODE = /(?<![\w-])[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}(?![\w-])/g;

function push(out: Candidate[], base: number, s: number, e: number, type: Candidate['type'], priority: number): void {
  out.push({ start: base + s, end: base + e, type, priority });
}

export function findPlaces(text: string, base: number, out: Candidate[]): void {
  for (const m of text.matchAll(STREET)) push(out, base, m.index, m.index + m[0].length, 'ADDRESS', 5);
  for (const m of text.matchAll(FACILITY)) {
    // Drop generic leading words ("The", "Emergency Department of"), keep the name if one is left.
    const words = m[0].split(/[ \t]/);
    let skip = 0;
    let offset = 0;
    while (skip < words.length - 1 && GENERIC.has(words[skip].toLowerCase())) offset += words[skip++].length + 1;
    if (words.slice(skip, -1).some((w) => !GENERIC.has(w.toLowerCase()))) push(out, base, m.index + offset, m.index + m[0].length, 'ADDRESS', 3);
  }
  for (const m of text.matchAll(CITY_STATE)) {
    if (!SAFE_STATES.has(m[2]) && m[3] === undefined) continue;
    push(out, base, m.indices![1][0], m.indices![1][1], 'CITY', 4);
  }
  for (const m of text.matchAll(LIVES_IN)) push(out, base, m.indices![1][0], m.indices![1][1], 'CITY', 4);
  for (const m of text.matchAll(ZIP_AFTER_STATE)) push(out, base, m.index, m.index + m[0].length, 'ZIP', 5);
  for (const m of text.matchAll(UK_POSTCODE)) push(out, base, m.index, m.index + m[0].length, 'ZIP', 4);
}

/** What follows an address: ", Sugar Creek)" or ", Lubenham, LE16 9TF" names a city, then maybe a ZIP. */
const CITY_AFTER = new RegExp(`^,[ \\t]{1,2}(${CAPS})(?=,|\\)|[ \\t]*$|[ \\t]{1,2}[A-Z]{2}\\b)(?:,[ \\t]{1,2}(\\d{5}(?:-\\d{4})?)(?!\\d))?`, 'du');
/** A letterhead: a line of capitalized words just above a line that is only a postcode. */
const CITY_LINE = new RegExp(`^(${CAPS})[ \\t]*$`, 'u');

export function citiesNearAddresses(text: string, found: readonly Candidate[], out: Candidate[]): void {
  for (const c of found) {
    if (c.type === 'ADDRESS') {
      const m = CITY_AFTER.exec(text.slice(c.end, c.end + 120).split('\n', 1)[0]);
      if (!m) continue;
      push(out, c.end, m.indices![1][0], m.indices![1][1], 'CITY', 4);
      if (m[2] !== undefined) push(out, c.end, m.indices![2][0], m.indices![2][1], 'ZIP', 5);
    } else if (c.type === 'ZIP' && (c.start === 0 || text[c.start - 1] === '\n')) {
      const lineEnd = c.start - 1;
      const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1;
      if (lineEnd - lineStart > 60) continue;
      const m = CITY_LINE.exec(text.slice(lineStart, lineEnd));
      if (m) push(out, lineStart, 0, m[1].length, 'CITY', 3);
    }
  }
}
