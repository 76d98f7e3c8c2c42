// Runs the `medgemma` command the way a user does: the shipped bundle (built here by
// esbuild.mjs, the same script and options as dist/) as its own process. Each run reports its
// exit code, output, wall time and peak resident memory (the process's own maxRSS, worker
// threads included, written at exit by a preloaded observer: no external `time` needed).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
export const HOSTILE = path.join(ROOT, 'test/fixtures/hostile');

let built: string | undefined;

/** dist/cli.js and its worker threads (PDF, Zotero), bundled into a temporary folder once per test run. */
export function builtCli(): string {
  if (built) return built;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-built-cli-'));
  const r = spawnSync(process.execPath, ['esbuild.mjs', '--only', 'cli,pdf-worker,zotero-worker', '--outdir', dir], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the CLI failed: ${r.stderr}`);
  fs.writeFileSync(path.join(dir, 'observe.cjs'), "process.on('exit', () => require('fs').writeFileSync(process.env.MEDGEMMA_TEST_RUSAGE, String(process.resourceUsage().maxRSS)));\n");
  built = dir;
  return dir;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory of the process, MiB. */
  peakMiB: number;
}

export interface CliOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  cwd?: string;
  /** Written to the process's standard input (closed at once when absent). */
  stdin?: string;
  /** Gets the child process (to kill it). */
  onSpawn?: (c: ChildProcess) => void;
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const dir = builtCli();
  const rusage = path.join(dir, `rusage-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--require', path.join(dir, 'observe.cjs'), path.join(dir, 'cli.js'), ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), MEDGEMMA_TEST_RUSAGE: rusage, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.on('error', () => undefined); // a process that exits without reading its input
    child.stdin.end(opts.stdin ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`medgemma ${args.join(' ')} ran past ${opts.timeoutMs ?? 60_000} ms; stderr: ${stderr.slice(0, 2000)}`));
    }, opts.timeoutMs ?? 60_000);
    opts.onSpawn?.(child);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const kb = Number(fs.existsSync(rusage) ? fs.readFileSync(rusage, 'utf8') : NaN);
      fs.rmSync(rusage, { force: true });
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, peakMiB: kb / 1024 });
    });
  });
}

/** `medgemma papers …` as a real process. */
export function papersCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return runCli(['papers', ...args], opts);
}

/** Words that belong to a library or the runtime, never to a message for the user. */
export const JARGON = /dicomParser|jpeg-js|maxResolutionInMP|maxMemoryUsage|typed array|"offset"|RangeError|TypeError|Exception|codec error|worker exit|\.m?js:\d+|\bat \S+ \(|Maximum call stack|undefined|NaN|\[object /;

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

/**
 * What makes output unfit for a person, or undefined: a stack trace, library wording, control
 * bytes (`returns`: a progress line's carriage returns are ours and allowed).
 */
export function unreadable(text: string, where: string, opts: { stack?: boolean; returns?: boolean } = {}): string | undefined {
  if (opts.stack !== false && /\n\s+at /.test(text)) return `stack trace on ${where}`;
  const jargon = JARGON.exec(text);
  if (jargon) return `library wording on ${where}: ${jargon[0]}`;
  if (CONTROL.test(opts.returns ? text.replace(/\r/g, '') : text)) return `control bytes on ${where}`;
  return undefined;
}

/** The one `error: …` line of a failed command: no stack, no library wording, no control bytes. */
export function errorLine(r: CliRun): string {
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  if (lines.length !== 1) throw new Error(`expected one error line, got stderr:\n${r.stderr.slice(0, 3000)}`);
  const problem = unreadable(r.stderr, 'stderr');
  if (problem) throw new Error(`${problem}:\n${JSON.stringify(r.stderr.slice(0, 3000))}`);
  return lines[0];
}
