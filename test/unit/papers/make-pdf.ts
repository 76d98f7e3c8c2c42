// Helpers for the PDF tests: generated PDFs (pdf-bytes.ts), temporary folders, encrypted
// copies made with qpdf, the bundled worker.
import { fixture } from '../../fixtures';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export { makePdf, type FakePage } from './pdf-bytes';

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Writes `output`, an AES-256 user-password copy of `input` made with qpdf. When qpdf is not
 * installed the running test (mocha's `ctx`) is skipped, or fails when CI=true: CI must never
 * pass by skipping. Any other qpdf failure throws with qpdf's own message.
 */
export function encryptWithQpdf(ctx: Mocha.Context, input: string, output: string, password: string): void {
  const r = spawnSync('qpdf', ['--encrypt', password, `${password}-owner`, '256', '--', input, output], { encoding: 'utf8' });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    if (process.env.CI === 'true') throw new Error('qpdf (Debian package qpdf) is missing (with CI=true a missing tool is a failure)');
    console.log('      (skipped: qpdf is not installed; apt-get install qpdf)');
    ctx.skip();
  }
  if (r.error) throw r.error;
  // qpdf exits 3 when it wrote the file with warnings.
  if ((r.status !== 0 && r.status !== 3) || !fs.existsSync(output)) {
    throw new Error(`qpdf --encrypt failed (exit ${r.status ?? r.signal}): ${r.stderr.trim() || r.stdout.trim()}`);
  }
}

let workerFile: string | undefined;
/** Bundles the real worker with esbuild.mjs, as shipped (the unit tier runs before the build). */
export function builtWorker(): string {
  if (workerFile) return workerFile;
  const dir = tmpDir('medgemma-worker-');
  execFileSync(process.execPath, ['esbuild.mjs', '--only', 'pdf-worker', '--outdir', dir], { cwd: path.join(__dirname, '../../..'), stdio: 'pipe' });
  workerFile = path.join(dir, 'pdf-worker.js');
  return workerFile;
}

export const PDFS = fixture('pdfs');
