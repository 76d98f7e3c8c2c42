// pdf.js text extraction of one document, page by page. Runs inside the worker thread (and
// in-process in unit tests). Emits raw lines per page; layout.ts rebuilds paragraphs.

import { hardenPdfJs } from './pdfjs-harden';
import type { RawLine, WorkerMessage, WorkerRequest } from './worker-protocol';

/** Pages with fewer characters than this that paint images are "needs OCR". */
const OCR_MAX_CHARS = 50;

interface TextItemLike {
  str: string;
  transform: number[];
  width: number;
  hasEOL?: boolean;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= (async () => {
    // In Node pdf.js always runs its "fake worker" in-process: hand it the bundled worker
    // module so it does not try to import() a file path.
    const g = globalThis as { pdfjsWorker?: unknown };
    // At load pdf.js warns that it cannot find @napi-rs/canvas (only needed for rendering,
    // which we do not do here): keep that out of the output.
    const log = console.log;
    console.log = (...args: unknown[]) => {
      if (!/^Warning: Cannot (?:load "@napi-rs|polyfill)/.test(String(args[0]))) log(...args);
    };
    try {
      g.pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
      // Only the bundled worker exposes what the limits need; unit tests reading in-process
      // with the plain module go without them.
      hardenPdfJs(g.pdfjsWorker);
      return await import('pdfjs-dist/legacy/build/pdf.mjs');
    } finally {
      console.log = log;
    }
  })();
  return pdfjs;
}

export async function readPdf(req: WorkerRequest, post: (m: WorkerMessage) => void): Promise<void> {
  const lib = await loadPdfJs();
  const task = lib.getDocument({
    data: req.data,
    password: req.password,
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const meta = await doc.getMetadata().catch(() => undefined);
    const info = (meta?.info ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    post({ type: 'meta', pages: doc.numPages, title: str(info.Title), author: str(info.Author), date: str(info.CreationDate) });
    const imageOps = new Set([lib.OPS.paintImageXObject, lib.OPS.paintInlineImageXObject, lib.OPS.paintImageMaskXObject]);
    for (let n = 1; n <= doc.numPages; n++) {
      try {
        const page = await doc.getPage(n);
        const height = page.view[3] - page.view[1];
        const content = await page.getTextContent();
        const lines = toLines(content.items as TextItemLike[]);
        const chars = lines.reduce((s, l) => s + l.text.replace(/\s/g, '').length, 0);
        let ocr = false;
        if (chars < OCR_MAX_CHARS) {
          const ops = await page.getOperatorList();
          ocr = ops.fnArray.some((f) => imageOps.has(f));
        }
        post({ type: 'page', page: n, height, lines: ocr ? [] : lines, ocr, broken: false });
        page.cleanup();
      } catch (e) {
        // A stack overflow is not one damaged page: pdf.js may be left in any state. (pdf.js
        // hands its own errors over as UnknownErrorException with the original message.)
        if (/maximum call stack/i.test((e as Error)?.message ?? '')) throw new RangeError('Maximum call stack size exceeded', { cause: e });
        post({ type: 'page', page: n, height: 0, lines: [], ocr: false, broken: true });
      }
    }
  } finally {
    await task.destroy();
  }
}

/** Groups pdf.js text items (already in reading order) into lines. */
export function toLines(items: TextItemLike[]): RawLine[] {
  const lines: RawLine[] = [];
  let cur: RawLine | undefined;
  let endX = 0;
  let breakNext = false;
  for (const it of items) {
    if (typeof it.str !== 'string') continue;
    const [, , c, d, x, y] = it.transform;
    const size = Math.hypot(c, d) || 1;
    if (!it.str) {
      if (it.hasEOL) breakNext = true;
      continue;
    }
    const newLine = !cur || breakNext || Math.abs(y - cur.y) > 0.5 * Math.min(size, cur.size) || x < endX - 2 * size;
    if (newLine) {
      if (cur && cur.text.trim()) lines.push(cur);
      cur = { text: it.str, x, y, size };
    } else if (cur) {
      const gap = x - endX;
      if (gap > 0.15 * size && !cur.text.endsWith(' ') && !it.str.startsWith(' ')) cur.text += ' ';
      cur.text += it.str;
      cur.size = Math.max(cur.size, size);
    }
    endX = x + it.width;
    breakNext = !!it.hasEOL;
  }
  if (cur && cur.text.trim()) lines.push(cur);
  for (const l of lines) l.text = l.text.replace(/\s+/g, ' ').trim();
  return lines;
}
