// The results file of a batch: JSON Lines, one record per input, appended as each finishes.
// Each record is written with one write call, so a batch stopped at any moment leaves whole
// lines; an incomplete last line (the machine went down mid-write) is cut off when the file is
// opened again, so the file stays valid JSONL. Re-running onto the same file skips what is
// done: only the keys of the `ok` records are kept in memory, never the records.

import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { jsonLine } from '../terminal-text';
import { BatchInputError } from './inputs';

/** What makes two runs of one input the same run: the fields compared on resume. */
export type KeyFields = readonly string[];

export function recordKey(record: Record<string, unknown>, fields: KeyFields): string {
  return JSON.stringify(fields.map((f) => record[f] ?? null));
}

export interface ResultsFile {
  readonly path: string;
  /** Keys of the inputs already done (`ok` records). */
  readonly done: ReadonlySet<string>;
  /** Records found when it was opened, ok and failed. */
  readonly found: { ok: number; failed: number };
  /** Bytes of an incomplete last line removed when it was opened. */
  readonly repaired: number;
  append(record: Record<string, unknown>): void;
  close(): void;
}

/** Cuts the file after its last line feed; returns the bytes removed. */
function cutIncompleteTail(fd: number, size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const n = fs.readSync(fd, chunk, 0, end - start, start);
    const nl = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (nl >= 0) {
      if (start + nl + 1 === size) return 0;
      fs.ftruncateSync(fd, start + nl + 1);
      return size - (start + nl + 1);
    }
    end = start;
  }
  fs.ftruncateSync(fd, 0);
  return size;
}

function openError(file: string, e: unknown): BatchInputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'EISDIR' ? 'is a folder' : code === 'EACCES' || code === 'EPERM' ? 'is not writable (permission denied)' : code === 'ENOENT' ? 'is in a folder that does not exist' : `cannot be opened (${code ?? (e as Error).message})`;
  return new BatchInputError(`the results file ${file} ${why}. Give --out a file path in a folder you can write to`);
}

/**
 * Opens (or creates) the results file. `mustExist` (--resume): a missing file is an error, so
 * a mistyped path does not silently start the whole batch again.
 */
export async function openResults(file: string, fields: KeyFields, opts: { mustExist?: boolean } = {}): Promise<ResultsFile> {
  if (opts.mustExist && !fs.existsSync(file)) {
    throw new BatchInputError(`--resume was given but the results file ${file} does not exist. Check the path, or leave out --resume to start a new batch`);
  }
  let fd: number;
  try {
    fd = fs.openSync(file, 'a+');
  } catch (e) {
    throw openError(file, e);
  }
  const size = fs.fstatSync(fd).size;
  const repaired = size > 0 ? cutIncompleteTail(fd, size) : 0;
  const done = new Set<string>();
  const found = { ok: 0, failed: 0 };
  if (size > repaired) {
    const lines = readline.createInterface({ input: fs.createReadStream('', { fd, start: 0, autoClose: false }), crlfDelay: Infinity });
    for await (const line of lines) {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        continue; // not ours, or damaged: left as it is, never a reason to stop
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) continue;
      const r = record as Record<string, unknown>;
      if (r.status === 'ok') {
        found.ok += 1;
        done.add(recordKey(r, fields));
      } else if (r.status === 'error') found.failed += 1;
    }
  }
  return {
    path: file,
    done,
    found,
    repaired,
    append(record) {
      fs.writeSync(fd, `${jsonLine(record)}\n`);
    },
    close() {
      fs.closeSync(fd);
    },
  };
}
