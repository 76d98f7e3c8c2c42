// Search by meaning over the stored papers: each passage's vector from the user's embedding
// model (kept beside its chunk file, vector-file.ts), the question's vector at search time,
// and a brute-force cosine over all of them (50,000 passages: ~40 ms at 384 numbers, ~110 ms
// at 1,024 here, `npm run bench:dense`; no approximate index is worth its complexity at that).
// Password-protected papers opened for the session only are searched by their words alone:
// their text never reaches the disk, nor would their vectors.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PrivacyScope } from '../../privacy/gate';
import { mkdirPrivate, writeDurable } from '../durable-file';
import type { PaperLibrary } from '../library';
import type { PaperRecord } from '../types';
import { decodeVectors, encodeVectors, type PaperVectors, quantize } from './vector-file';

export const VECTORS = 'vectors';

/** What makes vectors: the MedGemma client with an embedding model set. */
export interface Embedder {
  embed(texts: string[], opts: { query?: boolean; signal?: AbortSignal; privacy?: PrivacyScope }): Promise<Float32Array[]>;
}

export interface DenseHit {
  id: string;
  paperId: string;
  /** Cosine similarity, -1..1. */
  score: number;
}

/** A folder name for the model: readable, and unique even when two names clean up alike. */
export function modelFolder(model: string): string {
  const readable = model.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 60) || 'model';
  return `${readable}-${createHash('sha256').update(model).digest('hex').slice(0, 8)}`;
}

function vectorFile(chunkFile: string): string {
  return `${path.basename(chunkFile).replace(/\.json$/, '')}.vec`;
}

function searchable(r: PaperRecord): r is PaperRecord & { chunkFile: string } {
  return r.state === 'indexed' && !!r.chunkFile && !r.sessionOnly && r.chunks > 0;
}

/** The `k` rows closest to `q` (unit length) over every paper's vectors, best first. */
export function topByCosine(papers: readonly { paperId: string; v: PaperVectors }[], q: Float32Array, k: number): DenseHit[] {
  const top: DenseHit[] = [];
  let floor = -Infinity;
  for (const { paperId, v } of papers) {
    if (v.dims !== q.length) continue; // made by another model under this name: not comparable
    for (let row = 0; row < v.count; row++) {
      let dot = 0;
      const at = row * v.dims;
      for (let i = 0; i < v.dims; i++) dot += v.data[at + i] * q[i];
      const score = dot * v.scales[row];
      if (top.length >= k && score <= floor) continue;
      top.push({ id: `${paperId}#${row}`, paperId, score });
      // Kept at most 2k long: sorted and cut when it doubles, so the floor rises as it goes.
      if (top.length > 2 * k) {
        top.sort((a, b) => b.score - a.score).length = k;
        floor = top[k - 1].score;
      }
    }
  }
  return top.sort((a, b) => b.score - a.score).slice(0, k);
}

export class DenseIndex {
  /** By chunk file: immutable, so never stale. */
  private readonly loaded = new Map<string, PaperVectors>();
  private readonly dir: string;

  constructor(
    private readonly library: PaperLibrary,
    readonly embedder: Embedder,
    readonly model: string,
  ) {
    this.dir = path.join(library.dir, VECTORS, modelFolder(model));
  }

  /** Passages of the stored papers that have no vectors yet (what prepare() would embed). */
  async missing(): Promise<{ papers: number; passages: number }> {
    let papers = 0;
    let passages = 0;
    for (const r of (await this.library.list()).filter(searchable)) {
      if (await this.load(r)) continue;
      papers++;
      passages += r.chunks;
    }
    return { papers, passages };
  }

  /**
   * Embeds the passages of every stored paper without vectors, one paper at a time, each kept
   * as soon as it is done (a stop or a failure keeps the papers finished). A library folder
   * that cannot be written keeps its vectors in memory for this session.
   */
  async prepare(opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<{ embedded: number }> {
    const live = (await this.library.list()).filter(searchable);
    const todo: (PaperRecord & { chunkFile: string })[] = [];
    for (const r of live) if (!(await this.load(r))) todo.push(r);
    const total = todo.reduce((n, r) => n + r.chunks, 0);
    let done = 0;
    if (todo.length) opts.onProgress?.(0, total);
    for (const r of todo) {
      if (opts.signal?.aborted) break;
      const chunks = await this.library.chunksOf(r.id);
      // Rows are found again by position: `${paper}#${row}`, as chunk.ts numbers them.
      if (chunks.length !== r.chunks || chunks.some((c, i) => c.id !== `${r.id}#${i}`)) continue;
      const vectors = quantize(await this.embedder.embed(chunks.map((c) => c.text), { signal: opts.signal }));
      this.loaded.set(r.chunkFile, vectors);
      try {
        await mkdirPrivate(this.dir);
        await writeDurable(path.join(this.dir, vectorFile(r.chunkFile)), encodeVectors(vectors));
      } catch {
        // Read-only library: the vectors serve this session and are made again next time.
      }
      done += r.chunks;
      opts.onProgress?.(done, total);
    }
    await this.collect(live);
    return { embedded: done };
  }

  /** The `k` passages closest in meaning to `query` among the papers with vectors. */
  async search(query: string, k: number, paperIds?: string[], opts: { signal?: AbortSignal; privacy?: PrivacyScope } = {}): Promise<DenseHit[]> {
    const only = paperIds && new Set(paperIds);
    const papers: { r: PaperRecord; v: PaperVectors }[] = [];
    for (const r of (await this.library.list()).filter(searchable)) {
      if (only && !only.has(r.id)) continue;
      const v = await this.load(r);
      if (v) papers.push({ r, v });
    }
    if (!papers.length) return [];
    const [q] = await this.embedder.embed([query], { query: true, signal: opts.signal, privacy: opts.privacy });
    return topByCosine(
      papers.map(({ r, v }) => ({ paperId: r.id, v })),
      q,
      k,
    );
  }

  private async load(r: PaperRecord & { chunkFile: string }): Promise<PaperVectors | undefined> {
    const known = this.loaded.get(r.chunkFile);
    if (known) return known;
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(path.join(this.dir, vectorFile(r.chunkFile)));
    } catch {
      return undefined;
    }
    const v = decodeVectors(bytes, r.chunks);
    if (v) this.loaded.set(r.chunkFile, v);
    return v;
  }

  /** Deletes vectors of chunk files no paper uses now, and temp files a crash left (best effort). */
  private async collect(live: readonly PaperRecord[]): Promise<void> {
    const liveFiles = new Set(live.map((r) => r.chunkFile!));
    for (const chunkFile of this.loaded.keys()) if (!liveFiles.has(chunkFile)) this.loaded.delete(chunkFile);
    const keep = new Set([...liveFiles].map(vectorFile));
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return;
    }
    const hourAgo = Date.now() - 3_600_000;
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (name.endsWith('.vec') && !keep.has(name)) {
        await fs.rm(file, { force: true }).catch(() => undefined);
      } else if (name.endsWith('.tmp')) {
        const st = await fs.stat(file).catch(() => undefined);
        if (st && st.mtimeMs < hourAgo) await fs.rm(file, { force: true }).catch(() => undefined);
      }
    }
  }
}
