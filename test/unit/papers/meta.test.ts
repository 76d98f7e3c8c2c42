// A paper's title, authors and year (core/papers/meta.ts): the PDF's own metadata when it is
// usable, else page 1 (largest type near the top = title, names after the title = authors,
// a year next to ©/Copyright/Published or else the commonest plausible year); the short
// label citations show ("Tully et al. 2010"); and when known metadata (Zotero) is current.
import * as assert from 'node:assert/strict';
import type { PageLines } from '../../../src/core/papers/layout';
import { authorsFromParagraphs, knownOf, paperMeta, sameKnownMeta, shortLabel, splitAuthors } from '../../../src/core/papers/meta';
import type { KnownMeta, Paragraph, PaperMeta } from '../../../src/core/papers/types';
import type { RawLine } from '../../../src/core/papers/worker-protocol';

const line = (text: string, y: number, size = 10): RawLine => ({ text, x: 50, y, size });
/** Page 1, 800 high: its title region is above y 280. */
const page1 = (lines: RawLine[]): PageLines => ({ page: 1, height: 800, lines });
/** Body text below the title region. */
const BODY = [line('Patients were enrolled at two centres.', 200), line('Follow-up lasted two years.', 188)];

const titleOf = (info: { title?: string }, first?: PageLines, file = 'paper.pdf') => paperMeta(1, info, first, file).title;
const yearOf = (texts: string[], date?: string) => paperMeta(1, { date }, page1(texts.map((t, i) => line(t, 400 - 12 * i))), 'p.pdf').year;

