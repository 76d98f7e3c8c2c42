// The fuzz tier: `npm run fuzz [-- --cases N --seed S --only image|pdf --case K --keep]`.
// Seeded, bounded mutations (mutate.ts) of the project's own fixtures, each fed to the shipped
// `medgemma` bundle as a real process: `image render` for PNG, JPEG and DICOM, `papers index`
// for PDF. A case fails on a stack trace or library wording, a hang, an exit code other than
// 0 or 2, a peak RSS above 1 GB, a flood on stderr, control bytes in what a person reads, or
// exit 0 without the output it promises. Failing inputs are kept in test-results/fuzz/ with the
// command that replays them. `npm test` runs a short pass; the long one is run by hand and
// recorded in docs/fuzzing.md.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runCli, unreadable, type CliRun } from '../cli-process';
import { fixture } from '../fixtures';
import { formatOf, mutateCase, random, type Mutation } from './mutate';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    case: { type: 'string' },
    keep: { type: 'boolean', default: false },
    jobs: { type: 'string' },
  },
});

const SEED = Number(values.seed);
const CASES = Number(values.cases);
const JOBS = Number(values.jobs ?? Math.max(1, os.availableParallelism()));
const PEAK_MIB = 1024;
const HANG_MS = 60_000;
/** The per-file budget `papers index` is given: our own stop must come well before HANG_MS. */
const FILE_TIMEOUT_S = 10;
const STDERR_MAX = 16 * 1024;
const OUT = path.resolve(__dirname, '../../test-results/fuzz');

type Target = 'image' | 'pdf';

const IMAGES = [
  ['images', 'isic-0000000-dermoscopy.jpg'],
  ['images', 'skimage-retina.jpg'],
  ['images', 'nih-cxr14-00000001_000.png'],
  ['images', 'skimage-ihc-pathology.png'],
  ['dicom', 'pydicom-MR_small.dcm'],
  ['dicom', 'pydicom-MR_small_bigendian.dcm'],
  ['dicom', 'pydicom-MR_small_RLE.dcm'],
  ['dicom', 'pydicom-CT_small.dcm'],
  ['dicom', 'pydicom-SC_rgb_jpeg.dcm'],
  ['dicom', 'pydicom-SC_rgb_rle_16bit.dcm'],
  ['dicom', 'pydicom-JPEG2000.dcm'],
  ['dicom', 'pydicom-examples_palette.dcm'],
  ['dicom', 'pydicom-examples_ybr_color.dcm'],
  ['dicom', 'pydicom-examples_rgb_color.dcm'],
  ['dicom', 'pydicom-cr-monochrome1.dcm'],
  ['dicom', 'pydicom-liver_1frame.dcm'],
  ['dicom', 'ct-2frame-jpeg-baseline.dcm'],
  ['dicom', 'ct-2frame-jpeg-lossless.dcm'],
  ['dicom', 'ct-2frame-rle.dcm'],
  ['dicom', 'ct512-jpeg-ls.dcm'],
  ['dicom', 'ct512-explicit-le.dcm'],
].map((p) => fixture(...p));

const PDFS = [fixture('hostile', 'pdf-good.pdf'), fixture('pdfs', 'agyeman-duah2014-quality-improvement-malawi.pdf'), fixture('pdfs', 'datta2010-dvt-complications-review.pdf')];

interface Seed {
  name: string;
  target: Target;
  bytes: Buffer;
}

/**
 * The files mutations start from. Each PDF also in qpdf's QDF form (streams uncompressed, no
 * object streams) when qpdf is installed: mutations then reach content streams and dictionaries.
 */
