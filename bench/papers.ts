// `npm run bench:papers` (build first: `node esbuild.mjs`): numbers for docs/benchmarks.md.
//  1. extraction: pdf.js in the worker thread (dist/pdf-worker.js, warm) vs poppler's
//     `pdftotext` on the same fixture PDFs in the same run, pages/s and the ratio;
//  2. a 1,200-page generated PDF: time and peak RSS of the whole extraction;
//  3. a folder of papers (`folder`): `medgemma papers index`'s work (PaperLibrary.add: read,
//     chunk, index, commit) with 1 and 2 extraction threads against `pdftotext` on the same files;
// (The index at 50,000 chunks: bench/papers-index.ts, `npm run bench:index`.)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { extractPdf } from '../src/core/papers/extract';
import { PaperLibrary } from '../src/core/papers/library';
import { makePdf, tmpDir } from '../test/unit/papers/make-pdf';
import { fixture } from '../test/fixtures';

const ROOT = path.resolve(__dirname, '..');
const WORKER = path.join(ROOT, 'dist', 'pdf-worker.js');
const PDFS = fixture('pdfs');
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);

async function extraction() {
  if (!fs.existsSync(WORKER)) throw new Error('build first: node esbuild.mjs');
  console.log('\n| file | pages | pdftotext | pdf.js (worker) | ratio |');
  console.log('|---|---|---|---|---|');
  let totalPages = 0;
  let tPop = 0;
  let tJs = 0;
  for (const f of fs.readdirSync(PDFS).filter((n) => n.endsWith('.pdf')).sort()) {
    const file = path.join(PDFS, f);
    const bytes = fs.readFileSync(file);
    await extractPdf(bytes, f, { workerFile: WORKER }); // warm the file cache and the code
    const pop: number[] = [];
    const js: number[] = [];
    let pages = 0;
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      const r = spawnSync('pdftotext', ['-layout', file, '-'], { maxBuffer: 1e8 });
      if (r.status !== 0) throw new Error('pdftotext failed (apt-get install poppler-utils)');
      pop.push(performance.now() - t);
      t = performance.now();
      const x = await extractPdf(bytes, f, { workerFile: WORKER });
      js.push(performance.now() - t);
      pages = x.meta.pages;
    }
    totalPages += pages;
    tPop += median(pop);
    tJs += median(js);
    console.log(`| ${f} | ${pages} | ${median(pop).toFixed(0)} ms | ${median(js).toFixed(0)} ms | ${(median(js) / median(pop)).toFixed(1)}× |`);
  }
  console.log(`| **all** | ${totalPages} | ${((totalPages / tPop) * 1000).toFixed(0)} pages/s | ${((totalPages / tJs) * 1000).toFixed(0)} pages/s | ${(tJs / tPop).toFixed(1)}× |`);
  console.log('(warm: one worker thread, pdf.js loaded once, reused across files as in a batch; median of 5 runs)');
}

async function largePdf() {
  const dir = tmpDir('medgemma-bench-');
  const file = path.join(dir, 'big.pdf');
  const a = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega'.split(' ');
  fs.writeFileSync(
    file,
    makePdf(Array.from({ length: 1200 }, (_, i) => ({ lines: Array.from({ length: 40 }, (_, j) => `Cohort ${a[i % a.length]} ${a[(i * 7 + j) % a.length]}: outcome ${i * 40 + j} was recorded for this line of the report.`) }))),
  );
  global.gc?.();
  const base = process.memoryUsage().rss;
  peak = base;
  const t = performance.now();
  const x = await extractPdf(fs.readFileSync(file), 'big.pdf', { workerFile: WORKER });
  const ms = performance.now() - t;
  console.log(`\n1,200-page generated PDF (${mb(fs.statSync(file).size)}, 40 lines a page): ${(ms / 1000).toFixed(1)} s (${((1200 / ms) * 1000).toFixed(0)} pages/s), ${x.paragraphs.length} paragraphs, peak RSS ${mb(peak)} (${mb(peak - base)} over the start)`);
}

