// The papers a user attached, on disk in one folder (the extension's workspace storage, or
// the CLI's index folder), private to the user (0700, files 0600):
//   library.json               the manifest, the one commit point (manifest.ts)
//   index-<gen>-<rand>.bm25    the main BM25 segment (bm25/index-files.ts, bm25/segment.ts)
//   chunks/<id>-<hash>.json    each paper's chunks (text, pages, section), named by content
//   chunks/<id>-<hash>.bm25    that paper's own segment, until a merge folds it into the main one
//   cache/<hash>.json          extractions by content hash + extractor version (re-attach is free)
//   library.lock               held by the one process writing a commit (writer-lock.ts)
//
// Several processes may share the folder (the CLI, VS Code windows without a folder share
// global storage). Extraction (minutes) runs without the lock; the commit takes it, re-reads
// the manifest, merges this writer's upserts and removals into what others committed
// meanwhile, writes the new files, then the manifest, then removes files no manifest names.
// Readers notice another writer's commit by the manifest's identity and reload.
//
// Password-protected papers: by default their text never reaches the disk. It is indexed in
// memory for this library object's life (a VS Code window's session) and the manifest keeps
// only a "locked" record, so after a restart the paper asks for its password again.
// protectedText: 'store' (the CLI's --store-decrypted) stores it like any paper.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { IndexFiles } from './bm25/index-files';
import { IndexView } from './bm25/search';
import { Segment } from './bm25/segment';
import { chunkParagraphs } from './chunk';
import { fsyncDir, mkdirPrivate, tightenFolder, writeDurable } from './durable-file';
import { extractPdf, EXTRACTOR_VERSION, type ExtractOptions, type InProcessReader } from './extract';
import { defaultPoolSize } from './worker-pool';
import {
  CACHE,
  CHUNKS,
  chunkFileName,
  collectGarbage,
  type DiskState,
  indexFileName,
  keepAside,
  LOCK,
  lost,
  MANIFEST,
  type Manifest,
  manifestSignature,
  newCommitId,
  readManifest,
} from './manifest';
import { knownOf, sameKnownMeta } from './meta';
import { PdfError } from './pdf-errors';
import type { Chunk, ExtractedPaper, KnownMeta, PaperRecord, SearchHit } from './types';
import { acquireLock } from './writer-lock';

/** A paper whose pages need OCR for at least this share is "needs OCR" as a whole. */
const OCR_SHARE = 0.5;

export type ProtectedText = 'session' | 'store' | 'refuse';

export interface AddOptions {
  signal?: AbortSignal;
  /** Pages read of a file being read (several files may be read at once). */
  onProgress?: (file: string, page: number, pages: number) => void;
  /** A file finished (indexed, failed, or unchanged): `done` of `total` files so far. */
  onFile?: (rec: PaperRecord, done: number, total: number) => void;
  /** Asked when a file is encrypted; undefined = skip it. Called again after a wrong password; never twice at once. */
  password?: (file: string, wrong: boolean) => Promise<string | undefined>;
  /** Re-extract even when the content hash is unchanged. */
  force?: boolean;
  /** Only refresh files that are attached (checked in turn, so a removal meanwhile wins). */
  refreshOnly?: boolean;
  /**
   * The text of a password-protected PDF: kept in memory for this session only ('session',
   * the default), stored unencrypted in the folder like any paper's ('store'), or not indexed
   * at all ('refuse': no password is asked; the record's reason is refuseReason's).
   */
  protectedText?: ProtectedText;
  refuseReason?: (file: string) => string;
  /** Metadata to index a file under instead of what its PDF says (Zotero's); a change re-indexes it. */
  meta?: (file: string) => KnownMeta | undefined;
}

export interface LibraryOptions {
  workerFile?: string;
  inProcess?: InProcessReader;
  /** Per-file extraction time limit (extract.ts, timeLimitMs). */
  timeLimitMs?: number;
  /** Files read at once, each on its own thread (default: cores − 1, 1 to 4; 1 with inProcess). */
  extractWorkers?: number;
}

export function paperIdFor(file: string): string {
  return createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 16);
}

