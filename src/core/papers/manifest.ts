// library.json, the papers library's one commit point. It names the files it covers: the
// main index segment (index-<generation>-<random>.bm25), the paper segments outside it
// (chunks/<paper>-<content hash>.bm25) and each paper's chunk file
// (chunks/<paper>-<content hash>.json). Those are immutable, uniquely named and synced
// before the manifest is renamed into place, so a crash at any moment leaves the previous
// manifest with all of its files, or the new one with all of its files. Files that no
// manifest names are garbage (collectGarbage, run by the writer holding the lock).
//
// Version 1 (before this layout) renamed library.json and index.json separately and wrote
// chunks/<paper>.json in place; it is read, its index rebuilt, and rewritten by the next commit.
// Version 2 manifests before the segments named a minisearch index-<gen>-<rand>.json: it is not
// read (segments are rebuilt from the chunk files, bm25/index-files.ts) and goes with the next
// commit. An older MedGemma reading a newer folder does the same in reverse: the format number
// stays 2 because each version rebuilds what it cannot read and loses nothing.

import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { PaperRecord } from './types';

export const MANIFEST = 'library.json';
export const LOCK = 'library.lock';
export const CHUNKS = 'chunks';
export const CACHE = 'cache';
const VERSION = 2;

export interface Manifest {
  version: typeof VERSION;
  /** Random id of this commit: equal ids mean the same state. */
  commit: string;
  generation: number;
  /** The main index segment; absent when none holds a live chunk. */
  index?: string;
  /** Paper segments (in chunks/) of papers the main segment does not cover. */
  segments?: string[];
  papers: PaperRecord[];
}

export interface DiskState {
  manifest: Manifest;
  /** Identity of library.json as read ('' = absent); another writer's commit changes it. */
  signature: string;
  /** What was read differs from what a commit would write (old format, lost chunk file): commit to repair. */
  repair: boolean;
  /** library.json exists but is not readable JSON: kept aside by the next commit, never overwritten blind. */
  unreadable?: boolean;
  /** Written by a newer version of MedGemma: this one neither uses nor overwrites it. */
  newer?: number;
}

export function emptyManifest(): Manifest {
  return { version: VERSION, commit: '', generation: 0, papers: [] };
}

export function newCommitId(): string {
  return randomBytes(8).toString('hex');
}

export function signatureOf(st: Stats): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

export async function manifestSignature(dir: string): Promise<string> {
  try {
    return signatureOf(await fs.stat(path.join(dir, MANIFEST)));
  } catch {
    return '';
  }
}

/** Chunk files are named by their content: rewriting unchanged chunks costs nothing and changes nothing. */
export function chunkFileName(paperId: string, json: string): string {
  return `${paperId}-${createHash('sha256').update(json).digest('hex').slice(0, 16)}.json`;
}

export function indexFileName(generation: number): string {
  return `index-${generation}-${randomBytes(4).toString('hex')}.bm25`;
}

export function lostReason(file: string): string {
  return `The index data of ${path.basename(file)} is missing (a write was interrupted, or files were removed from the index folder). Re-index it.`;
}

/**
 * Reads the manifest and checks it against the folder: a paper whose chunk file is missing, or
 * whose chunk count is not a count, is no longer "indexed" (it is re-indexed, and the manifest repaired).
 */
