// BM25 search and index words, case by case (core/papers/bm25/search.ts, words.ts): exact
// scores of small corpora against BM25 written out here (k 1.2, b 0.75, idf, field boosts,
// live masks, several parts), the order and count of hits, the coverage check's thresholds,
// and the word rules (short pieces, stop words, the plural folding) at each boundary.
import * as assert from 'node:assert/strict';
import { coversQuestion, IndexView } from '../../../src/core/papers/bm25/search';
import { Segment } from '../../../src/core/papers/bm25/segment';
import { fieldLength, processTerm, terms, tokenize } from '../../../src/core/papers/bm25/words';
import type { Chunk } from '../../../src/core/papers/types';

/** One field's part of a score, written out: boost × idf × tf (k + 1) / (tf + k (1 − b + b len / avg)). */
function part(boost: number, docs: number, df: number, tf: number, len: number, avg: number): number {
  const k = 1.2;
  const b = 0.75;
  const idf = Math.log(1 + (docs - df + 0.5) / (df + 0.5));
  return (boost * idf * tf * (k + 1)) / (tf + k * (1 - b + (b * len) / avg));
}

const chunk = (paperId: string, n: number, text: string, section = ''): Chunk => ({ id: `${paperId}#${n}`, paperId, pageStart: 1, pageEnd: 1, section, text });
const seg = (papers: { id: string; title: string; chunks: Chunk[] }[]) => Segment.build(papers.map((p) => ({ paper: { id: p.id }, title: p.title, chunks: p.chunks })));

/** Ids, scores and coverages, the scores compared to 12 decimal places. */
function same(actual: { id: string; score: number; coverage: number }[], expected: [string, number, number][]) {
  assert.deepEqual(
    actual.map((h) => [h.id, h.score.toFixed(12), h.coverage]),
    expected.map(([id, score, coverage]) => [id, score.toFixed(12), coverage]),
  );
}

/**
 * Text only (empty titles and sections, each 1 piece long): text lengths 1, 2, 4, 1 (average 2).
 * "heparin" in two docs (tf 1 and 2), "dose" in two (lengths 2 and 4), "warfarin" in one.
 */
const TEXTS = [
  { id: 'p0', title: '', chunks: [chunk('p0', 0, 'heparin'), chunk('p0', 1, 'heparin heparin dose')] },
  { id: 'p1', title: '', chunks: [chunk('p1', 0, 'aspirin dose given daily'), chunk('p1', 1, 'warfarin')] },
];
const H0 = part(1, 4, 2, 1, 1, 2);
const H1 = part(1, 4, 2, 2, 2, 2);
const D1 = part(1, 4, 2, 1, 2, 2);
const D2 = part(1, 4, 2, 1, 4, 2);

/**
 * "sepsis" once in each field, in a different doc each; every field as long as its average
 * (title 1, section 1, text 2), so the scores differ by the fields' boosts only.
 */
const FIELDS = [
  { id: 't', title: 'Sepsis', chunks: [chunk('t', 0, 'fluids given', 'Methods')] },
  { id: 's', title: 'Cohort', chunks: [chunk('s', 0, 'fluids given', 'Sepsis')] },
  { id: 'x', title: 'Cohort', chunks: [chunk('x', 0, 'sepsis fluids', 'Methods')] },
];

