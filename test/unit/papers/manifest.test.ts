// The papers library's manifest (core/papers/manifest.ts): the file names it hands out, how
// library.json is read and checked against the folder (unreadable, newer, old format, lost
// chunk files, hostile ids and paths), the unreadable file kept aside, and the garbage
// collection of files no manifest names.
import * as assert from 'node:assert/strict';
import type { Stats } from 'node:fs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CACHE,
  CHUNKS,
  chunkFileName,
  collectGarbage,
  emptyManifest,
  indexFileName,
  keepAside,
  LOCK,
  lost,
  lostReason,
  MANIFEST,
  type Manifest,
  manifestSignature,
  newCommitId,
  readManifest,
  signatureOf,
} from '../../../src/core/papers/manifest';
import type { PaperRecord } from '../../../src/core/papers/types';

const REASON_B = 'The index data of b.pdf is missing (a write was interrupted, or files were removed from the index folder). Re-index it.';

function rec(id: string, extra: Partial<PaperRecord> = {}): PaperRecord {
  return { id, file: `/papers/${id}.pdf`, hash: 'h', size: 10, mtimeMs: 1, state: 'indexed', chunks: 2, extractor: 'x1', ...extra };
}

/** Replaces Date.now for the duration of fn. */
async function atTime<T>(now: number, fn: () => Promise<T>): Promise<T> {
  const real = Date.now;
  Date.now = () => now;
  try {
    return await fn();
  } finally {
    Date.now = real;
  }
}

