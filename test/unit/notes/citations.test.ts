import * as assert from 'node:assert/strict';
import { checkSummary, parseCitations, parseStatements, stripCitations } from '../../../src/core/notes/citations';
import { numberNote } from '../../../src/core/notes/numbering';
import { fixtureNote, lineOf } from './fixtures';

describe('notes/citations: parsing', () => {
  it('reads every citation style models write', () => {
    const cases: Array<[string, Array<[number, number]>]> = [
      ['[L12]', [[12, 12]]],
      ['[L12-L15]', [[12, 15]]],
      ['[L12–L15]', [[12, 15]]],
      ['[L12—L15]', [[12, 15]]],
      ['[L12-15]', [[12, 15]]],
      ['[L12, L15]', [[12, 12], [15, 15]]],
      ['[L12,15]', [[12, 12], [15, 15]]],
      ['[L3; L9]', [[3, 3], [9, 9]]],
      ['[Lines 12-15]', [[12, 15]]],
      ['[lines 12 to 15]', [[12, 15]]],
      ['[Line 7]', [[7, 7]]],
      ['(L12)', [[12, 12]]],
      ['(L12-L14, L20)', [[12, 14], [20, 20]]],
      ['[L3][L9-L10]', [[3, 3], [9, 10]]],
      ['\\[L7\\]', [[7, 7]]],
      ['[ L 4 ]', [[4, 4]]],
      ['[L15-L12]', [[12, 15]]],
    ];
    for (const [text, want] of cases) assert.deepEqual(parseCitations(`Fact ${text}.`), want, text);
  });

  it('ignores brackets that are not line citations', () => {
    assert.deepEqual(parseCitations('Pain in the (L arm), see [1] and L12 and [note]'), []);
    assert.equal(stripCitations('Aspirin 81 mg [L98] daily [L3][L9-L10].'), 'Aspirin 81 mg daily.');
  });

  it('splits a summary into statements, skipping headings, rules and fences', () => {
    const summary = [
      '```markdown',
      '# Brief summary',
      '## Plan',
      '**Medications:**',
      'PLAN',
      'Started:',
      '- Aspirin 81 mg daily [L98].',
      '* Heparin infusion [L99]; anti-Xa q6h',
      '1. NSTEMI [L97]',
      '2) TTE in AM (L105)',
      '---',
      'NSTEMI [L97]. Plan for LHC in AM [L106].',
      '- NSTEMI [L97]. Also has diabetes.',
      '- [L107] Metformin held',
      '- Statement without citation',
      '```',
    ].join('\n');
    const st = parseStatements(summary);
    assert.deepEqual(
      st.map((s) => [s.text, s.lines]),
      [
        ['Aspirin 81 mg daily.', [[98, 98]]],
        ['Heparin infusion; anti-Xa q6h', [[99, 99]]],
        ['NSTEMI', [[97, 97]]],
        ['TTE in AM', [[105, 105]]],
        ['NSTEMI.', [[97, 97]]],
        ['Plan for LHC in AM.', [[106, 106]]],
        ['NSTEMI.', [[97, 97]]],
        ['Also has diabetes.', []],
        ['Metformin held', [[107, 107]]],
        ['Statement without citation', []],
      ],
    );
    // Spans end right after the citation (and its full stop): markers go there.
    const first = st[0];
    assert.equal(summary.slice(first.span[0], first.span[1]), 'Aspirin 81 mg daily [L98].');
    const plan = st[5];
    assert.equal(summary.slice(plan.span[0], plan.span[1]), 'Plan for LHC in AM [L106].');
  });

  it('gives citations written on the next line to the statement above', () => {
    const st = parseStatements('- Aspirin 81 mg daily\n  [L98]\n- Heparin [L99]\n[L100]');
    assert.deepEqual(st.map((s) => [s.text, s.lines]), [
      ['Aspirin 81 mg daily', [[98, 98]]],
      ['Heparin', [[99, 99]]],
      ['', [[100, 100]]],
    ]);
  });

  it('reads table rows as statements and skips the header row', () => {
    const summary = '| Drug | Change | Lines |\n|---|---|---|\n| Atorvastatin 80 mg | started | [L101] |\n| Simvastatin | stopped | [L101] |';
    const st = parseStatements(summary);
    assert.deepEqual(st.map((s) => [s.text, s.lines]), [
      ['Atorvastatin 80 mg; started', [[101, 101]]],
      ['Simvastatin; stopped', [[101, 101]]],
    ]);
    assert.ok(summary.slice(st[0].span[1]).startsWith('|'), 'a marker would go inside the last cell');
  });
});