describe('papers: BM25, case by case', () => {
  describe('scores', () => {
    it('weighs term frequency and text length with k 1.2 and b 0.75, and rarity with BM25’s idf', () => {
      const view = IndexView.of(TEXTS);
      assert.equal(view.size, 4);
      same(view.search('heparin', 10), [
        ['p0#1', H1, 1],
        ['p0#0', H0, 1],
      ]);
      same(view.search('dose', 10), [
        ['p0#1', D1, 1],
        ['p1#0', D2, 1],
      ]);
      same(view.search('warfarin', 10), [['p1#1', part(1, 4, 1, 1, 1, 2), 1]]);
    });

    it('the written-out numbers, for the record', () => {
      const ln2 = Math.log(2);
      assert.equal(H0.toFixed(12), ((ln2 * 2.2) / 1.75).toFixed(12));
      assert.equal(H1.toFixed(12), ((ln2 * 4.4) / 3.2).toFixed(12));
      assert.equal(D2.toFixed(12), ((ln2 * 2.2) / 3.1).toFixed(12));
    });

    it('sums a chunk’s words, then multiplies by how many distinct question words it has', () => {
      same(IndexView.of(TEXTS).search('heparin dose', 10), [
        ['p0#1', (H1 + D1) * 2, 1],
        ['p0#0', H0, 0.5],
        ['p1#0', D2, 0.5],
      ]);
    });

    it('counts a repeated question word again (after folding and lower-casing) but not as another distinct word', () => {
      same(IndexView.of(TEXTS).search('Heparins HEPARIN', 10), [
        ['p0#1', 2 * H1, 1],
        ['p0#0', 2 * H0, 1],
      ]);
      same(IndexView.of(TEXTS).search('heparin heparin dose', 1), [['p0#1', (2 * H1 + D1) * 2, 1]]);
    });

    it('gives the coverage as the share of distinct question words found', () => {
      same(IndexView.of(TEXTS).search('aspirin warfarin heparin', 1), [['p1#1', part(1, 4, 1, 1, 1, 2), 1 / 3]]);
      same(IndexView.of(TEXTS).search('the unknownword heparin', 1), [['p0#1', H1, 1 / 2]]);
    });

    it('weighs a title and a section at half the text', () => {
      const one = part(1, 3, 1, 1, 1, 1);
      assert.equal(one.toFixed(12), part(1, 3, 1, 1, 2, 2).toFixed(12));
      same(IndexView.of(FIELDS).search('sepsis', 10), [
        ['x#0', one, 1],
        ['t#0', 0.5 * one, 1],
        ['s#0', 0.5 * one, 1],
      ]);
    });

    it('sums the fields, each with its own document frequency and average length', () => {
      // Title lengths 2, 2, 1 (avg 5/3); sections 1, 1, 1; texts 3, 1, 2 (avg 2).
      // "sepsis": title of a#0 and a#1 (df 2), section of a#0 (df 1), text of a#0 and b#0 (df 2).
      const view = IndexView.of([
        { id: 'a', title: 'Sepsis care', chunks: [chunk('a', 0, 'sepsis and fluids', 'Sepsis'), chunk('a', 1, 'fluids', 'Methods')] },
        { id: 'b', title: 'Audit', chunks: [chunk('b', 0, 'sepsis sepsis sepsis rates', 'Results')] },
      ]);
      const avgTitle = 5 / 3;
      const a0 = part(0.5, 3, 2, 1, 2, avgTitle) + part(0.5, 3, 1, 1, 1, 1) + part(1, 3, 2, 1, 3, 2);
      const a1 = part(0.5, 3, 2, 1, 2, avgTitle);
      const b0 = part(1, 3, 2, 3, 2, 2);
      assert.deepEqual([a0, b0, a1].map((x) => x.toFixed(6)), ['1.097835', '0.738577', '0.217229']);
      same(view.search('sepsis', 10), [
        ['a#0', a0, 1],
        ['b#0', b0, 1],
        ['a#1', a1, 1],
      ]);
    });

    it('does without length normalisation for a field whose average length is 0', () => {
      const s = seg(FIELDS);
      for (let d = 0; d < s.docs; d++) s.fieldLen[d * 3] = 0;
      const view = new IndexView([{ seg: s }]);
      const idf = Math.log(1 + 2.5 / 1.5);
      const title = (0.5 * idf * 2.2) / (1 + 1.2 * 0.25);
      same(view.search('sepsis', 1, new Set(['t'])), [['t#0', title, 1]]);
    });

    it('counts only live docs for the document count, the average lengths and the document frequency', () => {
      const view = new IndexView([{ seg: seg(TEXTS), live: Uint8Array.of(1, 0, 1, 1) }]);
      assert.equal(view.size, 3);
      // Texts 1, 4, 1: average 2; "heparin" now in one doc of three.
      same(view.search('heparin', 10), [['p0#0', part(1, 3, 1, 1, 1, 2), 1]]);
      same(view.search('dose', 10), [['p1#0', part(1, 3, 1, 1, 4, 2), 1]]);
      const shorter = new IndexView([{ seg: seg(TEXTS), live: Uint8Array.of(1, 1, 0, 1) }]);
      // Texts 1, 2, 1: average 4/3.
      same(shorter.search('heparin', 10), [
        ['p0#1', part(1, 3, 2, 2, 2, 4 / 3), 1],
        ['p0#0', part(1, 3, 2, 1, 1, 4 / 3), 1],
      ]);
    });

    it('searches several parts as one index, naming each hit by its own part’s paper and chunk', () => {
      const first = seg([{ id: 'p0', title: '', chunks: [chunk('p0', 3, 'heparin'), chunk('p0', 5, 'heparin heparin dose')] }]);
      const empty = seg([]);
      const second = seg([{ id: 'p1', title: '', chunks: [chunk('p1', 7, 'aspirin dose given daily'), chunk('p1', 9, 'warfarin')] }]);
      const view = new IndexView([{ seg: first }, { seg: empty }, { seg: second }]);
      assert.equal(view.size, 4);
      same(view.search('heparin dose', 10), [
        ['p0#5', (H1 + D1) * 2, 1],
        ['p0#3', H0, 0.5],
        ['p1#7', D2, 0.5],
      ]);
      same(view.search('warfarin', 10), [['p1#9', part(1, 4, 1, 1, 1, 2), 1]]);
      const masked = new IndexView([{ seg: first, live: Uint8Array.of(1, 1) }, { seg: empty }, { seg: second, live: Uint8Array.of(0, 1) }]);
      assert.equal(masked.size, 3);
      same(masked.search('dose aspirin', 10), [['p0#5', part(1, 3, 1, 1, 2, 4 / 3), 0.5]]);
      same(masked.search('warfarin', 10), [['p1#9', part(1, 3, 1, 1, 1, 4 / 3), 1]]);
    });

    it('gives the same answer to the same question asked again, and to another question after it', () => {
      const view = IndexView.of(TEXTS);
      const first = view.search('heparin dose', 10);
      view.search('warfarin aspirin', 10);
      assert.deepEqual(view.search('heparin dose', 10), first);
      assert.deepEqual(view.search('heparin dose', 10), first);
    });
  });

  describe('which hits, in which order', () => {
    it('orders by score, keeps equal scores in doc order, and keeps the k best', () => {
      const view = IndexView.of(FIELDS);
      assert.deepEqual(view.search('sepsis', 10).map((h) => h.id), ['x#0', 't#0', 's#0']);
      assert.deepEqual(view.search('sepsis', 2).map((h) => h.id), ['x#0', 't#0']);
      assert.deepEqual(view.search('sepsis', 1).map((h) => h.id), ['x#0']);
      // A later doc that scores better takes the place of an earlier one.
      assert.deepEqual(IndexView.of(TEXTS).search('heparin', 1).map((h) => h.id), ['p0#1']);
      assert.deepEqual(IndexView.of(TEXTS).search('heparin dose', 2).map((h) => h.id), ['p0#1', 'p0#0']);
    });

    it('gives nothing for k of 0 or less, a question without indexed words, or no live doc', () => {
      const view = IndexView.of(TEXTS);
      assert.deepEqual(view.search('heparin', 0), []);
      assert.deepEqual(view.search('heparin', -1), []);
      assert.deepEqual(view.search('the of, a!', 5), []);
      assert.deepEqual(view.search('', 5), []);
      assert.deepEqual(view.search('absentword', 5), []);
      const dead = new IndexView([{ seg: seg(TEXTS), live: new Uint8Array(4) }]);
      assert.equal(dead.size, 0);
      assert.deepEqual(dead.search('heparin', 5), []);
    });

    it('keeps to the papers asked for, filling k from them alone', () => {
      const view = IndexView.of(TEXTS);
      same(view.search('heparin dose', 1, new Set(['p1'])), [['p1#0', D2, 0.5]]);
      assert.deepEqual(view.search('heparin dose', 10, new Set(['p0'])).map((h) => h.id), ['p0#1', 'p0#0']);
      assert.deepEqual(view.search('heparin dose', 10, new Set()), []);
    });

    it('names each hit’s paper', () => {
      assert.deepEqual(
        IndexView.of(TEXTS).search('dose', 10).map((h) => [h.id, h.paperId]),
        [
          ['p0#1', 'p0'],
          ['p1#0', 'p1'],
        ],
      );
    });
  });

  describe('coversQuestion', () => {
    const covers = (q: string, coverage: number) => coversQuestion(q, { coverage });

    it('is false without a best passage', () => {
      assert.equal(coversQuestion('heparin', undefined), false);
    });

    it('is true for a question without indexed words when there is a passage', () => {
      assert.equal(covers('the of', 0), true);
    });

    it('needs every word of a question of one or two distinct words', () => {
      assert.equal(covers('heparin', 1), true);
      assert.equal(covers('heparin', 0), false);
      assert.equal(covers('heparin dose', 1), true);
      assert.equal(covers('heparin dose', 0.5), false);
      assert.equal(covers('heparin heparin dose', 0.5), false, 'two distinct words');
    });

    it('needs 40 % of the distinct words, rounded up, from three words on', () => {
      assert.equal(covers('a1 b1 c1', 2 / 3), true);
      assert.equal(covers('a1 b1 c1', 1 / 3), false);
      assert.equal(covers('a1 b1 c1 d1 e1', 0.4), true);
      assert.equal(covers('a1 b1 c1 d1 e1', 0.2), false);
      assert.equal(covers('a1 b1 c1 d1 e1 f1', 3 / 6), true);
      assert.equal(covers('a1 b1 c1 d1 e1 f1', 2 / 6), false);
      assert.equal(covers('a1 b1 c1 d1 e1 f1 g1 h1 i1 j1', 0.4), true);
      assert.equal(covers('a1 b1 c1 d1 e1 f1 g1 h1 i1 j1', 0.3), false);
    });

    it('rounds the coverage back to a count of words', () => {
      assert.equal(covers('a1 b1 c1', 0.5), true, '1.5 words round to 2');
      assert.equal(covers('a1 b1 c1', 0.49), false, '1.47 words round to 1');
    });
  });

  describe('words', () => {
    it('folds a final s from five letters on, and not at four', () => {
      assert.deepEqual(['doses', 'ideas', 'alias', 'cells', 'units', '1000s'].map(processTerm), ['dose', 'idea', 'alia', 'cell', 'unit', '1000']);
      assert.deepEqual(['dogs', 'axis', 'gas', '12s', 'ss'].map(processTerm), ['dogs', 'axis', 'gas', '12s', 'ss']);
    });

    it('keeps words ending in ss, us and is, and drops only the s of ies and es', () => {
      assert.deepEqual(['class', 'sssss', 'focus', 'basis', 'sepsis'].map(processTerm), ['class', 'sssss', 'focus', 'basis', 'sepsis']);
      assert.deepEqual(['studies', 'diabetes', 'lenses', 'kidneys'].map(processTerm), ['studie', 'diabete', 'lense', 'kidney']);
      assert.deepEqual(['virusx', 'lass5', 'tissue'].map(processTerm), ['virusx', 'lass5', 'tissue']);
    });

    it('lower-cases before folding and before the stop words', () => {
      assert.deepEqual(['CELLS', 'CLASS', 'FOCUS', 'BASIS', 'THE', 'Is', 'US'].map(processTerm), ['cell', 'class', 'focus', 'basis', null, null, 'us']);
    });

    it('drops a stop word before folding, and does not look the folded word up again', () => {
      assert.equal(processTerm('themselves'), null);
      assert.equal(processTerm('ourselves'), null);
      assert.equal(processTerm('doings'), 'doing');
    });

    it('drops a one-character piece unless it is an ASCII digit', () => {
      assert.deepEqual(['x', 'é', 'β', '0', '9', '٣', '²'].map(processTerm), [null, null, null, '0', '9', null, null]);
      assert.deepEqual(['𝛽', 'xy', '٣٤'].map(processTerm), ['𝛽', 'xy', '٣٤'], 'two UTF-16 units are two characters');
    });

    it('splits on runs of anything but letters and numbers of any script', () => {
      assert.deepEqual(tokenize('CO₂ x² ½dose'), ['CO₂', 'x²', '½dose']);
      assert.deepEqual(tokenize('a--b  c'), ['a', 'b', 'c']);
      assert.deepEqual(tokenize('-a-'), ['', 'a', '']);
    });

    it('gives the indexed words in order, folded', () => {
      assert.deepEqual(terms('Doses of β-blockers: 2 studies, 1000s of CELLS'), ['dose', 'blocker', '2', 'studie', '1000', 'cell']);
    });

    it('counts field length by distinct raw pieces, case kept apart', () => {
      assert.equal(fieldLength(['A', 'a', 'a']), 2);
      assert.equal(fieldLength(tokenize('Heparin heparin HEPARIN')), 3);
    });
  });
});
