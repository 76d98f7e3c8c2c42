// The papers index on disk, in segments (segment.ts), so that attaching or removing one paper
// writes that paper's share, not the whole index:
//   index-<gen>-<rand>.bm25   the main segment: many papers, rewritten only by a merge
//   chunks/<paper>-<hash>.bm25 one paper's segment, beside its chunk file and named like it
// The manifest names the main segment and the paper segments in use. A search sees the main
// segment without the docs of papers removed or re-indexed since (masked, not rewritten), plus
// the paper segments of papers it does not cover. When those grow past a share of the main
// segment, a commit merges them into a new main segment (no text is tokenized again), so each
// paper is rewritten O(log) times over a library's life rather than on every change.
//
// A segment file that is missing or unreadable is rebuilt from the paper's chunk file (an
// older library's index-*.json is never read: every paper is rebuilt this way once, then merged).

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Chunk, PaperRecord } from '../types';
import { type IndexPart, IndexView } from './search';
import { Segment } from './segment';

/** More paper segments than this, or more docs in them than MERGE_SHARE of the main segment's: merge. */
const MAX_PAPER_SEGMENTS = 32;
const MERGE_SHARE = 0.25;
/** Below this many docs outside the main segment, never merge for their share alone. */
const MIN_MERGE_DOCS = 2000;

export function paperSegmentName(chunkFile: string): string {
  return `${path.basename(chunkFile).replace(/\.json$/, '')}.bm25`;
}

/** A paper's chunks and the title they are indexed under, or undefined when its chunk file is gone. */
export type ReadChunks = (rec: PaperRecord) => Promise<Chunk[] | undefined>;

export interface Assembly {
  view: IndexView;
  /** The main segment and which of its docs are live (undefined: none). */
  main?: { name: string; seg: Segment; live: Uint8Array; liveDocs: number };
  /** Papers outside the main segment, with their segments. */
  papers: { rec: PaperRecord; seg: Segment }[];
  /** Indexed papers whose chunks could not be read. */
  lost: string[];
  /** A file the manifest names could not be used, or a paper's segment file is missing: a commit repairs it. */
  repair: boolean;
}

export class IndexFiles {
  private mainCache?: { name: string; seg: Segment };
  /** By segment file name (immutable, named by content). */
  private readonly paperCache = new Map<string, Segment>();

  constructor(
    private readonly dir: string,
    private readonly chunksDir: string,
  ) {}

  /** The searchable index of these records (stored papers), plus the session's in-memory segments. */
  async assemble(records: Iterable<PaperRecord>, session: Segment[], mainName: string | undefined, readChunks: ReadChunks): Promise<Assembly> {
    const indexed = new Map<string, PaperRecord>();
    for (const r of records) if (r.state === 'indexed' && r.chunks > 0 && r.chunkFile) indexed.set(r.id, r);
    let repair = false;
    const parts: IndexPart[] = [];
    let main: Assembly['main'];
    const covered = new Set<string>();
    if (mainName) {
      const seg = await this.readMain(mainName);
      if (!seg) repair = true;
      else {
        const slotLive = seg.papers.map((p) => !!p.chunkFile && indexed.get(p.id)?.chunkFile === p.chunkFile);
        seg.papers.forEach((p, i) => slotLive[i] && covered.add(p.id));
        const live = new Uint8Array(seg.docs);
        let liveDocs = 0;
        for (let d = 0; d < seg.docs; d++) {
          if (!slotLive[seg.paperOf[d]]) continue;
          live[d] = 1;
          liveDocs++;
        }
        main = { name: mainName, seg, live, liveDocs };
        parts.push({ seg, live });
      }
    }
    const papers: Assembly['papers'] = [];
    const lost: string[] = [];
    for (const rec of indexed.values()) {
      if (covered.has(rec.id)) continue;
      const got = await this.paperSegment(rec, readChunks);
      if (!got) lost.push(rec.id);
      else {
        repair ||= got.rebuilt;
        papers.push({ rec, seg: got.seg });
        parts.push({ seg: got.seg });
      }
    }
    for (const seg of session) parts.push({ seg });
    return { view: new IndexView(parts), main, papers, lost, repair };
  }

