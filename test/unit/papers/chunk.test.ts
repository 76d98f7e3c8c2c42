// Cutting a paper's paragraphs into indexed chunks (core/papers/chunk.ts): the size limits
// (target, max, the early cut before a heading), the overlap carried into the next chunk,
// long paragraphs split on sentences and then words, the page range and section of each
// chunk, and what is never indexed (references, boilerplate, headings alone).
import * as assert from 'node:assert/strict';
import { chunkParagraphs } from '../../../src/core/papers/chunk';
import type { Chunk, Paragraph } from '../../../src/core/papers/types';

const para = (page: number, text: string, extra: Partial<Paragraph> = {}): Paragraph => ({ page, text, section: 'Methods', ...extra });
const heading = (page: number, text: string): Paragraph => ({ page, text, section: text, heading: true });

/** Exactly n characters of four-letter words ("aaaa bbbb cccc …"), one space between, no full stop. */
function words(n: number, from = 0): string {
  let s = '';
  for (let i = from; s.length < n; i++) s += (s ? ' ' : '') + String.fromCharCode(97 + (i % 26)).repeat(4);
  return s.slice(0, n).replace(/ $/, 'z');
}

/** Exactly n characters ending in a full stop. */
const sentence = (n: number, from = 0) => `${words(n - 1, from)}.`;

const texts = (chunks: Chunk[]) => chunks.map((c) => c.text);
/** Each chunk's paragraphs (the first one of every chunk after the first is the carried overlap). */
const parts = (chunks: Chunk[]) => chunks.map((c) => c.text.split('\n\n'));

