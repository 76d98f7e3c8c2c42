// What a sentence negates (core/notes/negation.ts), item by item: the scope of a cue, where it
// ends, the cues that come after what they negate, and the phrases that only look negative.
import * as assert from 'node:assert/strict';
import { scanNegation, talksAboutEvaluation } from '../../../src/core/notes/negation';
import { stem } from '../../../src/core/notes/terms';

const stems = (...words: string[]) => words.map((w) => stem(w.toLowerCase()));
const negated = (text: string) => scanNegation(text).negated;
const affirmed = (text: string) => scanNegation(text).affirmed;

describe('notes/negation', () => {
  it('splits a negated list into its items', () => {
    assert.deepEqual(negated('Denies fever, chills, or weight loss.'), [stems('fever'), stems('chills'), stems('weight', 'loss')]);
    assert.deepEqual(negated('No evidence of pulmonary embolism'), [stems('pulmonary', 'embolism')]);
  });

  it('ends the scope at "but" and at clause punctuation: what follows is affirmed', () => {
    assert.deepEqual(negated('No fever but productive cough'), [stems('fever')]);
    assert.ok(affirmed('No fever but productive cough').includes(stem('cough')));
    assert.deepEqual(negated('No chest pain; reports dyspnea on exertion'), [stems('chest', 'pain')]);
    assert.ok(affirmed('No chest pain; reports dyspnea on exertion').includes(stem('dyspnea')));
    assert.deepEqual(negated('Without edema, however rales at both bases'), [stems('edema')]);
  });

  it('reads cues written after what they negate, through a colon or a copula', () => {
    assert.deepEqual(negated('MRSA nares PCR: negative'), [stems('mrsa')]);
    assert.deepEqual(negated('Blood cultures were negative'), [stems('blood', 'cultures')]);
    assert.deepEqual(negated('PE ruled out'), [stems('pe')]);
  });

  it('"negative" before a finding negates forward', () => {
    assert.deepEqual(negated('negative CTA for dissection'), [stems('cta')]);
  });

  it('phrases that only look negative negate nothing', () => {
    for (const text of ['No longer smoking', 'No change in the effusion', 'Walks without difficulty']) {
      assert.deepEqual(negated(text), [], text);
    }
  });

  it('a scope is at most twelve words', () => {
    const long = `No ${Array.from({ length: 14 }, (_, i) => `word${String.fromCharCode(97 + i)}`).join(' ')}`;
    const [item] = negated(long);
    assert.equal(item.length, 12);
  });

  it('talking about looking for something is not claiming it', () => {
    assert.ok(talksAboutEvaluation('CT ordered to rule out PE'));
    assert.ok(talksAboutEvaluation('Concern for sepsis'));
    assert.ok(!talksAboutEvaluation('Pulmonary embolism on CT'));
  });
});
