// Rebuilding readable paragraphs from pdf.js lines (core/papers/layout.ts), with synthetic
// lines (text, x, y from the bottom of the page, font size): running headers and page
// numbers removed, the body font size, heading lines, words hyphenated at line ends, and the
// paragraph breaks (vertical gap, indent, size change, column jump), with the thresholds of
// each on both sides; sections, reference lists and boilerplate marked on the paragraphs.
import * as assert from 'node:assert/strict';
import { bodySize, isHeadingLine, joinLines, removeRunningLines, toParagraphs, type PageLines } from '../../../src/core/papers/layout';
import type { Paragraph } from '../../../src/core/papers/types';
import type { RawLine } from '../../../src/core/papers/worker-protocol';

const line = (text: string, y: number, x = 50, size = 10): RawLine => ({ text, x, y, size });
/** Lines one line gap (10) apart, going down from y. */
const down = (texts: string[], y = 600, x = 50, size = 10): RawLine[] => texts.map((t, i) => line(t, y - 10 * i, x, size));
const pg = (page: number, lines: RawLine[], height = 800): PageLines => ({ page, height, lines });
const linesOf = (pages: PageLines[]) => pages.map((p) => p.lines.map((l) => l.text));
const textsOf = (ps: Paragraph[]) => ps.map((p) => p.text);

/**
 * A page of body text whose line gap is 10 throughout, so that the median gap of the document
 * is 10 (bigger gap: > 14.5; indent: dy within 4 of 10; column jump: dy < -10).
 */
const CAL = 99;
const calibration = pg(
  CAL,
  down(Array.from({ length: 12 }, () => 'calibration body text line for the gap')),
);
const paragraphs = (pages: PageLines[]) => toParagraphs([...pages, calibration]).filter((p) => p.page !== CAL);
const texts = (pages: PageLines[]) => textsOf(paragraphs(pages));

