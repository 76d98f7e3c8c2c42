// `npm run mutate [-- <folder, file or glob>...] [-- stryker options]`: mutation testing with
// StrykerJS (stryker.config.mjs), then the mutation score of each folder. Examples:
//   npm run mutate -- src/core/notes/verify
//   npm run mutate -- src/protocol src/core/server/budget.ts
//   npm run mutate -- src/protocol --tests 'test/unit/{chat,papers,images,webview}/**/*.test.ts'
//   npm run mutate                      (everything stryker.config.mjs mutates: hours)
// A folder means every .ts file under it. --tests <globs> (comma-separated) runs only those test
// files instead of all of test/unit and test/sim (see stryker.config.mjs); --skip-tests <regex>
// leaves out the tests whose full title matches (tests that take minutes once instrumented). Other options starting with "--" go to Stryker as they are
// (after the paths: e.g. --concurrency 2, --force to ignore the incremental results). Each set of paths keeps
// its own incremental file under reports/incremental/, so rerunning it only tests the mutants
// whose code or tests changed. docs/mutation.md explains the output.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORT = path.join(ROOT, 'reports/mutation/mutation.json');
const SHIM = path.join(ROOT, 'scripts/mocha12-cjs.cjs');

const args = process.argv.slice(2);
const targets = [];
const passThrough = [];
let tests = '';
let skipTests = '';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--tests' && i + 1 < args.length) {
    tests = args[++i];
  } else if (args[i] === '--skip-tests' && i + 1 < args.length) {
    skipTests = args[++i];
  } else if (args[i].startsWith('--')) {
    passThrough.push(args[i]);
    // An option's value: the next word when it is not itself an option or a path we know.
    if (i + 1 < args.length && !args[i + 1].startsWith('--') && !fs.existsSync(path.join(ROOT, args[i + 1]))) {
      passThrough.push(args[++i]);
    }
  } else {
    targets.push(args[i]);
  }
}

/** A folder becomes its .ts files, a file or glob stays as it is. */
function toPattern(target) {
  const rel = path.relative(ROOT, path.resolve(ROOT, target)).split(path.sep).join('/');
  const full = path.join(ROOT, rel);
  if (fs.existsSync(full) && fs.statSync(full).isDirectory()) return `${rel}/**/*.ts`;
  return rel;
}

const patterns = targets.map(toPattern);
const slug = patterns.length
  ? patterns.join('+').replace(/\*\*\/\*\.ts/g, '').replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_+|_+$/g, '')
  : 'all';
// Many paths make a name longer than a file name may be (ENAMETOOLONG lost a 40-minute run's incremental file).
const incremental = slug.length > 120 ? `${slug.slice(0, 80)}-${createHash('sha256').update(slug).digest('hex').slice(0, 12)}` : slug;
const strykerArgs = ['stryker', 'run', '--incrementalFile', `reports/incremental/${incremental}.json`];
if (patterns.length) strykerArgs.push('--mutate', [...patterns, '!**/*.d.ts'].join(','));
strykerArgs.push(...passThrough);

// Every node process Stryker starts (checker, test runner) loads the shim first.
const nodeOptions = [process.env.NODE_OPTIONS, `--require ${JSON.stringify(SHIM)}`].filter(Boolean).join(' ');

fs.rmSync(REPORT, { force: true });
console.log(`npx ${strykerArgs.join(' ')}`);
const started = Date.now();
if (tests) console.log(`tests: ${tests}`);
if (skipTests) console.log(`tests left out (full title matches): ${skipTests}`);
const env = { ...process.env, NODE_OPTIONS: nodeOptions, MUTATE_TESTS: tests, MUTATE_SKIP_TESTS: skipTests };
const code = await new Promise((resolve) => {
  const child = spawn('npx', strykerArgs, { cwd: ROOT, stdio: 'inherit', env });
  child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});
const seconds = Math.round((Date.now() - started) / 1000);

// Stryker's statuses (mutation-testing-report-schema). The score is Stryker's: detected
// (killed or timed out) over valid mutants (detected, survived, not covered); mutants that do
// not compile or crash the runner, and ignored ones, do not count.
const DETECTED = new Set(['Killed', 'Timeout']);

function summarize(report) {
  const folders = new Map();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const rel = path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join('/');
    const folder = path.posix.dirname(rel);
    const f = folders.get(folder) ?? { killed: 0, survived: 0, noCoverage: 0, invalid: 0 };
    for (const m of mutants) {
      if (DETECTED.has(m.status)) f.killed++;
      else if (m.status === 'Survived') f.survived++;
      else if (m.status === 'NoCoverage') f.noCoverage++;
      else f.invalid++;
    }
    folders.set(folder, f);
  }
  return [...folders.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function line(name, f) {
  const valid = f.killed + f.survived + f.noCoverage;
  const score = valid ? ((100 * f.killed) / valid).toFixed(1).padStart(5) + ' %' : '    - ';
  return `${score}  ${String(f.killed).padStart(5)} detected  ${String(f.survived).padStart(4)} survived  ` +
    `${String(f.noCoverage).padStart(4)} no coverage  ${String(f.invalid).padStart(4)} invalid/ignored  ${name}`;
}

if (fs.existsSync(REPORT)) {
  const rows = summarize(JSON.parse(fs.readFileSync(REPORT, 'utf8')));
  const total = { killed: 0, survived: 0, noCoverage: 0, invalid: 0 };
  console.log('\nMutation score per folder (detected / (detected + survived + no coverage)):');
  for (const [folder, f] of rows) {
    console.log(line(folder, f));
    for (const k of Object.keys(total)) total[k] += f[k];
  }
  if (rows.length > 1) console.log(line('all', total));
  console.log(`Report: reports/mutation/mutation.html`);
} else {
  console.log('\nNo mutation report was written (reports/mutation/mutation.json).');
}
console.log(`Took ${Math.floor(seconds / 60)} min ${seconds % 60} s.`);
process.exit(code);
