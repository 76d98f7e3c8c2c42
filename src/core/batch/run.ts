// Runs one job over many files: `concurrency` items at once, one record appended to the
// results file as each finishes, inputs already done skipped. Nothing is held beyond the items
// in flight. A failed item is recorded and the batch goes on; a failure that every next item
// would meet too (server down, key refused, no such model) is recorded and stops the batch. A
// stop (Ctrl-C, Cancel) ends the items in flight without a record: a re-run does them again.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { isMedGemmaError } from '../server/errors';
import type { Usage } from '../server/types';
import { recordKey, type KeyFields, type ResultsFile } from './results';
import { Throttle } from './throttle';

/** What one item came to. `record` holds the job's own fields (summary, answer, ...). */
export interface ItemOutcome {
  ok: boolean;
  record: Record<string, unknown>;
  usage?: Usage;
  /** The item stopped because the batch was stopped: not recorded. */
  cancelled?: boolean;
  /** Why it failed (a MedGemmaError, a file error, ...). */
  error?: unknown;
}

/** An item ready to go to the server: its input bytes are no longer needed. */
export type Send = (signal: AbortSignal) => Promise<ItemOutcome>;

export interface BatchJob {
  /** Fields every record of this job carries besides file and sha256 (template, or kind and prompt; model). */
  fields: Record<string, unknown>;
  /** The record fields that make two runs the same run (resume compares them). */
  keyFields: KeyFields;
  /** Larger files are recorded as failed without reading them. */
  maxBytes: number;
  /** Items read and prepared at once (an image's decode is large: one at a time); the sending is concurrent. */
  prepareSlots: number;
  /** What the inputs are called in messages ("note", "image"). */
  noun: string;
  /** Turns the file's bytes into the request to send (throws for bad input: recorded as failed). */
  prepare(file: string, bytes: Buffer): Promise<Send>;
}

export interface BatchProgress {
  total: number;
  /** Done in an earlier run. */
  skipped: number;
  ok: number;
  failed: number;
  inFlight: number;
  /** Generated tokens of the items finished in this run. */
  completionTokens: number;
}

export interface BatchSummary extends BatchProgress {
  /** Set when the batch ended early: the user stopped it, or an error every item would meet. */
  stopped?: { by: 'user' } | { by: 'error'; error: unknown };
}

export interface BatchOptions {
  concurrency: number;
  signal?: AbortSignal;
  onProgress?(p: BatchProgress): void;
}

/** Errors that every next item would meet as well: the batch stops at the first. */
const STOPS_BATCH = new Set(['unreachable', 'unauthorized', 'bad-config', 'unknown-model', 'not-image-capable', 'privacy', 'declined']);
/** Timeouts in a row (with no success between) that mean the server, not one item. */
const TIMEOUTS_TO_STOP = 3;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function fileError(file: string, e: unknown, noun: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no longer exists' : code === 'EISDIR' ? 'is a folder' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code ?? message(e)})`;
  return new Error(`${file} ${why}; it was skipped. Check the ${noun} and run the batch again`);
}

/** The bytes of one input, refused past the job's size limit. */
export async function readInput(file: string, job: Pick<BatchJob, 'maxBytes' | 'noun'>): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r').catch((e) => Promise.reject(fileError(file, e, job.noun)));
  try {
    const { size } = await fh.stat();
    if (size > job.maxBytes) {
      throw new Error(`${file} is ${(size / 1024 / 1024).toFixed(1)} MB, more than the ${Math.round(job.maxBytes / 1024 / 1024)} MB a ${job.noun} may have in a batch; it was skipped`);
    }
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** The line a finished item gets in the results file (online and offline batches alike). */
export function resultRecord(file: string, sha256: string, job: Pick<BatchJob, 'fields'>, outcome: ItemOutcome): Record<string, unknown> {
  const error = outcome.ok ? null : message(outcome.error);
  const kind = isMedGemmaError(outcome.error) ? outcome.error.kind : outcome.ok ? null : 'input';
  return { file, sha256, status: outcome.ok ? 'ok' : 'error', ...job.fields, ...outcome.record, error, errorKind: kind };
}

export async function runBatch(files: readonly string[], job: BatchJob, results: ResultsFile, opts: BatchOptions): Promise<BatchSummary> {
  const stop = new AbortController();
  const onUserStop = () => stop.abort();
  opts.signal?.addEventListener('abort', onUserStop, { once: true });
  if (opts.signal?.aborted) stop.abort();
  const p: BatchProgress = { total: files.length, skipped: 0, ok: 0, failed: 0, inFlight: 0, completionTokens: 0 };
  let stopped: BatchSummary['stopped'];
  let timeoutsInARow = 0;
  let next = 0;
  const prepareSlots = new Throttle(Math.max(1, Math.min(job.prepareSlots, opts.concurrency)));

  const record = (file: string, sha256: string, outcome: ItemOutcome) => {
    results.append(resultRecord(file, sha256, job, outcome));
    if (outcome.ok) p.ok += 1;
    else p.failed += 1;
    p.completionTokens += outcome.usage?.completionTokens ?? 0;
  };

  /** Reads, hashes and prepares under the job's prepare slots; undefined when done before. */
  const prepare = async (file: string): Promise<{ sha256: string; send: Send } | undefined> => {
    let sha256 = '';
    try {
      const bytes = await readInput(file, job);
      sha256 = createHash('sha256').update(bytes).digest('hex');
      if (results.done.has(recordKey({ file, sha256, ...job.fields }, job.keyFields))) {
        p.skipped += 1;
        return undefined;
      }
      return { sha256, send: await job.prepare(file, bytes) };
    } catch (e) {
      return { sha256, send: async () => ({ ok: false, record: {}, error: e }) };
    }
  };

  const one = async (file: string): Promise<void> => {
    if (!(await prepareSlots.acquire(stop.signal))) return;
    let ready: Awaited<ReturnType<typeof prepare>>;
    try {
      ready = await prepare(file);
    } finally {
      prepareSlots.release(true);
    }
    if (!ready) return;
    const { sha256, send } = ready;
    let outcome: ItemOutcome;
    try {
      outcome = await send(stop.signal);
    } catch (e) {
      outcome = { ok: false, record: {}, error: e };
    }
    // Ended by the stop (the user's, or another item's fatal error): done again next run.
    if (outcome.cancelled || (!outcome.ok && stop.signal.aborted)) return;
    record(file, sha256, outcome);
    const kind = isMedGemmaError(outcome.error) ? outcome.error.kind : undefined;
    timeoutsInARow = kind === 'timeout' ? timeoutsInARow + 1 : outcome.ok ? 0 : timeoutsInARow;
    if (!stopped && kind && (STOPS_BATCH.has(kind) || timeoutsInARow >= TIMEOUTS_TO_STOP)) {
      stopped = { by: 'error', error: outcome.error };
      stop.abort();
    }
  };

  const worker = async () => {
    while (!stop.signal.aborted && next < files.length) {
      const file = files[next++];
      p.inFlight += 1;
      try {
        await one(file);
      } finally {
        p.inFlight -= 1;
        opts.onProgress?.({ ...p });
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, files.length) }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', onUserStop);
  }
  if (!stopped && opts.signal?.aborted) stopped = { by: 'user' };
  return { ...p, ...(stopped ? { stopped } : {}) };
}
