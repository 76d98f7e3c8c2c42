// The pdf.js worker threads of one worker script: up to `size` files are read at once, each on
// a thread of its own; a thread is reused for the next file (pdf.js loads once) until it idles
// for IDLE_MS. A file gets a time budget; one that overruns it, or breaks its thread, is stopped
// alone: that thread is ended and the next file starts a fresh one.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PdfError, pdfFailure, tooLarge, tooSlow } from './pdf-errors';
import type { WorkerMessage, WorkerRequest } from './worker-protocol';
import { waitInLine } from '../wait-in-line';

/** Idle worker threads end after this long (pdf.js stays loaded between files of a batch). */
const IDLE_MS = 15_000;
/** Each thread may grow to 1 GB; more than four would let a batch take most of a laptop's memory. */
const MAX_THREADS = 4;

/** One thread per core but one (the caller's thread lays out pages and writes the index), at least 1, at most 4. */
export function defaultPoolSize(cores = availableParallelism()): number {
  return Math.max(1, Math.min(MAX_THREADS, cores - 1));
}

export interface JobOptions {
  signal?: AbortSignal;
  /** Longest wait for the document to open and between two pages; the file may take this plus perPageMs a page. */
  timeLimitMs: number;
  perPageMs: number;
  /** Threads this script may run at once (the latest caller's wish wins). */
  poolSize: number;
}

interface Thread {
  worker: Worker;
  busy: boolean;
  idle?: NodeJS.Timeout;
}

interface Pool {
  threads: Set<Thread>;
  /** Jobs waiting for a thread, first come first served. */
  waiting: Array<() => void>;
  size: number;
}

const pools = new Map<string, Pool>();

/** Threads alive for this script (tests). */
export function threadCount(file: string): number {
  return pools.get(file)?.threads.size ?? 0;
}

/** Reads one request on a thread of the script's pool, passing its page messages on. */
export async function runInPool(file: string, req: WorkerRequest, onMessage: (m: WorkerMessage) => void, fileName: string, opts: JobOptions): Promise<void> {
  const cancelled = () => new PdfError('cancelled', `Indexing ${fileName} was cancelled.`);
  let pool = pools.get(file);
  if (!pool) pools.set(file, (pool = { threads: new Set(), waiting: [], size: 1 }));
  pool.size = Math.max(1, Math.floor(opts.poolSize));
  const thread = await take(file, pool, opts.signal);
  if (!thread) throw cancelled();
  return runJob(pool, thread, req, onMessage, fileName, opts);
}

/** A free thread (a new one while under the size), after waiting for one if need be; undefined: cancelled while waiting. */
async function take(file: string, pool: Pool, signal?: AbortSignal): Promise<Thread | undefined> {
  for (;;) {
    if (signal?.aborted) return undefined;
    const free = [...pool.threads].find((t) => !t.busy);
    if (free) {
      clearTimeout(free.idle);
      free.busy = true;
      return free;
    }
    if (pool.threads.size < pool.size) {
      const t = start(file, pool);
      t.busy = true;
      return t;
    }
    const woken = await waitInLine(pool.waiting, signal);
    if (!woken) return undefined;
  }
}

/** Lets the next waiting job look for a thread. */
function wakeOne(pool: Pool): void {
  pool.waiting.shift()?.();
}

function start(file: string, pool: Pool): Thread {
  const worker = new Worker(file, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
  // An idle thread never keeps the process (e.g. the CLI) alive.
  worker.unref();
  const thread: Thread = { worker, busy: false };
  const retire = () => {
    if (pool.threads.delete(thread)) wakeOne(pool);
    void worker.terminate();
  };
  worker.on('exit', retire);
  // Between jobs too: a thread that failed on its own is never reused, and its error never
  // reaches the process as an unhandled 'error' event (which would end the CLI with a trace).
  // (No lasting 'message' listener: it would keep the process alive until the idle timeout.)
  worker.on('error', retire);
  pool.threads.add(thread);
  return thread;
}

function runJob(pool: Pool, thread: Thread, req: WorkerRequest, onMessage: (m: WorkerMessage) => void, fileName: string, opts: JobOptions): Promise<void> {
  const { worker } = thread;
  return new Promise((resolve, reject) => {
    let settled = false;
    const base = opts.timeLimitMs;
    const started = Date.now();
    let lastMessage = started;
    let pages = 0;
    // One coarse timer: the file's budget grows with its page count, and a stall of `base` ends it.
    const watchdog = setInterval(
      () => {
        const now = Date.now();
        const budget = base + pages * opts.perPageMs;
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
      thread.busy = false;
      if (kill) {
        pool.threads.delete(thread);
        void worker.terminate();
      } else if (pool.threads.size > pool.size) {
        // The pool was made smaller meanwhile.
        pool.threads.delete(thread);
        void worker.terminate();
      } else {
        thread.idle = setTimeout(() => void worker.terminate(), IDLE_MS);
        thread.idle.unref();
      }
      wakeOne(pool);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => finish(new PdfError('cancelled', `Indexing ${fileName} was cancelled.`), true);
    const onMsg = (m: WorkerMessage) => {
      lastMessage = Date.now();
      if (m.type === 'meta') pages = m.pages;
      if (m.type === 'done') finish();
      // A stack overflow may leave pdf.js in any state: the next file gets a fresh thread.
      else if (m.type === 'error') finish(pdfFailure(m, fileName), m.name === 'RangeError' || m.retire === true);
      else onMessage(m);
    };
    const onError = (e: Error) => finish(pdfFailure(e as Error & { code?: string }, fileName), true);
    // Exit 0: the thread ended itself after a stray failure of the file before this one
    // (pdf-worker.ts) just as this file was sent. Otherwise the heap limit stopped it.
    const onExit = (code: number) =>
      finish(code === 0 ? new PdfError('unreadable', `The PDF reader stopped while starting on ${fileName}. Index it again.`) : tooLarge(fileName, `worker exit ${code}`), true);
    if (opts.signal?.aborted) return finish(new PdfError('cancelled', `Indexing ${fileName} was cancelled.`));
    opts.signal?.addEventListener('abort', onAbort);
    worker.on('message', onMsg);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(req, [req.data.buffer as ArrayBuffer]);
  });
}
