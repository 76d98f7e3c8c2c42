// The papers a user attached, on disk in one folder (the extension's workspace storage, or
// the CLI's index folder):
//   library.json        the papers: file, content hash, state, metadata
//   index.json          the BM25 index (search-index.ts), loaded lazily
//   chunks/<id>.json    each paper's chunks (text, pages, section)
//   cache/<hash>.json   extractions by content hash + extractor version (re-attach is free)
// Operations are serialized; every write goes to a temp file then renames (no torn files).

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { chunkParagraphs } from './chunk';
import { extractPdf, EXTRACTOR_VERSION, type ExtractOptions, type InProcessReader } from './extract';
import { PdfError } from './pdf-errors';
import { ChunkIndex } from './search-index';
import type { Chunk, ExtractedPaper, PaperRecord, SearchHit } from './types';

const LIBRARY_VERSION = 1;
/** A paper whose pages need OCR for at least this share is "needs OCR" as a whole. */
const OCR_SHARE = 0.5;

export interface AddOptions {
  signal?: AbortSignal;
  /** Progress of the current file. */
  onProgress?: (file: string, page: number, pages: number) => void;
  /** Asked when a file is encrypted; undefined = skip it. Called again after a wrong password. */
  password?: (file: string, wrong: boolean) => Promise<string | undefined>;
  /** Re-extract even when the content hash is unchanged. */
  force?: boolean;
  /** Only refresh files that are attached (checked in turn, so a removal meanwhile wins). */
  refreshOnly?: boolean;
}

export interface LibraryOptions {
  workerFile?: string;
  inProcess?: InProcessReader;
  /** Per-file extraction time limit (extract.ts, timeLimitMs). */
  timeLimitMs?: number;
}

export function paperIdFor(file: string): string {
  return createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 16);
}