export function lockedReason(file: string): string {
  return `${path.basename(file)} is password-protected: its text is kept in memory only, for the session it was opened in, so it is locked now. Enter its password again to search it (re-index it; in VS Code, click it in the Papers view).`;
}

const SESSION_NOTE = 'password-protected: its text is kept in memory for this session only, never on disk';
const STORED_NOTE = 'password-protected: its decrypted text is stored unencrypted in the index folder';

/** One writer's change, merged into the latest manifest under the lock. */
type Change =
  /** chunks undefined: content unchanged, rec.chunkFile still names it. */
  | { kind: 'put'; rec: PaperRecord; chunks?: Chunk[] }
  | { kind: 'remove'; id: string };

interface SessionPaper {
  rec: PaperRecord;
  chunks: Chunk[];
  /** Its index, in memory only. */
  seg: Segment;
}

export class PaperLibrary {
  /** The papers as the manifest last read or written says. */
  private stored = new Map<string, PaperRecord>();
  private storedIndex?: string;
  private commitId = '';
  /** undefined: not read yet, or to be re-read (after a failed commit). */
  private signature?: string;
  private repairNeeded = false;
  private repairTried?: string;
  private newer?: number;
  private unreadable = false;
  /** Password-protected papers opened in this session: their text lives here only. */
  private session = new Map<string, SessionPaper>();
  /** Stored papers' chunks and the session's, for searching. */
  private view?: IndexView;
  private readonly files: IndexFiles;
  /** add/remove of this object, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Reading or replacing the in-memory state (short; never held during an extraction). */
  private stateQueue: Promise<unknown> = Promise.resolve();
  /** By chunk file name: the files are immutable. */
  private readonly chunkCache = new Map<string, Chunk[]>();

  constructor(
    readonly dir: string,
    private readonly opts: LibraryOptions = {},
  ) {
    this.files = new IndexFiles(dir, path.join(dir, CHUNKS));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private withState<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.stateQueue.then(fn, fn);
    this.stateQueue = run.catch(() => undefined);
    return run;
  }

  /** Catches up with the disk (another writer's commit) and repairs what a crash left. */
  private async sync(withIndex = false): Promise<void> {
    const repair = await this.withState(async () => {
      await this.refresh();
      if (withIndex) await this.loadIndex();
      return this.repairNeeded && this.repairTried !== this.commitId;
    });
    if (repair) {
      this.repairTried = this.commitId;
      // Best effort: a read-only folder still reads consistently, it just is not rewritten.
      await this.commit([]).catch(() => undefined);
    }
  }

  /** Re-reads the manifest when it changed on disk. Call inside withState. */
  private async refresh(): Promise<void> {
    if (this.signature !== undefined && (await manifestSignature(this.dir)) === this.signature) return;
    this.adopt(await readManifest(this.dir));
  }

  private adopt(disk: DiskState): void {
    this.signature = disk.signature;
    this.newer = disk.newer;
    this.unreadable = !!disk.unreadable;
    if (disk.manifest.commit && disk.manifest.commit === this.commitId && !disk.repair) return;
    this.commitId = disk.manifest.commit;
    this.stored = new Map(disk.manifest.papers.map((p) => [p.id, p]));
    this.storedIndex = disk.manifest.index;
    this.repairNeeded = disk.repair;
    this.view = undefined;
    // A session paper whose record another writer removed is gone here too.
    for (const id of this.session.keys()) if (!this.stored.has(id)) this.session.delete(id);
  }

  /** The search index: the manifest's segments, a paper's segment rebuilt from its chunks where its file is missing. Inside withState. */
  private async loadIndex(): Promise<IndexView> {
    if (this.view) return this.view;
    const a = await this.files.assemble(this.stored.values(), this.sessionSegments(this.session), this.storedIndex, (r) => this.readChunkFile(r.chunkFile));
    for (const id of a.lost) this.stored.set(id, lost(this.stored.get(id)!));
    if (a.repair || a.lost.length) this.repairNeeded = true;
    this.view = a.view;
    return a.view;
  }

