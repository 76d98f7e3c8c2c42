// Is extraction linear in pages? Generated PDFs of 2,000 and 20,000 pages (flat page tree,
// as qpdf writes it; three short lines a page), extracted by poppler's `pdftotext` and by the
// shipped worker (pdf.js, dist/pdf-worker.js) in the same run; prints times, the ratio to
// pdftotext at each size and how the time per page grows from the small to the large file.
//   node esbuild.mjs --only pdf-worker && npx tsx bench/papers-pages.ts [--pages 2000,20000] [--unpatched]
// --unpatched also runs pdf.js without src/core/papers/pdfjs-harden.ts (bundled here without
// the plugin that exposes its classes), to show what the page-list change is worth.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';
import { extractPdf } from '../src/core/papers/extract';
import { makePdf, tmpDir } from '../test/unit/papers/make-pdf';

const ROOT = path.resolve(__dirname, '..');
const WORKER = path.join(ROOT, 'dist', 'pdf-worker.js');
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const SIZES = (arg('--pages') ?? '2000,20000').split(',').map(Number);
const UNPATCHED = process.argv.includes('--unpatched');

function generate(dir: string, pages: number): string {
  const file = path.join(dir, `pages-${pages}.pdf`);
  const words = 'anticoagulation cohort follow-up dose outcome bleeding thrombosis trial randomised placebo'.split(' ');
  fs.writeFileSync(
    file,
    makePdf(
      Array.from({ length: pages }, (_, i) => ({
        lines: [`Section ${i + 1}: ${words[i % words.length]} and ${words[(i * 7) % words.length]} were recorded.`, `Patient ${i * 3 + 1} received dose ${i % 97} mg on day ${i % 365}.`, `Page ${i + 1} of the generated report.`],
      })),
    ),
  );
  return file;
}

function unpatchedWorker(dir: string): string {
  const out = path.join(dir, 'pdf-worker-unpatched.js');
  buildSync({
    entryPoints: [path.join(ROOT, 'src/core/papers/pdf-worker.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    logLevel: 'error',
    external: ['@napi-rs/canvas'],
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: 'var __importMetaUrl=require("url").pathToFileURL(__filename).href;' },
  });
  return out;
}

function pdftotext(file: string): number {
  const t = performance.now();
  const r = spawnSync('pdftotext', [file, '-'], { maxBuffer: 1e9 });
  if (r.status !== 0) throw new Error('pdftotext failed (apt-get install poppler-utils)');
  return performance.now() - t;
}

async function pdfjs(file: string, workerFile: string): Promise<number> {
  const t = performance.now();
  const x = await extractPdf(fs.readFileSync(file), path.basename(file), { workerFile, timeLimitMs: 3_600_000 });
  if (!x.paragraphs.length) throw new Error('no text extracted');
  return performance.now() - t;
}

async function main() {
  if (!fs.existsSync(WORKER)) throw new Error('build first: node esbuild.mjs --only pdf-worker');
  const dir = tmpDir('medgemma-bench-pages-');
  const unpatched = UNPATCHED ? unpatchedWorker(dir) : undefined;
  await pdfjs(generate(dir, 10), WORKER); // start the worker, load pdf.js
  const rows: { pages: number; mb: number; pop: number; js: number; raw?: number }[] = [];
  for (const pages of SIZES) {
    const file = generate(dir, pages);
    const pop = pdftotext(file);
    const js = await pdfjs(file, WORKER);
    const raw = unpatched ? await pdfjs(file, unpatched) : undefined;
    rows.push({ pages, mb: fs.statSync(file).size / 2 ** 20, pop, js, raw });
  }
  console.log(`\n| pages | file | pdftotext | pdf.js (worker) | ratio |${UNPATCHED ? ' pdf.js without pdfjs-harden | ratio |' : ''}`);
  console.log(`|---|---|---|---|---|${UNPATCHED ? '---|---|' : ''}`);
  for (const r of rows) {
    const extra = r.raw === undefined ? '' : ` ${(r.raw / 1000).toFixed(1)} s | ${(r.raw / r.pop).toFixed(1)}× |`;
    console.log(`| ${r.pages.toLocaleString('en')} | ${r.mb.toFixed(1)} MB | ${(r.pop / 1000).toFixed(2)} s | ${(r.js / 1000).toFixed(1)} s | ${(r.js / r.pop).toFixed(1)}× |${extra}`);
  }
  if (rows.length > 1) {
    const [a, b] = [rows[0], rows.at(-1)!];
    const perPage = (ms: number, n: number) => ms / n;
    console.log(`\ntime per page, ${b.pages.toLocaleString('en')} vs ${a.pages.toLocaleString('en')} pages: pdftotext ${(perPage(b.pop, b.pages) / perPage(a.pop, a.pages)).toFixed(2)}×, pdf.js ${(perPage(b.js, b.pages) / perPage(a.js, a.pages)).toFixed(2)}×${a.raw && b.raw ? `, pdf.js without pdfjs-harden ${(perPage(b.raw, b.pages) / perPage(a.raw, a.pages)).toFixed(2)}×` : ''} (1.00× = linear)`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
