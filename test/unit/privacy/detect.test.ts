import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDea, isNhsNumber, isNpi, isPlausibleSsn } from '../../../src/core/privacy/checksums';
import { detect } from '../../../src/core/privacy/detect';
import { PHI_TYPES, type PhiType, type Span } from '../../../src/core/privacy/types';

const FIXTURES = path.resolve(__dirname, '../../fixtures/notes');

/** The [type, text] pairs detect() finds in `text`. */
const found = (text: string): [PhiType, string][] => detect(text).map((s) => [s.type, s.text]);

function has(text: string, type: PhiType, value: string): void {
  assert.ok(
    detect(text).some((s) => s.type === type && s.text === value),
    `expected ${type} "${value}" in ${JSON.stringify(text)}; found ${JSON.stringify(found(text))}`,
  );
}

function none(text: string, value?: string): void {
  const spans = detect(text).filter((s) => value === undefined || s.text.includes(value));
  assert.deepEqual(spans.map((s) => [s.type, s.text]), [], `nothing expected in ${JSON.stringify(text)}`);
}

describe('privacy: detect', () => {
  it('finds every type, each in a line of its own', () => {
    const cases: [PhiType, string, string][] = [
      ['NAME', 'Patient: Eleanor Vandersloot', 'Eleanor Vandersloot'],
      ['ADDRESS', 'Address: 418 Quillfeather Road, Unit 2', '418 Quillfeather Road, Unit 2'],
      ['CITY', 'Son lives in Dunmore Crossing, VT.', 'Dunmore Crossing'],
      ['ZIP', 'Harlan Mills, PA 17384', '17384'],
      ['DATE', 'Admitted 10/27/2024.', '10/27/2024'],
      ['AGE', 'She is a 92-year-old woman.', '92'],
      ['PHONE', 'Cell (717) 555-0163.', '(717) 555-0163'],
      ['FAX', 'Office fax (717) 555-0199.', '(717) 555-0199'],
      ['EMAIL', 'Email: peggy.ostrowski@example.com', 'peggy.ostrowski@example.com'],
      ['SSN', 'SSN: 519-22-4078', '519-22-4078'],
      ['MRN', 'MRN: 00728814', '00728814'],
      ['HEALTH_PLAN', 'member ID KSA-884201937-01', 'KSA-884201937-01'],
      ['ACCOUNT', 'Account #: A-5531902467', 'A-5531902467'],
      ['LICENSE', "Driver's license: PA 27 481 906", '27 481 906'],
      ['VEHICLE', 'PA plate HGW-2093', 'HGW-2093'],
      ['DEVICE', 'generator serial no. RWX207718H', 'RWX207718H'],
      ['URL', 'See https://remotecheck.example.org/device/RWX207718H.', 'https://remotecheck.example.org/device/RWX207718H'],
      ['IP', 'origin IP 203.0.113.58]', '203.0.113.58'],
      ['OTHER_ID', 'CT head (accession CT24-7781920) negative', 'CT24-7781920'],
    ];
    assert.deepEqual(new Set(cases.map((c) => c[0])), new Set(PHI_TYPES));
    for (const [type, text, value] of cases) has(text, type, value);
  });

  it('reads dates in every format, with a weekday, and a month alone after a time word', () => {
    for (const d of ['03/04/2024', '3/4/24', '2024-03-04T10:00', '2024-03-04', '4 March', 'March 4th', 'Dec. 18, 2024', 'March 2015', '6/2021', '19-Mar-1947', '30.01.2026', '23/08/1961', 'Tue 10/14/2025', 'Wednesday, April 8, 2026', '2nd January']) {
      has(`Seen on ${d} in clinic.`, 'DATE', d);
    }
    has('Pain since May, worse in September.', 'DATE', 'May');
    has('Pain since May, worse in September.', 'DATE', 'September');
    has('INR on 3/4 was 2.1', 'DATE', '3/4');
  });

  it('leaves scores, ratios, fractions, vent settings and units alone', () => {
    none('Pain 7/10 at worst, improved to 3/10. Strength 4/5 in deltoids, 2/2 blood culture sets.');
    none('PS 10/5, PEEP 12/8, BP 120/80, carbidopa-levodopa 25/100 mg, 1/2 tab, SVE 3/70/-2.');
    none('Admit to 5 West, bed 22. GCS 15, MoCA 21/30, CURB-65 score 2, Wells score 4.5.');
    none('Year of diagnosis 2015; CKD stage 3b; G3P2002 at 36w2d.');
  });

  it('does not take eponyms or drugs for names, even when a person has that surname', () => {
    const text = 'Physical therapy (Calvin Parkinson, DPT) saw her. Parkinson disease, Murphy sign negative, Hoehn and Yahr stage 3.\nParkinson\'s disease is stable. Started Lasix.';
    assert.deepEqual(found(text), [['NAME', 'Calvin Parkinson']]);
  });

  it('finds names by title, label, relation and credential, and their later mentions', () => {
    has('seen by Dr. Anneliese Brandt today', 'NAME', 'Anneliese Brandt');
    has('cc: Hyun-woo Calloway, DO', 'NAME', 'Hyun-woo Calloway');
    has('her husband, Walter Vandersloot, died', 'NAME', 'Walter Vandersloot');
    has('Patient: DESROSIERS, Jean-Luc', 'NAME', 'DESROSIERS, Jean-Luc');
    has('grandmother, Inés Castellanos, died', 'NAME', 'Inés Castellanos');
    has('daughter Margaret Ostrowski ("Peggy") called', 'NAME', 'Peggy');
    const text = 'Neurologist: Dr. Anneliese Brandt.\nLater Brandt agreed.';
    assert.ok(detect(text).some((s) => s.text === 'Brandt' && s.start > text.indexOf('\n')));
  });

  it('uses a given-name dictionary when one is passed, for names with no cue beside them', () => {
    const text = 'Keisha Dunwoody came with Parkinson disease.';
    assert.deepEqual(found(text), []);
    assert.deepEqual(detect(text, { firstNames: new Set(['keisha']) }).map((s) => s.text), ['Keisha Dunwoody']);
  });

  it('checks digits where a number has a check digit', () => {
    assert.ok(isNpi('1234567893'));
    assert.ok(!isNpi('1234567890'));
    assert.ok(isNhsNumber('943 476 5919'));
    assert.ok(!isNhsNumber('943 476 5918'));
    assert.ok(isDea('BS1234563'));
    assert.ok(!isDea('BS1234564'));
    assert.ok(isPlausibleSsn('519-22-4078'));
    assert.ok(!isPlausibleSsn('666-22-4078') && !isPlausibleSsn('519-00-4078') && !isPlausibleSsn('900-22-4078'));
    has('NPI 1234567893', 'OTHER_ID', '1234567893');
    has('Prescriber DEA BS1234563', 'LICENSE', 'BS1234563');
  });

  it('gives UTF-16 offsets, exact after emoji and other non-BMP characters', () => {
    const text = '😄🤒 Mom 😷 says call Dr. Brandt 👍 at (717) 555-0148 on 𝟘 10/28/2024';
    for (const s of detect(text)) assert.equal(text.slice(s.start, s.end), s.text);
    has(text, 'NAME', 'Brandt');
    has(text, 'PHONE', '(717) 555-0148');
    has(text, 'DATE', '10/28/2024');
  });

  it('returns sorted spans that never overlap and never cross a line end', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'deid-sample.txt'), 'utf8');
    const spans: Span[] = detect(text);
    for (let i = 0; i < spans.length; i++) {
      assert.equal(text.slice(spans[i].start, spans[i].end), spans[i].text);
      assert.ok(!spans[i].text.includes('\n'));
      if (i > 0) assert.ok(spans[i - 1].end <= spans[i].start, `overlap at ${spans[i].start}`);
    }
    // A URL holding an id and an IP-like path is one URL span.
    has('https://pacs.example.org/viewer?study=1.2.840.113619&acc=RAD-2025-0047731', 'URL', 'https://pacs.example.org/viewer?study=1.2.840.113619&acc=RAD-2025-0047731');
  });

  it('finds every gold identifier character of the sample note', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'deid-sample.txt'), 'utf8');
    const gold = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'deid-sample.gold.json'), 'utf8')) as Span[];
    const covered = new Uint8Array(text.length);
    for (const s of detect(text)) covered.fill(1, s.start, s.end);
    const missed = gold.filter((g) => covered.subarray(g.start, g.end).includes(0)).map((g) => g.text);
    assert.deepEqual(missed, []);
  });
});