describe('papers: manifest (library.json)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-manifest-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const writeManifest = (value: unknown) => fs.writeFileSync(path.join(dir, MANIFEST), typeof value === 'string' ? value : JSON.stringify(value));
  const writeChunk = (name: string) => {
    fs.mkdirSync(path.join(dir, CHUNKS), { recursive: true });
    fs.writeFileSync(path.join(dir, CHUNKS, name), '[]');
  };

  describe('names', () => {
    it('names the folder’s files library.json, library.lock, chunks/ and cache/', () => {
      assert.deepEqual([MANIFEST, LOCK, CHUNKS, CACHE], ['library.json', 'library.lock', 'chunks', 'cache']);
    });

    it('starts from an empty version-2 manifest', () => {
      assert.deepEqual(emptyManifest(), { version: 2, commit: '', generation: 0, papers: [] });
      // A fresh object each time: a caller may fill it in.
      assert.notEqual(emptyManifest(), emptyManifest());
    });

    it('gives each commit a random 16-hex-digit id', () => {
      const a = newCommitId();
      const b = newCommitId();
      assert.match(a, /^[0-9a-f]{16}$/);
      assert.match(b, /^[0-9a-f]{16}$/);
      assert.notEqual(a, b);
    });

    it('names a chunk file by the paper and the first 16 hex digits of its content’s sha256', () => {
      // sha256('') = e3b0c44298fc1c149afbf4c8996fb924…, sha256('abc') = ba7816bf8f01cfea…
      assert.equal(chunkFileName('p1', ''), 'p1-e3b0c44298fc1c14.json');
      assert.equal(chunkFileName('paper_2', 'abc'), 'paper_2-ba7816bf8f01cfea.json');
      assert.equal(chunkFileName('p1', 'abc'), chunkFileName('p1', 'abc'));
      assert.notEqual(chunkFileName('p1', 'abc'), chunkFileName('p1', 'abd'));
    });

    it('names a main index segment by its generation and 8 random hex digits', () => {
      assert.match(indexFileName(7), /^index-7-[0-9a-f]{8}\.bm25$/);
      assert.match(indexFileName(0), /^index-0-[0-9a-f]{8}\.bm25$/);
      assert.notEqual(indexFileName(3), indexFileName(3));
    });

    it('explains a lost paper by its file name only, and says to re-index it', () => {
      assert.equal(lostReason('/home/ann/papers/b.pdf'), REASON_B);
    });

    it('turns a lost paper’s record into a failed one without chunks', () => {
      const r = rec('b', { chunkFile: 'b-1.json', reason: 'old note', meta: { title: 'T', authors: [], pages: 3 } });
      assert.deepEqual(lost(r), { ...r, state: 'failed', reason: REASON_B, chunks: 0, chunkFile: undefined });
      assert.equal(r.state, 'indexed', 'the record given is not changed');
    });
  });

  describe('signature', () => {
    it('is the inode, size, modification and change times of the file', () => {
      const st = { ino: 12, size: 345, mtimeMs: 1000.5, ctimeMs: 2000.25 } as Stats;
      assert.equal(signatureOf(st), '12:345:1000.5:2000.25');
    });

    it('is empty when library.json is absent, and the file’s own signature when present', async () => {
      assert.equal(await manifestSignature(dir), '');
      writeManifest('{}');
      const first = await manifestSignature(dir);
      assert.equal(first, signatureOf(fs.statSync(path.join(dir, MANIFEST))));
      writeManifest('{"changed": true}');
      assert.notEqual(await manifestSignature(dir), first);
    });
  });

  describe('reading library.json', () => {
    it('reads an absent manifest as an empty library with nothing to repair', async () => {
      assert.deepEqual(await readManifest(dir), { manifest: emptyManifest(), signature: '', repair: false });
    });

    it('marks a manifest that is not JSON as unreadable, with its signature', async () => {
      writeManifest('{"version": 2, "papers": [');
      assert.deepEqual(await readManifest(dir), { manifest: emptyManifest(), signature: await manifestSignature(dir), repair: false, unreadable: true });
    });

    for (const [what, value] of [
      ['null', 'null'],
      ['no version', { papers: [] }],
      ['a version that is a string', { version: '2', papers: [] }],
      ['no papers', { version: 2 }],
      ['papers that are not a list', { version: 2, papers: { a: 1 } }],
    ] as const) {
      it(`marks a manifest with ${what} as unreadable`, async () => {
        writeManifest(value);
        const got = await readManifest(dir);
        assert.deepEqual(got, { manifest: emptyManifest(), signature: await manifestSignature(dir), repair: false, unreadable: true });
      });
    }

    it('leaves a manifest of a newer format (3) alone: not used, not repaired, not unreadable', async () => {
      writeManifest({ version: 3, commit: 'c', generation: 9, papers: [rec('a')] });
      assert.deepEqual(await readManifest(dir), { manifest: emptyManifest(), signature: await manifestSignature(dir), repair: false, newer: 3 });
    });

    it('reads a sound version-2 manifest as written, with nothing to repair', async () => {
      writeChunk('a-1.json');
      const a = rec('a', { chunkFile: 'a-1.json' });
      const failed = rec('f', { state: 'failed', chunks: 0, reason: 'broken' });
      writeManifest({ version: 2, commit: 'abc', generation: 4, index: 'index-4-aa.bm25', segments: ['a-1.bm25'], papers: [a, failed] });
      const got = await readManifest(dir);
      assert.equal(got.signature, await manifestSignature(dir));
      assert.equal(got.repair, false);
      assert.equal(got.unreadable, undefined);
      assert.equal(got.newer, undefined);
      assert.deepEqual(got.manifest, {
        version: 2,
        commit: 'abc',
        generation: 4,
        index: 'index-4-aa.bm25',
        segments: ['a-1.bm25'],
        papers: [
          { ...a, sessionOnly: undefined },
          { ...failed, sessionOnly: undefined },
        ],
      });
    });

    it('never trusts a session-only flag read from disk', async () => {
      writeManifest({ version: 2, papers: [rec('s', { state: 'encrypted', chunks: 0, sessionOnly: true })] });
      const got = await readManifest(dir);
      assert.equal(got.manifest.papers[0].sessionOnly, undefined);
      assert.equal(got.manifest.papers[0].state, 'encrypted');
    });

    it('closes library.json after reading it, also when it is not JSON', async () => {
      const fsp = fs.promises as unknown as Record<string, unknown>;
      const realOpen = fs.promises.open;
      let opened = 0;
      let closed = 0;
      fsp.open = async (...args: Parameters<typeof realOpen>) => {
        const fh = await realOpen(...args);
        opened++;
        const close = fh.close.bind(fh);
        fh.close = () => {
          closed++;
          return close();
        };
        return fh;
      };
      try {
        writeManifest({ version: 2, papers: [] });
        await readManifest(dir);
        writeManifest('not json');
        await readManifest(dir);
      } finally {
        fsp.open = realOpen;
      }
      assert.equal(opened, 2);
      assert.equal(closed, 2);
    });

    it('fills missing or mistyped commit, generation, index and segments with defaults', async () => {
      writeManifest({ version: 2, commit: 5, generation: '4', index: 12, segments: 'a.bm25', papers: [] });
      const got = await readManifest(dir);
      assert.deepEqual(got.manifest, { version: 2, commit: '', generation: 0, index: undefined, segments: [], papers: [] });
      assert.equal(got.repair, false);
    });

    it('keeps only the file names of the index and segments (no path leads out of the folder)', async () => {
      writeManifest({ version: 2, index: '../../etc/index-1-ab.bm25', segments: ['../x/a-1.bm25', 7, null, '/abs/b-2.bm25'], papers: [] });
      const got = await readManifest(dir);
      assert.equal(got.manifest.index, 'index-1-ab.bm25');
      assert.deepEqual(got.manifest.segments, ['a-1.bm25', 'b-2.bm25']);
    });

    it('drops records with a missing, mistyped or unsafe id or file, and asks for a repair', async () => {
      const good = rec('Ok_id-9', { state: 'failed', chunks: 0 });
      const bad = [
        null,
        'a string',
        { ...rec('x'), id: 5 },
        { ...rec('x'), file: undefined },
        rec(''),
        rec('../up'),
        rec('bad!'),
        rec('!bad'),
        rec('a b'),
        rec('a/b'),
      ];
      writeManifest({ version: 2, papers: [bad[0], good, ...bad.slice(1)] });
      const got = await readManifest(dir);
      assert.deepEqual(got.manifest.papers, [{ ...good, sessionOnly: undefined }]);
      assert.equal(got.repair, true);
    });

    it('asks for no repair when every record is sound', async () => {
      writeManifest({ version: 2, papers: [rec('Ok_id-9', { state: 'failed', chunks: 0 })] });
      assert.equal((await readManifest(dir)).repair, false);
    });

    it('reports an indexed paper whose chunk file is gone as failed (lost), and asks for a repair', async () => {
      writeChunk('a-1.json');
      writeManifest({ version: 2, papers: [rec('a', { chunkFile: 'a-1.json' }), rec('b', { chunkFile: 'b-1.json' }), rec('c', { chunkFile: undefined })] });
      const got = await readManifest(dir);
      assert.equal(got.repair, true);
      assert.deepEqual(
        got.manifest.papers.map((p) => [p.id, p.state, p.chunks, p.chunkFile]),
        [
          ['a', 'indexed', 2, 'a-1.json'],
          ['b', 'failed', 0, undefined],
          ['c', 'failed', 0, undefined],
        ],
      );
      assert.equal(got.manifest.papers[1].reason, REASON_B);
    });

    it('looks a chunk file up by its name inside chunks/ only', async () => {
      writeChunk('a-1.json');
      fs.writeFileSync(path.join(dir, 'b-1.json'), '[]');
      writeManifest({ version: 2, papers: [rec('a', { chunkFile: 'elsewhere/a-1.json' }), rec('b', { chunkFile: '../b-1.json' })] });
      const got = await readManifest(dir);
      assert.deepEqual(
        got.manifest.papers.map((p) => p.state),
        ['indexed', 'failed'],
      );
    });

    it('reports an indexed paper whose chunk count is not a count as lost, and asks for a repair', async () => {
      for (const chunks of [undefined, '2', -1, 1.5, null, Number.MAX_SAFE_INTEGER + 1]) {
        writeChunk('b-1.json');
        writeManifest({ version: 2, papers: [{ ...rec('b', { chunkFile: 'b-1.json' }), chunks }] });
        const got = await readManifest(dir);
        assert.equal(got.repair, true, `chunks ${String(chunks)}`);
        assert.deepEqual(
          got.manifest.papers.map((p) => [p.state, p.chunks, p.chunkFile, p.reason]),
          [['failed', 0, undefined, REASON_B]],
          `chunks ${String(chunks)}`,
        );
      }
      // Not indexed: the count is not read.
      writeManifest({ version: 2, papers: [{ ...rec('b', { state: 'failed' }), chunks: 'x' }] });
      assert.equal((await readManifest(dir)).repair, false);
    });

    it('does not look for chunk files of papers without chunks or not indexed', async () => {
      const papers = [rec('z', { chunks: 0 }), rec('f', { state: 'failed', chunkFile: 'gone.json' }), rec('n', { state: 'needs-ocr', chunks: 3 })];
      writeManifest({ version: 2, papers });
      const got = await readManifest(dir);
      assert.equal(got.repair, false);
      assert.deepEqual(
        got.manifest.papers,
        papers.map((p) => ({ ...p, sessionOnly: undefined })),
      );
    });

    describe('version 1 (the format before segments)', () => {
      it('is always repaired, its index ignored, and an indexed paper’s chunks looked for in chunks/<id>.json', async () => {
        writeChunk('a.json');
        const a = rec('a', { chunkFile: 'something-else.json' });
        const z = rec('z', { chunks: 0 });
        const f = rec('f', { state: 'failed', chunks: 2 });
        writeManifest({ version: 1, commit: 'old', generation: 3, index: 'index.json', segments: ['s.bm25'], papers: [a, z, f] });
        const got = await readManifest(dir);
        assert.equal(got.repair, true);
        assert.equal(got.unreadable, undefined);
        assert.deepEqual(got.manifest, {
          version: 2,
          commit: 'old',
          generation: 3,
          index: undefined,
          segments: ['s.bm25'],
          papers: [
            { ...a, chunkFile: 'a.json', sessionOnly: undefined },
            { ...z, sessionOnly: undefined },
            { ...f, sessionOnly: undefined },
          ],
        });
      });

      it('reports an indexed paper without its chunks/<id>.json as lost', async () => {
        writeManifest({ version: 1, papers: [rec('b')] });
        const got = await readManifest(dir);
        assert.deepEqual(
          got.manifest.papers.map((p) => [p.state, p.reason, p.chunkFile]),
          [['failed', REASON_B, undefined]],
        );
      });

      it('is asked to repair even with no papers at all (version 0 too)', async () => {
        writeManifest({ version: 0, papers: [] });
        const got = await readManifest(dir);
        assert.equal(got.repair, true);
        assert.equal(got.manifest.version, 2);
      });
    });
  });

  describe('an unreadable library.json', () => {
    it('is moved aside to library.json.unreadable-<time of the move>', async () => {
      writeManifest('not json');
      const before = Date.now();
      await keepAside(dir);
      const after = Date.now();
      const names = fs.readdirSync(dir);
      assert.equal(names.length, 1);
      const m = /^library\.json\.unreadable-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/.exec(names[0]);
      assert.ok(m, names[0]);
      const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
      assert.ok(at >= before && at <= after, `${names[0]} is the time of the move`);
      assert.equal(fs.readFileSync(path.join(dir, names[0]), 'utf8'), 'not json');
    });

    it('being absent is no error', async () => {
      await keepAside(dir);
      assert.deepEqual(fs.readdirSync(dir), []);
    });
  });

  describe('garbage collection', () => {
    const touch = (...parts: string[]) => {
      const f = path.join(dir, ...parts);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, 'x');
      return f;
    };
    const manifest = (index: string | undefined, chunkFiles: (string | undefined)[], segments?: string[]): Manifest => ({
      version: 2,
      commit: 'c',
      generation: 1,
      index,
      segments,
      papers: chunkFiles.map((c, i) => rec(`p${i}`, { chunkFile: c })),
    });

    it('keeps what either manifest names and removes unnamed index and chunk files, temp files and stale locks', async () => {
      const top = [
        'index-1-aa.bm25',
        'index-5-named.bm25',
        'index-2-bb.bm25',
        'index-3-cc.json',
        'index.json',
        'index.bm25',
        'index-.json',
        'old-index.json',
        'index-1.bm25.bak',
        'index-1.txt',
        'index-9xjson',
        'library.json',
        'library.json.123.abcd.tmp',
        'library.lock',
        'library.lock.stale-42-ab12',
        'xlibrary.lock.stale-1',
        'notes.txt',
        'tmp.keep',
      ];
      const chunks = ['a-1.json', 'a-1.bm25', 'b-2.json', 'b-2.bm25', 'c-3.json', 'c-3.bm25', 'd.json.5.ab.tmp', 'notes.txt', 'x.json.bak'];
      for (const n of top) touch(n);
      for (const n of chunks) touch(CHUNKS, n);
      await collectGarbage(dir, [manifest('index-1-aa.bm25', ['a-1.json', undefined], ['a-1.bm25']), manifest('index-5-named.bm25', ['b-2.json'], ['b-2.bm25'])]);
      assert.deepEqual(fs.readdirSync(dir).sort(), [
        'chunks',
        'index-.json',
        'index-1-aa.bm25',
        'index-1.bm25.bak',
        'index-1.txt',
        'index-5-named.bm25',
        'index-9xjson',
        'library.json',
        'library.lock',
        'notes.txt',
        'old-index.json',
        'tmp.keep',
        'xlibrary.lock.stale-1',
      ]);
      assert.deepEqual(fs.readdirSync(path.join(dir, CHUNKS)).sort(), ['a-1.bm25', 'a-1.json', 'b-2.bm25', 'b-2.json', 'notes.txt', 'x.json.bak']);
    });

    it('removes every index file when no manifest names one', async () => {
      touch('index-1-aa.bm25');
      touch('index-2-bb.json');
      await collectGarbage(dir, [manifest(undefined, []), manifest(undefined, [])]);
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('keeps a chunk file named only by a paper, and a segment named only in segments', async () => {
      touch(CHUNKS, 'a-1.json');
      touch(CHUNKS, 's-9.bm25');
      await collectGarbage(dir, [manifest(undefined, ['a-1.json'], ['s-9.bm25'])]);
      assert.deepEqual(fs.readdirSync(path.join(dir, CHUNKS)).sort(), ['a-1.json', 's-9.bm25']);
    });

    it('works without chunks/ and cache/ folders', async () => {
      touch('index-2-bb.bm25');
      await collectGarbage(dir, [manifest(undefined, [])]);
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('removes a cache temp file only once it is more than an hour old', async () => {
      const t0 = 1_700_000_000_000;
      const old = touch(CACHE, 'h1.json.1.ab.tmp');
      const kept = touch(CACHE, 'h2.json');
      fs.utimesSync(old, t0 / 1000, t0 / 1000);
      fs.utimesSync(kept, t0 / 1000, t0 / 1000);
      await atTime(t0 + 3_600_000, () => collectGarbage(dir, []));
      assert.deepEqual(fs.readdirSync(path.join(dir, CACHE)).sort(), ['h1.json.1.ab.tmp', 'h2.json'], 'exactly an hour old: kept');
      await atTime(t0 + 3_600_001, () => collectGarbage(dir, []));
      assert.deepEqual(fs.readdirSync(path.join(dir, CACHE)), ['h2.json'], 'a cache file that is not a temp file is never removed');
    });
  });
});