/** The fixture papers, each copied `copies` times with a different trailing comment (a different file to the cache). */
function paperFolder(copies: number): { files: string[]; pages: number } {
  const dir = tmpDir('medgemma-bench-folder-');
  const files: string[] = [];
  for (const f of fs.readdirSync(PDFS).filter((n) => n.endsWith('.pdf')).sort()) {
    const bytes = fs.readFileSync(path.join(PDFS, f));
    for (let i = 0; i < copies; i++) {
      const file = path.join(dir, `${i}-${f}`);
      fs.writeFileSync(file, Buffer.concat([bytes, Buffer.from(`\n% copy ${i}\n`)]));
      files.push(file);
    }
  }
  const pages = files.reduce((n, f) => n + Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [f], { encoding: 'utf8' }).stdout)?.[1] ?? NaN), 0);
  if (!Number.isFinite(pages)) throw new Error('pdfinfo failed (apt-get install poppler-utils)');
  return { files, pages };
}

/** pdftotext over the files, `parallel` processes at a time; ms. */
async function pdftotextAll(files: string[], parallel: number): Promise<number> {
  const run = promisify(execFile);
  const t = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < files.length) await run('pdftotext', ['-layout', files[next++], '-'], { maxBuffer: 1e8 });
  }));
  return performance.now() - t;
}

/** A fresh library indexing the folder with this many extraction threads; ms. */
async function libraryAdd(files: string[], threads: number): Promise<number> {
  const lib = new PaperLibrary(tmpDir('medgemma-bench-lib-'), { workerFile: WORKER, extractWorkers: threads });
  const t = performance.now();
  const recs = await lib.add(files);
  const ms = performance.now() - t;
  const bad = recs.filter((r) => r.state !== 'indexed');
  if (recs.length !== files.length || bad.length) throw new Error(`not all indexed: ${bad.map((r) => r.reason).join('; ')}`);
  return ms;
}

async function folder() {
  if (!fs.existsSync(WORKER)) throw new Error('build first: node esbuild.mjs');
  const copies = Number(process.env.COPIES ?? 10);
  const { files, pages } = paperFolder(copies);
  const cores = availableParallelism();
  const rows: Array<[string, (() => Promise<number>)]> = [
    ['pdftotext -layout, one file at a time (baseline)', () => pdftotextAll(files, 1)],
    [`pdftotext -layout, ${cores} at a time`, () => pdftotextAll(files, cores)],
    ['PaperLibrary.add, 1 extraction thread', () => libraryAdd(files, 1)],
    ['PaperLibrary.add, 2 extraction threads', () => libraryAdd(files, 2)],
  ];
  const times = new Map<string, number[]>(rows.map(([name]) => [name, []]));
  await libraryAdd(files.slice(0, 2), 1); // the code and the files in the OS cache
  // Interleaved rounds: a burst of load on the shared machine hits every row alike.
  for (let i = 0; i < RUNS; i++) for (const [name, run] of rows) times.get(name)!.push(await run());
  console.log(`\nA folder of ${files.length} papers (${pages} pages: the ${files.length / copies} fixture papers, ${copies} copies each, each a different file), ${cores} cores, median of ${RUNS}:\n`);
  console.log('| what | time | pages/s | against the baseline |');
  console.log('|---|---|---|---|');
  const base = median(times.get(rows[0][0])!);
  for (const [name] of rows) {
    const ms = median(times.get(name)!);
    console.log(`| ${name} | ${(ms / 1000).toFixed(2)} s | ${((pages / ms) * 1000).toFixed(0)} | ${(base / ms).toFixed(2)}× |`);
  }
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'extract') await extraction();
  if (!only || only === 'large') await largePdf();
  if (!only || only === 'folder') await folder();
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => clearInterval(sampler));