function seeds(work: string): Seed[] {
  const out: Seed[] = IMAGES.map((f) => ({ name: path.basename(f), target: 'image' as const, bytes: fs.readFileSync(f) }));
  for (const f of PDFS) {
    out.push({ name: path.basename(f), target: 'pdf', bytes: fs.readFileSync(f) });
    const qdf = path.join(work, `qdf-${path.basename(f)}`);
    const r = spawnSync('qpdf', ['--qdf', '--object-streams=disable', '--deterministic-id', f, qdf], { encoding: 'utf8' });
    // qpdf exits 3 for warnings, with the file written.
    if (r.error || !fs.existsSync(qdf)) console.log(`fuzz: qpdf is not available (${r.error?.message ?? r.stderr.trim()}); PDFs are mutated compressed only`);
    else out.push({ name: `qdf-${path.basename(f)}`, target: 'pdf', bytes: fs.readFileSync(qdf) });
  }
  return out;
}

interface Case {
  id: number;
  seed: Seed;
  mutations: Mutation[];
  args: string[];
  bytes: Buffer;
}

/** Case `id` of seed SEED: a pure function of the two numbers, so any case replays alone. */
function makeCase(id: number, all: Seed[]): Case {
  const rnd = random((SEED * 0x9e3779b1) ^ Math.imul(id + 1, 0x85ebca6b));
  // One PDF case in four: each runs several times longer than an image case.
  const target: Target = values.only === 'image' || values.only === 'pdf' ? values.only : id % 4 === 3 ? 'pdf' : 'image';
  const pool = all.filter((s) => s.target === target);
  const seed = pool[Math.floor(rnd() * pool.length)];
  const { bytes, mutations } = mutateCase(seed.bytes, rnd);
  const extra = formatOf(seed.bytes) !== 'dicom' ? [] : pickArgs(rnd());
  return { id, seed, mutations, args: extra, bytes };
}

function pickArgs(r: number): string[] {
  if (r < 0.7) return [];
  if (r < 0.85) return ['--frame', '2'];
  return ['--ct-windows'];
}

interface Result {
  id: number;
  seed: string;
  target: Target;
  mutations: Mutation[];
  code: number | null;
  ms: number;
  peakMiB: number;
  problem?: string;
}


/** What is wrong with a finished run, or undefined. */
function judge(c: Case, r: CliRun, outDir: string): string | undefined {
  if (r.code !== 0 && r.code !== 2) return `exit ${r.code}`;
  if (r.peakMiB > PEAK_MIB) return `peak RSS ${r.peakMiB.toFixed(0)} MiB`;
  if (r.stderr.length > STDERR_MAX) return `${r.stderr.length} bytes on stderr`;
  const onStderr = unreadable(r.stderr, 'stderr', { returns: true });
  if (onStderr) return onStderr;
  if (c.seed.target === 'image') {
    if (r.code === 2) {
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
      if (lines.length !== 1) return `${lines.length} error lines`;
      // "error: <what happened>. <what to do>" (the CLI drops the last full stop).
      if (!/^error: \S.*\. [A-Z]/.test(lines[0])) return `the error line does not say what happened and what to do: ${lines[0]}`;
      return undefined;
    }
    const pngs = fs.readdirSync(outDir).filter((f) => f.endsWith('.png'));
    if (!pngs.length) return 'exit 0 without an image';
    for (const f of pngs) {
      const png = fs.readFileSync(path.join(outDir, f));
      if (png.length < 24 || png.readUInt32BE(16) !== 896 || png.readUInt32BE(20) !== 896) return `${f} is not an 896 x 896 PNG`;
    }
    return undefined;
  }
  // papers index: each file is one of indexed / failed / encrypted, and a failure says why.
  const onStdout = unreadable(r.stdout, 'stdout', { stack: false });
  if (onStdout) return onStdout;
  if (r.code === 0 && !/^indexed\s/m.test(r.stdout)) return 'exit 0 without "indexed"';
  if (r.code === 2 && !/^(failed|encrypted|empty)\s+\S.*\n\s+\S/m.test(r.stdout) && !/^error: /m.test(r.stderr)) return 'exit 2 without a reason';
  return undefined;
}

