// `npm run eval:retrieval`: recall@1, recall@5 and MRR of the papers index (BM25 segments)
// on PubMedQA PQA-L (hit = a chunk of the question's own abstract, among all 1,000) and
// COVID-QA (hit = a chunk that contains the answer span, among all chunks of all papers).
//
// `npm run eval:retrieval -- --embeddings URL MODEL`: the same sets by meaning alone and fused
// with the words (reciprocal rank fusion, as `ask` does), with a text-embedding model served
// at URL (e.g. vLLM at http://localhost:8001/v1). Every chunk and question is embedded once.
//
// `-- --rerank URL MODEL [--limit N]`: the best ranking above, then MedGemma's scoring step
// (`ask --rerank`) over its top 20, one request per question (N questions per set, default
// 200: each is a MedGemma request), with the requests and tokens it cost.
import { IndexView } from '../src/core/papers/bm25/search';
import { FUSE_DEPTH, fuseRanks } from '../src/core/papers/dense/hybrid';
import { RERANK_POOL, rerankPassages } from '../src/core/papers/rerank';
import type { PaperRecord, SearchHit } from '../src/core/papers/types';
import { addUsage, type Usage } from '../src/core/server/types';
import { makeConfig } from '../src/core/server/config';
import { noCredentials } from '../src/core/server/credentials';
import { MedGemmaClient } from '../src/core/server/service';
import { covidqa, norm, pubmedqa, type Corpus } from './qa-corpora';

type Ranker = (q: string, k: number) => { id: string; paperId: string }[];

