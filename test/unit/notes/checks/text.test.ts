import * as assert from 'node:assert/strict';
import { perLine, phraseRegex, wordsOf } from '../../../../src/core/notes/checks/text';
import { line } from './lines';

describe('notes/checks/text: the helpers the rules share', () => {
  it('wordsOf: lower-cased words, possessives dropped, inner hyphens and slashes kept', () => {
    assert.deepEqual(wordsOf("Patient's L-knee and/or O’Brien’s").map((w) => [w.w, w.raw]), [
      ['patient', "Patient's"], ['l-knee', 'L-knee'], ['and/or', 'and/or'], ['o’brien', 'O’Brien’s'],
    ]);
    assert.deepEqual(wordsOf('the s is').map((w) => w.w), ['the', 's', 'is'], 'only a trailing \'s is a possessive');
  });

  it('wordsOf: a clause ends at . ; : ! ? and brackets, but not at a decimal point', () => {
    const clauses = (t: string) => wordsOf(t).map((w) => `${w.w}${w.clause}`).join(' ');
    assert.equal(clauses('left knee. right hip; pain: none! ok? (aside) end'), 'left0 knee0 right1 hip1 pain2 none3 ok4 aside6 end7');
    assert.equal(clauses('creatinine 1.4 mg stable'), 'creatinine0 10 40 mg0 stable0');
    // A point with a digit on one side only ends the clause.
    assert.equal(clauses('dose 2. then more'), 'dose0 20 then1 more1');
    assert.equal(clauses('v.2 again'), 'v0 21 again1');
    assert.equal(clauses('.5 and'), '51 and1');
  });

  it('wordsOf: marks a word right after a number ("2 L"), looking back over spaces only', () => {
    const after = (t: string) => wordsOf(t).filter((w) => w.afterNumber).map((w) => w.w);
    // "10mg" is one word; "5, left" has a comma between.
    assert.deepEqual(after('2 L NC, 3   days, 10mg; x2 R; 5, left'), ['l', 'days', 'r']);
  });

  it('wordsOf: stops at the word limit', () => {
    assert.equal(wordsOf('a b c d e', 3).length, 3);
    assert.equal(wordsOf('w '.repeat(500)).length, 400, 'the default limit');
    assert.equal(wordsOf('a b c', 3).length, 3);
  });

  it('perLine: computes once per line object, again for another', () => {
    let calls = 0;
    const length = perLine((l) => (calls++, l.text.length));
    const a = line('left knee');
    assert.equal(length(a), 9);
    assert.equal(length(a), 9);
    assert.equal(calls, 1);
    assert.equal(length(line('hip')), 3);
    assert.equal(calls, 2);
  });

  it('phraseRegex: whole words only, longest first, spaces match any run of spaces, specials literal', () => {
    const re = phraseRegex(['in', 'in situ', 'c.diff', 'a+b']);
    assert.deepEqual('carcinoma in  situ; c.diff; a+b; within; in-situ; cxdiff'.match(re), ['in  situ', 'c.diff', 'a+b']);
    assert.equal(re.flags, 'gi');
    assert.equal(phraseRegex(['x'], 'i').flags, 'i');
  });
});