export async function readManifest(dir: string): Promise<DiskState> {
  let text: string;
  let signature: string;
  try {
    // One open file: the signature and the text belong to the same version of library.json.
    const fh = await fs.open(path.join(dir, MANIFEST), 'r');
    try {
      signature = signatureOf(await fh.stat());
      text = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return { manifest: emptyManifest(), signature: '', repair: false };
  }
  let raw: { version?: unknown; papers?: unknown; index?: unknown; segments?: unknown; commit?: unknown; generation?: unknown };
  try {
    raw = JSON.parse(text);
  } catch {
    return { manifest: emptyManifest(), signature, repair: false, unreadable: true };
  }
  if (typeof raw?.version !== 'number' || !Array.isArray(raw.papers)) return { manifest: emptyManifest(), signature, repair: false, unreadable: true };
  if (raw.version > VERSION) return { manifest: emptyManifest(), signature, repair: false, newer: raw.version };

  const old = raw.version < VERSION;
  let repair = old;
  const papers: PaperRecord[] = [];
  for (const p of raw.papers as PaperRecord[]) {
    if (typeof p?.id !== 'string' || typeof p.file !== 'string' || !/^[\w-]+$/.test(p.id)) {
      repair = true;
      continue;
    }
    const rec: PaperRecord = { ...p, sessionOnly: undefined };
    if (old && rec.state === 'indexed' && rec.chunks > 0) rec.chunkFile = `${rec.id}.json`;
    // A count that is not a count (an edited or damaged file) cannot say which chunks to search.
    const badCount = rec.state === 'indexed' && !(Number.isSafeInteger(rec.chunks) && rec.chunks >= 0);
    if (badCount || (rec.state === 'indexed' && rec.chunks > 0 && !(rec.chunkFile && (await exists(path.join(dir, CHUNKS, path.basename(rec.chunkFile))))))) {
      papers.push(lost(rec));
      repair = true;
    } else papers.push(rec);
  }
  const manifest: Manifest = {
    version: VERSION,
    commit: typeof raw.commit === 'string' ? raw.commit : '',
    generation: typeof raw.generation === 'number' ? raw.generation : 0,
    index: old ? undefined : typeof raw.index === 'string' ? path.basename(raw.index) : undefined,
    segments: Array.isArray(raw.segments) ? raw.segments.filter((x): x is string => typeof x === 'string').map((x) => path.basename(x)) : [],
    papers,
  };
  return { manifest, signature, repair };
}

/** The record of a paper whose chunks cannot be read: shown as failed, re-indexed (never skipped as unchanged). */
export function lost(rec: PaperRecord): PaperRecord {
  return { ...rec, state: 'failed', reason: lostReason(rec.file), chunks: 0, chunkFile: undefined };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** An unreadable library.json is moved aside (library.json.unreadable-<time>) before a new one replaces it. */
export async function keepAside(dir: string): Promise<void> {
  const file = path.join(dir, MANIFEST);
  await fs.rename(file, `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`).catch(() => undefined);
}

/**
 * Removes index and chunk files that none of the given manifests names (the one just written
 * and the one it replaced, which a reader may still be using), and leftovers of crashed
 * writes. Call only while holding the writer lock: then no other writer has unnamed files
 * in flight.
 */
export async function collectGarbage(dir: string, keep: Manifest[]): Promise<void> {
  const indexes = new Set(keep.map((m) => m.index).filter(Boolean));
  const chunks = new Set(keep.flatMap((m) => [...m.papers.map((p) => p.chunkFile), ...(m.segments ?? [])].filter(Boolean)));
  const rm = (f: string) => fs.rm(f, { force: true }).catch(() => undefined);
  for (const name of await list(dir)) {
    if ((/^index(-[\w-]+)?\.(json|bm25)$/.test(name) && !indexes.has(name)) || name.endsWith('.tmp') || name.startsWith(`${LOCK}.stale-`)) await rm(path.join(dir, name));
  }
  for (const name of await list(path.join(dir, CHUNKS))) {
    if ((/\.(json|bm25)$/.test(name) && !chunks.has(name)) || name.endsWith('.tmp')) await rm(path.join(dir, CHUNKS, name));
  }
  // The extraction cache is written outside the lock: only temp files old enough to be a crash's.
  for (const name of await list(path.join(dir, CACHE))) {
    if (!name.endsWith('.tmp')) continue;
    const f = path.join(dir, CACHE, name);
    const st = await fs.stat(f).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > 3600_000) await rm(f);
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}
