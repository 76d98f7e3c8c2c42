// `npm run bench:index` (node --expose-gc -r tsx/cjs bench/papers-index.ts): the papers index at
// a researcher's scale, 50,000 chunks (~2,000 papers' worth; bench/qa-corpora.ts corpus50k),
// the segment index (src/core/papers/bm25) side by side with the earlier minisearch index
// (bench/minisearch-index.ts) in the same run:
//   build     indexing every chunk from text, in this process;
//   open      in a fresh process: read the file(s) and get ready to search, plus the first query;
//   search    p50/p95 of 1,000 questions, top 8, in that fresh process;
//   RSS       that process's resident memory after opening and searching, over its RSS before
//             opening (the extension host pays this, not the build's);
//   add/remove one paper  what a commit writes for the index (the library also writes the
//             paper's chunk file and the manifest, the same for both).
// Each fresh-process figure is the median of 3 processes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { IndexView } from '../src/core/papers/bm25/search';
import { Segment } from '../src/core/papers/bm25/segment';
import type { Chunk } from '../src/core/papers/types';
import { tmpDir } from '../test/unit/papers/make-pdf';
import { ChunkIndex } from './minisearch-index';
import { corpus50k } from './qa-corpora';

type Kind = 'minisearch' | 'segments';
const FILE: Record<Kind, string> = { minisearch: 'index.json', segments: 'index.bm25' };
const RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);

interface Opened {
  openMs: number;
  firstMs: number;
  p50: number;
  p95: number;
  rssOver: number;
}

/** In a fresh process: open the index file, run the questions. */
function openAndSearch(kind: Kind, dir: string): void {
  const questions = JSON.parse(fs.readFileSync(path.join(dir, 'questions.json'), 'utf8')) as string[];
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let t = performance.now();
  const file = path.join(dir, FILE[kind]);
  const index = kind === 'minisearch' ? ChunkIndex.load(fs.readFileSync(file, 'utf8')) : new IndexView([{ seg: Segment.read(fs.readFileSync(file)) }]);
  const openMs = performance.now() - t;
  t = performance.now();
  index.search(questions[0], 8);
  const firstMs = performance.now() - t;
  const times: number[] = [];
  for (const q of questions) {
    t = performance.now();
    index.search(q, 8);
    times.push(performance.now() - t);
  }
  global.gc?.();
  const out: Opened = { openMs, firstMs, p50: median(times), p95: pct(times, 0.95), rssOver: process.memoryUsage().rss - rss0 };
  process.stdout.write(JSON.stringify(out));
}

function fresh(kind: Kind, dir: string): Opened {
  const runs: Opened[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ['--expose-gc', '-r', 'tsx/cjs', __filename, 'open', kind, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${kind} open failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout) as Opened);
  }
  const pick = (f: (o: Opened) => number) => median(runs.map(f));
  return { openMs: pick((o) => o.openMs), firstMs: pick((o) => o.firstMs), p50: pick((o) => o.p50), p95: pick((o) => o.p95), rssOver: pick((o) => o.rssOver) };
}

function byPaper(chunks: Chunk[]): Map<string, Chunk[]> {
  const m = new Map<string, Chunk[]>();
  for (const c of chunks) {
    const list = m.get(c.paperId);
    if (list) list.push(c);
    else m.set(c.paperId, [c]);
  }
  return m;
}

function main(): void {
  const { chunks, questions } = corpus50k();
  const dir = tmpDir('medgemma-bench-index-');
  fs.writeFileSync(path.join(dir, 'questions.json'), JSON.stringify(questions));
  const papers = byPaper(chunks);
  // One more paper of 25 chunks to add, made of chunks of the corpus under a new id.
  const extra: Chunk[] = chunks.slice(0, 25).map((c, i) => ({ ...c, id: `extra#${i}`, paperId: 'extra' }));
  const rows: string[] = [];

  // minisearch: one JSON file, rewritten whole by every commit.
  let t = performance.now();
  const mini = ChunkIndex.empty();
  for (const [, cs] of papers) mini.add(cs, '');
  const miniBuild = performance.now() - t;
  let json = mini.toJSON();
  fs.writeFileSync(path.join(dir, FILE.minisearch), json);
  t = performance.now();
  mini.add(extra, '');
  json = mini.toJSON();
  fs.writeFileSync(path.join(dir, 'index-added.json'), json);
  const miniAdd = performance.now() - t;
  const miniBytes = fs.statSync(path.join(dir, FILE.minisearch)).size;
  const m = fresh('minisearch', dir);
  rows.push(`| minisearch 7.2 (earlier) | ${ms(miniBuild)} | ${ms(m.openMs)} + ${ms(m.firstMs)} | ${ms(m.p50)} | ${ms(m.p95)} | ${mb(miniBytes)} | ${mb(m.rssOver)} | ${ms(miniAdd)}, ${mb(json.length)} | the whole file again |`);

  // Segments: the main segment of every paper (as after a merge), then one paper's own segment.
  t = performance.now();
  const main = Segment.build([...papers].map(([id, cs]) => ({ paper: { id, chunkFile: `${id}-0.json` }, title: '', chunks: cs })));
  const segBuild = performance.now() - t;
  fs.writeFileSync(path.join(dir, FILE.segments), main.bytes);
  t = performance.now();
  const one = Segment.build([{ paper: { id: 'extra', chunkFile: 'extra-0.json' }, title: '', chunks: extra }]);
  fs.writeFileSync(path.join(dir, 'extra.bm25'), one.bytes);
  const segAdd = performance.now() - t;
  t = performance.now();
  const merged = Segment.merge([{ seg: main }, { seg: one }]);
  const mergeMs = performance.now() - t;
  const s = fresh('segments', dir);
  rows.push(`| segments (shipped) | ${ms(segBuild)} | ${ms(s.openMs)} + ${ms(s.firstMs)} | ${ms(s.p50)} | ${ms(s.p95)} | ${mb(main.bytes.byteLength)} | ${mb(s.rssOver)} | ${ms(segAdd)}, ${(one.bytes.byteLength / 1024).toFixed(0)} KB | nothing (masked in the manifest) |`);

  console.log(`${chunks.length} chunks, ${papers.size} papers, ${questions.length} questions; Node ${process.version}\n`);
  console.log('| index | build | open + first query | search p50 | search p95 | file | RSS over baseline | add one paper (25 chunks): time, written | remove one paper: written |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`\nratios, segments / minisearch: open ${(s.openMs / m.openMs).toFixed(2)}×, search p95 ${(s.p95 / m.p95).toFixed(2)}×, RSS ${(s.rssOver / m.rssOver).toFixed(2)}×, file ${(main.bytes.byteLength / miniBytes).toFixed(2)}×`);
  console.log(`a merge of the main segment with one paper (the rewrite a merge does when due): ${ms(mergeMs)}, ${mb(merged.bytes.byteLength)}`);
}

if (process.argv[2] === 'open') openAndSearch(process.argv[3] as Kind, process.argv[4]);
else main();
