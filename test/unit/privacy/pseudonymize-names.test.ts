// The Pseudonymizer's own rules, given the spans (detect() is tested apart): names word by word
// (given name or surname by position, case, initials, possessives), one stand-in per original
// across texts, recall of earlier identifiers, the date offset and day-first dates, overlapping
// and multi-line spans, and what the object shows of itself.
import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { Pseudonymizer } from '../../../src/core/privacy/pseudonymize';
import { nameWord, seededRng } from '../../../src/core/privacy/surrogates';
import type { PhiType, Span } from '../../../src/core/privacy/types';

/** Every word nameWord can draw, given names and surnames apart. */
const words = (given: boolean) => new Set(Array.from({ length: 3000 }, (_, s) => nameWord('Smith', given, seededRng(s))));
const GIVEN = words(true);
const FAMILY = words(false);

/** Spans for each `[type, text]`, found in order in `text`. */
function spansOf(text: string, ...found: Array<[PhiType, string]>): Span[] {
  let from = 0;
  return found.map(([type, t]) => {
    const start = text.indexOf(t, from);
    assert.ok(start >= 0, `${t} not in the text`);
    from = start + t.length;
    return { start, end: start + t.length, type, text: t };
  });
}

describe('privacy: the pseudonymizer, span by span', () => {
  it('a name: the word before the surname is a given name; "SURNAME, Given" reads the other way; one word alone is a surname', () => {
    for (let seed = 0; seed < 50; seed++) {
      const p = new Pseudonymizer({ seed });
      const a = 'Seen by Eleanor Vandersloot.';
      const [given, family] = p.pseudonymize(a, spansOf(a, ['NAME', 'Eleanor Vandersloot'])).spans[0].replacement.split(' ');
      assert.ok(GIVEN.has(given), `${given} is no given name (seed ${seed})`);
      assert.ok(FAMILY.has(family), `${family} is no surname (seed ${seed})`);
      const q = new Pseudonymizer({ seed });
      const b = 'Patient: VANDERSLOOT, Eleanor.';
      const [fam2, giv2] = q.pseudonymize(b, spansOf(b, ['NAME', 'VANDERSLOOT, Eleanor'])).spans[0].replacement.split(', ');
      assert.ok(FAMILY.has(fam2[0] + fam2.slice(1).toLowerCase()) && fam2 === fam2.toUpperCase(), `${fam2} (seed ${seed})`);
      assert.ok(GIVEN.has(giv2), `${giv2} (seed ${seed})`);
      const c = 'Ask Vandersloot.';
      assert.ok(FAMILY.has(new Pseudonymizer({ seed }).pseudonymize(c, spansOf(c, ['NAME', 'Vandersloot'])).spans[0].replacement));
    }
  });

  it('each word keeps its stand-in everywhere: alone, in capitals, with a possessive, in a later text; an initial stays an initial', () => {
    const p = new Pseudonymizer({ seed: 7 });
    const a = 'Eleanor Vandersloot, E. Vandersloot and VANDERSLOOT; Vandersloot’s daughter and Vandersloot\'s son.';
    const r = p.pseudonymize(a, spansOf(a, ['NAME', 'Eleanor Vandersloot'], ['NAME', 'E. Vandersloot'], ['NAME', 'VANDERSLOOT'], ['NAME', 'Vandersloot’s'], ['NAME', "Vandersloot's"]));
    const [given, family] = r.spans[0].replacement.split(' ');
    assert.match(r.spans[1].replacement, new RegExp(`^[A-Z]\\. ${family}$`));
    assert.notEqual(r.spans[1].replacement, `E. ${family}`.replace(/^E/, 'X'), 'an initial of a letter');
    assert.equal(r.spans[2].replacement, family.toUpperCase());
    assert.equal(r.spans[3].replacement, `${family}’s`);
    assert.equal(r.spans[4].replacement, `${family}'s`);
    assert.ok(!r.text.includes('Vandersloot') && !r.text.includes('VANDERSLOOT') && !r.text.includes('Eleanor'));
    const b = 'Is Eleanor better?';
    assert.equal(p.pseudonymize(b, spansOf(b, ['NAME', 'Eleanor'])).text, `Is ${given} better?`);
    // The restorer reads every form back.
    const restore = p.restorer();
    assert.equal(restore.restore(`${given} ${family} (${family.toUpperCase()}) and ${family}'s son`), 'Eleanor Vandersloot (VANDERSLOOT) and Vandersloot\'s son');
  });

  it('the same original of a type gets the same stand-in; the same text of another type its own; distinct originals distinct stand-ins', () => {
    const p = new Pseudonymizer({ seed: 3 });
    const t = 'MRN 00728814, account 00728814, MRN 00728815, again MRN 00728814.';
    const r = p.pseudonymize(t, spansOf(t, ['MRN', '00728814'], ['ACCOUNT', '00728814'], ['MRN', '00728815'], ['MRN', '00728814']));
    const [mrn, account, other, again] = r.spans.map((s) => s.replacement);
    assert.equal(again, mrn);
    assert.notEqual(account, mrn);
    assert.notEqual(other, mrn);
    for (const x of [mrn, account, other]) assert.match(x, /^\d{8}$/);
    assert.equal(p.size, 3);
    assert.equal(p.restorer().restore(`${mrn} ${account} ${other}`), '00728814 00728814 00728815');
  });

  it('overlapping spans: the first wins, the one inside it is skipped; spans given out of order are applied in order', () => {
    const p = new Pseudonymizer({ seed: 4 });
    const t = 'Call 555-010-4477 or mail a@b.org today.';
    const spans = spansOf(t, ['PHONE', '555-010-4477'], ['EMAIL', 'a@b.org']);
    const inner: Span = { start: spans[0].start + 4, end: spans[0].start + 7, type: 'ZIP', text: '010' };
    const r = p.pseudonymize(t, [spans[1], inner, spans[0]]);
    assert.deepEqual(r.spans.map((s) => s.type), ['PHONE', 'EMAIL']);
    assert.match(r.text, /^Call \d{3}-\d{3}-\d{4} or mail [a-z]+\.[a-z]+\d\d@example\.org today\.$/);
  });

  it('a span holding a line break keeps it: the line count and the lines around it stay', () => {
    const p = new Pseudonymizer({ seed: 5 });
    const t = 'MRN 0072\n8814 end';
    const r = p.pseudonymize(t, [{ start: 4, end: 13, type: 'MRN', text: '0072\n8814' }]);
    assert.match(r.text, /^MRN \d{4}\n\d{4} end$/);
    assert.ok(!r.text.includes('0072') || !r.text.includes('8814'));
  });

  it('dates move by the given days; by default 30 to 365 days, back or forward, the same for every date', () => {
    const t = 'Seen 03/04/2024, again 03/14/2024.';
    const r = new Pseudonymizer({ seed: 1, dateShiftDays: 10 }).pseudonymize(t, spansOf(t, ['DATE', '03/04/2024'], ['DATE', '03/14/2024']));
    assert.equal(r.text, 'Seen 03/14/2024, again 03/24/2024.');
    const signs = new Set<number>();
    for (let seed = 0; seed < 100; seed++) {
      const x = new Pseudonymizer({ seed }).pseudonymize(t, spansOf(t, ['DATE', '03/04/2024'], ['DATE', '03/14/2024']));
      const [a, b] = x.spans.map((s) => Date.parse(s.replacement));
      const shift = (a - Date.parse('2024-03-04')) / 86_400_000;
      assert.ok(Math.abs(Math.round(shift)) >= 30 && Math.abs(Math.round(shift)) <= 365, `seed ${seed}: ${shift} days`);
      assert.equal(Math.round((b - a) / 86_400_000), 10, 'the interval survives');
      signs.add(Math.sign(shift));
    }
    assert.deepEqual([...signs].sort(), [-1, 1]);
  });

  it('one day-first date (23/08/1961) makes every numeric date of that text day-first, and of the answer', () => {
    const p = new Pseudonymizer({ seed: 1, dateShiftDays: 1 });
    const t = 'Born 23/08/1961, seen 03/04/2024.';
    assert.equal(p.pseudonymize(t, spansOf(t, ['DATE', '23/08/1961'], ['DATE', '03/04/2024'])).text, 'Born 24/08/1961, seen 04/04/2024.');
    // The restorer unshifts the model's own dates day-first. (A later text is read by its own dates:
    // reading it day-first too would turn its US dates, 10/30, into no date at all.)
    assert.equal(p.restorer().restore('The model wrote 10/04/2024.'), 'The model wrote 09/04/2024.');
    const us = new Pseudonymizer({ seed: 1, dateShiftDays: 1 });
    assert.equal(us.pseudonymize('seen 03/04/2024.', spansOf('seen 03/04/2024.', ['DATE', '03/04/2024'])).text, 'seen 03/05/2024.');
  });

  it('the restorer unshifts the model\'s own dates only once dates were shifted, and not when the model read real dates', () => {
    const p = new Pseudonymizer({ seed: 1, dateShiftDays: 30 });
    assert.equal(p.restorer().restore('On March 10, 2024.'), 'On March 10, 2024.', 'no date shifted yet');
    p.pseudonymize('seen 03/04/2024', spansOf('seen 03/04/2024', ['DATE', '03/04/2024']));
    assert.equal(p.restorer().restore('On April 13, 2024.'), 'On March 14, 2024.');
    assert.equal(p.restorer({ unshiftDates: false }).restore('On April 13, 2024.'), 'On April 13, 2024.');
  });

  it('recall finds earlier identifiers alone in a later text (not dates, ages or words under 3 letters), around the spans already found', () => {
    const p = new Pseudonymizer({ seed: 2 });
    const a = 'Dr. Hobart saw Al Quillfeather (age 94) on 03/04/2024 at Ivesley Clinic.';
    p.pseudonymize(a, spansOf(a, ['NAME', 'Hobart'], ['NAME', 'Al Quillfeather'], ['AGE', '94'], ['DATE', '03/04/2024'], ['ADDRESS', 'Ivesley Clinic']));
    const later = 'Hobart and Quillfeather agree; Al is 94 since 03/04/2024; Ivesley Clinic called; Hobarton is a town; MRN 5.';
    const given = spansOf(later, ['MRN', '5']);
    const found = p.recall(later, given);
    assert.deepEqual(found.map((s) => [s.type, s.text]), [['NAME', 'Hobart'], ['NAME', 'Quillfeather'], ['ADDRESS', 'Ivesley Clinic'], ['MRN', '5']]);
    for (const s of found) assert.equal(later.slice(s.start, s.end), s.text);
    // A span already there is not found twice.
    const twice = p.recall(later, spansOf(later, ['NAME', 'Hobart']));
    assert.equal(twice.filter((s) => s.text === 'Hobart').length, 1);
    assert.deepEqual(new Pseudonymizer({ seed: 1 }).recall(later, given), given, 'nothing replaced yet: the spans as given');
  });

  it('recall leaves an eponym alone: "Parkinson disease" when a therapist named Parkinson was replaced', () => {
    const p = new Pseudonymizer({ seed: 3 });
    const a = 'Physical therapy (Calvin Parkinson, DPT) saw her.';
    p.pseudonymize(a, spansOf(a, ['NAME', 'Calvin Parkinson']));
    const later = "Parkinson disease, Parkinson's disease; Parkinson said the walker helps.";
    assert.deepEqual(
      p.recall(later, []).map((s) => [s.start, s.text]),
      [[later.lastIndexOf('Parkinson'), 'Parkinson']],
    );
  });

  it('shows only how many stand-ins it holds: printed, logged as JSON, inspected', () => {
    const p = new Pseudonymizer({ seed: 9 });
    const t = 'Eleanor Vandersloot, MRN 00728814.';
    p.pseudonymize(t, spansOf(t, ['NAME', 'Eleanor Vandersloot'], ['MRN', '00728814']));
    const n = p.size;
    assert.ok(n >= 3, `${n}`);
    assert.equal(JSON.stringify(p), `{"stand_ins":${n}}`);
    assert.equal(inspect(p), `Pseudonymizer { ${n} stand-ins }`);
    assert.doesNotMatch(`${JSON.stringify(p)} ${inspect(p, { showHidden: true })}`, /Vandersloot|00728814|Eleanor/);
  });
});
