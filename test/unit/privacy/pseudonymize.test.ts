import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { shiftDate } from '../../../src/core/privacy/date-shift';
import { detect } from '../../../src/core/privacy/detect';
import { Pseudonymizer } from '../../../src/core/privacy/pseudonymize';
import { Restorer } from '../../../src/core/privacy/restore';
import { PrivacyError } from '../../../src/core/privacy/types';

const SAMPLE = fs.readFileSync(path.resolve(__dirname, '../../fixtures/notes/deid-sample.txt'), 'utf8');
const DAY = 86_400_000;

describe('privacy: pseudonymize', () => {
  it('an age over 89 never keeps its own number, even when every other stand-in occurs in the note', () => {
    // Ages 90-99 have ten stand-ins; a note holding all of them leaves none "new": the original
    // must still not come back (a gate-sim run sent "at age 94" as written this way).
    const note = 'Scores: 90 91 92 93 94 95 96 97 98 99.\nHer husband died at age 94; she is 92 years old.';
    for (let seed = 0; seed < 300; seed++) {
      const r = new Pseudonymizer({ seed }).pseudonymize(note);
      const ages = r.spans.filter((s) => s.type === 'AGE');
      assert.deepEqual(ages.map((s) => s.text), ['94', '92'], `seed ${seed}`);
      for (const s of ages) assert.notEqual(s.replacement, s.text, `seed ${seed}: ${s.text} kept`);
      assert.notEqual(ages[0].replacement, ages[1].replacement, `seed ${seed}: two ages, one stand-in`);
    }
  });

  it('replaces every detected span, keeps the line count and leaves no original behind', () => {
    const p = new Pseudonymizer({ seed: 1 });
    const r = p.pseudonymize(SAMPLE);
    assert.equal(r.text.split('\n').length, SAMPLE.split('\n').length);
    for (const s of r.spans) {
      assert.equal(SAMPLE.slice(s.start, s.end), s.text);
      assert.notEqual(s.replacement, s.text);
      assert.ok(!s.replacement.includes('\n'));
    }
    for (const original of ['Vandersloot', 'Ostrowski', '519-22-4078', '00728814', 'evandersloot32@example.net', '203.0.113.58', 'Quillfeather', '02/11/1932']) {
      assert.ok(!r.text.includes(original), `${original} left in the text`);
    }
    // Clinical content stays.
    assert.match(r.text, /Parkinson disease, Hoehn and Yahr stage 3/);
    assert.match(r.text, /carbidopa-levodopa 25\/100 mg/);
  });

  it('is consistent across a conversation: same person, same stand-in; name words alone too', () => {
    const p = new Pseudonymizer({ seed: 2 });
    const a = p.pseudonymize('Patient: Eleanor Vandersloot, MRN 00728814, seen 10/27/2024.');
    const b = p.pseudonymize('Is Mrs. Vandersloot (MRN 00728814) better since 10/27/2024? Ask Eleanor Vandersloot.');
    const surname = a.spans.find((s) => s.type === 'NAME')!.replacement.split(' ')[1];
    assert.ok(b.text.includes(`Mrs. ${surname} `));
    const full = a.spans.find((s) => s.type === 'NAME')!.replacement;
    assert.ok(b.text.includes(full));
    const mrn = a.spans.find((s) => s.type === 'MRN')!.replacement;
    assert.ok(b.text.includes(mrn));
    const date = a.spans.find((s) => s.type === 'DATE')!.replacement;
    assert.ok(b.text.includes(date));
  });

  it('moves all dates by one offset, so order and intervals survive', () => {
    const p = new Pseudonymizer({ seed: 3 });
    const r = p.pseudonymize('Admitted 10/27/2024, discharged 11/01/2024, follow-up 11/19/2024.');
    const days = r.spans.map((s) => Date.parse(s.replacement));
    const orig = r.spans.map((s) => Date.parse(s.text));
    assert.equal(days.length, 3);
    assert.equal((days[1] - days[0]) / DAY, (orig[1] - orig[0]) / DAY);
    assert.equal((days[2] - days[1]) / DAY, (orig[2] - orig[1]) / DAY);
    assert.notEqual(days[0], orig[0]);
  });

  it('shifts each date format in its own format', () => {
    assert.equal(shiftDate('03/04/2024', 10), '03/14/2024');
    assert.equal(shiftDate('3/4', 30), '4/3');
    assert.equal(shiftDate('2024-03-04T10:00', -4), '2024-02-29T10:00');
    assert.equal(shiftDate('March 4th', 29), 'April 2nd');
    assert.equal(shiftDate('Dec. 18, 2024', 14), 'Jan. 1, 2025');
    assert.equal(shiftDate('Tue 10/14/2025', 1), 'Wed 10/15/2025');
    assert.equal(shiftDate('23/08/1961', 10, true), '02/09/1961');
    assert.equal(shiftDate('March 2015', 31), 'April 2015');
  });

  it('never shows the mapping when printed or serialized', () => {
    const p = new Pseudonymizer({ seed: 4 });
    p.pseudonymize('Patient: Eleanor Vandersloot');
    assert.doesNotMatch(inspect(p, { depth: 5 }), /Vandersloot/);
    assert.doesNotMatch(JSON.stringify(p), /Vandersloot/);
  });

  it('restores a whole pseudonymized note exactly', () => {
    const p = new Pseudonymizer({ seed: 5 });
    const r = p.pseudonymize(SAMPLE);
    assert.equal(p.restorer().restore(r.text), SAMPLE);
  });

  it('accepts spans from the caller (e.g. after a user unticked one)', () => {
    const p = new Pseudonymizer({ seed: 6 });
    const text = 'Dr. Brandt saw her on 10/27/2024.';
    const spans = detect(text).filter((s) => s.type !== 'DATE');
    assert.match(p.pseudonymize(text, spans).text, /on 10\/27\/2024\.$/);
  });
});