  private sessionSegments(session: Map<string, SessionPaper>): Segment[] {
    return [...session.values()].map((s) => s.seg);
  }

  private async readChunkFile(name: string | undefined): Promise<Chunk[] | undefined> {
    if (!name) return undefined;
    let c = this.chunkCache.get(name);
    if (!c) {
      try {
        c = JSON.parse(await fs.readFile(path.join(this.dir, CHUNKS, path.basename(name)), 'utf8')) as Chunk[];
      } catch {
        return undefined;
      }
      if (this.chunkCache.size > 200) this.chunkCache.clear();
      this.chunkCache.set(name, c);
    }
    return c;
  }

  private visible(id: string): PaperRecord | undefined {
    return this.session.get(id)?.rec ?? this.stored.get(id);
  }

  async list(): Promise<PaperRecord[]> {
    await this.sync();
    return [...this.stored.keys()].map((id) => this.visible(id)!).sort((a, b) => a.file.localeCompare(b.file));
  }

  async get(id: string): Promise<PaperRecord | undefined> {
    await this.sync();
    return this.visible(id);
  }

  async findByFile(file: string): Promise<PaperRecord | undefined> {
    return this.get(paperIdFor(file));
  }

  async chunksOf(paperId: string): Promise<Chunk[]> {
    const s = this.session.get(paperId);
    if (s) return s.chunks;
    const name = this.stored.get(paperId)?.chunkFile;
    const c = await this.readChunkFile(name);
    if (c || !name) return c ?? [];
    // Removed by another writer's commit since we read the manifest: catch up once.
    await this.sync();
    return (await this.readChunkFile(this.stored.get(paperId)?.chunkFile)) ?? [];
  }

  async chunk(id: string): Promise<Chunk | undefined> {
    const paperId = id.split('#')[0];
    return (await this.chunksOf(paperId)).find((c) => c.id === id);
  }