/** Cosine top-k over the corpus's chunk vectors, with the question's vector made beforehand. */
async function denseRankers(corpus: Corpus, client: MedGemmaClient, words: IndexView): Promise<{ meaning: Ranker; fused: Ranker }> {
  const chunks = corpus.papers.flatMap((p) => p.chunks);
  const t0 = Date.now();
  const vectors = await client.embed(chunks.map((c) => c.text));
  const asked = await client.embed(corpus.questions.map((q) => q.q));
  const questionVector = new Map(corpus.questions.map((q, i) => [q.q, asked[i]]));
  console.error(`embedded ${chunks.length} chunks and ${asked.length} questions in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const meaning: Ranker = (q, k) => {
    const v = questionVector.get(q)!;
    return chunks
      .map((c, i) => ({ id: c.id, paperId: c.paperId, score: vectors[i].reduce((s, x, j) => s + x * v[j], 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  };
  const paperOf = new Map(chunks.map((c) => [c.id, c.paperId]));
  const fused: Ranker = (q, k) =>
    fuseRanks([words.search(q, FUSE_DEPTH).map((h) => h.id), meaning(q, FUSE_DEPTH).map((h) => h.id)])
      .slice(0, k)
      .map((f) => ({ id: f.id, paperId: paperOf.get(f.id)! }));
  return { meaning, fused };
}

type IsHit = (q: Corpus['questions'][number], chunkText: string, paperId: string) => boolean;

/** Each way of ranking, over one corpus, scored by each definition of a hit. */
async function evaluate(corpus: Corpus, sets: [string, IsHit][], client?: MedGemmaClient) {
  const t0 = Date.now();
  const index = IndexView.of(corpus.papers);
  const build = Date.now() - t0;
  const rankers: [string, Ranker][] = [['words', (q, k) => index.search(q, k)]];
  if (client) {
    const { meaning, fused } = await denseRankers(corpus, client, index);
    rankers.push(['meaning', meaning], ['words+meaning', fused]);
  }
  for (const [name, isHit] of sets) for (const [method, ranker] of rankers) score(`${name}, ${method}`, corpus, isHit, ranker, build);
  if (scorer) {
    const [method, ranker] = rankers.at(-1)!;
    const limited = { ...corpus, questions: corpus.questions.slice(0, scorer.limit) };
    const { ranked, requests, usage, failures } = await rescore(limited, ranker, scorer.client);
    const cost = `${requests} requests, ${usage?.totalTokens ?? 0} tokens (${Math.round((usage?.totalTokens ?? 0) / limited.questions.length)} a question)${failures ? `, ${failures} unreadable or failed` : ''}`;
    for (const [name, isHit] of sets) {
      // The same questions without the step, for a fair comparison.
      score(`${name}, ${method}, first ${limited.questions.length}`, limited, isHit, ranker, build);
      score(`${name}, ${method} + MedGemma scoring, first ${limited.questions.length} — ${cost}`, limited, isHit, (q) => ranked.get(q)!, build);
    }
  }
}

/** Each question's top RERANK_POOL from `ranker`, reordered by MedGemma's scores (as `ask --rerank`). */
async function rescore(corpus: Corpus, ranker: Ranker, client: MedGemmaClient) {
  const chunks = new Map(corpus.papers.flatMap((p) => p.chunks).map((c) => [c.id, c]));
  const ranked = new Map<string, { id: string; paperId: string }[]>();
  let requests = 0;
  let usage: Usage | undefined;
  let failures = 0;
  for (const q of corpus.questions) {
    const hits: SearchHit[] = ranker(q.q, RERANK_POOL).map((h) => {
      const paper = { id: h.paperId, file: `${h.paperId}.pdf`, hash: '', size: 0, mtimeMs: 0, state: 'indexed', chunks: 0, extractor: '' } satisfies PaperRecord;
      return { chunk: chunks.get(h.id)!, paper, score: 0, coverage: 1 };
    });
    const r = await rerankPassages(client, q.q, hits);
    requests += r.cost.requests;
    if (r.cost.usage) usage = addUsage(usage, r.cost.usage);
    if (r.cost.failure) failures++;
    ranked.set(q.q, r.hits.map((h) => ({ id: h.chunk.id, paperId: h.chunk.paperId })));
  }
  return { ranked, requests, usage, failures };
}

function score(name: string, corpus: Corpus, isHit: IsHit, ranker: Ranker, build: number) {
  const text = new Map<string, string>();
  let chunks = 0;
  for (const p of corpus.papers) {
    for (const c of p.chunks) text.set(c.id, c.text);
    chunks += p.chunks.length;
  }
  let r1 = 0;
  let r5 = 0;
  let mrr = 0;
  const t1 = Date.now();
  for (const q of corpus.questions) {
    const hits = ranker(q.q, 10);
    const rank = hits.findIndex((h) => isHit(q, text.get(h.id)!, h.paperId));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0) mrr += 1 / (rank + 1);
  }
  const n = corpus.questions.length;
  const perQuery = (Date.now() - t1) / n;
  console.log(`| ${name} | ${n} | ${corpus.papers.length} | ${chunks} | ${(r1 / n).toFixed(3)} | ${(r5 / n).toFixed(3)} | ${(mrr / n).toFixed(3)} | ${(build / 1000).toFixed(1)} s | ${perQuery.toFixed(1)} ms |`);
}

const at = process.argv.indexOf('--embeddings');
const client = at > 0 ? new MedGemmaClient(makeConfig({ baseUrl: process.argv[at + 1], privacy: 'off', embeddings: { model: process.argv[at + 2] } }), noCredentials) : undefined;
if (at > 0 && !process.argv[at + 2]) throw new Error('usage: --embeddings URL MODEL');
const rr = process.argv.indexOf('--rerank');
const limitAt = process.argv.indexOf('--limit');
const scorer = rr > 0 ? { client: new MedGemmaClient(makeConfig({ baseUrl: process.argv[rr + 1], model: process.argv[rr + 2], privacy: 'off' }), noCredentials), limit: limitAt > 0 ? Number(process.argv[limitAt + 1]) : 200 } : undefined;
if (rr > 0 && !process.argv[rr + 2]) throw new Error('usage: --rerank URL MODEL [--limit N]');

async function main() {
  console.log('| set | questions | papers | chunks | recall@1 | recall@5 | MRR@10 | build | per query |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  await evaluate(pubmedqa(), [['PubMedQA PQA-L (own abstract)', (q, _t, paperId) => paperId === q.paperId]], client);
  await evaluate(
    covidqa(),
    [
      ['COVID-QA (chunk contains answer span)', (q, t) => !!q.answer && norm(t).includes(norm(q.answer))],
      ['COVID-QA (chunk of the right paper)', (q, _t, paperId) => paperId === q.paperId],
    ],
    client,
  );
}

void main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
