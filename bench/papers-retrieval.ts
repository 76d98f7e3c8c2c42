// `npm run eval:retrieval`: recall@1, recall@5 and MRR of the papers index (BM25 segments)
// on PubMedQA PQA-L (hit = a chunk of the question's own abstract, among all 1,000) and
// COVID-QA (hit = a chunk that contains the answer span, among all chunks of all papers).
import { IndexView } from '../src/core/papers/bm25/search';
import { covidqa, norm, pubmedqa, type Corpus } from './qa-corpora';

function evaluate(name: string, corpus: Corpus, isHit: (q: Corpus['questions'][number], chunkText: string, paperId: string) => boolean) {
  const t0 = Date.now();
  const index = IndexView.of(corpus.papers);
  const text = new Map<string, string>();
  let chunks = 0;
  for (const p of corpus.papers) {
    for (const c of p.chunks) text.set(c.id, c.text);
    chunks += p.chunks.length;
  }
  const build = Date.now() - t0;
  let r1 = 0;
  let r5 = 0;
  let mrr = 0;
  const t1 = Date.now();
  for (const q of corpus.questions) {
    const hits = index.search(q.q, 10);
    const rank = hits.findIndex((h) => isHit(q, text.get(h.id)!, h.paperId));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0) mrr += 1 / (rank + 1);
  }
  const n = corpus.questions.length;
  const perQuery = (Date.now() - t1) / n;
  console.log(`| ${name} | ${n} | ${corpus.papers.length} | ${chunks} | ${(r1 / n).toFixed(3)} | ${(r5 / n).toFixed(3)} | ${(mrr / n).toFixed(3)} | ${(build / 1000).toFixed(1)} s | ${perQuery.toFixed(1)} ms |`);
}

console.log('| set | questions | papers | chunks | recall@1 | recall@5 | MRR@10 | build | per query |');
console.log('|---|---|---|---|---|---|---|---|---|');
evaluate('PubMedQA PQA-L (own abstract)', pubmedqa(), (q, _t, paperId) => paperId === q.paperId);
evaluate('COVID-QA (chunk contains answer span)', covidqa(), (q, t) => !!q.answer && norm(t).includes(norm(q.answer)));
evaluate('COVID-QA (chunk of the right paper)', covidqa(), (q, _t, paperId) => paperId === q.paperId);
