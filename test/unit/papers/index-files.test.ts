// The papers index on disk in segments (core/papers/bm25/index-files.ts): which docs of the main
// segment stay live, which papers get their own segment (read from chunks/<paper>-<hash>.bm25,
// or rebuilt from the chunk file when that is missing, unreadable or not the record's), what
// asks for a repair or is lost, the in-memory caches, when a commit merges (every limit on both
// sides: MAX_PAPER_SEGMENTS, MIN_MERGE_DOCS, MERGE_SHARE) and what the merge keeps.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Assembly, IndexFiles, paperSegmentName, type ReadChunks } from '../../../src/core/papers/bm25/index-files';
import type { IndexView } from '../../../src/core/papers/bm25/search';
import { Segment } from '../../../src/core/papers/bm25/segment';
import type { Chunk, PaperRecord } from '../../../src/core/papers/types';

const chunk = (paperId: string, n: number, text: string): Chunk => ({ id: `${paperId}#${n}`, paperId, pageStart: 1, pageEnd: 1, section: '', text });

/** Chunks by chunk file. */
const CHUNKS: Record<string, Chunk[]> = {
  'a-1.json': [chunk('a', 0, 'Warfarin dosing by INR in atrial fibrillation.'), chunk('a', 1, 'Bleeding events were rare.')],
  'b-1.json': [chunk('b', 0, 'Sepsis bundles lowered mortality.')],
  'b-2.json': [chunk('b', 0, 'Lactate clearance guided resuscitation.'), chunk('b', 1, 'Lactate again.')],
  'c-1.json': [chunk('c', 0, 'Heparin bridging before surgery.'), chunk('c', 1, 'Heparin dosing.')],
  'd-1.json': [chunk('d', 0, 'Metformin lowered glucose.')],
};
const TITLES: Record<string, string> = { a: 'Anticoagulation', b: 'Resuscitation', c: 'Bridging', d: 'Diabetes' };

function rec(id: string, chunkFile: string | undefined, extra: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id,
    file: `/papers/${id}.pdf`,
    hash: 'h',
    size: 1,
    mtimeMs: 1,
    state: 'indexed',
    chunks: chunkFile ? (CHUNKS[chunkFile]?.length ?? 1) : 0,
    extractor: 'x',
    chunkFile,
    meta: { title: TITLES[id] ?? '', authors: [], pages: 1 },
    ...extra,
  };
}

/** The segment a paper's record and chunks make (as a commit builds it). */
function paperSeg(r: PaperRecord, chunks = CHUNKS[r.chunkFile!]): Segment {
  return Segment.build([{ paper: { id: r.id, chunkFile: r.chunkFile }, title: r.meta?.title ?? '', chunks }]);
}

/** The ids of the chunks a word finds, sorted. */
const found = (view: IndexView, word: string) =>
  view
    .search(word, 50)
    .map((h) => h.id)
    .sort();

