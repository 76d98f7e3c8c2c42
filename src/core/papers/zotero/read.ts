// Finding and reading the user's Zotero library, read-only: zotero.sqlite's bytes are read into
// memory (Zotero keeps the file open and locked, so SQLite cannot open it beside Zotero; a copy
// of its bytes can) and parsed by SQLite in a worker thread (dist/zotero-worker.js), so the
// WebAssembly memory a large library needs goes back when the thread ends. Nothing is written
// to the Zotero folder or anywhere else.

import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type ZoteroCatalog, ZoteroError } from './catalog';

export const ZOTERO_DB = 'zotero.sqlite';
/** A bigger database is refused rather than read into memory. */
const MAX_DB_BYTES = 2 * 1024 ** 3;

/**
 * Where Zotero keeps its data by default: ~/Zotero on every system since Zotero 5, then the
 * profile folders of Zotero 4 and earlier (Linux, macOS, Windows).
 */
export function defaultDataDirs(home = os.homedir(), env: NodeJS.ProcessEnv = process.env, platform = process.platform): string[] {
  const dirs = [path.join(home, 'Zotero')];
  if (platform === 'win32') dirs.push(path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Zotero', 'Zotero'));
  else if (platform === 'darwin') dirs.push(path.join(home, 'Library', 'Application Support', 'Zotero'));
  else dirs.push(path.join(home, '.zotero', 'zotero'));
  return dirs;
}

/** The data folder to read: the configured one, else the first default that has a database. */
export async function findDataDir(configured: string | undefined, candidates = defaultDataDirs()): Promise<string> {
  if (configured) {
    if (await isFile(path.join(configured, ZOTERO_DB))) return configured;
    throw new ZoteroError(`There is no ${ZOTERO_DB} in ${configured}. Set the Zotero data folder to the folder Zotero shows under Settings → Advanced → Files and Folders → Data Directory Location.`);
  }
  for (const dir of candidates) {
    if (await isFile(path.join(dir, ZOTERO_DB))) return dir;
    // Zotero 4 kept the data folder inside a profile folder: <dir>/Profiles/<profile>/zotero.
    const profiles = await fs.readdir(path.join(dir, 'Profiles')).catch(() => [] as string[]);
    for (const p of profiles.sort()) if (await isFile(path.join(dir, 'Profiles', p, 'zotero', ZOTERO_DB))) return path.join(dir, 'Profiles', p, 'zotero');
  }
  throw new ZoteroError(`No Zotero library found (looked in ${candidates.join(', ')}). If Zotero keeps its data elsewhere, set the Zotero data folder to the folder Zotero shows under Settings → Advanced → Files and Folders.`);
}

/** Parses in the bundled worker thread (dist/zotero-worker.js), or in this thread with parse.ts's function (tests). */
export type ReadOptions = { workerFile: string } | { parse: (bytes: Uint8Array, dataDir: string) => Promise<ZoteroCatalog> };

/** The catalog of the library in dataDir. Throws ZoteroError with a sentence saying what to do. */
export async function readZotero(dataDir: string, opts: ReadOptions): Promise<ZoteroCatalog & { stale: boolean }> {
  const file = path.join(dataDir, ZOTERO_DB);
  let bytes: Buffer;
  try {
    const st = await fs.stat(file);
    if (st.size > MAX_DB_BYTES) throw new ZoteroError(`${file} is ${(st.size / 1024 ** 3).toFixed(1)} GB, more than MedGemma reads (2 GB). Attach the PDFs of a collection from Zotero's storage folder instead.`);
    bytes = await fs.readFile(file);
  } catch (e) {
    if (e instanceof ZoteroError) throw e;
    throw new ZoteroError(`${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}). Check that it exists and that you may read it.`);
  }
  // Changes Zotero has not yet folded into the database file sit in its write-ahead log.
  const wal = await fs.stat(`${file}-wal`).catch(() => undefined);
  const catalog = 'workerFile' in opts ? await inWorker(opts.workerFile, bytes, dataDir) : await opts.parse(bytes, dataDir);
  return { ...catalog, stale: !!wal?.size };
}

function inWorker(workerFile: string, bytes: Buffer, dataDir: string): Promise<ZoteroCatalog> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { dataDir }, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (m: { catalog?: ZoteroCatalog; error?: string; zotero?: boolean }) =>
      settle(() => (m.catalog ? resolve(m.catalog) : reject(m.zotero ? new ZoteroError(m.error) : new Error(m.error)))),
    );
    worker.on('error', (e) => settle(() => reject(new ZoteroError(`Reading the Zotero library failed (${e.message}).`))));
    worker.on('exit', (code) => settle(() => reject(new ZoteroError(`Reading the Zotero library stopped (code ${code}).`))));
    // Handed over, not copied, when the bytes own their buffer (a large file's always do).
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? new Uint8Array(bytes.buffer as ArrayBuffer) : new Uint8Array(bytes);
    worker.postMessage(own, [own.buffer]);
  });
}

async function isFile(f: string): Promise<boolean> {
  return (await fs.stat(f).catch(() => undefined))?.isFile() ?? false;
}
