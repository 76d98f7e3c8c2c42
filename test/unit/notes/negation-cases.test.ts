// scanNegation over sentences chosen for what a mutation run of negation.ts showed untested:
// "neg"/"negative" before or after, the preposition that ends an item's head, test words,
// the five-word reach backwards and what stops it, the longer cue winning, "non", a second cue
// in scope, "/" between items. Each expectation is what a clinician reads in the sentence.
import * as assert from 'node:assert/strict';
import { scanNegation } from '../../../src/core/notes/negation';

const CASES: [string, string[][], string[]][] = [
  ['neg CTA today', [['cta']], []],
  ['CTA neg.', [['cta']], []],
  ['Troponin negative.', [['troponin']], []],
  ['Denies pain in her knees', [['pain']], []],
  ['Negative for influenza antigen', [['influenza']], []],
  ['No swab', [['swab']], []],
  ['alpha beta gamma delta epsilon zeta PE ruled out', [['gamma', 'delta', 'epsilon', 'zeta', 'pe']], ['alpha', 'beta']],
  ['Fever, PE ruled out', [['pe']], ['fever']],
  ['Fever but PE ruled out', [['pe']], ['fever']],
  ['PE ruled out', [['pe']], []],
  ['Negative for flu', [['flu']], []],
  ['Non smoker with cough', [['smoker']], ['cough']],
  ['No fever nor chills', [['fever'], ['chill']], []],
  ['No fever, no chills', [['fever'], ['chill']], []],
  ['Denies nausea/vomiting', [['nausea'], ['vomit']], []],
  ['No fever; cough present', [['fever']], ['cough', 'present']],
  ['Patient has no rash which itches', [['rash']], ['itch']],
  ['Blood cultures were negative', [['blood', 'cultur']], []],
  ['No evidence of DVT or PE', [['dvt'], ['pe']], []],
];

describe('negation: sentence by sentence', () => {
  for (const [text, negated, affirmed] of CASES) {
    it(text, () => {
      assert.deepEqual(scanNegation(text), { negated, affirmed });
    });
  }

  it('a phrase that only looks negative ends the scope before it: what follows is affirmed', () => {
    const r = scanNegation('No fever no longer coughing');
    assert.deepEqual(r.negated, [['fever']]);
    assert.ok(r.affirmed.includes('cough'), JSON.stringify(r));
  });
});