describe('papers: page layout', () => {
  describe('running headers and page numbers', () => {
    /** n pages of body text, with `top` as the first line (y 780 of 800) where it gives one. */
    const doc = (n: number, top: (page: number) => string | undefined): PageLines[] =>
      Array.from({ length: n }, (_, i) => {
        const h = top(i + 1);
        // Body lines differ on every page by a letter (digits would not make them differ).
        const c = 'abcdefghijklmnopqrst'[i];
        const body = down([`Text of page ${c}`, `more body text ${c}`, `and the end of it. ${c}`]);
        return pg(i + 1, [...(h ? [line(h, 780)] : []), ...body]);
      });
    const kept = (pages: PageLines[]) => removeRunningLines(pages).map((p) => p.lines.some((l) => /journal/i.test(l.text)));

    it('removes a line at the top of 40 % of the pages with text (rounded up), and keeps it on fewer', () => {
      // 8 pages: 3.2, so 4 pages are needed. The numbers in the header differ in length too.
      const header = (p: number) => `Journal of Tests 2010; ${p * 7}: ${100 + p}`;
      assert.deepEqual(kept(doc(8, (p) => (p <= 4 ? header(p) : undefined))), Array(8).fill(false));
      assert.deepEqual(kept(doc(8, (p) => (p <= 3 ? header(p) : undefined))), [true, true, true, ...Array(5).fill(false)]);
      assert.deepEqual(kept(doc(10, (p) => (p <= 4 ? header(p) : undefined))), Array(10).fill(false));
    });

    it('needs a line on at least two pages to remove it, however short the document', () => {
      assert.deepEqual(kept(doc(2, () => 'Journal of Tests')), [false, false]);
      assert.deepEqual(kept(doc(2, (p) => (p === 1 ? 'Journal of Tests' : undefined))), [true, false]);
    });

    it('counts only the pages that have text', () => {
      const pages = [...doc(2, () => 'Journal of Tests'), ...Array.from({ length: 8 }, (_, i) => pg(3 + i, []))];
      assert.deepEqual(kept(pages).slice(0, 2), [false, false]);
    });

    it('takes headers that differ only in page numbers, case and spaces, on either side, for one', () => {
      const headers = ['Journal Name 1', '2 Journal Name', 'JOURNAL NAME 3', '4 journal  name', 'Journal Name 5', '6 Journal Name', '7 Journal Name 7'];
      assert.deepEqual(kept(doc(10, (p) => headers[p - 1])), Array(10).fill(false));
    });

    it('keeps the rest of the page, in order', () => {
      const out = removeRunningLines(doc(2, () => 'Journal of Tests'));
      assert.deepEqual(linesOf(out), [
        ['Text of page a', 'more body text a', 'and the end of it. a'],
        ['Text of page b', 'more body text b', 'and the end of it. b'],
      ]);
      assert.deepEqual(
        out.map((p) => [p.page, p.height]),
        [
          [1, 800],
          [2, 800],
        ],
      );
    });

    /** Three pages with `r` placed by `place` among eight lines of text that differ on every page. */
    const placed = (place: (lines: RawLine[], r: RawLine) => RawLine[], r: RawLine, height = 800) =>
      removeRunningLines(
        [1, 2, 3].map((n) =>
          pg(
            n,
            place(
              down(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'].map((w) => `${w} ${'xyz'[n - 1]}`), 650, 50),
              r,
            ),
            height,
          ),
        ),
      ).map((p) => p.lines.includes(r));
    const at = (i: number) => (lines: RawLine[], r: RawLine) => [...lines.slice(0, i), r, ...lines.slice(i)];

    it('removes a repeated line only among the first three or last three lines of a page', () => {
      const r = line('Repeated Header', 790);
      assert.deepEqual(placed(at(2), r), [false, false, false]);
      assert.deepEqual(placed(at(3), r), [true, true, true]);
      const b = line('Repeated Footer', 20);
      assert.deepEqual(placed(at(6), b), [false, false, false]);
      assert.deepEqual(placed(at(5), b), [true, true, true]);
    });

    it('removes a repeated line only in the top or bottom 12 % of the page', () => {
      const y = (v: number) => placed(at(0), line('Repeated Header', v));
      assert.deepEqual([y(705), y(704), y(96), y(95), y(400)].map((r) => r[0]), [false, true, true, false, true]);
    });

    it('ignores where the line is when the page height is unknown', () => {
      assert.deepEqual(placed(at(0), line('Repeated Header', 400), 0), [false, false, false]);
    });

    it('removes bare page numbers and "Page n of m" at the edges of a single page, but keeps other lines', () => {
      const one = (l: RawLine) => removeRunningLines([pg(1, [...down(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta']), l])])[0].lines.includes(l);
      for (const t of ['7', ' 12 ', 'Page 7', 'Page 7 of 12', 'page 7 / 12', 'PAGE 7 OF 12', 'Page 3/10', 'Page 3 /10', '3/10', '3 / 10', '3 of 10']) assert.equal(one(line(t, 40)), false, t);
      for (const t of ['Page 7 of the protocol', 'Journal of Tests', 'Pages 7', 'See next page', 'Page 3/10 mg', 'of note', 'and/or']) assert.equal(one(line(t, 40)), true, t);
      const middle = line('7', 400);
      assert.equal(removeRunningLines([pg(1, [...down(['alpha', 'beta', 'gamma']), middle, ...down(['delta', 'epsilon', 'zeta'], 300)])])[0].lines.includes(middle), true);
    });
  });

  describe('body font size', () => {
    it('is the size with the most characters before the reference list', () => {
      const pages = [
        pg(1, [line('x'.repeat(300), 600), line('  References  ', 580), line('r'.repeat(1000), 570, 50, 8)]),
        pg(2, [line('s'.repeat(1000), 600, 50, 8)]),
      ];
      assert.equal(bodySize(pages), 10);
      assert.equal(bodySize([pg(1, [line('x'.repeat(300), 600), line('7. REFERENCES:', 580), line('r'.repeat(1000), 570, 50, 8)])]), 10);
    });

    it('stops only at a line that is a reference heading, not at one that mentions references', () => {
      for (const mention of ['as shown in the references', 'references were checked by two authors'])
        assert.equal(bodySize([pg(1, [line('r'.repeat(100), 600, 50, 8), line(mention, 590), line('x'.repeat(300), 580)])]), 10, mention);
    });

    it('counts everything when the document starts with its reference list', () => {
      assert.equal(bodySize([pg(1, [line('References', 600), line('r'.repeat(1000), 570, 50, 8), line('x'.repeat(300), 500)])]), 8);
    });

    it('rounds sizes to half points', () => {
      assert.equal(bodySize([pg(1, [line('x'.repeat(300), 600, 50, 9.74), line('y'.repeat(200), 580, 50, 12)])]), 9.5);
      assert.equal(bodySize([pg(1, [line('x'.repeat(300), 600, 50, 9.76), line('y'.repeat(200), 580, 50, 12)])]), 10);
    });

    it('keeps the size seen first on a tie, and is 10 for an empty document', () => {
      assert.equal(bodySize([pg(1, [line('x'.repeat(50), 600, 50, 11), line('y'.repeat(50), 580, 50, 12)])]), 11);
      assert.equal(bodySize([]), 10);
      assert.equal(bodySize([pg(1, [])]), 10);
    });
  });

  describe('heading lines', () => {
    const h = (text: string, size = 10, body = 10) => isHeadingLine(line(text, 500, 50, size), body);

    it('takes a section name as a heading at any size, numbered or not', () => {
      for (const t of ['Methods', '2. Results', '2.1 Study design', 'II. Discussion', 'Conclusions:', 'MATERIALS AND METHODS', 'Acknowledgments', 'Supplementary material', '  Introduction  ', 'References', 'III.  Conclusion', 'Acknowledgement'])
        assert.equal(h(t, 8), true, t);
      for (const t of ['Methods were used', 'Results.', 'Our results', '2.1.x Methods']) assert.equal(h(t), false, t);
    });

    it('takes a line set 15 % larger than the body as a heading', () => {
      assert.equal(h('Patient Outcomes', 11.5), true);
      assert.equal(h('Patient Outcomes', 11.4), false);
      assert.equal(h('Patient Outcomes', 13.8, 12), true);
      assert.equal(h('Patient Outcomes', 13.7, 12), false);
    });

    it('needs three letters in a row and at most 100 characters', () => {
      assert.equal(h('Abc', 14), true);
      assert.equal(h('Ab', 14), false);
      assert.equal(h('A1 B2 C3', 14), false);
      assert.equal(h('Ab Cd', 14), false);
      assert.equal(h('a'.repeat(100), 14), true);
      assert.equal(h('a'.repeat(101), 14), false);
    });

    it('does not take a large line that ends a sentence, unless it ends in a single stop or colon', () => {
      assert.equal(h('Patient Outcomes.', 14), true);
      assert.equal(h('Why it matters:', 14), true);
      assert.equal(h('Outcomes (primary)', 14), true);
      for (const t of ['Is it safe?', 'It is safe!', 'Trial design;', 'Outcomes..', 'He said "stop."', 'Outcomes (primary).)']) assert.equal(h(t, 14), false, t);
    });
  });

  describe('joining lines', () => {
    it('rejoins a word hyphenated at the end of a line when the next line goes on in lower case', () => {
      assert.equal(joinLines('in the treat-', 'ment arm'), 'in the treatment arm');
      assert.equal(joinLines('über-', 'ängstlich'), 'überängstlich');
    });

    it('keeps the hyphen before a capital or a digit, or after a digit or a space', () => {
      assert.equal(joinLines('COVID-', '19 cases'), 'COVID- 19 cases');
      assert.equal(joinLines('anti-', 'Xa levels'), 'anti- Xa levels');
      assert.equal(joinLines('a 5-', 'fold rise'), 'a 5- fold rise');
      assert.equal(joinLines('before -', 'after'), 'before - after');
      assert.equal(joinLines('end of line', 'next'), 'end of line next');
      assert.equal(joinLines('a well-known', 'drug'), 'a well-known drug');
    });
  });

  describe('paragraphs', () => {
    it('joins the lines of a paragraph, rejoins hyphenated words and tidies spaces', () => {
      const out = paragraphs([pg(1, down(['Warfarin was given to all patients in the treat-', 'ment arm. Doses were adjusted', 'weekly  by   INR.', ' Bleeding was rare. ']))]);
      assert.deepEqual(out, [{ page: 1, text: 'Warfarin was given to all patients in the treatment arm. Doses were adjusted weekly by INR. Bleeding was rare.', section: '' }]);
    });

    it('breaks at a gap of more than 1.45 line gaps', () => {
      const lines = (last: number) => [line('Patients were', 600), line('enrolled at', 590), line('two centres', last)];
      assert.deepEqual(texts([pg(1, lines(575.5))]), ['Patients were enrolled at two centres']);
      assert.deepEqual(texts([pg(1, lines(575.4))]), ['Patients were enrolled at', 'two centres']);
    });

    it('breaks at an indented line after a sentence end, at the usual line gap', () => {
      const two = (first: string, x: number, dy = 10) => texts([pg(1, [line(first, 600), line('Next one starts', 600 - dy, x)])]);
      assert.deepEqual(two('Dose was fixed.', 58.5), ['Dose was fixed.', 'Next one starts']);
      assert.deepEqual(two('Dose was fixed.', 58), ['Dose was fixed. Next one starts']);
      assert.deepEqual(two('Dose was fixed', 59), ['Dose was fixed Next one starts']);
      assert.deepEqual(two('Dose was fixed.', 59, 13.9), ['Dose was fixed.', 'Next one starts']);
      assert.deepEqual(two('Dose was fixed.', 59, 14), ['Dose was fixed. Next one starts']);
      assert.deepEqual(two('Dose was fixed.', 59, 6.1), ['Dose was fixed.', 'Next one starts']);
      assert.deepEqual(two('Dose was fixed.', 59, 6), ['Dose was fixed. Next one starts']);
    });

    it('measures the indent in the size of the indented line', () => {
      const two = (x: number) => texts([pg(1, [line('Dose was fixed.', 600), line('Next one starts', 590, x, 9)])]);
      assert.deepEqual(two(57.5), ['Dose was fixed.', 'Next one starts']);
      assert.deepEqual(two(57.2), ['Dose was fixed. Next one starts']);
    });

    it('breaks where the font size changes by more than 15 %', () => {
      const two = (size: number) => texts([pg(1, [line('Body text line', 600), line('smaller text', 590, 50, size)])]);
      assert.deepEqual(two(8.5), ['Body text line smaller text']);
      assert.deepEqual(two(8.4), ['Body text line', 'smaller text']);
    });

    it('breaks at a jump up to a new column only after a sentence end', () => {
      const two = (first: string, y: number, x = 50) => texts([pg(1, [line(first, 200), line('then more', y, x)])]);
      assert.deepEqual(two('The trial ended.', 210.5), ['The trial ended.', 'then more']);
      assert.deepEqual(two('The trial ended.', 210), ['The trial ended. then more']);
      assert.deepEqual(two('The trial was', 650, 320), ['The trial was then more']);
      assert.deepEqual(two('The trial ended.', 650, 320), ['The trial ended.', 'then more']);
    });

    it('joins a sentence that goes on lower in a column further right, and breaks at the same gap in the same column', () => {
      const two = (x: number) => texts([pg(1, [line('The trial was', 600), line('stopped early', 570, x)])]);
      assert.deepEqual(two(200), ['The trial was stopped early']);
      assert.deepEqual(two(150), ['The trial was', 'stopped early']);
      assert.deepEqual(texts([pg(1, [line('The trial ended.', 600), line('stopped early', 570, 200)])]), ['The trial ended.', 'stopped early']);
      // Exactly 1.45 line gaps lower is neither a paragraph gap nor a new column.
      assert.deepEqual(texts([pg(1, [line('The trial ended.', 600), line('stopped early', 585.5, 200)])]), ['The trial ended. stopped early']);
    });

    it('uses 1.2 times the body size as the line gap when no two body lines follow each other down the page', () => {
      assert.deepEqual(textsOf(toParagraphs([pg(1, [line('The trial ended.', 200), line('then more', 211)])])), ['The trial ended. then more']);
      assert.deepEqual(textsOf(toParagraphs([pg(1, [line('The trial ended.', 200), line('then more', 212.5)])])), ['The trial ended.', 'then more']);
    });

    it('takes the median gap between body lines as the line gap', () => {
      const ys = (...y: number[]) => textsOf(toParagraphs([pg(1, y.map((v, i) => line(`words ${'abcdef'[i]}`, v)))]));
      // Gaps 10, 10, 25: the line gap is 10 and 25 is a paragraph break.
      assert.deepEqual(ys(600, 590, 580, 555), ['words a words b words c', 'words d']);
      // Gaps 10, 25, 10, 25: the upper middle one (25) is the line gap.
      assert.deepEqual(ys(600, 590, 565, 555, 530), ['words a words b words c words d words e']);
      // Lines side by side (no gap) do not count: gaps 10 and 25, the upper one is the line gap.
      assert.deepEqual(ys(600, 600, 590, 590, 565), ['words a words b words c words d words e']);
    });

    it('leaves gaps between lines of another size out of the line gap', () => {
      const body = down(['Body text that is long enough to be the body size', 'and goes on for a second line', 'and a third line too']);
      const notes = ['note a', 'note b', 'note c', 'note d'].map((t, i) => line(t, 500 - 25 * i, 50, 10.5));
      assert.deepEqual(textsOf(toParagraphs([pg(1, [...body, ...notes])])), ['Body text that is long enough to be the body size and goes on for a second line and a third line too', 'note a', 'note b', 'note c', 'note d']);
    });

    it('makes no paragraph of a blank line', () => {
      assert.deepEqual(texts([pg(1, [line('First.', 600), line('   ', 570), line('Second.', 540)])]), ['First.', 'Second.']);
    });

    it('never continues a paragraph onto the next page', () => {
      const out = paragraphs([pg(1, [line('The trial was', 300)]), pg(2, [line('stopped early.', 600)])]);
      assert.deepEqual(
        out.map((p) => [p.page, p.text]),
        [
          [1, 'The trial was'],
          [2, 'stopped early.'],
        ],
      );
    });

    it('leaves out the running headers', () => {
      const pages = [1, 2, 3].map((n) => pg(n, [line(`Journal of Tests ${n}`, 780), ...down([`Body of page ${'abc'[n - 1]}.`])]));
      assert.deepEqual(texts(pages), ['Body of page a.', 'Body of page b.', 'Body of page c.']);
    });
  });

  describe('headings and sections', () => {
    it('makes each heading a paragraph and files what follows under it, numbering dropped', () => {
      const out = paragraphs([
        pg(1, [
          line('Introduction', 600),
          line('Warfarin is widely used.', 590),
          line('2.1 Study design', 570),
          line('We ran a trial.', 560),
          line('Warfarin in the Elderly', 540, 50, 12),
          line('Older patients bled more.', 525),
          line('II. Discussion', 505),
          line('It is safe.', 495),
        ]),
        pg(2, [line('More text on page two.', 600)]),
      ]);
      assert.deepEqual(out, [
        { page: 1, text: 'Introduction', section: 'Introduction', heading: true },
        { page: 1, text: 'Warfarin is widely used.', section: 'Introduction' },
        { page: 1, text: '2.1 Study design', section: 'Study design', heading: true },
        { page: 1, text: 'We ran a trial.', section: 'Study design' },
        { page: 1, text: 'Warfarin in the Elderly', section: 'Warfarin in the Elderly', heading: true },
        { page: 1, text: 'Older patients bled more.', section: 'Warfarin in the Elderly' },
        { page: 1, text: 'II. Discussion', section: 'Discussion', heading: true },
        { page: 1, text: 'It is safe.', section: 'Discussion' },
        { page: 2, text: 'More text on page two.', section: 'Discussion' },
      ]);
    });

    it('cuts a section name to 80 characters', () => {
      const title = 'Abcd efgh '.repeat(9).trim();
      const [head, body] = paragraphs([pg(1, [line(title, 600, 50, 14), line('Text.', 580)])]);
      assert.deepEqual([head.text, head.section, body.section], [title, title.slice(0, 80), title.slice(0, 80)]);
    });

    it('finds headings by the body size of the document', () => {
      const big = Array.from({ length: 8 }, () => 'body text set in twelve point type for this paper');
      const one = (size: number) => toParagraphs([pg(1, [...down(big, 600, 50, 12), line('Short Title Here', 500, 50, size), line('Text after.', 485, 50, 12)])])[1];
      assert.deepEqual([one(13.8).heading, one(13.8).section], [true, 'Short Title Here']);
      assert.deepEqual([one(13.7).heading, one(13.7).section], [undefined, '']);
    });

    it('keeps consecutive heading lines of one size close together as one heading', () => {
      const two = (second: RawLine) => paragraphs([pg(1, [line('Warfarin and Bleeding', 600, 50, 16), second])]).map((p) => [p.text, p.heading]);
      assert.deepEqual(two(line('in Older Adults', 572.5, 50, 16)), [['Warfarin and Bleeding in Older Adults', true]]);
      assert.deepEqual(two(line('in Older Adults', 572, 50, 16)), [
        ['Warfarin and Bleeding', true],
        ['in Older Adults', true],
      ]);
      assert.deepEqual(two(line('in Older Adults', 580, 50, 16.4)), [['Warfarin and Bleeding in Older Adults', true]]);
      assert.deepEqual(two(line('in Older Adults', 580, 50, 16.5)), [
        ['Warfarin and Bleeding', true],
        ['in Older Adults', true],
      ]);
      assert.deepEqual(two(line('in Older Adults', 600, 300, 16)), [
        ['Warfarin and Bleeding', true],
        ['in Older Adults', true],
      ]);
      assert.deepEqual(two(line('in Older Adults', 610, 50, 16)), [
        ['Warfarin and Bleeding', true],
        ['in Older Adults', true],
      ]);
    });

    it('starts a heading on a new paragraph, however close to the line before', () => {
      const out = paragraphs([pg(1, [line('Warfarin is widely used', 600), line('Methods', 590), line('We ran a trial.', 580)])]);
      assert.deepEqual(
        out.map((p) => [p.text, !!p.heading]),
        [
          ['Warfarin is widely used', false],
          ['Methods', true],
          ['We ran a trial.', false],
        ],
      );
    });

    it('ends a heading at the next body line, however close', () => {
      const out = paragraphs([pg(1, [line('Warfarin and Bleeding', 600, 50, 16), line('older adults bled more', 590)])]);
      assert.deepEqual(textsOf(out), ['Warfarin and Bleeding', 'older adults bled more']);
    });
  });

  describe('reference lists', () => {
    it('marks the reference heading and everything after it until an appendix or a section heading', () => {
      const out = paragraphs([
        pg(5, [line('Discussion', 600), line('Warfarin is fine.', 590), line('7. References', 570), line('1. Smith J. Warfarin. 2001.', 560)]),
        pg(6, [
          line('2. Jones K. Heparin. 2003.', 600),
          line('Table 3 Outcomes by group', 580, 50, 12),
          line('Row data here.', 570),
          line('Appendix', 550),
          line('Search terms used.', 540),
        ]),
      ]);
      assert.deepEqual(out, [
        { page: 5, text: 'Discussion', section: 'Discussion', heading: true },
        { page: 5, text: 'Warfarin is fine.', section: 'Discussion' },
        { page: 5, text: '7. References', section: 'References', heading: true, reference: true },
        { page: 5, text: '1. Smith J. Warfarin. 2001.', section: 'References', reference: true },
        { page: 6, text: '2. Jones K. Heparin. 2003.', section: 'References', reference: true },
        { page: 6, text: 'Table 3 Outcomes by group', section: 'Table 3 Outcomes by group', heading: true, reference: true },
        { page: 6, text: 'Row data here.', section: 'Table 3 Outcomes by group', reference: true },
        { page: 6, text: 'Appendix', section: 'Appendix', heading: true },
        { page: 6, text: 'Search terms used.', section: 'Appendix' },
      ]);
    });

    it('ends the reference list at a supplement heading or another section name', () => {
      const after = (h: RawLine) => paragraphs([pg(1, [line('References', 600), line('1. Smith J. 2001.', 590), h, line('Text after it.', 560)])]).map((p) => !!p.reference);
      assert.deepEqual(after(line('Supplement 1: search strategy', 575, 50, 12)), [true, true, false, false]);
      assert.deepEqual(after(line('Acknowledgements', 575)), [true, true, false, false]);
      assert.deepEqual(after(line('Appendix A: search terms', 575, 50, 12)), [true, true, false, false]);
      assert.deepEqual(after(line('Extra Tables Here', 575, 50, 12)), [true, true, true, true]);
    });
  });

  describe('boilerplate', () => {
    const one = (text: string) => paragraphs([pg(1, [line(text, 400)])])[0];

    it('marks licence, copyright and correspondence lines', () => {
      for (const t of [
        'This is an open access article distributed under the terms of the licence.',
        'Published under a Creative Commons licence.',
        '*Correspondence: j.smith@example.org',
        'Correspondence: j.smith@example.org',
        '© 2012 The Authors.',
        'Licensee MDPI, Basel, Switzerland.',
        'Copyright ©2012 the authors.',
        'This article is available from: the journal site.',
        'The licence permits unrestricted use.',
      ])
        assert.equal(one(t).boilerplate, true, t);
    });

    it('does not mark ordinary text that mentions access or correspondence', () => {
      for (const t of ['Patients had open access to the clinic.', 'For correspondence: see the end.', 'Copyright law was discussed.']) assert.deepEqual(Object.keys(one(t)).sort(), ['page', 'section', 'text'], t);
    });

    it('marks only paragraphs shorter than 700 characters', () => {
      const text = (n: number) => `Creative Commons licence. ${'x'.repeat(n - 26)}`;
      assert.equal(text(699).length, 699);
      assert.equal(one(text(699)).boilerplate, true);
      assert.equal(one(text(700)).boilerplate, undefined);
    });
  });
});
