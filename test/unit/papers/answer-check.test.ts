// The checks on a model's answer over papers (core/papers/answer-check.ts): which [Sn]
// citations it makes and whether each names a given source, how the answer is cut into
// sentences (citations after the full stop, decimals, abbreviations), which numbers of a
// cited sentence none of its cited passages has, which long sentences cite nothing, and
// which links came from somewhere other than the passages.
import * as assert from 'node:assert/strict';
import { checkAnswer, CITE_RE, keysIn, sentences, type Source } from '../../../src/core/papers/answer-check';

const src = (key: string, text: string): Source => ({ key, text });

/** The unsupported numbers of the one sentence of an answer. */
function unsupported(answer: string, sources: Source[]): string[] {
  const c = checkAnswer(answer, sources);
  assert.equal(c.sentences.length, 1, JSON.stringify(c.sentences));
  return c.sentences[0].unsupportedNumbers;
}

describe('papers: answer checks', () => {
  describe('citations', () => {
    it('reads [S1], lists of keys with commas or semicolons, and bare numbers after the first key', () => {
      const found = (t: string) => [...t.matchAll(CITE_RE)].map((m) => m[1]);
      assert.deepEqual(found('a [S1] b [S2, S3] c [S4;S5] d [S6 ; 7] e [S10,11] f [S1, S2, S3]'), ['S1', 'S2, S3', 'S4;S5', 'S6 ; 7', 'S10,11', 'S1, S2, S3']);
      assert.deepEqual(keysIn('S6 ; 7'), ['S6', 'S7']);
      assert.deepEqual(keysIn('S2, S3'), ['S2', 'S3']);
      assert.deepEqual(keysIn('S10,11;S12'), ['S10', 'S11', 'S12']);
    });

    it('does not take other bracketed text for a citation', () => {
      assert.deepEqual([...'[s1] [1] [S] [S1-S3] [ S1] [S1 and S2] [L12]'.matchAll(CITE_RE)], []);
    });

    it('lists known keys in first-cited order and unknown keys once each', () => {
      const c = checkAnswer('Warfarin helps [S2]. Heparin helps too [S1, S2]. Aspirin does not [S9]. Nor does clopidogrel [S9; 3].', [src('S1', 'a'), src('S2', 'b'), src('S3', 'c')]);
      assert.deepEqual(c.cited, ['S2', 'S1', 'S3']);
      assert.deepEqual(c.unknownKeys, ['S9']);
      assert.deepEqual(
        c.sentences.map((s) => [s.text, s.keys]),
        [
          ['Warfarin helps [S2].', ['S2']],
          ['Heparin helps too [S1, S2].', ['S1', 'S2']],
          ['Aspirin does not [S9].', ['S9']],
          ['Nor does clopidogrel [S9; 3].', ['S9', 'S3']],
        ],
      );
      assert.deepEqual(c.uncited, []);
    });

    it('finds nothing in an empty answer', () => {
      assert.deepEqual(checkAnswer('', []), { unknownKeys: [], cited: [], sentences: [], uncited: [], foreignLinks: [] });
    });
  });

  describe('sentences', () => {
    it('gives a citation written after the full stop to the sentence before it', () => {
      assert.deepEqual(sentences('Warfarin works. [S1] Heparin bleeds [S2].'), ['Warfarin works. [S1]', 'Heparin bleeds [S2].']);
      assert.deepEqual(sentences('It was given. [S1] [S2] Then it stopped.'), ['It was given. [S1] [S2]', 'Then it stopped.']);
    });

    it('ends sentences at ?, ! and runs of them, and at each line break', () => {
      assert.deepEqual(sentences('Does it work?! Yes! It does.'), ['Does it work?!', 'Yes!', 'It does.']);
      assert.deepEqual(sentences('## Findings\n\nWarfarin helps [S1].\n- Bullet without a stop [S2]'), ['## Findings', 'Warfarin helps [S1].', '- Bullet without a stop [S2]']);
    });

    it('does not split inside a decimal number', () => {
      assert.deepEqual(sentences('HbA1c fell by 1.2 points [S1]. Weight did not change.'), ['HbA1c fell by 1.2 points [S1].', 'Weight did not change.']);
    });

    it('makes no sentence of the spaces after the last stop', () => {
      assert.deepEqual(sentences('It worked.  \nNext.   '), ['It worked.', 'Next.']);
    });

    it('keeps a sentence that ends in a digit and a stop at the end of a line', () => {
      assert.deepEqual(sentences('Patients numbered 120.\nNext line'), ['Patients numbered 120.', 'Next line']);
    });

    it('does not split after et al., vs., Fig. or approx. (any case)', () => {
      assert.deepEqual(sentences('Smith et al. found less bleeding [S1]. Next.'), ['Smith et al. found less bleeding [S1].', 'Next.']);
      assert.deepEqual(sentences('Warfarin vs. heparin was tested [S1].'), ['Warfarin vs. heparin was tested [S1].']);
      assert.deepEqual(sentences('See fig. 2 for the curve [S1].'), ['See fig. 2 for the curve [S1].']);
      assert.deepEqual(sentences('It took Approx. two weeks [S1].'), ['It took Approx. two weeks [S1].']);
      assert.deepEqual(sentences('The dose was approx.'), ['The dose was approx.']);
    });

    it('splits after a word that only ends like an abbreviation', () => {
      assert.deepEqual(sentences('Two devs. Both were paid [S1].'), ['Two devs.', 'Both were paid [S1].']);
    });

    // Was a bug: the sentence pattern cut at the first dot of "e.g." and "i.e.", so the part
    // before them counted as uncited and its numbers were never checked.
    it('does not split after e.g. or i.e.', () => {
      assert.deepEqual(sentences('Anticoagulants, e.g. warfarin, raise bleeding risk [S1].'), ['Anticoagulants, e.g. warfarin, raise bleeding risk [S1].']);
      assert.deepEqual(sentences('The low dose, i.e. 5 mg, was used [S1].'), ['The low dose, i.e. 5 mg, was used [S1].']);
      assert.deepEqual(sentences('Take vitamin E. Then rest [S1].'), ['Take vitamin E.', 'Then rest [S1].'], 'a capital letter before a full stop ends the sentence');
    });

    it('checks a number written before "e.g." against the cited passage', () => {
      assert.deepEqual(unsupported('Doses of 7 mg, e.g. in elderly patients, were safe [S1].', [src('S1', 'Doses were safe.')]), ['7']);
    });
  });

  describe('numbers in cited sentences', () => {
    it('accepts a number the cited passage has and reports one it lacks', () => {
      const c = checkAnswer('Bleeding occurred in 12 patients [S1]. It lasted 52 weeks [S1].', [src('S1', 'Bleeding in 12 of 950 patients.')]);
      assert.deepEqual(
        c.sentences.map((s) => s.unsupportedNumbers),
        [[], ['52']],
      );
    });

    it('does not find a number inside a longer number or after a decimal point', () => {
      assert.deepEqual(unsupported('12 patients bled [S1].', [src('S1', '112 patients and 120 controls, ratio 3.12')]), ['12']);
      assert.deepEqual(unsupported('12 patients bled [S1].', [src('S1', 'of whom 12, bled')]), []);
    });

    it('matches a decimal point as a point, not as any character', () => {
      assert.deepEqual(unsupported('Mortality was 3.4 [S1].', [src('S1', 'Mortality 394.')]), ['3.4']);
      assert.deepEqual(unsupported('Mortality was 3.4 [S1].', [src('S1', 'Mortality 3.45 or 13.4.')]), ['3.4']);
      assert.deepEqual(unsupported('Mortality was 3.4 [S1].', [src('S1', 'Mortality 3.4.')]), []);
    });

    it('ignores thousands separators and percent signs on either side', () => {
      assert.deepEqual(unsupported('Of 1,250 patients 12% bled [S1].', [src('S1', '1250 were enrolled; 12 % had a bleed.')]), []);
      assert.deepEqual(unsupported('Of 1250 patients 12 % bled [S1].', [src('S1', '1,250 were enrolled; 12% had a bleed.')]), []);
      assert.deepEqual(unsupported('Of 1,250 patients 13% bled [S1].', [src('S1', '1250 were enrolled.')]), ['13']);
      assert.deepEqual(unsupported('A ratio of 1,25 [S1].', [src('S1', 'ratio 125')]), ['1,25']);
      assert.deepEqual(unsupported('A code of 1,2345 [S1].', [src('S1', 'code 12345')]), ['1,2345']);
      assert.deepEqual(unsupported('A code of 12345 [S1].', [src('S1', 'code 1,2345')]), ['12345']);
    });

    it('does not count digits inside words or in the citation itself', () => {
      assert.deepEqual(unsupported('HbA1c fell [S1].', [src('S1', 'It fell.')]), []);
      assert.deepEqual(unsupported('Analyses used R v4.3 [S1].', [src('S1', 'Analyses used R.')]), []);
      assert.deepEqual(unsupported('Bleeding was rare [S1, 2].', [src('S1', 'Bleeding was rare.'), src('S2', 'Rare.')]), []);
      assert.deepEqual(unsupported('COVID-19 was rare [S1].', [src('S1', 'rare')]), ['19']);
    });

    // Was a bug: the sentence was cut at the point of ".05", so "05" was looked up alone and
    // reported missing although the answer quoted the passage exactly.
    it('accepts a p value written without its leading zero, as the passage writes it', () => {
      const c = checkAnswer('Mortality fell (p=.05) [S1].', [src('S1', 'Mortality fell (p=.05).')]);
      assert.deepEqual(
        c.sentences.map((s) => [s.text, s.unsupportedNumbers]),
        [['Mortality fell (p=.05) [S1].', []]],
      );
    });

    it('reports each missing number once', () => {
      assert.deepEqual(unsupported('52 weeks, then 52 days and 8 hours [S1].', [src('S1', 'nothing')]), ['52', '8']);
    });

    it('looks only in the passages the sentence cites', () => {
      const sources = [src('S1', 'after 24 weeks'), src('S2', 'in 36 adults')];
      assert.deepEqual(unsupported('After 24 weeks [S2].', sources), ['24']);
      assert.deepEqual(unsupported('After 24 weeks in 36 adults [S1, S2].', sources), []);
      assert.deepEqual(unsupported('After 24 weeks [S9].', sources), ['24']);
      assert.deepEqual(unsupported('In 12 adults [S1, S2].', [src('S1', 'adults: 12'), src('S2', '3 sites')]), []);
    });
  });

  describe('uncited sentences', () => {
    it('reports a sentence without a citation once it has more than 40 characters besides spaces and markup', () => {
      const c41 = `${'a'.repeat(20)} ${'b'.repeat(20)}.`;
      const c40 = `${'a'.repeat(20)} ${'b'.repeat(19)}.`;
      assert.deepEqual(checkAnswer(`${c41}\n${c40}`, []).uncited, [c41]);
      assert.deepEqual(checkAnswer(`### **${'a'.repeat(20)} - ${'b'.repeat(20)}**`, []).uncited, []);
      assert.deepEqual(checkAnswer(`### **${'a'.repeat(20)} - ${'b'.repeat(21)}**`, []).uncited, [`### **${'a'.repeat(20)} - ${'b'.repeat(21)}**`]);
    });

    it('does not report a sentence that cites a source, even an unknown one', () => {
      assert.deepEqual(checkAnswer(`${'a'.repeat(50)} [S9].`, []).uncited, []);
      assert.deepEqual(checkAnswer(`${'a'.repeat(50)} [S9].`, []).sentences.length, 1);
    });

    it('does not check numbers in a sentence that cites nothing', () => {
      const c = checkAnswer('There were 99 of them.', [src('S1', 'none')]);
      assert.deepEqual([c.sentences, c.uncited], [[], []]);
    });
  });

  describe('links', () => {
    it('reports each link the passages do not have, once, ignoring case and a trailing slash', () => {
      const c = checkAnswer('See https://example.org/trial. Also https://evil.test/x and https://evil.test/x [S1]. [the protocol](command:foo.bar)', [
        src('S1', 'Registered at HTTPS://EXAMPLE.ORG/trial/ today.'),
      ]);
      assert.deepEqual(c.foreignLinks, ['command:foo.bar', 'https://evil.test/x']);
    });

    it('accepts a link that any given passage has, not only the cited one', () => {
      const c = checkAnswer('Registered at https://example.org/trial [S1].', [src('S1', 'no link'), src('S2', 'see https://example.org/trial')]);
      assert.deepEqual(c.foreignLinks, []);
    });

    it('reads each passage\'s links apart: a link at the end of one is not run into the start of the next', () => {
      const c = checkAnswer('Registered at https://example.org/trial [S1].', [src('S1', 'see https://example.org/trial'), src('S2', 'Next passage.')]);
      assert.deepEqual(c.foreignLinks, []);
    });
  });

  describe('sentences, case by case', () => {
    const cases: [string, string[]][] = [
      ['It works.[S1] Next one.', ['It works.[S1]', 'Next one.']],
      ['It works. [S1, S12] Next one.', ['It works. [S1, S12]', 'Next one.']],
      ['...\nOK.', ['OK.']],
      ['Was it 2.5?3 of them were.', ['Was it 2.5?', '3 of them were.']],
      ['Drugs, e.g. warfarin, bleed. Others do not.', ['Drugs, e.g. warfarin, bleed.', 'Others do not.']],
      ['e.g. warfarin bleeds. Next.', ['e.g. warfarin bleeds.', 'Next.']],
      ['First. Dose was 2.', ['First.', 'Dose was 2.']],
    ];
    for (const [text, want] of cases) it(JSON.stringify(text), () => assert.deepEqual(sentences(text), want));
  });
});
