// Writes small PDFs byte by byte for the bad-input and scale tests (no fixture copies):
// pages of Helvetica text, or pages that only paint an image (a "scan").
import { buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface FakePage {
  lines?: string[];
  image?: boolean;
}

function esc(s: string): string {
  return s.replace(/([\\()])/g, '\\$1');
}

export function makePdf(pages: FakePage[]): Buffer {
  const objs: string[] = [];
  const add = (body: string) => objs.push(body) && objs.length;
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  // A 2x2 grey image for "scanned" pages.
  const img = add('<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x40\x40\x80\nendstream');
  const kids: number[] = [];
  for (const p of pages) {
    let content = '';
    if (p.image) content += 'q 500 0 0 700 50 50 cm /Im1 Do Q\n';
    if (p.lines?.length) {
      content += 'BT /F1 11 Tf 14 TL 72 740 Td\n';
      for (const l of p.lines) content += `(${esc(l)}) Tj T*\n`;
      content += 'ET\n';
    }
    const c = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}endstream`);
    kids.push(add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 612 792] /Contents ${c} 0 R /Resources << /Font << /F1 ${font} 0 R >> /XObject << /Im1 ${img} 0 R >> >> >>`));
  }
  objs[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objs[pagesObj - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

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
/** Bundles the real worker entry the way esbuild.mjs does (the unit tier runs before the build). */
export function builtWorker(): string {
  if (workerFile) return workerFile;
  const out = path.join(tmpDir('medgemma-worker-'), 'pdf-worker.js');
  buildSync({
    entryPoints: [path.join(__dirname, '../../../src/core/papers/pdf-worker.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    external: ['@napi-rs/canvas'],
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: 'var __importMetaUrl=require("url").pathToFileURL(__filename).href;' },
  });
  workerFile = out;
  return out;
}

export const FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures');
export const PDFS = path.join(FIXTURES, 'pdfs');
