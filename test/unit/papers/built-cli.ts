// The `medgemma` command bundled as esbuild.mjs bundles dist/cli.js (the unit tier runs before
// the build), with the PDF worker beside it, and a way to run it as a real process.
import { buildSync } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { builtWorker } from './make-pdf';

let cliFile: string | undefined;
export function builtCli(): string {
  if (cliFile) return cliFile;
  const out = path.join(path.dirname(builtWorker()), 'cli.js');
  buildSync({
    entryPoints: [path.join(__dirname, '../../../src/cli/main.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    external: ['vscode'],
  });
  cliFile = out;
  return out;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node cli.js papers ...`; onSpawn gets the child (to kill it). */
export function papersCli(args: string[], opts: { env?: Record<string, string>; onSpawn?: (c: ChildProcess) => void } = {}): Promise<CliRun> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [builtCli(), 'papers', ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 }));
    opts.onSpawn?.(child);
  });
}
