// Extract one PDF: pdf.js runs in a worker thread (dist/pdf-worker.js, a pool of them:
// worker-pool.ts), pages stream back one at a time, layout.ts rebuilds paragraphs. Cancel with
// the signal (the thread is ended).

import * as path from 'node:path';
import { toParagraphs, type PageLines } from './layout';
import { authorsFromParagraphs, paperMeta } from './meta';
import { pdfFailure } from './pdf-errors';
import type { ExtractedPaper } from './types';
import { defaultPoolSize, runInPool } from './worker-pool';
import type { WorkerMessage, WorkerRequest } from './worker-protocol';

export type InProcessReader = (req: WorkerRequest, post: (m: WorkerMessage) => void) => Promise<void>;

/** Bump when extraction output changes: cached extractions of older versions are redone. */
export const EXTRACTOR_VERSION = 'pdfjs-4.10.38/layout-6';

export interface ExtractOptions {
  password?: string;
  signal?: AbortSignal;
  onPage?: (page: number, pages: number) => void;
  /** The bundled worker script; default: pdf-worker.js beside the running bundle. */
  workerFile?: string;
  /**
   * Run pdf.js in this thread with this reader instead (unit tests, benchmarks: pass
   * `readPdf` from pdf-read.ts). Passed in, not imported, so pdf.js stays out of the main bundles.
   */
  inProcess?: InProcessReader;
  /**
   * Longest wait for the document to open and between two pages (default 30 s); the whole file
   * may take this plus PER_PAGE_MS for each page. Worker only.
   */
  timeLimitMs?: number;
  /** Files the worker script may read at once, each on its own thread (default: cores − 1, 1 to 4). */
  poolSize?: number;
}

export const DEFAULT_TIME_LIMIT_MS = 30_000;
/** Time a file may take per page on top of its base limit (pdf.js needs ~2 ms a page). */
export const PER_PAGE_MS = 50;

export async function extractPdf(bytes: Uint8Array, fileName: string, opts: ExtractOptions = {}): Promise<ExtractedPaper> {
  const pages: PageLines[] = [];
  const ocrPages: number[] = [];
  const brokenPages: number[] = [];
  let info: { pages: number; title?: string; author?: string; date?: string } = { pages: 0 };
  const onMessage = (m: WorkerMessage) => {
    if (m.type === 'meta') info = m;
    else if (m.type === 'page') {
      if (m.ocr) ocrPages.push(m.page);
      if (m.broken) brokenPages.push(m.page);
      pages.push({ page: m.page, height: m.height, lines: m.lines });
      opts.onPage?.(m.page, info.pages);
    }
  };
  // pdf.js detaches the buffer it is given: hand it a copy.
  const req: WorkerRequest = { data: new Uint8Array(bytes), password: opts.password };
  if (opts.inProcess) {
    try {
      await opts.inProcess(req, onMessage);
    } catch (e) {
      throw pdfFailure(e as Error, fileName);
    }
  } else {
    await runWorker(req, onMessage, fileName, opts);
  }
  const meta = paperMeta(info.pages, info, pages[0], fileName);
  const paragraphs = toParagraphs(pages);
  if (!meta.authors.length) meta.authors = authorsFromParagraphs(paragraphs, meta.title);
  return {
    meta,
    paragraphs,
    ocrPages,
    brokenPages,
  };
}

function runWorker(req: WorkerRequest, onMessage: (m: WorkerMessage) => void, fileName: string, opts: ExtractOptions): Promise<void> {
  const file = opts.workerFile ?? path.join(__dirname, 'pdf-worker.js');
  return runInPool(file, req, onMessage, fileName, {
    signal: opts.signal,
    timeLimitMs: opts.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
    perPageMs: PER_PAGE_MS,
    poolSize: opts.poolSize ?? defaultPoolSize(),
  });
}