describe('papers: index segments on disk', () => {
  let dir: string;
  let chunksDir: string;
  let calls: string[];
  let readChunks: ReadChunks;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-segments-'));
    chunksDir = path.join(dir, 'chunks');
    fs.mkdirSync(chunksDir);
    calls = [];
    readChunks = async (r) => {
      calls.push(r.id);
      return CHUNKS[r.chunkFile!];
    };
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const files = () => new IndexFiles(dir, chunksDir);
  const writePaperSegment = (r: PaperRecord, seg = paperSeg(r)) => fs.writeFileSync(path.join(chunksDir, paperSegmentName(r.chunkFile!)), seg.bytes);

  it('names a paper’s segment file like its chunk file, with .bm25 for the final .json', () => {
    assert.equal(paperSegmentName('a-0123456789abcdef.json'), 'a-0123456789abcdef.bm25');
    assert.equal(paperSegmentName('chunks/a-1.json'), 'a-1.bm25');
    assert.equal(paperSegmentName('a.jsonx.json'), 'a.jsonx.bm25');
    assert.equal(paperSegmentName('a-1'), 'a-1.bm25');
  });

  describe('assembling without a main segment', () => {
    it('builds a paper’s segment from its chunks when its file is missing, and asks for a repair', async () => {
      const a = await files().assemble([rec('a', 'a-1.json'), rec('b', 'b-1.json')], [], undefined, readChunks);
      assert.deepEqual(calls, ['a', 'b']);
      assert.equal(a.main, undefined);
      assert.deepEqual(
        a.papers.map((p) => [p.rec.id, p.seg.docs]),
        [
          ['a', 2],
          ['b', 1],
        ],
      );
      assert.deepEqual(a.papers[1].seg.papers, [{ id: 'b', chunkFile: 'b-1.json' }]);
      assert.deepEqual(a.lost, []);
      assert.equal(a.repair, true);
      assert.equal(a.view.size, 3);
      assert.deepEqual(found(a.view, 'sepsis'), ['b#0']);
      assert.deepEqual(found(a.view, 'anticoagulation'), ['a#0', 'a#1'], 'the title is indexed with every chunk');
    });

    it('reads a paper’s segment from its file, with nothing to rebuild or repair', async () => {
      const recs = [rec('a', 'a-1.json'), rec('b', 'b-1.json')];
      for (const r of recs) writePaperSegment(r);
      const a = await files().assemble(recs, [], undefined, readChunks);
      assert.deepEqual(calls, []);
      assert.equal(a.repair, false);
      assert.deepEqual(
        a.papers.map((p) => p.rec.id),
        ['a', 'b'],
      );
      assert.deepEqual(found(a.view, 'warfarin'), ['a#0']);
    });

    const a1 = rec('a', 'a-1.json');
    for (const [what, bytes] of [
      ['not a segment', () => new Uint8Array([1, 2, 3, 4])],
      ['another paper’s', () => paperSeg({ ...a1, id: 'x' }).bytes],
      ['of another chunk file', () => paperSeg({ ...a1, chunkFile: 'a-0.json' }, CHUNKS['a-1.json']).bytes],
      ['with fewer docs than the record’s chunks', () => paperSeg(a1, CHUNKS['a-1.json'].slice(0, 1)).bytes],
      [
        'of two papers',
        () =>
          Segment.build([
            { paper: { id: 'a', chunkFile: 'a-1.json' }, title: '', chunks: CHUNKS['a-1.json'].slice(0, 1) },
            { paper: { id: 'y', chunkFile: 'y-1.json' }, title: '', chunks: [chunk('y', 0, 'Other words.')] },
          ]).bytes,
      ],
    ] as const) {
      it(`rebuilds a paper’s segment whose file is ${what}, and asks for a repair`, async () => {
        fs.writeFileSync(path.join(chunksDir, 'a-1.bm25'), bytes());
        const a = await files().assemble([a1], [], undefined, readChunks);
        assert.deepEqual(calls, ['a']);
        assert.equal(a.repair, true);
        assert.deepEqual(a.papers[0].seg.papers, [{ id: 'a', chunkFile: 'a-1.json' }]);
        assert.equal(a.papers[0].seg.docs, 2);
        assert.deepEqual(found(a.view, 'bleeding'), ['a#1']);
      });
    }

    it('leaves out records not indexed, without chunks, or without a chunk file', async () => {
      const recs = [rec('a', 'a-1.json', { state: 'failed' }), rec('b', 'b-1.json', { chunks: 0 }), rec('c', undefined, { chunks: 2 }), rec('d', 'd-1.json', { state: 'needs-ocr' })];
      const a = await files().assemble(recs, [], undefined, readChunks);
      assert.deepEqual(calls, []);
      assert.deepEqual(a.papers, []);
      assert.deepEqual(a.lost, []);
      assert.equal(a.repair, false);
      assert.equal(a.view.size, 0);
    });

    it('lists an indexed paper whose chunks cannot be read as lost, leaving it out of the index', async () => {
      const recs = [rec('a', 'a-1.json'), rec('b', 'b-1.json')];
      writePaperSegment(recs[0]);
      const a = await files().assemble(recs, [], undefined, async (r) => {
        calls.push(r.id);
        return undefined;
      });
      assert.deepEqual(calls, ['b']);
      assert.deepEqual(a.lost, ['b']);
      assert.deepEqual(
        a.papers.map((p) => p.rec.id),
        ['a'],
      );
      assert.equal(a.repair, false, 'a lost paper is reported as lost; the caller repairs');
      assert.equal(a.view.size, 2);
    });

    it('adds the session’s in-memory segments to the index, not to the stored papers', async () => {
      const session = Segment.build([{ paper: { id: 's' }, title: '', chunks: [chunk('s', 0, 'Insulin glargine titration.')] }]);
      const a = await files().assemble([rec('d', 'd-1.json')], [session], undefined, readChunks);
      assert.deepEqual(
        a.papers.map((p) => p.rec.id),
        ['d'],
      );
      assert.equal(a.view.size, 2);
      assert.deepEqual(found(a.view, 'insulin'), ['s#0']);
      assert.deepEqual(found(a.view, 'metformin'), ['d#0']);
    });
  });

  describe('assembling with a main segment', () => {
    const MAIN = 'index-3-abcd1234.bm25';
    /** The main segment as a merge wrote it: a, b (its first version), c, and a paper without a chunk file. */
    const mainSeg = () =>
      Segment.build([
        { paper: { id: 'a', chunkFile: 'a-1.json' }, title: TITLES.a, chunks: CHUNKS['a-1.json'] },
        { paper: { id: 'b', chunkFile: 'b-1.json' }, title: TITLES.b, chunks: CHUNKS['b-1.json'] },
        { paper: { id: 'c', chunkFile: 'c-1.json' }, title: TITLES.c, chunks: CHUNKS['c-1.json'] },
        { paper: { id: 'ghost' }, title: '', chunks: [chunk('ghost', 0, 'Phantom zebra.')] },
      ]);
    const writeMain = (name = MAIN, bytes: Uint8Array = mainSeg().bytes) => fs.writeFileSync(path.join(dir, name), bytes);
    /** a unchanged, b re-indexed (new chunk file), c no longer indexed, d new. */
    const recs = () => [rec('a', 'a-1.json'), rec('b', 'b-2.json'), rec('c', 'c-1.json', { state: 'failed' }), rec('d', 'd-1.json')];

    it('covers the papers it holds under the same chunk file and masks every other doc', async () => {
      writeMain();
      const a = await files().assemble(recs(), [], MAIN, readChunks);
      assert.equal(a.main?.name, MAIN);
      // Docs: a#0 a#1 | b#0 (old) | c#0 c#1 | ghost#0
      assert.deepEqual([...a.main!.live], [1, 1, 0, 0, 0, 0]);
      assert.equal(a.main!.liveDocs, 2);
      assert.equal(a.main!.seg.docs, 6);
      assert.deepEqual(calls, ['b', 'd'], 'the covered paper is not read again');
      assert.deepEqual(
        a.papers.map((p) => [p.rec.id, p.rec.chunkFile]),
        [
          ['b', 'b-2.json'],
          ['d', 'd-1.json'],
        ],
      );
      assert.equal(a.repair, true, 'b’s and d’s segment files are missing');
      assert.equal(a.view.size, 2 + 2 + 1);
      assert.deepEqual(found(a.view, 'warfarin'), ['a#0']);
      assert.deepEqual(found(a.view, 'sepsis'), [], 'b’s old text is masked');
      assert.deepEqual(found(a.view, 'lactate'), ['b#0', 'b#1']);
      assert.deepEqual(found(a.view, 'heparin'), [], 'c is masked');
      assert.deepEqual(found(a.view, 'zebra'), [], 'a paper without a chunk file is never live');
      assert.deepEqual(found(a.view, 'metformin'), ['d#0']);
    });

    it('asks for nothing more when the main segment and the paper segments are all there', async () => {
      writeMain();
      const r = recs();
      writePaperSegment(r[1]);
      writePaperSegment(r[3]);
      const a = await files().assemble(r, [], MAIN, readChunks);
      assert.deepEqual(calls, []);
      assert.equal(a.repair, false);
    });

    for (const [what, setup] of [
      ['missing', () => undefined],
      ['not a segment', () => fs.writeFileSync(path.join(dir, MAIN), 'index')],
    ] as const) {
      it(`does without a main segment that is ${what}, rebuilding every paper and asking for a repair`, async () => {
        setup();
        const a = await files().assemble([rec('a', 'a-1.json'), rec('d', 'd-1.json')], [], MAIN, readChunks);
        assert.equal(a.main, undefined);
        assert.deepEqual(calls, ['a', 'd']);
        assert.equal(a.repair, true);
        assert.deepEqual(found(a.view, 'warfarin'), ['a#0']);
      });
    }

    it('asks for a repair for a missing main segment even when every paper’s own segment is there', async () => {
      const r = [rec('a', 'a-1.json'), rec('d', 'd-1.json')];
      for (const x of r) writePaperSegment(x);
      const a = await files().assemble(r, [], MAIN, readChunks);
      assert.deepEqual(calls, []);
      assert.equal(a.main, undefined);
      assert.equal(a.repair, true);
    });

    it('looks again for a main segment that was missing (another writer may write it)', async () => {
      const f = files();
      assert.equal((await f.assemble([rec('a', 'a-1.json')], [], MAIN, readChunks)).main, undefined);
      writeMain();
      const a = await f.assemble([rec('a', 'a-1.json')], [], MAIN, readChunks);
      assert.equal(a.main?.liveDocs, 2);
      assert.equal(a.repair, false);
    });

    it('reads the main segment by its file name inside the folder only', async () => {
      writeMain();
      const name = `../elsewhere/${MAIN}`;
      const a = await files().assemble([rec('a', 'a-1.json')], [], name, readChunks);
      assert.equal(a.main?.name, name);
      assert.equal(a.main?.liveDocs, 2);
      assert.equal(a.repair, false);
    });

    it('keeps the main segment it read in memory, and only under its name', async () => {
      writeMain();
      const f = files();
      await f.assemble([rec('a', 'a-1.json')], [], MAIN, readChunks);
      fs.rmSync(path.join(dir, MAIN));
      const again = await f.assemble([rec('a', 'a-1.json')], [], MAIN, readChunks);
      assert.equal(again.main?.liveDocs, 2);
      assert.equal(again.repair, false);
      const other = await f.assemble([rec('a', 'a-1.json')], [], 'index-4-00000000.bm25', readChunks);
      assert.equal(other.main, undefined);
      assert.equal(other.repair, true);
    });

    it('uses a main segment just written without reading it back', async () => {
      const f = files();
      f.rememberMain('index-9-feedbeef.bm25', mainSeg());
      const a = await f.assemble([rec('a', 'a-1.json')], [], 'index-9-feedbeef.bm25', readChunks);
      assert.equal(a.main?.liveDocs, 2);
      assert.equal(a.repair, false);
      assert.deepEqual(calls, []);
    });
  });

  describe('paper segments in memory', () => {
    it('builds a paper’s segment once per chunk file, with its title', () => {
      const f = files();
      const r = rec('a', 'a-1.json');
      const seg = f.segmentOf(r, CHUNKS['a-1.json']);
      assert.deepEqual(seg.papers, [{ id: 'a', chunkFile: 'a-1.json' }]);
      assert.equal(seg.docs, 2);
      assert.ok(seg.find(Buffer.from('anticoagulation')) >= 0, 'the title is indexed');
      assert.equal(f.segmentOf(r, CHUNKS['d-1.json']), seg, 'the same chunk file: the same segment');
      assert.notEqual(f.segmentOf(rec('a', 'a-2.json', { chunks: 2 }), CHUNKS['a-1.json']), seg);
    });

    it('indexes a paper without a title under an empty one', () => {
      const seg = files().segmentOf(rec('a', 'a-1.json', { meta: undefined }), CHUNKS['a-1.json']);
      assert.equal(seg.find(Buffer.from('anticoagulation')), -1);
      assert.equal(seg.docs, 2);
    });

    it('assembles a segment just built for a commit without reading the disk', async () => {
      const f = files();
      const r = rec('b', 'b-2.json');
      const seg = f.segmentOf(r, CHUNKS['b-2.json']);
      const a = await f.assemble([r], [], undefined, readChunks);
      assert.deepEqual(calls, []);
      assert.equal(a.repair, false);
      assert.equal(a.papers[0].seg, seg);
    });

    it('keeps a segment read from its file: a second assembly needs neither the file nor the chunks', async () => {
      const f = files();
      const r = rec('d', 'd-1.json');
      writePaperSegment(r);
      const first = await f.assemble([r], [], undefined, readChunks);
      fs.rmSync(path.join(chunksDir, 'd-1.bm25'));
      const second = await f.assemble([r], [], undefined, readChunks);
      assert.deepEqual(calls, []);
      assert.equal(second.repair, false);
      assert.equal(second.papers[0].seg, first.papers[0].seg);
    });

    it('holds at most 4 × 32 = 128 paper segments, then starts over', () => {
      const f = files();
      const recs = Array.from({ length: 129 }, (_, i) => rec(`p${i}`, `p${i}-1.json`, { chunks: 1 }));
      const chunks = [chunk('p', 0, 'Words.')];
      const first = f.segmentOf(recs[0], chunks);
      for (const r of recs.slice(1, 128)) f.segmentOf(r, chunks);
      assert.equal(f.segmentOf(recs[0], chunks), first, '128 held: the first is still there');
      f.segmentOf(recs[128], chunks);
      assert.notEqual(f.segmentOf(recs[0], chunks), first, 'the 129th started over');
    });
  });

  describe('writing a paper’s segment file', () => {
    it('writes it under chunks/ when it is missing, and returns its name', async () => {
      const f = files();
      const r = rec('a', 'a-1.json');
      const seg = paperSeg(r);
      const writes: [string, Uint8Array][] = [];
      const name = await f.ensureFile(r, seg, async (file, data) => {
        writes.push([file, data]);
        fs.writeFileSync(file, data);
      });
      assert.equal(name, 'a-1.bm25');
      assert.equal(writes.length, 1);
      assert.equal(writes[0][0], path.join(chunksDir, 'a-1.bm25'));
      assert.equal(writes[0][1], seg.bytes);
    });

    it('leaves an existing file alone (the names are by content), and returns its name', async () => {
      const r = rec('a', 'a-1.json');
      fs.writeFileSync(path.join(chunksDir, 'a-1.bm25'), 'already');
      let writes = 0;
      const name = await files().ensureFile(r, paperSeg(r), async () => {
        writes++;
      });
      assert.equal(name, 'a-1.bm25');
      assert.equal(writes, 0);
      assert.equal(fs.readFileSync(path.join(chunksDir, 'a-1.bm25'), 'utf8'), 'already');
    });
  });

  describe('when a commit merges', () => {
    /** An assembly with only the counts shouldMerge reads. */
    const assembly = (main: { docs: number; live: number } | undefined, paperDocs: number[]): Assembly => ({
      view: undefined as unknown as IndexView,
      main: main && { name: 'index-1-00.bm25', seg: { docs: main.docs } as Segment, live: new Uint8Array(0), liveDocs: main.live },
      papers: paperDocs.map((docs, i) => ({ rec: rec(`p${i}`, undefined), seg: { docs } as Segment })),
      lost: [],
      repair: false,
    });
    const should = (main: { docs: number; live: number } | undefined, paperDocs: number[]) => files().shouldMerge(assembly(main, paperDocs));
    const many = (n: number, docs = 1) => Array<number>(n).fill(docs);

    it('not with nothing, or with a main segment alone that is all live', () => {
      assert.equal(should(undefined, []), false);
      assert.equal(should({ docs: 1, live: 1 }, []), false);
      assert.equal(should({ docs: 10_000, live: 10_000 }, []), false);
    });

    it('when no doc of the main segment is live any more', () => {
      assert.equal(should({ docs: 5, live: 0 }, []), true);
      assert.equal(should({ docs: 5, live: 1 }, []), false);
    });

    it('past 32 paper segments, whatever their size', () => {
      assert.equal(should(undefined, many(32)), false);
      assert.equal(should(undefined, many(33)), true);
      assert.equal(should({ docs: 100_000, live: 100_000 }, many(32)), false);
      assert.equal(should({ docs: 100_000, live: 100_000 }, many(33)), true);
    });

    it('past 2000 docs outside the main segment when there is no main segment', () => {
      assert.equal(should(undefined, [2000]), false);
      assert.equal(should(undefined, [2001]), true);
      assert.equal(should(undefined, [1000, 1000]), false);
      assert.equal(should(undefined, [1000, 1001]), true);
    });

    it('past 2000 docs outside only when they are more than a quarter of the main segment’s live docs', () => {
      assert.equal(should({ docs: 8004, live: 8004 }, [2001]), false, '2001 is exactly a quarter of 8004');
      assert.equal(should({ docs: 8003, live: 8003 }, [2001]), true);
      assert.equal(should({ docs: 10_000, live: 10_000 }, [1250, 1250]), false);
      assert.equal(should({ docs: 10_000, live: 10_000 }, [1250, 1251]), true);
      assert.equal(should({ docs: 2, live: 1 }, [2000]), false, 'never for 2000 docs or fewer');
    });

    it('past 2000 masked docs in the main segment when they are more than a quarter of its live docs', () => {
      assert.equal(should({ docs: 2001, live: 1 }, []), false, '2000 masked');
      assert.equal(should({ docs: 2002, live: 1 }, []), true, '2001 masked');
      assert.equal(should({ docs: 2001 + 8004, live: 8004 }, []), false, '2001 masked, exactly a quarter');
      assert.equal(should({ docs: 2001 + 8003, live: 8003 }, []), true);
    });
  });

  describe('the merge', () => {
    const MAIN = 'index-3-abcd1234.bm25';
    const writeMain = () =>
      fs.writeFileSync(
        path.join(dir, MAIN),
        Segment.build([
          { paper: { id: 'a', chunkFile: 'a-1.json' }, title: TITLES.a, chunks: CHUNKS['a-1.json'] },
          { paper: { id: 'b', chunkFile: 'b-1.json' }, title: TITLES.b, chunks: CHUNKS['b-1.json'] },
          { paper: { id: 'c', chunkFile: 'c-1.json' }, title: TITLES.c, chunks: CHUNKS['c-1.json'] },
        ]).bytes,
      );

    it('makes one segment of the main segment’s live docs and the paper segments, in that order', async () => {
      writeMain();
      const f = files();
      const a = await f.assemble([rec('a', 'a-1.json'), rec('b', 'b-2.json'), rec('d', 'd-1.json')], [], MAIN, readChunks);
      const merged = f.merge(a)!;
      assert.deepEqual(merged.papers, [
        { id: 'a', chunkFile: 'a-1.json' },
        { id: 'b', chunkFile: 'b-2.json' },
        { id: 'd', chunkFile: 'd-1.json' },
      ]);
      assert.equal(merged.docs, 5);
      assert.deepEqual([...merged.chunkOf], [0, 1, 0, 1, 0]);
      for (const word of ['warfarin', 'lactate', 'metformin', 'sepsis', 'heparin']) {
        assert.equal(merged.find(Buffer.from(word)) >= 0, !['sepsis', 'heparin'].includes(word), word);
      }
    });

    it('leaves the session’s segments out of the merge', async () => {
      const session = Segment.build([{ paper: { id: 's' }, title: '', chunks: [chunk('s', 0, 'Insulin glargine titration.')] }]);
      const f = files();
      const a = await f.assemble([rec('d', 'd-1.json')], [session], undefined, readChunks);
      const merged = f.merge(a)!;
      assert.deepEqual(merged.papers, [{ id: 'd', chunkFile: 'd-1.json' }]);
      assert.equal(merged.find(Buffer.from('insulin')), -1);
    });

    it('gives no segment when nothing is live', async () => {
      writeMain();
      const f = files();
      const a = await f.assemble([rec('a', 'a-2.json', { chunks: 2 })], [], MAIN, async () => undefined);
      assert.equal(a.main?.liveDocs, 0);
      assert.equal(f.merge(a), undefined);
      assert.equal(f.merge(await f.assemble([], [], undefined, readChunks)), undefined);
    });
  });
});