async function runCase(c: Case, work: string): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(work, `case-${c.id}-`));
  const ext = path.extname(c.seed.name);
  const input = path.join(dir, `input${ext}`);
  fs.writeFileSync(input, c.bytes);
  const outDir = path.join(dir, 'out');
  fs.mkdirSync(outDir);
  const args =
    c.seed.target === 'image'
      ? ['image', 'render', input, '--out', path.join(outDir, 'model.png'), ...c.args]
      : ['papers', 'index', input, '--index', path.join(dir, 'index'), '--file-timeout', String(FILE_TIMEOUT_S)];
  const base = { id: c.id, seed: c.seed.name, target: c.seed.target, mutations: c.mutations };
  let result: Result;
  try {
    const r = await runCli(args, { timeoutMs: HANG_MS, cwd: dir });
    result = { ...base, code: r.code, ms: r.ms, peakMiB: r.peakMiB, problem: judge(c, r, outDir) };
  } catch (e) {
    result = { ...base, code: null, ms: HANG_MS, peakMiB: NaN, problem: `hang: ${(e as Error).message.slice(0, 300)}` };
  }
  if (result.problem || values.keep) {
    const keep = path.join(OUT, 'cases');
    fs.mkdirSync(keep, { recursive: true });
    fs.writeFileSync(path.join(keep, `seed${SEED}-case${c.id}${ext}`), c.bytes);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

function summarize(results: Result[]): string {
  const rows: string[] = ['| target | cases | exit 0 | exit 2 | failed | slowest | mean | peak RSS |', '|---|---:|---:|---:|---:|---:|---:|---:|'];
  for (const t of ['image', 'pdf'] as const) {
    const rs = results.filter((r) => r.target === t);
    if (!rs.length) continue;
    const ok = rs.filter((r) => r.code === 0).length;
    const refused = rs.filter((r) => r.code === 2).length;
    const failed = rs.filter((r) => r.problem).length;
    const slowest = Math.max(...rs.map((r) => r.ms));
    const mean = rs.reduce((n, r) => n + r.ms, 0) / rs.length;
    const peak = Math.max(...rs.map((r) => r.peakMiB).filter((n) => !Number.isNaN(n)));
    rows.push(`| ${t} | ${rs.length} | ${ok} | ${refused} | ${failed} | ${(slowest / 1000).toFixed(1)} s | ${(mean / 1000).toFixed(2)} s | ${peak.toFixed(0)} MiB |`);
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-fuzz-'));
  try {
    const all = seeds(work);
    const ids = values.case !== undefined ? [Number(values.case)] : Array.from({ length: CASES }, (_, i) => i);
    const t0 = Date.now();
    console.log(`fuzz: seed ${SEED}, ${ids.length} cases, ${JOBS} at a time, ${all.length} seed files`);
    const results: Result[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: JOBS }, async () => {
        while (next < ids.length) {
          const c = makeCase(ids[next++], all);
          const r = await runCase(c, work);
          results.push(r);
          if (r.problem) console.log(`FAIL case ${r.id} (${r.seed}, ${r.mutations.join('+')}): ${r.problem}\n  replay: npm run fuzz -- --seed ${SEED} --case ${r.id} --keep`);
          if (results.length % 100 === 0) console.log(`fuzz: ${results.length} of ${ids.length} cases`);
        }
      }),
    );
    results.sort((a, b) => a.id - b.id);
    const failed = results.filter((r) => r.problem);
    const byMutation = new Map<string, number>();
    for (const r of results) for (const m of r.mutations) byMutation.set(m, (byMutation.get(m) ?? 0) + 1);
    console.log(`\n${summarize(results)}\n`);
    console.log(`mutations used: ${[...byMutation].sort().map(([m, n]) => `${m} ${n}`).join(', ')}`);
    console.log(`fuzz: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, `seed${SEED}.json`), JSON.stringify({ seed: SEED, cases: ids.length, results }, null, 1));
    console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
    process.exitCode = failed.length ? 1 : 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

void main();
