// Scores of one model's summaries (src/core/eval/summary-scores.ts): counts that add up, reasons
// by the check that flagged them, failures counted apart, and reference coverage by content words.
import * as assert from 'node:assert/strict';
import type { CheckedStatement } from '../../../src/core/notes/citations';
import type { SummaryResult } from '../../../src/core/notes/summarize';
import { contentWords, COVER_SHARE, covers, referenceStatements, scoreModel } from '../../../src/core/eval/summary-scores';

function statement(text: string, o: Partial<CheckedStatement> = {}): CheckedStatement {
  return { text, lines: [{ start: 1, end: 1 }], span: [0, 0], supported: true, ...o } as CheckedStatement;
}

function result(statements: CheckedStatement[], totalTokens?: number): SummaryResult {
  return {
    summary: '',
    statements,
    parts: 1,
    finishReason: 'stop',
    model: 'm',
    usage: totalTokens === undefined ? undefined : { promptTokens: 0, completionTokens: 0, totalTokens },
    partial: false,
    range: [1, 10],
    cutParts: [],
  };
}

describe('eval: summary scores', () => {
  it('counts statements, citations, verified and unsupported by reason; a failed note counts apart', () => {
    const s = scoreModel('base', [
      {
        note: 'a.txt',
        seconds: 1.25,
        result: result(
          [
            statement('Type 2 diabetes.'),
            statement('No chest pain.', { supported: false, kind: 'negation', reason: 'negated' }),
            statement('Metformin 1000 mg.', { supported: false, kind: 'number', reason: 'number' }),
            statement('Uncited claim.', { lines: [], supported: false, kind: 'no-citation' }),
          ],
          500,
        ),
      },
      { note: 'b.txt', seconds: 0.5, result: result([statement('HTN.'), statement('CKD 3a.', { supported: false, kind: 'number' }), statement('x', { supported: false })], 300) },
      { note: 'c.txt', seconds: 0.25, error: 'server down' },
      { note: 'd.txt', seconds: 0.1, result: result([]) },
    ]);
    assert.deepEqual(s, {
      model: 'base',
      notes: 4,
      failed: 1,
      statements: 7,
      cited: 6,
      verified: 2,
      unsupported: 5,
      byReason: { negation: 1, number: 2, 'no-citation': 1, other: 1 },
      tokens: 800,
      seconds: 2.1,
    });
  });

  it('content words: lowercased, stop words and trailing punctuation out, numbers (thousands without commas) and units kept', () => {
    assert.deepEqual([...contentWords('The patient takes Metformin 1,000 mg BID; eGFR 52.')], ['patient', 'takes', 'metformin', '1000', 'mg', 'bid', 'egfr', '52']);
    assert.deepEqual([...contentWords('— of the —')], []);
    assert.deepEqual([...contentWords('— … —')], []);
    assert.deepEqual([...contentWords('dose 1,5 then 12,500')], ['dose', '1', '5', '12500']);
    assert.deepEqual([...contentWords('BP 140/85, HR 78, 5%.')], ['bp', '140/85', 'hr', '78', '5']);
  });

  it('a reference statement is covered when one statement holds the share of its words, not when they are spread', () => {
    assert.equal(COVER_SHARE, 0.6);
    const ref = 'Metformin continued at 1000 mg twice daily'; // 6 content words: metformin continued 1000 mg twice daily
    assert.equal(covers(ref, ['Continue metformin 1000 mg twice daily.']), true, '5 of 6 in one statement');
    assert.equal(covers(ref, ['Metformin 1000 mg.', 'Twice daily dosing continued.']), false, 'spread over two: 3 and 3 of 6');
    assert.equal(covers(ref, ['metformin 1000 mg twice']), true, '4 of 6 is 0.67');
    assert.equal(covers(ref, ['metformin 1000 mg']), false, '3 of 6 is 0.5');
    assert.equal(covers('aspirin held before surgery today', ['aspirin held today']), true, '3 of 5 is exactly 0.6: covered');
    assert.equal(covers('of the', []), true, 'nothing to cover');
  });

  it('reference coverage is counted over the reference\'s bullets, only for notes that have one', () => {
    const ref = '## Summary\n- Type 2 diabetes, A1c 7.9 [L29]\n- Hypoglycemia episodes twice last month\n\n- Lisinopril 20 mg daily\n';
    assert.deepEqual(referenceStatements(ref), ['Type 2 diabetes, A1c 7.9', 'Hypoglycemia episodes twice last month', 'Lisinopril 20 mg daily']);
    const s = scoreModel('adapter', [
      { note: 'a.txt', seconds: 1, reference: ref, result: result([statement('Type 2 diabetes with A1c 7.9.'), statement('Lisinopril 20 mg daily.')]) },
      { note: 'b.txt', seconds: 1, result: result([statement('HTN.')]) },
      { note: 'c.txt', seconds: 1, reference: '- Cough', error: 'failed' },
    ]);
    assert.deepEqual(s.reference, { statements: 3, covered: 2 });
    assert.equal(scoreModel('none', [{ note: 'a', seconds: 0, result: result([]) }]).reference, undefined);
  });
});
