// The words of the papers index (core/papers/bm25/words.ts): how text is split into pieces,
// which pieces count (short pieces, stop words), the light plural folding, and the field
// length BM25 normalises by.
import * as assert from 'node:assert/strict';
import { fieldLength, processTerm, terms, tokenize } from '../../../src/core/papers/bm25/words';

describe('papers: index words', () => {
  describe('tokenize', () => {
    it('splits on every run of characters that are neither letters nor digits, keeping the empty ends', () => {
      assert.deepEqual(tokenize('Warfarin, 5mg/day -- β-blockers!'), ['Warfarin', '5mg', 'day', 'β', 'blockers', '']);
      assert.deepEqual(tokenize('  Sepsis'), ['', 'Sepsis']);
    });

    it('keeps letters and digits of any script inside one piece', () => {
      assert.deepEqual(tokenize('Ödeme bei Herzinsuffizienz 心力衰竭 ٣٤'), ['Ödeme', 'bei', 'Herzinsuffizienz', '心力衰竭', '٣٤']);
    });

    it('gives the whole text back when it has no separator', () => {
      assert.deepEqual(tokenize('HbA1c'), ['HbA1c']);
      assert.deepEqual(tokenize(''), ['']);
    });
  });

  describe('processTerm', () => {
    it('lower-cases what it keeps', () => {
      assert.equal(processTerm('INR'), 'inr');
      assert.equal(processTerm('Ödem'), 'ödem');
    });

    it('drops a one-letter piece but keeps a one-digit piece and every two-letter word', () => {
      assert.equal(processTerm('q'), null);
      assert.equal(processTerm('Q'), null);
      assert.equal(processTerm(''), null);
      assert.equal(processTerm('5'), '5');
      assert.equal(processTerm('hb'), 'hb');
      assert.equal(processTerm('K2'), 'k2');
    });

    it('drops stop words whatever their case, including the ones added for papers', () => {
      for (const w of ['the', 'The', 'AND', 'were', 'also', 'et', 'al', 'vs', 'via', 'however', 'using']) assert.equal(processTerm(w), null, w);
    });

    it('folds a plural of five letters or more to its singular', () => {
      assert.equal(processTerm('Infections'), 'infection');
      assert.equal(processTerm('cells'), 'cell');
      assert.equal(processTerm('patients'), 'patient');
    });

    it('leaves a four-letter word ending in s as it is', () => {
      assert.equal(processTerm('beds'), 'beds');
      assert.equal(processTerm('days'), 'days');
    });

    it('does not fold words ending in ss, us or is', () => {
      assert.equal(processTerm('glass'), 'glass');
      assert.equal(processTerm('illness'), 'illness');
      assert.equal(processTerm('virus'), 'virus');
      assert.equal(processTerm('Fibrinogenus'), 'fibrinogenus');
      assert.equal(processTerm('sepsis'), 'sepsis');
      assert.equal(processTerm('analysis'), 'analysis');
    });

    it('leaves words that do not end in s untouched', () => {
      assert.equal(processTerm('warfarin'), 'warfarin');
      assert.equal(processTerm('sepsisx'), 'sepsisx');
      assert.equal(processTerm('ssss5'), 'ssss5');
    });
  });

  describe('terms', () => {
    it('gives the indexed words of a text in order, repeats kept, dropped pieces left out', () => {
      assert.deepEqual(terms('The infections, and an infection: 2 days of Q fever.'), ['infection', 'infection', '2', 'days', 'fever']);
    });

    it('gives nothing for a text of stop words and punctuation', () => {
      assert.deepEqual(terms(' -- the of, a! '), []);
    });
  });

  describe('fieldLength', () => {
    it('counts distinct raw pieces, stop words and the empty piece included', () => {
      assert.equal(fieldLength(['a', 'b', 'a', '']), 3);
      assert.equal(fieldLength(tokenize('The trial. The trial.')), 3);
      assert.equal(fieldLength([]), 0);
    });
  });
});
