// Extract one PDF: pdf.js runs in a worker thread (dist/pdf-worker.js), pages stream back one
// at a time, layout.ts rebuilds paragraphs. Cancel with the signal (the worker is terminated).
// A file gets a time budget; one that overruns it, or breaks the worker, is stopped alone: the
// worker is ended and the next file starts a fresh one.

import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { toParagraphs, type PageLines } from './layout';
import { authorsFromParagraphs, paperMeta } from './meta';
import { PdfError, pdfFailure, tooLarge, tooSlow } from './pdf-errors';
import type { ExtractedPaper } from './types';
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

/** Idle worker threads end after this long (pdf.js stays loaded between files of a batch). */
const IDLE_MS = 15_000;

interface LiveWorker {
  worker: Worker;
  idle?: NodeJS.Timeout;
}
const live = new Map<string, LiveWorker>();
/** Jobs per worker script run one at a time, each on the worker alive when it starts. */
const queues = new Map<string, Promise<unknown>>();

function workerFor(file: string): LiveWorker {
  let w = live.get(file);
  if (!w) {
    const worker = new Worker(file, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    // An idle worker never keeps the process (e.g. the CLI) alive.
    worker.unref();
    const entry: LiveWorker = { worker };
    const retire = () => {
      if (live.get(file) === entry) live.delete(file);
      void worker.terminate();
    };
    worker.on('exit', () => live.get(file) === entry && live.delete(file));
    // Between jobs too: a thread that failed on its own is never reused, and its error never
    // reaches the process as an unhandled 'error' event (which would end the CLI with a trace).
    // (No lasting 'message' listener: it would keep the process alive until the idle timeout.)
    worker.on('error', retire);
    live.set(file, (w = entry));
  }
  return w;
}

function runWorker(req: WorkerRequest, onMessage: (m: WorkerMessage) => void, fileName: string, opts: ExtractOptions): Promise<void> {
  const file = opts.workerFile ?? path.join(__dirname, 'pdf-worker.js');
  const job = (queues.get(file) ?? Promise.resolve()).then(() => runJob(file, workerFor(file), req, onMessage, fileName, opts));
  queues.set(file, job.catch(() => undefined));
  return job;
}

function runJob(file: string, w: LiveWorker, req: WorkerRequest, onMessage: (m: WorkerMessage) => void, fileName: string, opts: ExtractOptions): Promise<void> {
  const { worker } = w;
  clearTimeout(w.idle);
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new PdfError('cancelled', `Indexing ${fileName} was cancelled.`));
    let settled = false;
    const base = opts.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
    const started = Date.now();
    let lastMessage = started;
    let pages = 0;
    // One coarse timer: the file's budget grows with its page count, and a stall of `base` ends it.
    const watchdog = setInterval(
      () => {
        const now = Date.now();
        const budget = base + pages * PER_PAGE_MS;
        if (now - lastMessage > base) finish(tooSlow(fileName, base), true);
        else if (now - started > budget) finish(tooSlow(fileName, budget), true);
      },
      Math.min(1000, Math.max(50, base / 10)),
    );
    const finish = (err?: Error, kill = false) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      opts.signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMsg);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (kill) {
        if (live.get(file) === w) live.delete(file);
        void worker.terminate();
      } else {
        w.idle = setTimeout(() => void worker.terminate(), IDLE_MS);
        w.idle.unref();
      }
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => finish(new PdfError('cancelled', `Indexing ${fileName} was cancelled.`), true);
    const onMsg = (m: WorkerMessage) => {
      lastMessage = Date.now();
      if (m.type === 'meta') pages = m.pages;
      if (m.type === 'done') finish();
      // A stack overflow may leave pdf.js in any state: the next file gets a fresh worker.
      else if (m.type === 'error') finish(pdfFailure(m, fileName), m.name === 'RangeError' || m.retire === true);
      else onMessage(m);
    };
    const onError = (e: Error) => finish(pdfFailure(e as Error & { code?: string }, fileName), true);
    // Exit 0: the thread ended itself after a stray failure of the file before this one
    // (pdf-worker.ts) just as this file was sent. Otherwise the heap limit stopped it.
    const onExit = (code: number) =>
      finish(code === 0 ? new PdfError('unreadable', `The PDF reader stopped while starting on ${fileName}. Index it again.`) : tooLarge(fileName, `worker exit ${code}`), true);
    opts.signal?.addEventListener('abort', onAbort);
    worker.on('message', onMsg);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(req, [req.data.buffer as ArrayBuffer]);
  });
}
