// How passages are ranked (core/papers/bm25/search.ts): the passage that discusses the question
// comes first. A paper's title and a section heading are repeated on every one of their chunks,
// so they count half as much as the text: a title alone must not lift a chunk that says nothing.
import * as assert from 'node:assert/strict';
import { BM25, FIELD_BOOST, IndexView } from '../../../src/core/papers/bm25/search';
import type { Chunk } from '../../../src/core/papers/types';

const FILLER = 'Patients were enrolled at twelve centres and followed for a median of two years with scheduled visits.';
const chunk = (paperId: string, n: number, section: string, text: string): Chunk => ({ id: `${paperId}#${n}`, paperId, pageStart: n + 1, pageEnd: n + 1, section, text });

function library(): IndexView {
  return IndexView.of([
    // A paper whose title and section name the question's words, with chunks that do not discuss them.
    { id: 'a', title: 'Early sepsis management in adults', chunks: [0, 1, 2].map((n) => chunk('a', n, 'Sepsis outcomes', `${FILLER} Recruitment ${n}.`)) },
    // A paper on something else, with one chunk that discusses the question.
    {
      id: 'b',
      title: 'Hospital cardiology registry',
      chunks: [chunk('b', 0, 'Methods', FILLER), chunk('b', 1, 'Results', 'Sepsis was recognised late in older adults; sepsis bundles given within one hour lowered mortality.')],
    },
  ]);
}

describe('papers: ranking', () => {
  it('weights the title and section at half the text', () => {
    assert.deepEqual(FIELD_BOOST, [0.5, 0.5, 1]);
    assert.deepEqual(BM25, { k: 1.2, b: 0.75 });
  });

  it('the passage that discusses the question ranks above chunks whose title and section only name it', () => {
    const hits = library().search('sepsis management in adults', 5);
    assert.equal(hits[0].id, 'b#1', JSON.stringify(hits));
    assert.ok(hits.slice(1).some((h) => h.paperId === 'a'), 'the titled paper still comes up');
  });

  it('a title still helps among chunks that say the same', () => {
    const text = 'Lactate above 4 mmol/L predicted mortality.';
    const index = IndexView.of([
      { id: 'x', title: 'Lactate in sepsis', chunks: [chunk('x', 0, 'Results', text)] },
      { id: 'y', title: 'Ward audit', chunks: [chunk('y', 0, 'Results', text)] },
    ]);
    const hits = index.search('lactate sepsis', 2);
    assert.deepEqual(hits.map((h) => h.id), ['x#0', 'y#0']);
    assert.equal(hits[0].coverage, 1);
    assert.equal(hits[1].coverage, 0.5);
  });
});
