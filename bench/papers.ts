// `npm run bench:papers` (build first: `node esbuild.mjs`): numbers for docs/benchmarks.md.
//  1. extraction: pdf.js in the worker thread (dist/pdf-worker.js, warm) vs poppler's
//     `pdftotext` on the same fixture PDFs in the same run, pages/s and the ratio;
//  2. a 1,200-page generated PDF: time and peak RSS of the whole extraction;
// (The index at 50,000 chunks: bench/papers-index.ts, `npm run bench:index`.)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { extractPdf } from '../src/core/papers/extract';
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

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'extract') await extraction();
  if (!only || only === 'large') await largePdf();
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => clearInterval(sampler));
