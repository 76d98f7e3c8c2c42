// The stand-ins one by one (surrogates.ts): each type keeps the shape a reader and a model
// expect — a number of the same length and separators, a name in the same case, a street
// address with its suffix and unit, a place of the same kind — and is never the original.
// Checked over many seeds, so every word list and every branch is drawn from.
import * as assert from 'node:assert/strict';
import { caseLike, nameWord, scramble, seededRng, surrogate } from '../../../src/core/privacy/surrogates';
import type { PhiType } from '../../../src/core/privacy/types';

const SEEDS = 200;
/** The stand-ins of `original` under seeds 0..SEEDS-1. */
const draws = (type: PhiType, original: string) => Array.from({ length: SEEDS }, (_, s) => surrogate(type, original, seededRng(s)));
const distinct = (xs: string[]) => new Set(xs).size;

describe('privacy: stand-ins (surrogates)', () => {
  it('seededRng is mulberry32: the same seed gives the same numbers, in [0, 1), spread over the range', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    const xs = Array.from({ length: 2000 }, () => a());
    assert.deepEqual(xs.slice(0, 50), Array.from({ length: 50 }, () => b()));
    // mulberry32's first outputs for seed 1 and 0 (the published algorithm).
    assert.equal(seededRng(1)(), 0.6270739405881613);
    assert.equal(seededRng(0)(), 0.26642920868471265);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(mean > 0.45 && mean < 0.55, `mean ${mean}`);
    assert.ok(Math.min(...xs) < 0.01 && Math.max(...xs) > 0.99);
    assert.notEqual(seededRng(1)(), seededRng(2)());
    // The seed is read as 32 bits.
    assert.equal(seededRng(2 ** 32 + 5)(), seededRng(5)());
  });

  it('scramble keeps the shape: digits for digits, letters of the same case, everything else as it was', () => {
    const original = 'MRN-00728814/ab C9';
    for (let s = 0; s < SEEDS; s++) {
      const x = scramble(original, seededRng(s));
      assert.equal(x.length, original.length);
      assert.match(x, /^[A-Z]{3}-\d{8}\/[a-z]{2} [A-Z]\d$/);
    }
    const all = Array.from({ length: SEEDS }, (_, s) => scramble('00000000', seededRng(s)));
    // Every digit and every letter gets drawn.
    assert.equal(new Set(all.join('')).size, 10);
    assert.equal(new Set(Array.from({ length: SEEDS }, (_, s) => scramble('AAAA', seededRng(s))).join('')).size, 26);
    assert.ok(all.filter((x) => x === '00000000').length <= 1);
    assert.equal(scramble('é-ü', seededRng(1)).length, 3, 'letters outside ASCII count as letters');
    assert.match(scramble('é-Ü', seededRng(1)), /^[a-z]-[A-Z]$/);
  });

  it('caseLike: CAPITALS, Capitalized and lower follow the original; one capital letter is Capitalized', () => {
    assert.equal(caseLike('SMITH', 'Hobart'), 'HOBART');
    assert.equal(caseLike('smith', 'Hobart'), 'hobart');
    assert.equal(caseLike('Smith', 'Hobart'), 'Hobart');
    assert.equal(caseLike('A', 'Hobart'), 'Hobart');
    assert.equal(caseLike('a', 'Hobart'), 'hobart');
    assert.equal(caseLike('Ninety-four', 'ninety-two'), 'Ninety-two');
    assert.equal(caseLike('McDONALD', 'Hobart'), 'Hobart');
  });

  it('name words: a given name for a given name, a surname for a surname (double when hyphenated), an initial for an initial', () => {
    const given = Array.from({ length: SEEDS }, (_, s) => nameWord('Eleanor', true, seededRng(s)));
    const family = Array.from({ length: SEEDS }, (_, s) => nameWord('Vandersloot', false, seededRng(s)));
    for (const w of [...given, ...family]) assert.match(w, /^[A-Z][a-z]+$/);
    assert.ok(distinct(given) >= 40, `${distinct(given)} given names`);
    assert.ok(distinct(family) >= 40, `${distinct(family)} surnames`);
    // The two lists are different lists.
    assert.ok(given.every((g) => !family.includes(g)), 'a given name drawn as a surname');
    for (let s = 0; s < SEEDS; s++) {
      assert.match(nameWord('Smith-Jones', false, seededRng(s)), /^[A-Z][a-z]+-[A-Z][a-z]+$/);
      assert.match(nameWord('Anne-Marie', true, seededRng(s)), /^[A-Z][a-z]+$/, 'a hyphenated given name becomes one given name');
      assert.match(nameWord('J.', true, seededRng(s)), /^[A-Z]\.$/);
      assert.match(nameWord('VANDERSLOOT', false, seededRng(s)), /^[A-Z]+$/);
    }
    assert.ok(distinct(Array.from({ length: SEEDS }, (_, s) => nameWord('J.', true, seededRng(s)))) >= 20);
    assert.match(nameWord('j.', true, seededRng(1)), /^[a-z]+$/, 'a lower-case "j." is no initial: a lower-case name');
  });

  it('a street address: a house number no longer than the original, a new street name, the suffix kept, a unit scrambled', () => {
    for (const x of draws('ADDRESS', '742 Evergreen Terrace')) assert.match(x, /^\d{1,3} [A-Z][a-z]+ Terrace$/);
    for (const x of draws('ADDRESS', '12B N Elm St., Apt 4B')) assert.match(x, /^\d{1,2} [A-Z][a-z]+ St\., Apt \d[A-Z]$/);
    for (const x of draws('ADDRESS', '5 Long Acre Road Unit 12')) assert.match(x, /^\d [A-Z][a-z]+ Road Unit \d\d$/);
    const streets = draws('ADDRESS', '742 Evergreen Terrace').map((x) => x.split(' ')[1]);
    assert.ok(distinct(streets) >= 15, `${distinct(streets)} street names`);
    assert.ok(!streets.includes('Evergreen'));
    assert.ok(draws('ADDRESS', '742 Evergreen Terrace').some((x) => /^\d{3} /.test(x)), 'three-digit numbers drawn too');
  });

  it('a named place: new distinctive words, the same kind of place', () => {
    for (const x of draws('ADDRESS', 'Quillfeather Regional Medical Center')) assert.match(x, /^[A-Z][a-z]+ Regional Medical Center$/);
    for (const x of draws('ADDRESS', "St Brigid's Children's Hospital")) assert.match(x, /^[A-Z][a-z]+ Children's Hospital$/);
    for (const x of draws('ADDRESS', 'Harrowfield Pharmacy')) assert.match(x, /^[A-Z][a-z]+ Pharmacy$/);
    // No word saying what kind of place: one new word (the first word itself is never kept).
    for (const x of draws('ADDRESS', 'Quillfeather')) assert.match(x, /^[A-Z][a-z]+$/);
    for (const x of draws('ADDRESS', 'Hospital Quillfeather')) assert.match(x, /^[A-Z][a-z]+$/);
    assert.ok(distinct(draws('ADDRESS', 'Quillfeather')) >= 15);
  });

  it('an age over 89: 90 to 99, in digits or in words as the original was written', () => {
    const digits = draws('AGE', '94');
    for (const x of digits) assert.match(x, /^9\d$/);
    assert.equal(distinct(digits), 10);
    const words = draws('AGE', 'ninety-four');
    for (const x of words) assert.match(x, /^ninety(-(one|two|three|four|five|six|seven|eight|nine))?$/);
    assert.equal(distinct(words), 10);
    assert.ok(words.includes('ninety'));
    for (const x of draws('AGE', 'Ninety-Four')) assert.match(x, /^Ninety(-[a-z]+)?$/);
    for (const x of draws('AGE', 'NINETY')) assert.match(x, /^NINETY(-[A-Z]+)?$/);
  });

  it('contacts: an e-mail at example.org, a URL there keeping its scheme, documentation IP addresses', () => {
    for (const x of draws('EMAIL', 'evandersloot32@example.net')) assert.match(x, /^[a-z]+\.[a-z]+\d\d@example\.org$/);
    assert.ok(distinct(draws('EMAIL', 'a@b.org')) >= 150);
    for (const x of draws('URL', 'https://portal.quillfeather.org/patient/00728814')) assert.match(x, /^https:\/\/example\.org\/r\/[a-z]{4}\d{4}$/);
    for (const x of draws('URL', 'HTTP://portal.example.net')) assert.match(x, /^HTTP:\/\/example\.org\/r\/[a-z]{4}\d{4}$/);
    for (const x of draws('URL', 'portal.quillfeather.org/x')) assert.match(x, /^example\.org\/r\/[a-z]{4}\d{4}$/);
    const v4 = draws('IP', '203.0.113.58');
    for (const x of v4) {
      const m = /^192\.0\.2\.(\d+)$/.exec(x);
      assert.ok(m && Number(m[1]) >= 1 && Number(m[1]) <= 254, x);
    }
    assert.ok(distinct(v4) >= 100);
    for (const x of draws('IP', 'fe80::1ff:fe23:4567:890a')) assert.match(x, /^2001:db8::[0-9a-f]{1,4}$/);
  });

  it('numbers: an SSN in the never-issued 9xx area, phone and fax keep their trunk prefix, other identifiers keep their shape', () => {
    for (const x of draws('SSN', '519-22-4078')) assert.match(x, /^9\d\d-\d\d-\d{4}$/);
    for (const x of draws('PHONE', '+44 20 7946 0958')) assert.match(x, /^\+44 \d\d \d{4} \d{4}$/);
    for (const x of draws('PHONE', '(555) 010-4477')) assert.match(x, /^\(\d{3}\) \d{3}-\d{4}$/);
    for (const x of draws('FAX', '020 7946 0958')) assert.match(x, /^0\d\d \d{4} \d{4}$/);
    for (const x of draws('PHONE', '+1-555-010-4477')) assert.match(x, /^\+1-\d{3}-\d{3}-\d{4}$/);
    assert.ok(draws('PHONE', '+44 20 7946 0958').filter((x) => x === '+44 20 7946 0958').length === 0);
    for (const x of draws('MRN', 'AB-00728814')) assert.match(x, /^[A-Z]{2}-\d{8}$/);
    for (const x of draws('LICENSE', 'lic 4471-x')) assert.match(x, /^[a-z]{3} \d{4}-[a-z]$/);
  });

  it('a city: one of the invented towns, many of them', () => {
    const towns = draws('CITY', 'Springfield');
    for (const x of towns) assert.match(x, /^[A-Z][a-z]+( [A-Z][a-z]+)?$/);
    assert.ok(distinct(towns) >= 15, `${distinct(towns)} towns`);
    assert.ok(towns.some((t) => t.includes(' ')) && towns.some((t) => !t.includes(' ')));
  });
});
