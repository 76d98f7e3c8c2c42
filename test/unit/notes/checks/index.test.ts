import * as assert from 'node:assert/strict';
import { RULES, runRules, type Rule } from '../../../../src/core/notes/checks';
import { checkSummary } from '../../../../src/core/notes/citations';
import { numberNote } from '../../../../src/core/notes/numbering';
import * as fs from 'node:fs';
import { NOTES } from '../fixtures';
import { line } from './lines';

describe('notes/checks: the rule pipeline', () => {
  it('gives the first flag with its kind and a prefixed reason', () => {
    const flag = runRules({ text: 'Right knee arthroscopy with enalapril', cited: [line('R knee arthroscopy; ramipril')] });
    assert.deepEqual(flag, { kind: 'medication', reason: 'medication: the note names ramipril, not enalapril' });
    assert.equal(runRules({ text: 'Left knee', cited: [line('R knee')] })?.reason, 'laterality: the note says right');
    assert.equal(runRules({ text: 'Knee arthroscopy', cited: [line('R knee arthroscopy')] }), undefined);
  });

  it('runs every rule it is given, and no other', () => {
    const seen: string[] = [];
    const spy = (kind: string): Rule => ({ kind, check: () => (seen.push(kind), undefined) });
    assert.equal(runRules({ text: 'x', cited: [] }, [spy('a'), spy('b')]), undefined);
    assert.deepEqual(seen, ['a', 'b']);
    assert.equal(new Set(RULES.map((r) => r.kind)).size, RULES.length, 'kinds are unique');
  });

  it('gives the rules at most 2,000 characters of a statement, the rest of the input unchanged', () => {
    const seen: number[] = [];
    const cited = [line('R knee')];
    const spy: Rule = { kind: 'spy', check: (input) => (seen.push(input.text.length), assert.equal(input.cited, cited), undefined) };
    for (const n of [1999, 2000, 2001, 50_000]) runRules({ text: 'x'.repeat(n), cited }, [spy]);
    assert.deepEqual(seen, [1999, 2000, 2000, 2000]);
  });

  it('gives checked statements a kind, and takes equal conversions as the same number', () => {
    const note = numberNote(['Acetaminophen 1 g PO q8h.', 'Father: MI at 54.', 'Levothyroxine 50 mcg daily.'].join('\n'));
    const st = checkSummary('- Acetaminophen 1000 mg by mouth every 8 hours [L1]\n- MI at 54 [L2]\n- Levothyroxine 50 mg daily [L3]\n- Levothyroxine 50 mcg daily [L3]', note);
    assert.deepEqual(st.map((s) => [s.supported, s.kind]), [[true, undefined], [false, 'family-history'], [false, 'units'], [true, undefined]]);
    assert.equal(checkSummary('- Acetaminophen 1000 mg by mouth every 8 hours [L1]', note)[0].supported, true);
  });

  it('leaves alone the first sentence of every line of every fixture note, cited to its line', function () {
    const files = fs.existsSync(NOTES) ? fs.readdirSync(NOTES).filter((f) => f.endsWith('.txt')) : [];
    if (files.length === 0) this.skip();
    let total = 0;
    const flagged: string[] = [];
    for (const f of files) {
      const note = numberNote(fs.readFileSync(`${NOTES}/${f}`, 'utf8'));
      const bullets: string[] = [];
      for (const [n, t] of note.lines) {
        if (/[a-z]{3}/.test(t)) bullets.push(`- ${t.trim().replace(/[[\]]/g, '').split(/(?<=[.;])\s+/)[0]} [L${n}]`);
      }
      for (const s of checkSummary(bullets.join('\n'), note)) {
        total++;
        if (!s.supported) flagged.push(`${f}: ${s.text} -> ${s.reason}`);
      }
    }
    assert.ok(total > 1500, `${total} statements`);
    // A copied sentence is faithful; the few the older negation check trips on stay under 0.5%.
    assert.ok(flagged.length <= total * 0.005, flagged.join('\n'));
    assert.ok(!flagged.some((f) => !/cited line negates it/.test(f)), `a rule flagged a copied sentence:\n${flagged.join('\n')}`);
  });

  it('stays fast on hostile statement text', () => {
    const cited = [line('Left knee 5 mg PO BID suspicious for malignancy, Dr. Smith, MD, on 09/12 at 08:15')];
    const nasty = [
      '1'.repeat(50_000),
      '1 '.repeat(20_000),
      'left '.repeat(10_000),
      'Dr. '.repeat(10_000),
      `${'9/'.repeat(10_000)}1`,
      `${'a-'.repeat(20_000)}b`,
      `${'1.'.repeat(20_000)}mg`,
      `${'A '.repeat(20_000)}, MD`,
    ];
    for (const text of nasty) {
      const t0 = process.hrtime.bigint();
      runRules({ text, cited });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.ok(ms < 500, `${text.slice(0, 20)}… took ${ms} ms`);
    }
  });
});