describe('notes/citations: checks (inline note)', () => {
  const note = numberNote(['CHEST CT', 'No evidence of pulmonary embolism.', 'Small right pleural effusion.', 'Started apixaban 5 mg BID for atrial fibrillation.'].join('\n'));

  it('gives each statement its verdict and reason', () => {
    const checked = checkSummary(
      ['- Small right pleural effusion [L3]', '- Pulmonary embolism [L2]', '- Apixaban 10 mg BID [L4]', '- AFib on apixaban [L4]', '- Large effusion', '- Effusion [L9]'].join('\n'),
      note,
    );
    assert.deepEqual(
      checked.map((s) => [s.text, s.supported, s.reason]),
      [
        ['Small right pleural effusion', true, undefined],
        ['Pulmonary embolism', false, 'cited line negates it'],
        ['Apixaban 10 mg BID', false, 'number not in cited lines: 10'],
        ['AFib on apixaban', true, undefined],
        ['Large effusion', false, 'no citation'],
        ['Effusion', false, 'cites L9, but the note has 4 lines'],
      ],
    );
  });
});

describe('notes/citations: checks against fixture notes', () => {
  const check = (note: string, summary: string, range?: [number, number]) => checkSummary(summary, numberNote(note, range));

  it('marks a statement that carries a link or address the note does not have', () => {
    const note = ['Seen in clinic.', 'Fever resolved after two days.', 'Portal: https://portal.example.org/visit'].join('\n');
    const bad = [
      '- Fever resolved [L2]. See [the protocol](command:workbench.action.openSettings).',
      '- Fever resolved <command:workbench.action.terminal.new> [L2].',
      '- Fever resolved, details at https://evil.example/x [L2].',
      '- Fever resolved [L2](vscode://settings).',
    ];
    for (const summary of bad) {
      const linked = check(note, summary).find((s) => /link|https|command|vscode/.test(s.text));
      assert.ok(linked, summary);
      assert.equal(linked.supported, false, summary);
      assert.equal(linked.reason, 'contains a link the note does not have', summary);
    }
    // An address the note itself has is not a reason.
    const own = check(note, '- Visit notes are on the portal https://portal.example.org/visit [L3].');
    assert.notEqual(own[0].reason, 'contains a link the note does not have');
  });
  const verdict = (note: string, line: string, range?: [number, number]) => {
    const [s] = check(note, line, range);
    return s.supported ? 'supported' : `unsupported: ${s.reason}`;
  };

  it('supports faithful statements, including abbreviations and lists under a label', function () {
    const ed = fixtureNote(this, 'ed-chest-pain.txt');
    const hpi = lineOf(ed, 'substernal chest pressure that woke him');
    const pmh = lineOf(ed, '- Hypertension (dx');
    const statin = lineOf(ed, 'Atorvastatin 80 mg qHS (stop simvastatin)');
    const tropHeader = lineOf(ed, 'High-sensitivity troponin T');
    const fam = lineOf(ed, 'Father: MI at age 54');
    const lines = [
      `- 62-year-old man with substernal chest pressure radiating to the left jaw and arm, with diaphoresis and nausea [L${hpi}].`,
      `- HTN, HLD and T2DM [L${hpi}]`,
      `- Hypertension, hyperlipidemia and type 2 diabetes mellitus [L${pmh}-L${pmh + 2}]`,
      `- Atorvastatin 80 mg nightly replaces simvastatin [L${statin}]`,
      `- High-sensitivity troponin T rose from 38 to 71 to 164 ng/L [L${tropHeader + 1}-L${tropHeader + 3}]`,
      `- Family history: father had an MI at 54 [L${fam}]`,
      `- Denies syncope, palpitations or orthopnea [L${lineOf(ed, 'Denies syncope, palpitations')}]`,
    ].join('\n');
    const checked = check(ed, lines);
    assert.deepEqual(
      checked.map((s) => s.text),
      [
        '62-year-old man with substernal chest pressure radiating to the left jaw and arm, with diaphoresis and nausea.',
        'HTN, HLD and T2DM',
        'Hypertension, hyperlipidemia and type 2 diabetes mellitus',
        'Atorvastatin 80 mg nightly replaces simvastatin',
        'High-sensitivity troponin T rose from 38 to 71 to 164 ng/L',
        'Family history: father had an MI at 54',
        'Denies syncope, palpitations or orthopnea',
      ],
    );
    for (const s of checked) assert.equal(s.supported, true, `${s.text}: ${s.reason}`);
  });

  it('rejects a statement citing the wrong line', function () {
    const ed = fixtureNote(this, 'ed-chest-pain.txt');
    const hpi = lineOf(ed, 'substernal chest pressure that woke him');
    assert.match(verdict(ed, `- Simvastatin stopped and atorvastatin begun [L${hpi}]`), /^unsupported: cited lines do not mention: Simvastatin/);
    assert.equal(verdict(ed, `- Atorvastatin 80 mg started [L${hpi}]`), 'unsupported: number not in cited lines: 80');
  });

  it('rejects citations outside the summarized range or past the end of the note', function () {
    const ed = fixtureNote(this, 'ed-chest-pain.txt');
    const plan = lineOf(ed, 'ASSESSMENT AND PLAN');
    const hpi = lineOf(ed, 'substernal chest pressure that woke him');
    const range: [number, number] = [plan, plan + 15];
    assert.equal(verdict(ed, `- Chest pressure radiating to the jaw [L${hpi}]`, range), `unsupported: cites L${hpi}, outside the summarized lines ${plan}-${plan + 15}`);
    assert.equal(verdict(ed, `- NSTEMI [L${plan + 1}-L${plan + 20}]`, range), `unsupported: cites L${plan + 20}, outside the summarized lines ${plan}-${plan + 15}`);
    const total = ed.split('\n').length;
    assert.equal(verdict(ed, '- NSTEMI [L5000]'), `unsupported: cites L5000, but the note has ${total} lines`);
    assert.equal(verdict(ed, `- NSTEMI [L${plan + 1}]`, range), 'supported');
  });

  it('rejects a statement with no citation', function () {
    const ed = fixtureNote(this, 'ed-chest-pain.txt');
    assert.equal(verdict(ed, '- The patient had an NSTEMI.'), 'unsupported: no citation');
  });

  it('rejects a number that the cited line does not contain', function () {
    const ed = fixtureNote(this, 'ed-chest-pain.txt');
    const t3 = lineOf(ed, '3 h (10:02): 164 ng/L');
    assert.equal(verdict(ed, `- Troponin peaked at 200 ng/L [L${t3}]`), 'unsupported: number not in cited lines: 200');
    assert.equal(verdict(ed, `- Troponin 164 ng/L at 3 h [L${t3}]`), 'supported');
    const vent = fixtureNote(this, 'icu-course-long.txt');
    const fio2 = lineOf(vent, 'Respiratory support: ETT, AC/VC Vt 400 mL');
    assert.equal(verdict(vent, `- Ventilated with PEEP 16 and FiO2 80% [L${fio2}]`), 'supported', 'FiO2 0.80 is 80%');
  });

  it('flags a pertinent negative turned into a finding ("cited line negates it")', function () {
    const icu = fixtureNote(this, 'icu-course-long.txt');
    const cta = lineOf(icu, /CT angiogram chest .*NO pulmonary embolism/);
    assert.equal(verdict(icu, `- Pulmonary embolism [L${cta}]`), 'unsupported: cited line negates it');
    assert.equal(verdict(icu, `- PE on CT angiogram [L${cta}]`), 'unsupported: cited line negates it');
    assert.equal(verdict(icu, `- No pulmonary embolism on CT angiogram [L${cta}]`), 'supported');
    assert.equal(verdict(icu, `- CT angiogram negative for PE; complete LLL collapse [L${cta}]`), 'supported');
    assert.equal(verdict(icu, `- PE ruled out [L${lineOf(icu, 'PE ruled out')}]`), 'supported');
    assert.equal(verdict(icu, `- Evaluated for PE with CT angiography [L${lineOf(icu, 'PE was on the list')}]`), 'supported');

    const ed = fixtureNote(this, 'ed-chest-pain.txt');
    const ros = lineOf(ed, 'Constitutional: + diaphoresis; no fever');
    assert.equal(verdict(ed, `- Fever [L${ros}]`), 'unsupported: cited line negates it');
    assert.equal(verdict(ed, `- Diaphoresis [L${ros}]`), 'supported');
    assert.equal(verdict(ed, `- Syncope [L${lineOf(ed, 'Denies syncope')}]`), 'unsupported: cited line negates it');

    const dc = fixtureNote(this, 'discharge-heart-failure.txt');
    const pe = lineOf(dc, 'no evidence of pulmonary embolism');
    assert.equal(verdict(dc, `- Pulmonary embolism on CT angiography [L${pe}]`), 'unsupported: cited line negates it');
    assert.equal(verdict(dc, `- Anemia [L${lineOf(dc, 'Iron deficiency without anemia')}]`), 'unsupported: cited line negates it');
    assert.equal(verdict(dc, `- Iron deficiency without anemia [L${lineOf(dc, 'Iron deficiency without anemia')}]`), 'supported');
  });

  it("flags a relative's history stated as the patient's own", function () {
    const ed = fixtureNote(this, 'ed-chest-pain.txt');
    const fh = lineOf(ed, 'Father: MI at age 54');
    assert.equal(verdict(ed, `- MI at age 54 [L${fh}]`), "unsupported: cited line is family history, not the patient's");
    assert.equal(verdict(ed, `- Prior CABG at age 60 [L${fh}]`), "unsupported: cited line is family history, not the patient's");
    assert.equal(verdict(ed, `- Father had an MI at 54 [L${fh}]`), 'supported');
    assert.equal(verdict(ed, `- Family history of premature CAD (MI at 54, CABG at 60) [L${fh}]`), 'supported');
    const dc = fixtureNote(this, 'discharge-heart-failure.txt');
    const colon = lineOf(dc, 'Father died of colon cancer');
    assert.equal(verdict(dc, `- Colon cancer [L${colon}]`), "unsupported: cited line is family history, not the patient's");
    assert.equal(verdict(dc, `- Paternal colon cancer at 66 [L${colon}]`), 'supported');
    // Family at the bedside is not family history; a line of the patient's own history cited beside it supports him.
    const icu = fixtureNote(this, 'icu-course-long.txt');
    assert.equal(verdict(icu, `- Wife Teresa is the health care proxy [L${lineOf(icu, 'Wife Teresa (health care proxy)')}]`), 'supported');
  });

  // How long the check takes is measured by `npm run eval:grounding` (bench/grounding.ts: a
  // 50-statement summary, and this long note at 1x, 2x, 4x). Here the work is counted, not
  // timed: reads of note lines, the same whatever the machine's load.
  it('checks a long summary of the long note with work linear in its size (note lines read, counted)', function () {
    this.timeout(120_000); // about 1 s; the limit is only for a loaded machine
    const icu = fixtureNote(this, 'icu-course-long.txt');
    const run = (copies: number) => {
      const note = numberNote(Array.from({ length: copies }, () => icu).join('\n'));
      const bullets: string[] = [];
      for (const [n, text] of note.lines) {
        if (/[a-z]{3}/.test(text)) bullets.push(`- ${text.trim().split(/\s+/).slice(0, 12).join(' ')} [L${n}]`);
      }
      const lines = new CountingLines(note.lines);
      const checked = checkSummary(bullets.join('\n'), { ...note, lines });
      return { bullets, checked, reads: lines.reads };
    };
    const one = run(1);
    assert.ok(one.bullets.length > 1000, `${one.bullets.length} statements`);
    assert.equal(one.checked.length, one.bullets.length);
    assert.deepEqual(one.checked.map((s) => s.lines), one.bullets.map((b) => [[Number(/\[L(\d+)\]$/.exec(b)![1]), Number(/\[L(\d+)\]$/.exec(b)![1])]]));
    // Each statement reads its cited line and a bounded neighbourhood (its label, its section
    // heading), not the whole note: a few hundred reads at most, not thousands.
    assert.ok(one.reads / one.checked.length < 100, `${one.reads} line reads for ${one.checked.length} statements`);
    // Twice the note and twice the statements: about twice the reads (a check that rereads the
    // note per statement gives four times).
    const two = run(2);
    assert.equal(two.checked.length, 2 * one.checked.length);
    const ratio = two.reads / one.reads;
    assert.ok(ratio > 1.8 && ratio < 2.3, `line reads ${one.reads} -> ${two.reads} (x${ratio.toFixed(2)}) when the note doubles`);
    // Copying the first words of a line is grounded, except where the cut drops a negation.
    const unsupported = one.checked.filter((s) => !s.supported);
    assert.ok(unsupported.length < one.bullets.length * 0.01, unsupported.map((s) => `${s.text}: ${s.reason}`).join('\n'));
  });
});

/** The note's lines, counting every read (get and iteration). */
class CountingLines extends Map<number, string> {
  reads = 0;
  override get(n: number): string | undefined {
    this.reads++;
    return super.get(n);
  }
  override *entries(): MapIterator<[number, string]> {
    for (const e of super.entries()) {
      this.reads++;
      yield e;
    }
  }
  override *values(): MapIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }
  override *keys(): MapIterator<number> {
    for (const [k] of this.entries()) yield k;
  }
  override [Symbol.iterator](): MapIterator<[number, string]> {
    return this.entries();
  }
  override forEach(f: (v: string, k: number, m: Map<number, string>) => void): void {
    for (const [k, v] of this.entries()) f(v, k, this);
  }
}
