// The segment index (core/papers/bm25) replaced minisearch (2026-12) without changing a single
// ranking: the same BM25, fields, boosts, length normalisation and "matched words" factor,
// score for score, on every question of both QA sets. (Its own file: it takes ~15 s, and a
// mutation run should not pay that for every mutant of the ranking.)
import * as assert from 'node:assert/strict';
import { IndexView } from '../../../src/core/papers/bm25/search';
import { ChunkIndex } from '../../../bench/minisearch-index';
import { covidqa, pubmedqa } from '../../../bench/qa-corpora';

describe('papers: ranking against the earlier index', function () {
  this.timeout(120_000);
  for (const [name, corpus] of [
    ['PubMedQA', pubmedqa],
    ['COVID-QA', covidqa],
  ] as const) {
    it(`scores every ${name} question's top 10 as minisearch did`, () => {
      const { papers, questions } = corpus();
      const old = ChunkIndex.empty();
      for (const p of papers) old.add(p.chunks, p.title);
      const now = IndexView.of(papers);
      assert.equal(now.size, old.size);
      let compared = 0;
      for (const q of questions) {
        const a = old.search(q.q, 10);
        const b = now.search(q.q, 10);
        assert.equal(b.length, a.length, q.q);
        a.forEach((h, i) => {
          assert.ok(Math.abs(h.score - b[i].score) <= 1e-9 * h.score, `${q.q}: #${i + 1} ${b[i].score} vs ${h.score}`);
          assert.equal(b[i].coverage, h.coverage);
          // Equal scores may come in either order; a different chunk must score the same.
          if (b[i].id !== h.id) assert.ok(a.some((x) => x.id === b[i].id && Math.abs(x.score - b[i].score) <= 1e-9 * x.score), q.q);
          compared++;
        });
      }
      assert.ok(compared > 5 * questions.length, `${compared} hits compared`);
    });
  }
});