  /** Whether a commit should fold the paper segments (and the masked docs) into a new main segment. */
  shouldMerge(a: Assembly): boolean {
    const outside = a.papers.reduce((n, p) => n + p.seg.docs, 0);
    const mainLive = a.main?.liveDocs ?? 0;
    const dead = a.main ? a.main.seg.docs - mainLive : 0;
    if (a.main && !mainLive) return true;
    if (a.papers.length > MAX_PAPER_SEGMENTS) return true;
    if (outside > MIN_MERGE_DOCS && outside > MERGE_SHARE * mainLive) return true;
    return dead > MIN_MERGE_DOCS && dead > MERGE_SHARE * mainLive;
  }

  /** The new main segment of an assembly's stored papers (undefined: none has chunks). */
  merge(a: Assembly): Segment | undefined {
    const parts: IndexPart[] = a.main ? [{ seg: a.main.seg, live: a.main.live }] : [];
    for (const p of a.papers) parts.push({ seg: p.seg });
    const seg = Segment.merge(parts);
    return seg.docs ? seg : undefined;
  }

  /** A paper's segment from its chunks (built once per content). */
  segmentOf(rec: PaperRecord, chunks: Chunk[]): Segment {
    const name = paperSegmentName(rec.chunkFile!);
    let seg = this.paperCache.get(name);
    if (!seg) {
      seg = Segment.build([{ paper: { id: rec.id, chunkFile: rec.chunkFile }, title: rec.meta?.title ?? '', chunks }]);
      this.remember(name, seg);
    }
    return seg;
  }

  /** Writes a paper's segment file unless it exists; returns its name. */
  async ensureFile(rec: PaperRecord, seg: Segment, write: (file: string, data: Uint8Array) => Promise<void>): Promise<string> {
    const name = paperSegmentName(rec.chunkFile!);
    const file = path.join(this.chunksDir, name);
    if (!(await fs.stat(file).catch(() => undefined))) await write(file, seg.bytes);
    return name;
  }

  rememberMain(name: string, seg: Segment): void {
    this.mainCache = { name, seg };
  }

  private async readMain(name: string): Promise<Segment | undefined> {
    if (this.mainCache?.name === name) return this.mainCache.seg;
    const seg = await readSegment(path.join(this.dir, path.basename(name)));
    if (seg) this.mainCache = { name, seg };
    return seg;
  }

  /** The paper's segment from its file, else built from its chunks (rebuilt: true). */
  private async paperSegment(rec: PaperRecord, readChunks: ReadChunks): Promise<{ seg: Segment; rebuilt: boolean } | undefined> {
    const name = paperSegmentName(rec.chunkFile!);
    const cached = this.paperCache.get(name);
    if (cached) return { seg: cached, rebuilt: false };
    const fromFile = await readSegment(path.join(this.chunksDir, name));
    const ok = fromFile && fromFile.papers.length === 1 && fromFile.papers[0].id === rec.id && fromFile.papers[0].chunkFile === rec.chunkFile && fromFile.docs === rec.chunks;
    if (ok) {
      this.remember(name, fromFile);
      return { seg: fromFile, rebuilt: false };
    }
    const chunks = await readChunks(rec);
    return chunks && { seg: this.segmentOf(rec, chunks), rebuilt: true };
  }

  private remember(name: string, seg: Segment): void {
    if (this.paperCache.size >= 4 * MAX_PAPER_SEGMENTS) this.paperCache.clear();
    this.paperCache.set(name, seg);
  }
}

async function readSegment(file: string): Promise<Segment | undefined> {
  try {
    return Segment.read(await fs.readFile(file));
  } catch {
    return undefined;
  }
}