describe('privacy: Restorer', () => {
  const map = new Map([
    ['Alden Hobart', 'Eleanor Vandersloot'],
    ['Hobart', 'Vandersloot'],
    ['Alden', 'Eleanor'],
    ['09/14/2024', '10/27/2024'],
    ['Ann', 'Peggy'],
  ]);
  const answer = 'Mrs. Hobart (Alden Hobart) was admitted 09/14/2024. Hobarton is a town; Ann and Annie 😄 met Alden. Hobart';

  it('restores a streamed answer identically at every split point, and every two', () => {
    const whole = new Restorer(map).restore(answer);
    assert.equal(whole, 'Mrs. Vandersloot (Eleanor Vandersloot) was admitted 10/27/2024. Hobarton is a town; Peggy and Annie 😄 met Eleanor. Vandersloot');
    for (let i = 0; i <= answer.length; i++) {
      const r = new Restorer(map);
      assert.equal(r.push(answer.slice(0, i)) + r.push(answer.slice(i)) + r.end(), whole, `split at ${i}`);
      for (let j = i; j <= answer.length; j += 7) {
        const q = new Restorer(map);
        assert.equal(q.push(answer.slice(0, i)) + q.push(answer.slice(i, j)) + q.push(answer.slice(j)) + q.end(), whole, `split at ${i}, ${j}`);
      }
    }
  });

  it('holds back only what could start a stand-in', () => {
    const r = new Restorer(map);
    assert.equal(r.push('Seen by Dr. Hob'), 'Seen by Dr. ');
    assert.equal(r.push('art today; plain text'), 'Vandersloot today; plain text');
    assert.equal(r.push(' and A'), ' and ');
    assert.equal(r.end(), 'A');
    assert.throws(() => r.push('x'), PrivacyError);
  });

  it('restores one character at a time', () => {
    const r = new Restorer(map);
    let out = '';
    for (const ch of answer) out += r.push(ch);
    assert.equal(out + r.end(), new Restorer(map).restore(answer));
  });
});

describe('privacy: dates the model writes in its own words', () => {
  const note = 'Patient: Eleanor Vandersloot\nAdmitted 10/15/2024, seen by Dr. Hobart; pain 3/10.\nFollow-up 11/01/2024.';
  function setUp() {
    const p = new Pseudonymizer({ seed: 5, dateShiftDays: 100 });
    const sent = p.pseudonymize(note).text;
    assert.match(sent, /Admitted 01\/23\/2025/);
    const doctor = /by Dr\. (\p{Lu}\p{Ll}+)/u.exec(sent)![1];
    return { p, doctor };
  }

  it('a shifted date in another format, or one the model worked out, is moved back', () => {
    const { p, doctor } = setUp();
    const answer = `Admitted on January 23rd, 2025 (Jan 23) by Dr. ${doctor}; follow-up on 02/09/2025, next visit planned for 3/1/2025. Pain 3/10.`;
    assert.equal(
      p.restorer().restore(answer),
      'Admitted on October 15th, 2024 (Oct 15) by Dr. Hobart; follow-up on 11/01/2024, next visit planned for 11/21/2024. Pain 3/10.',
    );
  });

  it('streamed: the same text at every split point; what waits is the last 40 characters or a date', () => {
    const { p, doctor } = setUp();
    const answer = `Dr. ${doctor} admitted her on January 23, 2025 and saw her again on 02/09/2025 with a long sentence after it.`;
    const whole = p.restorer().restore(answer);
    assert.match(whole, /Dr\. Hobart admitted her on October 15, 2024 and saw her again on 11\/01\/2024/);
    for (let i = 0; i <= answer.length; i++) {
      const r = p.restorer();
      assert.equal(r.push(answer.slice(0, i)) + r.push(answer.slice(i)) + r.end(), whole, `split at ${i}`);
    }
    // Waiting: 40 characters, or back to the start of a date that may still grow.
    const r = p.restorer();
    const plain = 'x'.repeat(200);
    assert.equal(r.push(plain).length, 160);
    // 40 back from the end falls inside the date: the text stops before it.
    assert.equal(r.push(` on 02/09/2025${'y'.repeat(35)}`), `${'x'.repeat(40)} on `);
    assert.equal(r.end(), `11/01/2024${'y'.repeat(35)}`);
  });

  it('a text without shifted dates leaves the model\'s dates alone', () => {
    const p = new Pseudonymizer({ seed: 5, dateShiftDays: 100 });
    p.pseudonymize('Seen by Dr. Hobart.');
    assert.equal(p.restorer().restore('The trial ran from March 2020 to 06/30/2021.'), 'The trial ran from March 2020 to 06/30/2021.');
  });
});
