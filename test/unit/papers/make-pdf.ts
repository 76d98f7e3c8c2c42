// Helpers for the PDF tests: generated PDFs (pdf-bytes.ts), temporary folders, encrypted
// copies made with qpdf, the bundled worker.
import { fixture } from '../../fixtures';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export { makePdf, type FakePage } from './pdf-bytes';

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** An AES-256 user-password copy made with qpdf, or undefined when qpdf is not installed. */
export function encryptWithQpdf(input: string, output: string, password: string): boolean {
  try {
    execFileSync('qpdf', ['--encrypt', password, `${password}-owner`, '256', '--', input, output], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
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