  /**
   * Attaches (or refreshes) files; one file failing never stops the others. Several files are
   * read at once (one per extraction thread); each is committed as soon as it is read, one
   * commit at a time, so a cancel or a crash keeps every file finished before it. The records
   * come back in the order of `files`.
   */
  add(files: string[], opts: AddOptions = {}): Promise<PaperRecord[]> {
    return this.serial(async () => {
      const recs: Array<PaperRecord | undefined> = [];
      const o: AddOptions = { ...opts, password: opts.password && oneAtATime(opts.password) };
      let next = 0;
      let done = 0;
      let failure: { error: unknown } | undefined;
      const lane = async () => {
        while (!opts.signal?.aborted && !failure && next < files.length) {
          const i = next++;
          try {
            await this.sync();
            if (opts.refreshOnly && !this.visible(paperIdFor(files[i]))) continue;
            const got = await this.addOne(path.resolve(files[i]), o);
            if (opts.signal?.aborted || !got) continue;
            if (got.change) await this.commit([got.change]);
            recs[i] = got.rec;
            opts.onFile?.(got.rec, ++done, files.length);
          } catch (error) {
            failure ??= { error };
          }
        }
      };
      const lanes = this.opts.inProcess ? 1 : (this.opts.extractWorkers ?? defaultPoolSize());
      await Promise.all(Array.from({ length: Math.min(lanes, files.length) }, lane));
      if (failure) throw failure.error;
      return recs.filter((r): r is PaperRecord => r !== undefined);
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

  /** What indexing the file gives, and the change to commit (none: nothing to write). undefined: cancelled. */
  private async addOne(file: string, opts: AddOptions): Promise<{ rec: PaperRecord; change?: Change } | undefined> {
    const id = paperIdFor(file);
    const name = path.basename(file);
    const old = this.visible(id);
    const base = { id, file, extractor: EXTRACTOR_VERSION, chunks: 0 };
    const put = (rec: PaperRecord, chunks: Chunk[] | undefined) => ({ rec, change: { kind: 'put', rec, chunks } as const });
    let bytes: Buffer;
    let st: { size: number; mtimeMs: number };
    const unreadable = (e: unknown) =>
      put({ ...base, hash: '', size: 0, mtimeMs: 0, state: 'failed', reason: `${name} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check that the file exists and is readable.` }, []);
    try {
      st = await fs.stat(file);
    } catch (e) {
      return unreadable(e);
    }
    // A Zotero paper whose file changed keeps Zotero's metadata when re-indexed without it.
    const known = opts.meta?.(file) ?? (old?.meta?.zotero ? knownOf(old.meta) : undefined);
    /** Indexed by this extractor under the metadata wanted, its chunks on disk (or in memory). */
    const current = async (r: PaperRecord) => r.extractor === EXTRACTOR_VERSION && r.state === 'indexed' && sameKnownMeta(r.meta, known) && (r.sessionOnly || !!(await this.readChunkFile(r.chunkFile)));
    // Same size and modification time: unchanged, not even read (a re-run over a large folder,
    // or one resumed after a cancel, costs a stat per paper done).
    if (!opts.force && old && old.size === st.size && Math.round(old.mtimeMs) === Math.round(st.mtimeMs) && (await current(old))) return { rec: old };
    try {
      bytes = await fs.readFile(file);
    } catch (e) {
      return unreadable(e);
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (!opts.force && old && old.hash === hash && (await current(old))) {
      const rec = { ...old, size: st.size, mtimeMs: st.mtimeMs };
      if (rec.size === old.size && rec.mtimeMs === old.mtimeMs) return { rec };
      // A session paper's record is in memory: only its mtime changed.
      if (old.sessionOnly) return { rec, change: { kind: 'put', rec, chunks: this.session.get(id)!.chunks } };
      return put(rec, undefined);
    }
    const meta = { ...base, hash, size: st.size, mtimeMs: st.mtimeMs };
    const cacheFile = path.join(this.dir, CACHE, `${hash}-${EXTRACTOR_VERSION.replace(/[^\w.-]/g, '_')}.json`);
    let extracted = opts.force ? undefined : await readJson<ExtractedPaper>(cacheFile);
    let locked = false;
    if (!extracted) {
      const policy = opts.protectedText ?? 'session';
      const got = await this.extract(file, name, bytes, { ...opts, password: policy === 'refuse' ? undefined : opts.password });
      if ('failure' in got) {
        const e = got.failure;
        if (isLocked(e)) return put({ ...meta, state: 'encrypted', reason: (policy === 'refuse' && opts.refuseReason?.(file)) || e.message }, []);
        // Cancelled: the file keeps its previous state (if any); add() stops after it.
        if (e instanceof PdfError && e.kind === 'cancelled') return old && { rec: old };
        return put({ ...meta, state: 'failed', reason: e instanceof Error ? e.message : String(e) }, []);
      }
      extracted = got.extracted;
      locked = got.password !== undefined;
      // Extractions of encrypted files are never cached: the cache is not the index and asks nobody.
      if (!locked) {
        await mkdirPrivate(path.dirname(cacheFile));
        await writeDurable(cacheFile, JSON.stringify(extracted));
      }
    }
    if (known) extracted = { ...extracted, meta: { ...known, pages: extracted.meta.pages } };
    const { rec, chunks } = classify(meta, name, extracted, locked ? (opts.protectedText ?? 'session') : undefined);
    return put(rec, chunks);
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
          poolSize: this.opts.extractWorkers,
        };
        return { extracted: await extractPdf(bytes, name, x), password };
      } catch (e) {
        password = isLocked(e) && opts.password ? await opts.password(file, e.kind === 'wrong-password') : undefined;
        if (password === undefined) return { failure: e };
      }
    }
  }

  remove(id: string): Promise<boolean> {
    return this.serial(async () => {
      await this.sync();
      if (!this.visible(id)) return false;
      await this.commit([{ kind: 'remove', id }]);
      return true;
    });
  }

  /**
   * The commit's work with files before the manifest: writes the new chunk files and their
   * segments (immutable, named by content, invisible until the manifest names them). Under the
   * lock, after the manifest was re-read. Returns the chunk file of each put and the papers an
   * older version stored decrypted that are now kept in memory (their words must leave the disk).
   */
  private async prepare(changes: Change[]): Promise<{ written: Map<Change, string>; purge: Set<string> }> {
    const written = new Map<Change, string>();
    for (const c of changes) {
      if (c.kind !== 'put' || !c.chunks?.length || c.rec.sessionOnly) continue;
      const json = JSON.stringify(c.chunks);
      // The title is indexed with the chunks (bm25/segment.ts): a new title is a new file.
      const name = chunkFileName(c.rec.id, `${json}\n${c.rec.meta?.title ?? ''}`);
      const file = path.join(this.dir, CHUNKS, name);
      if (!(await fs.stat(file).catch(() => undefined))) await writeDurable(file, json);
      const rec = { ...c.rec, chunkFile: name };
      await this.files.ensureFile(rec, this.files.segmentOf(rec, c.chunks), writeDurable);
      written.set(c, name);
    }
    const purge = new Set<string>();
    for (const c of changes) if (c.kind === 'put' && c.rec.sessionOnly && this.stored.get(c.rec.id)?.state === 'indexed') purge.add(c.rec.id);
    return { written, purge };
  }

  /**
   * The commit: under the writer lock, re-reads the manifest (another writer may have
   * committed since this object read it), applies the changes to that, writes the new chunk
   * and segment files, a merged main segment when one is due, and last the manifest, each
   * synced; then removes files that neither this manifest nor the one it replaced names.
   */
  private commit(changes: Change[]): Promise<void> {
    return this.withState(async () => {
      await mkdirPrivate(path.join(this.dir, CHUNKS));
      await tightenFolder(this.dir);
      await tightenFolder(path.join(this.dir, CHUNKS));
      await tightenFolder(path.join(this.dir, CACHE));
      const lock = await acquireLock(path.join(this.dir, LOCK));
      try {
        const disk = await readManifest(this.dir);
        if (disk.newer) throw new Error(`The papers index in ${this.dir} was written by a newer version of MedGemma (format ${disk.newer}). Update MedGemma, or use another index folder.`);
        if (disk.signature !== this.signature) this.adopt(disk);
        const { written, purge } = await this.prepare(changes);

        const next = new Map(this.stored);
        const session = new Map(this.session);
        for (const c of changes) {
          if (c.kind === 'remove') {
            session.delete(c.id);
            next.delete(c.id);
            continue;
          }
          const rec = c.rec;
          session.delete(rec.id);
          if (rec.sessionOnly) {
            const chunks = c.chunks ?? [];
            session.set(rec.id, { rec, chunks, seg: Segment.build([{ paper: { id: rec.id }, title: rec.meta?.title ?? '', chunks }]) });
            // Title and authors come from the decrypted text too: the stored record has none.
            next.set(rec.id, { ...rec, state: 'encrypted', reason: lockedReason(rec.file), chunks: 0, chunkFile: undefined, sessionOnly: undefined, meta: undefined });
          } else next.set(rec.id, c.chunks ? { ...rec, chunkFile: written.get(c) } : rec);
        }
        // An unchanged paper whose chunk file another writer removed meanwhile is lost here.
        const a = await this.files.assemble(next.values(), this.sessionSegments(session), this.storedIndex, (r) => this.readChunkFile(r.chunkFile));
        for (const id of a.lost) next.set(id, lost(next.get(id)!));

        const generation = (disk.manifest.generation || 0) + 1;
        let index = a.main?.liveDocs ? a.main.name : undefined;
        let segments = a.papers;
        let view = a.view;
        if (purge.size || this.files.shouldMerge(a)) {
          const main = this.files.merge(a);
          index = main && indexFileName(generation);
          if (main && index) {
            await writeDurable(path.join(this.dir, index), main.bytes);
            this.files.rememberMain(index, main);
          }
          segments = [];
          view = new IndexView([...(main ? [{ seg: main }] : []), ...this.sessionSegments(session).map((seg) => ({ seg }))]);
        }
        const segmentFiles: string[] = [];
        for (const p of segments) segmentFiles.push(await this.files.ensureFile(p.rec, p.seg, writeDurable));

        await fsyncDir(path.join(this.dir, CHUNKS));
        const manifest: Manifest = { version: 2, commit: newCommitId(), generation, index, segments: segmentFiles, papers: [...next.values()] };
        if (!(await lock.stillHeld())) throw new Error(`Another process took over the lock of the papers index in ${this.dir} (it judged this one stale). Try again.`);
        if (disk.unreadable) await keepAside(this.dir);
        await writeDurable(path.join(this.dir, MANIFEST), JSON.stringify(manifest, null, 1));

        this.stored = next;
        this.session = session;
        this.storedIndex = index;
        this.view = view;
        this.commitId = manifest.commit;
        this.signature = await manifestSignature(this.dir);
        this.repairNeeded = false;
        this.unreadable = false;
        // Decrypted text that must go: the replaced manifest's files are not kept for readers.
        await collectGarbage(this.dir, purge.size ? [manifest] : [disk.manifest, manifest]);
      } catch (e) {
        // The in-memory state may be ahead of the disk: read it again next time.
        this.signature = undefined;
        this.commitId = '';
        this.view = undefined;
        throw e;
      } finally {
        await lock.release();
      }
    });
  }

  /** Ranked passages for a question; works without any server. */
  async search(query: string, k = 8, paperIds?: string[]): Promise<SearchHit[]> {
    await this.sync(true);
    const index = this.view ?? (await this.withState(() => this.loadIndex()));
    const hits = index.search(query, k, paperIds ? new Set(paperIds) : undefined);
    const out: SearchHit[] = [];
    for (const h of hits) {
      const paper = this.visible(h.paperId);
      const chunk = paper && (await this.chunk(h.id));
      if (paper && chunk) out.push({ chunk, paper, score: h.score, coverage: h.coverage });
    }
    return out;
  }
}

/** The record of an extracted paper and the chunks to index. protectedText: how it was opened with a password (undefined: it was not). */
function classify(meta: Omit<PaperRecord, 'state'>, name: string, extracted: ExtractedPaper, protectedText: ProtectedText | undefined): { rec: PaperRecord; chunks: Chunk[] } {
  const { meta: pm, ocrPages, brokenPages, paragraphs } = extracted;
  const chunks = chunkParagraphs(meta.id, paragraphs);
  const notes: string[] = [];
  if (ocrPages.length) notes.push(`${ocrPages.length} of ${pm.pages} pages are scanned images without text (needs OCR; not indexed)`);
  if (brokenPages.length) notes.push(`${brokenPages.length} damaged page(s) could not be read (${brokenPages.slice(0, 5).join(', ')})`);
  if (!pm.pages) return { rec: { ...meta, meta: pm, state: 'failed', reason: `${name} has no pages. Attach the complete PDF.` }, chunks: [] };
  if (!chunks.length && ocrPages.length === 0) {
    return { rec: { ...meta, meta: pm, state: 'failed', reason: `${name} contains no text to index. If it is a scan, run OCR on it first (e.g. ocrmypdf) and re-index.` }, chunks: [] };
  }
  if (ocrPages.length >= OCR_SHARE * pm.pages || !chunks.length) {
    return { rec: { ...meta, meta: pm, state: 'needs-ocr', reason: `${name} is a scanned document without a text layer: run OCR on it (e.g. ocrmypdf) and re-index.` }, chunks: [] };
  }
  const sessionOnly = protectedText === 'session';
  if (protectedText) notes.push(sessionOnly ? SESSION_NOTE : STORED_NOTE);
  return { rec: { ...meta, meta: pm, state: 'indexed', reason: notes.join('; ') || undefined, chunks: chunks.length, sessionOnly: sessionOnly || undefined }, chunks };
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The same function, but a call waits until the one before it has answered (one password prompt at a time). */
function oneAtATime<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let last: Promise<unknown> = Promise.resolve();
  return (...args) => {
    const run = last.then(() => fn(...args));
    last = run.catch(() => undefined);
    return run;
  };
}

/** Encrypted, or the password given was wrong: a password may open it. */
function isLocked(e: unknown): e is PdfError {
  return e instanceof PdfError && (e.kind === 'encrypted' || e.kind === 'wrong-password');
}