async function writeAtomic(file: string, data: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export class PaperLibrary {
  private papers = new Map<string, PaperRecord>();
  private index?: ChunkIndex;
  private loaded?: Promise<void>;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly chunkCache = new Map<string, Chunk[]>();

  constructor(
    readonly dir: string,
    private readonly opts: LibraryOptions = {},
  ) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const lib = await readJson<{ version: number; papers: PaperRecord[] }>(path.join(this.dir, 'library.json'));
      if (lib?.version === LIBRARY_VERSION) for (const p of lib.papers) this.papers.set(p.id, p);
    })();
    return this.loaded;
  }

  /** The index, read from disk on first use (or rebuilt from the chunk files when unreadable). */
  private async getIndex(): Promise<ChunkIndex> {
    await this.load();
    if (this.index) return this.index;
    try {
      this.index = ChunkIndex.load(await fs.readFile(path.join(this.dir, 'index.json'), 'utf8'));
    } catch {
      const idx = ChunkIndex.empty();
      for (const p of this.papers.values()) if (p.chunks) idx.add(await this.chunksOf(p.id), p.meta?.title ?? '');
      this.index = idx;
    }
    return this.index;
  }

  async list(): Promise<PaperRecord[]> {
    await this.load();
    return [...this.papers.values()].sort((a, b) => a.file.localeCompare(b.file));
  }

  async get(id: string): Promise<PaperRecord | undefined> {
    await this.load();
    return this.papers.get(id);
  }

  async findByFile(file: string): Promise<PaperRecord | undefined> {
    return this.get(paperIdFor(file));
  }

  async chunksOf(paperId: string): Promise<Chunk[]> {
    let c = this.chunkCache.get(paperId);
    if (!c) {
      c = (await readJson<Chunk[]>(path.join(this.dir, 'chunks', `${paperId}.json`))) ?? [];
      if (this.chunkCache.size > 200) this.chunkCache.clear();
      this.chunkCache.set(paperId, c);
    }
    return c;
  }

  async chunk(id: string): Promise<Chunk | undefined> {
    const paperId = id.split('#')[0];
    return (await this.chunksOf(paperId)).find((c) => c.id === id);
  }

  /** Attaches (or refreshes) files; one file failing never stops the others. */
  add(files: string[], opts: AddOptions = {}): Promise<PaperRecord[]> {
    return this.serial(async () => {
      await this.load();
      const index = await this.getIndex();
      const out: PaperRecord[] = [];
      for (const file of files) {
        if (opts.signal?.aborted) break;
        if (opts.refreshOnly && !this.papers.has(paperIdFor(file))) continue;
        const rec = await this.addOne(path.resolve(file), index, opts);
        if (opts.signal?.aborted) break;
        if (rec) out.push(rec);
        await this.persist();
      }
      return out;
    });
  }

  /** True when the file changed since it was indexed (or is not indexed). */
  async isStale(file: string): Promise<boolean> {
    const rec = await this.findByFile(file);
    if (!rec) return true;
    try {
      const st = await fs.stat(file);
      return st.size !== rec.size || Math.round(st.mtimeMs) !== Math.round(rec.mtimeMs) || rec.extractor !== EXTRACTOR_VERSION;
    } catch {
      return false;
    }
  }

  /** undefined: cancelled before the file was done. */
  private async addOne(file: string, index: ChunkIndex, opts: AddOptions): Promise<PaperRecord | undefined> {
    const id = paperIdFor(file);
    const name = path.basename(file);
    const old = this.papers.get(id);
    const base = { id, file, extractor: EXTRACTOR_VERSION, chunks: 0 };
    let bytes: Buffer;
    let st: { size: number; mtimeMs: number };
    try {
      st = await fs.stat(file);
      bytes = await fs.readFile(file);
    } catch (e) {
      return this.record(index, { ...base, hash: '', size: 0, mtimeMs: 0, state: 'failed', reason: `${name} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check that the file exists and is readable.` }, []);
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (!opts.force && old && old.hash === hash && old.extractor === EXTRACTOR_VERSION && old.state === 'indexed') {
      return this.record(index, { ...old, size: st.size, mtimeMs: st.mtimeMs }, undefined);
    }
    const meta = { ...base, hash, size: st.size, mtimeMs: st.mtimeMs };
    const cacheFile = path.join(this.dir, 'cache', `${hash}-${EXTRACTOR_VERSION.replace(/[^\w.-]/g, '_')}.json`);
    let extracted = opts.force ? undefined : await readJson<ExtractedPaper>(cacheFile);
    if (!extracted) {
      const got = await this.extract(file, name, bytes, opts);
      if ('failure' in got) {
        const e = got.failure;
        if (isLocked(e)) return this.record(index, { ...meta, state: 'encrypted', reason: e.message }, []);
        // Cancelled: the file keeps its previous state (if any); add() stops after it.
        if (e instanceof PdfError && e.kind === 'cancelled') return old;
        return this.record(index, { ...meta, state: 'failed', reason: e instanceof Error ? e.message : String(e) }, []);
      }
      extracted = got.extracted;
      // Extractions of encrypted files are not cached: the text would sit on disk unprotected.
      if (got.password === undefined) await writeAtomic(cacheFile, JSON.stringify(extracted));
    }
    const { meta: pm, ocrPages, brokenPages, paragraphs } = extracted;
    const chunks = chunkParagraphs(id, paragraphs);
    const notes: string[] = [];
    if (ocrPages.length) notes.push(`${ocrPages.length} of ${pm.pages} pages are scanned images without text (needs OCR; not indexed)`);
    if (brokenPages.length) notes.push(`${brokenPages.length} damaged page(s) could not be read (${brokenPages.slice(0, 5).join(', ')})`);
    if (!pm.pages) return this.record(index, { ...meta, meta: pm, state: 'failed', reason: `${name} has no pages. Attach the complete PDF.` }, []);
    if (!chunks.length && ocrPages.length === 0) {
      return this.record(index, { ...meta, meta: pm, state: 'failed', reason: `${name} contains no text to index. If it is a scan, run OCR on it first (e.g. ocrmypdf) and re-index.` }, []);
    }
    const state = ocrPages.length >= OCR_SHARE * pm.pages || !chunks.length ? 'needs-ocr' : 'indexed';
    const reason = state === 'needs-ocr' ? `${name} is a scanned document without a text layer: run OCR on it (e.g. ocrmypdf) and re-index.` : notes.join('; ') || undefined;
    return this.record(index, { ...meta, meta: pm, state, reason, chunks: state === 'indexed' ? chunks.length : 0 }, state === 'indexed' ? chunks : []);
  }

  /** Extracts the text, asking for a password while the file is locked (again after a wrong one). */
  private async extract(file: string, name: string, bytes: Buffer, opts: AddOptions): Promise<{ extracted: ExtractedPaper; password?: string } | { failure: unknown }> {
    let password: string | undefined;
    for (;;) {
      try {
        const x: ExtractOptions = {
          password,
          signal: opts.signal,
          onPage: (p, n) => opts.onProgress?.(file, p, n),
          workerFile: this.opts.workerFile,
          inProcess: this.opts.inProcess,
          timeLimitMs: this.opts.timeLimitMs,
        };
        return { extracted: await extractPdf(bytes, name, x), password };
      } catch (e) {
        password = isLocked(e) && opts.password ? await opts.password(file, e.kind === 'wrong-password') : undefined;
        if (password === undefined) return { failure: e };
      }
    }
  }

  /** Stores a record; chunks undefined = unchanged, [] = none. */
  private async record(index: ChunkIndex, rec: PaperRecord, chunks: Chunk[] | undefined): Promise<PaperRecord> {
    if (chunks) {
      const old = this.papers.get(rec.id);
      if (old?.chunks) index.discard(Array.from({ length: old.chunks }, (_, i) => `${rec.id}#${i}`));
      const file = path.join(this.dir, 'chunks', `${rec.id}.json`);
      if (chunks.length) {
        await writeAtomic(file, JSON.stringify(chunks));
        index.add(chunks, rec.meta?.title ?? '');
      } else await fs.rm(file, { force: true });
      this.chunkCache.delete(rec.id);
    }
    this.papers.set(rec.id, rec);
    return rec;
  }

  remove(id: string): Promise<boolean> {
    return this.serial(async () => {
      await this.load();
      const rec = this.papers.get(id);
      if (!rec) return false;
      const index = await this.getIndex();
      index.discard(Array.from({ length: rec.chunks }, (_, i) => `${id}#${i}`));
      this.papers.delete(id);
      this.chunkCache.delete(id);
      await fs.rm(path.join(this.dir, 'chunks', `${id}.json`), { force: true });
      await this.persist();
      return true;
    });
  }

  private async persist(): Promise<void> {
    await writeAtomic(path.join(this.dir, 'library.json'), JSON.stringify({ version: LIBRARY_VERSION, papers: [...this.papers.values()] }, null, 1));
    if (this.index) await writeAtomic(path.join(this.dir, 'index.json'), this.index.toJSON());
  }

  /** Ranked passages for a question; works without any server. */
  async search(query: string, k = 8, paperIds?: string[]): Promise<SearchHit[]> {
    const index = await this.getIndex();
    const hits = index.search(query, k, paperIds ? new Set(paperIds) : undefined);
    const out: SearchHit[] = [];
    for (const h of hits) {
      const paper = this.papers.get(h.paperId);
      const chunk = paper && (await this.chunk(h.id));
      if (paper && chunk) out.push({ chunk, paper, score: h.score, coverage: h.coverage });
    }
    return out;
  }
}

/** Encrypted, or the password given was wrong: a password may open it. */
function isLocked(e: unknown): e is PdfError {
  return e instanceof PdfError && (e.kind === 'encrypted' || e.kind === 'wrong-password');
}