describe('papers: paper metadata', () => {
  describe('the title from the PDF metadata', () => {
    it('is used with its spaces tidied, with the authors split and the page count', () => {
      assert.deepEqual(paperMeta(6, { title: ' Warfarin  dosing\nin elderly patients ', author: 'Jane Smith; Bob Jones', date: 'D:20190312' }, undefined, 'x.pdf'), {
        title: 'Warfarin dosing in elderly patients',
        authors: ['Jane Smith', 'Bob Jones'],
        year: 2019,
        pages: 6,
      });
    });

    it('loses an article-type prefix', () => {
      for (const prefix of ['Research Article', 'review article', 'Original article', 'Clinical study article', 'Case report article'])
        assert.equal(titleOf({ title: `${prefix} Warfarin dosing in the elderly` }), 'Warfarin dosing in the elderly', prefix);
      assert.equal(titleOf({ title: 'Research on warfarin dosing in the elderly' }), 'Research on warfarin dosing in the elderly');
      assert.equal(titleOf({ title: 'A review article on warfarin dosing' }), 'A review article on warfarin dosing');
    });

    it('needs three words of three letters or more', () => {
      assert.equal(titleOf({ title: 'Aaa bbb ccc' }), 'Aaa bbb ccc');
      assert.equal(titleOf({ title: 'Aaa bbb cc' }, undefined, 'fallback.pdf'), 'fallback');
      assert.equal(titleOf({ title: 'Research article Aaa bbb' }, undefined, 'fallback.pdf'), 'fallback');
    });

    it('is not a file name, a placeholder or a web address', () => {
      for (const title of [
        'Warfarin dosing study.docx',
        'Warfarin dosing study.DOC',
        'Warfarin dosing study.pdf',
        'Warfarin dosing study.tex',
        'Warfarin dosing study.dvi',
        'Warfarin dosing study.indd',
        'Warfarin dosing study.qxd',
        'www.journal-of-tests.org/warfarin/dosing',
        'Warfarin dosing trial example.com',
        'Warfarin dosing trial example.org',
        'Warfarin dosing trial example.net',
        'Untitled',
        'Microsoft Word - Warfarin dosing manuscript final',
        'Microsoft PowerPoint - Warfarin dosing slides',
        'microsoft excel - warfarin dosing tables',
        '   ',
      ])
        assert.equal(titleOf({ title }, undefined, 'fallback.PDF'), 'fallback', title);
      assert.equal(titleOf({ title: 'Warfarin dosing in the www.era' }), 'Warfarin dosing in the www.era');
      assert.equal(titleOf({ title: 'Warfarin dosing in print and pdf' }), 'Warfarin dosing in print and pdf');
      assert.equal(titleOf({ title: 'Reading .pdf files of warfarin trials' }), 'Reading .pdf files of warfarin trials');
      assert.equal(titleOf({ title: 'Warfarin dosing on the .net platform' }), 'Warfarin dosing on the .net platform');
      assert.equal(titleOf({ title: 'Microsoft Word and warfarin dosing records' }), 'Microsoft Word and warfarin dosing records');
    });

    it('wins over a title on page 1', () => {
      assert.equal(titleOf({ title: 'Warfarin dosing in the elderly' }, page1([line('Another Title On The Page', 700, 18), ...BODY])), 'Warfarin dosing in the elderly');
    });

    it('falls back to the file name without .pdf when neither metadata nor page 1 give one', () => {
      assert.equal(titleOf({}, undefined, 'tully2010.pdf'), 'tully2010');
      assert.equal(titleOf({}, page1([]), 'tully2010.pdf'), 'tully2010');
      assert.equal(titleOf({}, undefined, 'notes.pdf.txt'), 'notes.pdf.txt');
    });
  });

  describe('the title from page 1', () => {
    it('is the largest type near the top that reads like a title, over several lines', () => {
      const p = page1([
        line('Journal of Cardiology', 760, 20),
        line('Research Article', 740, 19),
        line('Warfarin Dosing in', 700, 18),
        line('Elderly Patients', 680, 18),
        line('Jane Smith and Bob Jones', 650, 11),
        line('Figure One Caption Text', 100, 24),
        ...BODY,
      ]);
      assert.equal(titleOf({ title: 'Untitled' }, p), 'Warfarin Dosing in Elderly Patients');
    });

    it('looks only above 35 % of the page height', () => {
      const p = (y: number) => page1([line('Big Banner Text Here', y, 24), line('Warfarin Dosing in Elderly Patients', 600, 18), ...BODY]);
      assert.equal(titleOf({}, p(280)), 'Warfarin Dosing in Elderly Patients');
      assert.equal(titleOf({}, p(281)), 'Big Banner Text Here');
    });

    it('passes over web addresses, journal, volume, DOI, open-access and article-type lines, which take none of the three sizes tried', () => {
      const withLine = (t: string) =>
        titleOf({}, page1([line(t, 780, 30), line('BMC', 760, 28), line('Cardiology', 740, 26), line('Warfarin Dosing in Elderly Patients', 600, 22), ...BODY]), 'fallback.pdf');
      for (const t of [
        'Visit the www.example site',
        'Visit https://trials here',
        'Visit http://trials here',
        'Write to me@example here',
        'Press office at example.com today',
        'Open Access Publishing',
        'Volume Twelve Issue',
        'The doi is here',
        'Journal Of Things',
        'Review Article',
        'article',
      ])
        assert.equal(withLine(t), 'Warfarin Dosing in Elderly Patients', t);
      assert.equal(withLine('Life in the example.community online'), 'Life in the example.community online');
    });

    it('tries the three largest sizes that have a line of three letters, no more', () => {
      const sizes = (extra: RawLine[]) => titleOf({}, page1([...extra, line('BMC', 760, 28), line('Cardiology', 740, 26), line('Warfarin Dosing in Elderly Patients', 600, 22), ...BODY]), 'fallback.pdf');
      assert.equal(sizes([line('A 1', 780, 30)]), 'Warfarin Dosing in Elderly Patients');
      assert.equal(sizes([line('Vascular', 780, 30)]), 'fallback');
    });

    it('takes a title of exactly three words', () => {
      assert.equal(titleOf({}, page1([line('Warfarin Dosing Study', 700, 18), ...BODY])), 'Warfarin Dosing Study');
    });

    it('skips a size whose lines have fewer than three words', () => {
      assert.equal(titleOf({}, page1([line('Heart Failure', 760, 20), line('Warfarin Dosing in Elderly Patients', 600, 18), ...BODY])), 'Warfarin Dosing in Elderly Patients');
    });

    it('joins at most six lines of the same size (within half a point), stopping at a line that is not a title', () => {
      const seven = ['Alpha Line', 'Bravo Line', 'Charlie Line', 'Delta Line', 'Echo Line', 'Foxtrot Line', 'Golf Line'].map((t, i) => line(t, 700 - 20 * i, 18));
      assert.equal(titleOf({}, page1([...seven, ...BODY])), 'Alpha Line Bravo Line Charlie Line Delta Line Echo Line Foxtrot Line');
      const sized = (s: number) => titleOf({}, page1([line('Warfarin Dosing in', 700, 18), line('Elderly Patients', 680, s), ...BODY]));
      assert.equal(sized(18.4), 'Warfarin Dosing in Elderly Patients');
      // Apart, neither line has three words of three letters: no title from the page.
      assert.equal(sized(18.5), 'paper');
      assert.equal(titleOf({}, page1([line('Warfarin Dosing in Elderly Patients', 700, 18), line('doi 10.1000/xyz', 680, 18), ...BODY])), 'Warfarin Dosing in Elderly Patients');
    });

    it('loses an article-type prefix and is cut to 200 characters', () => {
      assert.equal(titleOf({}, page1([line('Research article Warfarin dosing in the elderly', 700, 18), ...BODY])), 'Warfarin dosing in the elderly');
      const long = ['a', 'b', 'c', 'd', 'e'].map((c, i) => line(`${c.repeat(10)} `.repeat(5).trim(), 700 - 20 * i, 18));
      const t = titleOf({}, page1([...long, ...BODY]));
      assert.equal(t.length, 200);
      assert.equal(t, long.map((l) => l.text).join(' ').slice(0, 200));
    });
  });

  describe('the year', () => {
    const next = new Date().getFullYear() + 1;

    it('is the year next to ©, (c), Copyright or Published on page 1', () => {
      const other = ['Data from 2010 and 2010 again.'];
      assert.equal(yearOf([...other, '© 2012 Elsevier Ltd.']), 2012);
      assert.equal(yearOf([...other, '©2012 Elsevier Ltd.']), 2012);
      assert.equal(yearOf([...other, '(c) 2013 The Authors']), 2013);
      assert.equal(yearOf([...other, 'COPYRIGHT 2014 Wiley']), 2014);
      assert.equal(yearOf([...other, 'Published online: 12 March 2015']), 2015);
      assert.equal(yearOf([...other, 'Published: 2016']), 2016);
      assert.equal(yearOf([...other, 'published 2017 by us']), 2017);
    });

    it('else is the commonest year on page 1, the later one on a tie', () => {
      assert.equal(yearOf(['In 2009 and 2009 we saw', 'what 2011 confirmed']), 2009);
      assert.equal(yearOf(['In 2011 and then 2009']), 2011);
      assert.equal(yearOf(['In 2009 and then 2011']), 2011);
    });

    it('counts only years from 1950 to next year, and whole numbers only', () => {
      assert.equal(yearOf(['In 1949 and 1949 and 1950']), 1950);
      assert.equal(yearOf([`In ${next + 1} and ${next + 1} and ${next}`]), next);
      assert.equal(yearOf(['Code 120091 and 2005']), 2005);
      assert.equal(yearOf(['© 1949 Old Press', 'reprinted 2005']), 2005);
    });

    it('else comes from the PDF date', () => {
      assert.equal(yearOf(['No year here.'], 'D:20190312120000'), 2019);
      assert.equal(yearOf(['No year here.'], '2018-05-01'), 2018);
      assert.equal(yearOf(['No year here.'], '12/05/2018'), undefined);
      assert.equal(yearOf(['No year here.'], 'D:18990312'), undefined);
      assert.equal(yearOf(['No year here.']), undefined);
      assert.equal(paperMeta(1, { date: 'D:20190312' }, undefined, 'p.pdf').year, 2019);
      assert.equal(yearOf(['© 2012 Elsevier Ltd.'], 'D:20190312'), 2012);
    });
  });

  describe('authors from the PDF metadata', () => {
    it('are split at semicolons, commas, "and" and "&"', () => {
      assert.deepEqual(splitAuthors('Jane Smith; Bob Jones and Ann Lee & Tom Wu, Kim Park'), ['Jane Smith', 'Bob Jones', 'Ann Lee', 'Tom Wu', 'Kim Park']);
      assert.deepEqual(splitAuthors('Sandra Anderson;Andy Band'), ['Sandra Anderson', 'Andy Band']);
    });

    it('lose "et al." and pieces without two letters in a row', () => {
      assert.deepEqual(splitAuthors('Smith J, et al.'), ['Smith J']);
      assert.deepEqual(splitAuthors('Smith J {et al.}'), ['Smith J']);
      assert.deepEqual(splitAuthors('Smith J ET AL'), ['Smith J']);
      assert.deepEqual(splitAuthors('J.; 12; ; Ann Lee'), ['Ann Lee']);
    });

    // Was a bug: every comma split, so "Tully, Patrick J." was two authors ("Tully et al.").
    it('reads a single author written "Last, First" as one author', () => {
      const meta = paperMeta(6, { author: 'Tully, Patrick J.', date: 'D:20100101' }, undefined, 'tully.pdf');
      assert.deepEqual(meta.authors, ['Tully, Patrick J.']);
      assert.equal(shortLabel(meta, 'tully.pdf'), 'Tully 2010');
      assert.deepEqual(splitAuthors('Smith, J. K.; van Dijk, A.; Lee, Ann'), ['Smith, J. K.', 'van Dijk, A.', 'Lee', 'Ann']);
      assert.deepEqual(splitAuthors('Smith, Jones'), ['Smith', 'Jones'], 'two surnames stay two authors');
      assert.deepEqual(splitAuthors('Smith; J.'), ['Smith'], 'an initial after a semicolon is no one');
      assert.deepEqual(splitAuthors('Jane Smith, J.'), ['Jane Smith'], 'only a single surname takes the initials');
    });

    it('are none when the PDF names none', () => {
      assert.deepEqual(paperMeta(1, {}, undefined, 'p.pdf').authors, []);
      assert.deepEqual(paperMeta(1, { author: '' }, undefined, 'p.pdf').authors, []);
    });
  });

  describe('the short label', () => {
    const meta = (m: Partial<PaperMeta>): PaperMeta => ({ title: 'A title', authors: [], pages: 1, ...m });

    it('is the first author’s surname, "et al." when there are more, and the year', () => {
      assert.equal(shortLabel(meta({ authors: ['Patrick J. Tully'], year: 2010 }), 'f.pdf'), 'Tully 2010');
      assert.equal(shortLabel(meta({ authors: ['Patrick J. Tully', 'Bob Jones'], year: 2010 }), 'f.pdf'), 'Tully et al. 2010');
      assert.equal(shortLabel(meta({ authors: ['Patrick J. Tully', 'Bob Jones'] }), 'f.pdf'), 'Tully et al.');
      assert.equal(shortLabel(meta({ authors: ['Tully, Patrick'], year: 2010 }), 'f.pdf'), 'Tully 2010');
    });

    it('uses a Zotero name whole (an institution) unless it is "Last, First"', () => {
      const zotero = { key: 'ABCD1234', library: 1 };
      assert.equal(shortLabel(meta({ authors: ['World Health Organization'], year: 2020, zotero }), 'f.pdf'), 'World Health Organization 2020');
      assert.equal(shortLabel(meta({ authors: ['Tully, Patrick'], year: 2020, zotero }), 'f.pdf'), 'Tully 2020');
      assert.equal(shortLabel(meta({ authors: ['World Health Organization'], year: 2020 }), 'f.pdf'), 'Organization 2020');
    });

    it('falls back to the title, trailing punctuation dropped, and cut to 37 characters and an ellipsis past 40', () => {
      assert.equal(shortLabel(meta({ title: 'Warfarin dosing in the elderly.', year: 2010 }), 'f.pdf'), 'Warfarin dosing in the elderly, 2010');
      assert.equal(shortLabel(meta({ title: 'Warfarin dosing in the elderly;: ' }), 'f.pdf'), 'Warfarin dosing in the elderly');
      const forty = 'a'.repeat(40);
      assert.equal(shortLabel(meta({ title: forty }), 'f.pdf'), forty);
      assert.equal(shortLabel(meta({ title: `${forty}b` }), 'f.pdf'), `${'a'.repeat(37)}…`);
    });

    it('falls back to the file name when there is no metadata', () => {
      assert.equal(shortLabel(undefined, 'tully2010.pdf'), 'tully2010.pdf');
      assert.equal(shortLabel(undefined, 'notes.'), 'notes');
    });
  });

  describe('authors from page 1', () => {
    const para = (text: string, page = 1): Paragraph => ({ page, text, section: '' });
    // Only the first 40 characters of the title, letters and digits, are compared.
    const TITLE = 'Fragment-based design: the development of N-domain-selective inhibitors';

    it('are the names in the paragraphs after the title, marks dropped and capitals tidied, up to the first paragraph that is not names', () => {
      const ps = [
        para('Journal of Tests'),
        para('FRAGMENT BASED DESIGN THE DEVELOPMENT OF NEW INHIBITORS'),
        para('ROSS G. DOUGLAS1,2*, Rajni K. Sharma2 and Edward D. Sturrock3'),
        para('1 2 * †'),
        para('Ludwig van Beethoven‡ & Jean-Luc Picard§¶#∗; Seán O’Brien'),
        para('Department of Medicine, University of Tests'),
        para('Zed Zulu'),
      ];
      assert.deepEqual(authorsFromParagraphs(ps, TITLE), ['Ross G. Douglas', 'Rajni K. Sharma', 'Edward D. Sturrock', 'Ludwig van Beethoven', 'Jean-Luc Picard', 'Seán O’Brien']);
    });

    it('are none when the title is not found on page 1', () => {
      assert.deepEqual(authorsFromParagraphs([para('Jane Smith'), para('Bob Jones')], TITLE), []);
      assert.deepEqual(authorsFromParagraphs([para(TITLE, 2), para('Jane Smith', 2)], TITLE), []);
    });

    it('stop at page 2', () => {
      assert.deepEqual(authorsFromParagraphs([para(TITLE), para('Jane Smith'), para('Bob Jones', 2), para('Ann Lee')], TITLE), ['Jane Smith']);
    });

    // Was a bug: a paragraph of marks separated by commas ("1,2") ended the list.
    it('go on after a paragraph of affiliation marks separated by commas', () => {
      assert.deepEqual(authorsFromParagraphs([para(TITLE), para('Jane Smith'), para('1,2'), para('Bob Jones')], TITLE), ['Jane Smith', 'Bob Jones']);
    });

    it('take a name of two to five words, particles included', () => {
      const names = (t: string) => authorsFromParagraphs([para(TITLE), para(t)], TITLE);
      assert.deepEqual(names('Anna Maria Luisa Sophie Weber'), ['Anna Maria Luisa Sophie Weber']);
      assert.deepEqual(names('Maria de la Cruz, Hans von der Heide'), ['Maria de la Cruz', 'Hans von der Heide']);
      for (const t of ['Anna Maria Luisa Sophie Charlotte Weber', 'Madonna', 'jane smith', 'Jane smith', 'Jane Smith and the Team']) assert.deepEqual(names(t), [], t);
    });

    it('look at the eleven paragraphs after the title and keep at most 30 names', () => {
      const surnames = 'Abbot Baker Carter Dixon Evans Fisher Green Hughes Irwin Jones Klein Lewis'.split(' ');
      const twelve = surnames.map((s) => para(`Ann ${s}`));
      assert.deepEqual(authorsFromParagraphs([para(TITLE), ...twelve], TITLE), surnames.slice(0, 11).map((s) => `Ann ${s}`));
      const many = Array.from({ length: 35 }, (_, i) => `Ann ${surnames[i % 12]}${'abc'[Math.floor(i / 12)]}`);
      assert.equal(authorsFromParagraphs([para(TITLE), para(many.join(', '))], TITLE).length, 30);
      assert.deepEqual(authorsFromParagraphs([para(TITLE), para(many.join(', '))], TITLE), many.slice(0, 30));
    });
  });

  describe('known metadata', () => {
    const known: KnownMeta = { title: 'T', authors: ['A B'], year: 2010, journal: 'J', doi: '10.1/x', zotero: { key: 'K', library: 1 } };

    it('is current when there is none, or when every field is the same (the page count aside)', () => {
      assert.equal(sameKnownMeta(undefined, undefined), true);
      assert.equal(sameKnownMeta({ title: 'x', authors: [] }, undefined), true);
      assert.equal(sameKnownMeta({ ...known, pages: 12 } as PaperMeta, { ...known }), true);
    });

    it('is not current when any field differs, or nothing was known before', () => {
      assert.equal(sameKnownMeta(undefined, known), false);
      for (const change of [{ title: 'U' }, { authors: ['A C'] }, { year: 2011 }, { journal: 'K' }, { doi: '10.1/y' }, { zotero: { key: 'L', library: 1 } }, { zotero: { key: 'K', library: 2 } }])
        assert.equal(sameKnownMeta({ ...known, ...change }, known), false, JSON.stringify(change));
    });

    it('is the metadata without the page count', () => {
      const meta: PaperMeta = { ...known, pages: 7 };
      assert.deepEqual(knownOf(meta), known);
      assert.equal(meta.pages, 7);
    });
  });

  describe('case by case (the survivors of the 2026-12-07 mutation run)', () => {
    it('the title is the largest type even when smaller type comes first at the top', () => {
      const p = page1([line('Trials group annual supplement report', 760, 9), line('Warfarin Dosing in Elderly Patients', 700, 18), ...BODY]);
      assert.equal(titleOf({}, p), 'Warfarin Dosing in Elderly Patients');
    });

    it('a title from page 1: runs of spaces become one; "research article" is dropped only in front', () => {
      assert.equal(titleOf({}, page1([line('Warfarin  Dosing in   Elderly Patients', 700, 18), ...BODY])), 'Warfarin Dosing in Elderly Patients');
      assert.equal(titleOf({}, page1([line('Outcomes of Research Article Retractions', 700, 18), ...BODY])), 'Outcomes of Research Article Retractions');
      assert.equal(titleOf({}, page1([line('Research Article Outcomes after Trial Retractions', 700, 18), ...BODY])), 'Outcomes after Trial Retractions');
    });

    it('the year next to "Published" with runs of spaces in the date', () => {
      assert.equal(yearOf(['Data from 2010 and 2010 again.', 'Published online: 12  March  2015']), 2015);
    });

    it('authors written without a space after the comma', () => {
      const ps = [{ page: 1, text: 'Warfarin dosing in elderly patients', section: '' }, { page: 1, text: 'Jane Smith,Bob Jones', section: '' }];
      assert.deepEqual(authorsFromParagraphs(ps, 'Warfarin dosing in elderly patients'), ['Jane Smith', 'Bob Jones']);
    });
  });
});