describe('papers: chunking', () => {
  it('the text helpers make texts of the exact length asked for', () => {
    assert.equal(words(14), 'aaaa bbbb cccc');
    assert.equal(words(5), 'aaaaz');
    assert.equal(sentence(10), 'aaaa bbbb.');
    assert.equal(words(1998).length, 1998);
  });

  describe('with the default sizes (target 2000, max 2500, overlap 300)', () => {
    it('closes a chunk once it reaches 2000 characters, counting 2 for each paragraph break', () => {
      const b = words(100, 3);
      const under = chunkParagraphs('p', [para(1, words(1997)), para(2, b)]);
      assert.deepEqual(texts(under), [`${words(1997)}\n\n${b}`]);
      const at = chunkParagraphs('p', [para(1, words(1998)), para(2, b)]);
      assert.equal(at.length, 2);
      assert.equal(at[0].text, words(1998));
      // The carry: the paragraph is one long "sentence", so its last words within 300 characters.
      assert.equal(at[1].text, `${words(1998).slice(1700)}\n\n${b}`);
    });

    it('never lets a chunk grow past 2500 characters', () => {
      const a = words(1000);
      const fits = chunkParagraphs('p', [para(1, a), para(1, words(1498, 7))]);
      assert.deepEqual(texts(fits), [`${a}\n\n${words(1498, 7)}`]);
      const over = chunkParagraphs('p', [para(1, a), para(1, words(1499, 7))]);
      assert.deepEqual(parts(over).map((p) => p.at(-1)), [a, words(1499, 7)]);
    });

    it('keeps a paragraph of 2500 characters whole and cuts one of 2501', () => {
      assert.deepEqual(texts(chunkParagraphs('p', [para(1, words(2500))])), [words(2500)]);
      const cut = chunkParagraphs('p', [para(1, words(2501))]);
      assert.deepEqual(parts(cut).map((p) => p.at(-1)), [words(2499), 'g']);
    });

    it('carries a last paragraph of up to 300 characters whole into the next chunk', () => {
      const big = words(1700, 1);
      const next = words(50, 9);
      const whole = chunkParagraphs('p', [para(1, big), para(1, words(300)), para(2, next)]);
      assert.deepEqual(texts(whole), [`${big}\n\n${words(300)}`, `${words(300)}\n\n${next}`]);
      const longer = chunkParagraphs('p', [para(1, big), para(1, words(301)), para(2, next)]);
      assert.equal(longer[1].text, `${words(301).slice(5)}\n\n${next}`);
    });
  });

  describe('with small sizes (target 100, max 160, overlap 40)', () => {
    const O = { target: 100, max: 160, overlap: 40 };

    it('closes a chunk at the target, counting 2 for each paragraph break', () => {
      const b = words(20, 5);
      assert.deepEqual(texts(chunkParagraphs('p', [para(1, words(97)), para(1, b)], O)), [`${words(97)}\n\n${b}`]);
      const two = chunkParagraphs('p', [para(1, words(98)), para(1, b)], O);
      assert.deepEqual(parts(two), [[words(98)], [words(98).slice(60), b]]);
    });

    it('starts a new chunk rather than pass the max', () => {
      const a = words(60);
      assert.deepEqual(texts(chunkParagraphs('p', [para(1, a), para(1, words(98, 3))], O)), [`${a}\n\n${words(98, 3)}`]);
      const two = chunkParagraphs('p', [para(1, a), para(1, words(99, 3))], O);
      assert.deepEqual(parts(two), [[a], [a.slice(25), words(99, 3)]]);
    });

    it('lets a heading start a new chunk once the current one holds 75 % of the target', () => {
      const results = heading(2, 'Results');
      const after = para(2, words(10, 4), { section: 'Results' });
      const early = chunkParagraphs('p', [para(1, words(73)), results, after], O);
      assert.deepEqual(parts(early), [[words(73)], [words(73).slice(35), 'Results', words(10, 4)]]);
      assert.deepEqual(early.map((c) => c.section), ['Methods', 'Results']);
      const late = chunkParagraphs('p', [para(1, words(72)), results, after], O);
      assert.deepEqual(parts(late), [[words(72), 'Results', words(10, 4)]]);
      assert.equal(late[0].section, 'Methods');
    });

    it('starts counting afresh after each chunk', () => {
      const chunks = chunkParagraphs('p', [para(1, words(98)), para(2, 'Small one.'), para(2, 'Small two.')], O);
      assert.deepEqual(parts(chunks), [[words(98)], [words(98).slice(60), 'Small one.', 'Small two.']]);
    });

    it('does not cut early before a paragraph that is not a heading', () => {
      const one = chunkParagraphs('p', [para(1, words(73)), para(1, words(10, 4))], O);
      assert.deepEqual(parts(one), [[words(73), words(10, 4)]]);
    });
  });

  describe('the overlap carried into the next chunk', () => {
    const O = { target: 100, max: 1000, overlap: 40 };
    const next = para(2, 'Next paragraph text.');

    it('is the last whole sentences that fit in the overlap, up to exactly its length', () => {
      const s2 = sentence(19, 2);
      const s3 = sentence(20, 6);
      const fits = chunkParagraphs('p', [para(1, `${sentence(70)} ${s2} ${s3}`), next], O);
      assert.equal(fits[1].text, `${s2} ${s3}\n\nNext paragraph text.`);
      const s2b = sentence(20, 2);
      const one = chunkParagraphs('p', [para(1, `${sentence(70)} ${s2b} ${s3}`), next], O);
      assert.equal(one[1].text, `${s3}\n\nNext paragraph text.`);
    });

    it('ends a sentence after a run of ?, ! and . and the quotes or brackets that close it', () => {
      const chunks = chunkParagraphs('p', [para(1, `${sentence(90)} Was it "safe?!" Yes (mostly).`), next], { ...O, overlap: 13 });
      assert.equal(chunks[1].text, 'Yes (mostly).\n\nNext paragraph text.');
      const two = chunkParagraphs('p', [para(1, `${sentence(90)} Was it "safe?!" Yes (mostly).`), next], { ...O, overlap: 29 });
      assert.equal(two[1].text, 'Was it "safe?!" Yes (mostly).\n\nNext paragraph text.');
    });

    it('counts words after the last full stop as a sentence', () => {
      const chunks = chunkParagraphs('p', [para(1, `${sentence(80)} ${words(20, 5)}`), next], O);
      assert.equal(chunks[1].text, `${words(20, 5)}\n\nNext paragraph text.`);
    });

    it('is the whole last paragraph, exactly as written, when it is no longer than the overlap', () => {
      const last = `... and bleeding stopped in ${'x'.repeat(11)}.`;
      assert.equal(last.length, 40);
      const chunks = chunkParagraphs('p', [para(1, words(70)), para(1, last), next], O);
      assert.deepEqual(parts(chunks), [[words(70), last], [last, 'Next paragraph text.']]);
    });

    it('is the last words within the overlap when no sentence fits', () => {
      const long = words(110);
      const chunks = chunkParagraphs('p', [para(1, long), next], O);
      // The first space at or after character 70 is at 74: the carry starts right after it.
      assert.equal(chunks[1].text, `${long.slice(75)}\n\nNext paragraph text.`);
    });

    it('is the last characters within the overlap when they hold no space (a long URL)', () => {
      // Was: the whole paragraph was carried, so a chunk could grow to twice the max.
      const url = `Data: https://example.org/${'a'.repeat(100)}`;
      const chunks = chunkParagraphs('p', [para(1, url), next], O);
      assert.equal(chunks[1].text, `${url.slice(-40)}\n\nNext paragraph text.`);
    });

    it('comes from the last paragraph that is not a heading, and counts for the page range', () => {
      const title = 'Results of the randomised trial in all enrolled patients';
      const chunks = chunkParagraphs('p', [para(1, sentence(50)), heading(1, title), para(2, words(30, 9), { section: 'Results' })], O);
      assert.deepEqual(texts(chunks), [`${sentence(50)}\n\n${title}`, `${sentence(50).slice(15)}\n\n${words(30, 9)}`]);
      assert.deepEqual([chunks[1].pageStart, chunks[1].pageEnd, chunks[1].section], [1, 2, 'Results']);
    });
  });

  describe('a paragraph longer than the max', () => {
    const O = { target: 1000, max: 100, overlap: 60 };

    it('is split between sentences, as many whole sentences to a piece as fit', () => {
      const a = sentence(49);
      const b = sentence(49, 10);
      const c = sentence(20, 20);
      const chunks = chunkParagraphs('p', [para(1, `${a} ${b} ${c}`)], O);
      // A piece may fill the max exactly ("A " and "B " are 50 characters each).
      assert.deepEqual(parts(chunks), [[`${a} ${b}`], [b, c]]);
    });

    it('cuts a run without sentence ends at the last space before the max when it is past the middle', () => {
      const text = `${'x'.repeat(51)} ${'y'.repeat(120)}`;
      const chunks = chunkParagraphs('p', [para(1, text)], O);
      assert.deepEqual(parts(chunks).map((p) => p.at(-1)), ['x'.repeat(51), 'y'.repeat(99), 'y'.repeat(21)]);
    });

    it('cuts at the max itself when the last space is at the middle or before it', () => {
      const text = `${'x'.repeat(50)} ${'y'.repeat(120)}`;
      const chunks = chunkParagraphs('p', [para(1, text)], O);
      assert.deepEqual(parts(chunks).map((p) => p.at(-1)), [`${'x'.repeat(50)} ${'y'.repeat(49)}`, 'y'.repeat(71)]);
      const noSpace = chunkParagraphs('p', [para(1, 'z'.repeat(250))], O);
      assert.deepEqual(parts(noSpace).map((p) => p.at(-1)), ['z'.repeat(100), 'z'.repeat(100), 'z'.repeat(50)]);
    });

    it('keeps a last sentence of exactly the max whole', () => {
      const last = `${words(99, 3)}.`;
      const chunks = chunkParagraphs('p', [para(1, `Aaaa bbbb. ${last}`)], O);
      assert.deepEqual(parts(chunks).map((p) => p.at(-1)), ['Aaaa bbbb.', last]);
    });

    it('makes no empty piece of the spaces a paragraph ends with', () => {
      const chunks = chunkParagraphs('p', [para(1, `${'x'.repeat(100)}   `)], O);
      assert.deepEqual(texts(chunks), ['x'.repeat(100)]);
    });

    it('keeps the page and section of the paragraph on every piece', () => {
      const chunks = chunkParagraphs('p', [para(4, `${'x'.repeat(51)} ${'y'.repeat(120)}`, { section: 'Results' })], O);
      assert.deepEqual(
        chunks.map((c) => [c.pageStart, c.pageEnd, c.section]),
        [
          [4, 4, 'Results'],
          [4, 4, 'Results'],
          [4, 4, 'Results'],
        ],
      );
    });
  });

  describe('what a chunk says about itself', () => {
    it('numbers chunks after the paper id', () => {
      const chunks = chunkParagraphs('0123abcd', [para(1, words(1998)), para(2, words(40))]);
      assert.deepEqual(
        chunks.map((c) => [c.id, c.paperId]),
        [
          ['0123abcd#0', '0123abcd'],
          ['0123abcd#1', '0123abcd'],
        ],
      );
    });

    it('spans the pages of its paragraphs', () => {
      const [c] = chunkParagraphs('p', [para(3, 'Warfarin dosing was adjusted weekly.'), para(4, 'Bleeding was rare in both groups.'), para(5, 'Follow-up lasted two years.')]);
      assert.deepEqual([c.pageStart, c.pageEnd], [3, 5]);
      assert.equal(c.text, 'Warfarin dosing was adjusted weekly.\n\nBleeding was rare in both groups.\n\nFollow-up lasted two years.');
    });

    it('does not let a stray fragment (fewer than three words) widen the page range', () => {
      const chunk = (...ps: Paragraph[]) => chunkParagraphs('p', ps)[0];
      const body = para(2, 'Warfarin dosing was adjusted weekly.');
      assert.deepEqual([chunk(body, para(3, '12')).pageEnd, chunk(body, para(3, 'of it')).pageEnd, chunk(para(1, 'Aa bb'), body).pageStart], [2, 2, 2]);
      assert.deepEqual([chunk(body, para(3, 'Aa bb cc')).pageEnd, chunk(para(1, 'Aa bb cc'), body).pageStart], [3, 1]);
    });

    it('uses every page when no paragraph has three words', () => {
      const [c] = chunkParagraphs('p', [para(4, '12'), para(5, 'x y')]);
      assert.deepEqual([c.pageStart, c.pageEnd], [4, 5]);
    });

    it('takes its section from its first paragraph that is not a heading', () => {
      const [c] = chunkParagraphs('p', [heading(1, 'Discussion'), para(1, 'Some discussion of the results here.', { section: 'Discussion' }), para(2, 'More text.', { section: 'Limitations' })]);
      assert.equal(c.section, 'Discussion');
      assert.equal(c.text, 'Discussion\n\nSome discussion of the results here.\n\nMore text.');
    });
  });

  describe('what is not indexed', () => {
    it('leaves out reference lists and boilerplate', () => {
      const chunks = chunkParagraphs('p', [
        para(1, 'Intro text about warfarin.'),
        para(6, 'Smith J. Warfarin. N Engl J Med. 2001.', { reference: true }),
        para(1, 'This is an open access article distributed under the Creative Commons licence.', { boilerplate: true }),
        para(2, 'More text about bleeding.'),
      ]);
      assert.deepEqual(texts(chunks), ['Intro text about warfarin.\n\nMore text about bleeding.']);
      assert.deepEqual([chunks[0].pageStart, chunks[0].pageEnd], [1, 2]);
    });

    it('makes no chunk of headings alone', () => {
      assert.deepEqual(chunkParagraphs('p', [heading(1, 'Abstract'), heading(1, 'Introduction')]), []);
      assert.deepEqual(chunkParagraphs('p', []), []);
      const chunks = chunkParagraphs('p', [para(1, words(1998)), heading(2, 'References')]);
      assert.deepEqual(texts(chunks), [words(1998)]);
    });
  });
});
