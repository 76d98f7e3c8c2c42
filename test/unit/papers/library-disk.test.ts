// The papers library on disk under the things that break it: several `medgemma papers`
// processes writing one index folder at once, a process killed while it writes, states a crash
// could leave (data files without their manifest, a manifest naming a missing file, the old
// format), and a lock left by a process that died. Real processes (the bundled CLI) where the
// defect is between processes; the library in-process where a state is built by hand.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PaperLibrary } from '../../../src/core/papers/library';
import { readPdf } from '../../../src/core/papers/pdf-read';
import { requireFixture } from '../../fixtures';
import { builtCli, papersCli } from '../../cli-process';
import { makePdf, PDFS, tmpDir as makeTmpDir } from './make-pdf';

const FIXTURES = ['tully2010-heart-failure-programmes.pdf', 'datta2010-dvt-complications-review.pdf', 'douglas2014-ace-inhibitor-design.pdf', 'agyeman-duah2014-quality-improvement-malawi.pdf'];

const made: string[] = [];
function tmpDir(prefix: string): string {
  const d = makeTmpDir(prefix);
  made.push(d);
  return d;
}
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

interface Listed {
  file: string;
  state: string;
  title?: string;
  reason?: string;
}

async function listed(index: string): Promise<Listed[]> {
  const r = await papersCli(['list', '--json', '--index', index]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).papers;
}

async function searchFiles(index: string, query: string, k = 3): Promise<string[]> {
  const r = await papersCli(['search', query, '--json', '--k', String(k), '--index', index]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).hits.map((h: { file: string }) => h.file);
}

/** A word no other test paper has, made of letters only (digits alone are not distinctive). */
function codeword(i: number): string {
  let w = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) w = String.fromCharCode(97 + ((n - 1) % 26)) + w;
  return `zq${w}xv`;
}

/** n one-page PDFs, each with its own codeword. */
function smallPdfs(dir: string, n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, j) => {
    const i = from + j;
    const f = path.join(dir, `p${i}.pdf`);
    fs.writeFileSync(f, makePdf([{ lines: [`Paper ${codeword(i)} reports warfarin dosing outcomes in cohort ${codeword(i)}.`] }]));
    return f;
  });
}

function manifest(index: string): { generation: number; index?: string; segments?: string[]; papers: { id: string; file: string; chunkFile?: string; state: string }[] } {
  return JSON.parse(fs.readFileSync(path.join(index, 'library.json'), 'utf8'));
}

/** Every listed paper is indexed and found by its own codeword; nothing listed is half there. */
async function assertSmallConsistent(index: string, files: string[]): Promise<Set<string>> {
  const papers = await listed(index);
  for (const p of papers) assert.equal(p.state, 'indexed', `${p.file}: ${p.reason}`);
  // One search for every codeword: each small paper is one chunk, found only by its own words.
  const hits = await searchFiles(index, files.map((_, i) => codeword(i)).join(' '), 100);
  assert.equal(new Set(hits).size, hits.length);
  assert.deepEqual([...hits].sort(), papers.map((p) => p.file).sort(), 'the papers listed are exactly the papers found');
  return new Set(hits);
}

/** The folder holds exactly what the manifest names (plus the main segment it replaced), no temp files, no lock. */
function assertNoGarbage(index: string): void {
  const m = manifest(index);
  const named = new Set([...m.papers.map((p) => p.chunkFile), ...(m.segments ?? [])].filter(Boolean));
  assert.deepEqual(fs.readdirSync(path.join(index, 'chunks')).filter((f) => !named.has(f)), []);
  for (const f of named) assert.ok(fs.existsSync(path.join(index, 'chunks', f!)), `${f} is named but missing`);
  const top = fs.readdirSync(index);
  if (m.index) assert.ok(top.includes(m.index), 'the main segment named by the manifest exists');
  assert.ok(top.filter((f) => /^index/.test(f)).length <= 2, top.join(' '));
  assert.deepEqual(top.filter((f) => f.endsWith('.tmp') || f.startsWith('library.lock')), []);
}

describe('papers library on disk: concurrent writers, crashes, stale locks', function () {
  // Each step is a process (about half a second to start on a loaded machine).
  this.timeout(180_000);
  before(() => builtCli());

  it('two (and four) `papers index` processes started at once on one folder: every paper listed and searchable', async function () {
    requireFixture(this, PDFS);
    const index = path.join(tmpDir('medgemma-conc-'), 'index');
    const files = FIXTURES.map((f) => path.join(PDFS, f));
    const two = await Promise.all(files.slice(0, 2).map((f) => papersCli(['index', '--index', index, f])));
    for (const r of two) assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual((await listed(index)).map((p) => [path.basename(p.file), p.state]), [
      ['datta2010-dvt-complications-review.pdf', 'indexed'],
      ['tully2010-heart-failure-programmes.pdf', 'indexed'],
    ]);
    const more = await Promise.all(files.slice(2).map((f) => papersCli(['index', '--index', index, f])));
    for (const r of more) assert.equal(r.code, 0, r.stdout + r.stderr);
    const papers = await listed(index);
    assert.equal(papers.length, 4);
    for (const p of papers) {
      assert.equal(p.state, 'indexed');
      assert.ok((await searchFiles(index, p.title!, 3)).includes(p.file), `${path.basename(p.file)} is listed but not found by its title`);
    }
    assertNoGarbage(index);
  });

  it('three processes each indexing ten papers, then one removing while another indexes: nothing lost, nothing resurrected', async () => {
    const work = tmpDir('medgemma-conc-');
    const index = path.join(work, 'index');
    const files = smallPdfs(work, 40);
    const runs = await Promise.all([0, 1, 2].map((k) => papersCli(['index', '--index', index, ...files.slice(k * 10, k * 10 + 10)])));
    for (const r of runs) assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((await assertSmallConsistent(index, files)).size, 30);

    const [removed, added] = await Promise.all([papersCli(['remove', '--index', index, ...files.slice(0, 10)]), papersCli(['index', '--index', index, ...files.slice(30)])]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(added.code, 0, added.stderr);
    const present = await assertSmallConsistent(index, files);
    assert.deepEqual([...present].sort(), files.slice(10).sort());
    assertNoGarbage(index);
  });

  it('`papers index --threads 2`: every paper indexed, a line each as it ends; a thread count that is not a whole number from 1 to 16 is refused', async () => {
    const work = tmpDir('medgemma-threads-');
    const index = path.join(work, 'index');
    const files = smallPdfs(work, 6);
    const r = await papersCli(['index', '--threads', '2', '--index', index, ...files]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.replace(/ — .*/, '')).sort(), files.map((f) => `indexed   ${f}`).sort());
    assert.equal((await assertSmallConsistent(index, files)).size, files.length);
    for (const bad of ['0', '1.5', '17', 'two']) {
      const no = await papersCli(['index', '--threads', bad, '--index', index, files[0]]);
      assert.equal(no.code, 2, `--threads ${bad}: ${no.stderr}`);
      assert.match(no.stderr, /--threads must be (a number between 1 and 16|a whole number), not "/);
    }
  });

  it('a process killed at any moment while indexing leaves a folder that loads consistently, and the next run completes it', async () => {
    const work = tmpDir('medgemma-kill-');
    const index = path.join(work, 'index');
    const files = smallPdfs(work, 25);
    assert.equal((await papersCli(['index', '--index', index, ...files])).code, 0);
    // Killed after k commits of a forced re-index (watching the manifest), plus a few random milliseconds: mid-run, often mid-commit.
    for (const k of [1, 3, 6, 10, 15, 20]) {
      const from = manifest(index).generation;
      let watch: NodeJS.Timeout | undefined;
      const r = await papersCli(['index', '--force', '--index', index, ...files], {
        onSpawn: (c) =>
          (watch = setInterval(() => {
            if (manifest(index).generation < from + k) return;
            clearInterval(watch);
            setTimeout(() => c.kill('SIGKILL'), Math.random() * 20);
          }, 2)),
      });
      clearInterval(watch);
      assert.equal(r.signal, 'SIGKILL', `the run finished before ${k} commits were seen: ${r.stderr}`);
      const present = await assertSmallConsistent(index, files);
      assert.equal(present.size, files.length, 'a forced re-index replaces papers one commit at a time: none goes missing');
    }
    // The next commit takes the dead run's lock over and removes what it left half-written.
    const again = await papersCli(['index', '--force', '--index', index, files[0]]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await assertSmallConsistent(index, files)).size, files.length);
    assertNoGarbage(index);
  });

  it('takes over a lock left by a dead process, an old lock from another host and an empty lock; waits for a live one', async () => {
    const work = tmpDir('medgemma-lock-');
    const index = path.join(work, 'index');
    const [a, b, c, d] = smallPdfs(work, 4);
    fs.mkdirSync(index, { recursive: true });
    const lock = path.join(index, 'library.lock');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    fs.writeFileSync(lock, JSON.stringify({ pid: deadPid, host: os.hostname(), time: Date.now(), token: 'dead' }));
    const r1 = await papersCli(['index', '--index', index, a]);
    assert.equal(r1.code, 0, r1.stderr);
    assert.ok(r1.ms < 15_000, `took ${r1.ms} ms`);
    assert.ok(!fs.existsSync(lock), 'the lock is released');

    fs.writeFileSync(lock, JSON.stringify({ pid: 1, host: 'another-host.example', time: Date.now() - 600_000, token: 'old' }));
    const old = new Date(Date.now() - 600_000);
    fs.utimesSync(lock, old, old);
    assert.equal((await papersCli(['index', '--index', index, b])).code, 0);

    fs.writeFileSync(lock, '');
    fs.utimesSync(lock, old, old);
    assert.equal((await papersCli(['index', '--index', index, c])).code, 0);

    // A live holder (this test process): the writer waits until it is released.
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now(), token: 'live' }));
    const waiting = papersCli(['index', '--index', index, d]);
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok(fs.existsSync(lock), 'the live lock was not taken');
    fs.rmSync(lock);
    const r4 = await waiting;
    assert.equal(r4.code, 0, r4.stderr);
    assert.ok(r4.ms >= 2500, `finished after ${r4.ms} ms, before the lock was released`);
    assert.equal((await listed(index)).filter((p) => p.state === 'indexed').length, 4);
  });
});

describe('papers library on disk: states a crash leaves, old format', function () {
  this.timeout(60_000);

  async function twoPapers(): Promise<{ index: string; files: string[]; lib: PaperLibrary }> {
    const work = tmpDir('medgemma-state-');
    const index = path.join(work, 'index');
    const files = smallPdfs(work, 2);
    const lib = new PaperLibrary(index, { inProcess: readPdf });
    await lib.add(files);
    return { index, files, lib };
  }
  const found = async (lib: PaperLibrary, i: number) => (await lib.search(codeword(i), 1)).map((h) => path.basename(h.paper.file));

  it('data files written without their manifest are ignored, then removed by the next commit', async () => {
    const { index, files } = await twoPapers();
    // The same library with only the first paper committed, plus the second's files as a crash before the manifest leaves them.
    const other = path.join(path.dirname(index), 'other');
    const lib1 = new PaperLibrary(other, { inProcess: readPdf });
    await lib1.add([files[0]]);
    const m = manifest(index);
    const orphan = m.papers.find((p) => p.file === files[1])!.chunkFile!;
    const orphanSegment = orphan.replace(/\.json$/, '.bm25');
    assert.ok(m.segments?.includes(orphanSegment), `${orphanSegment} in ${m.segments}`);
    fs.copyFileSync(path.join(index, 'chunks', orphan), path.join(other, 'chunks', orphan));
    fs.copyFileSync(path.join(index, 'chunks', orphanSegment), path.join(other, 'chunks', orphanSegment));
    fs.copyFileSync(path.join(index, 'chunks', orphanSegment), path.join(other, 'index-99-deadbeef.bm25'));
    fs.writeFileSync(path.join(other, 'index-98-deadbeef.json'), '{}');
    fs.writeFileSync(path.join(other, 'library.json.123.abcd.tmp'), '{"version": 2, "pap');

    const fresh = new PaperLibrary(other, { inProcess: readPdf });
    assert.deepEqual((await fresh.list()).map((p) => path.basename(p.file)), ['p0.pdf']);
    assert.deepEqual(await found(fresh, 0), ['p0.pdf']);
    assert.deepEqual(await found(fresh, 1), []);
    await fresh.add([files[0]], { force: true });
    assert.ok(!fs.existsSync(path.join(other, 'chunks', orphan)));
    assert.ok(!fs.existsSync(path.join(other, 'chunks', orphanSegment)));
    assert.ok(!fs.existsSync(path.join(other, 'index-99-deadbeef.bm25')));
    assert.ok(!fs.existsSync(path.join(other, 'index-98-deadbeef.json')));
    assert.ok(!fs.existsSync(path.join(other, 'library.json.123.abcd.tmp')));
  });

  it('a manifest naming a missing chunk file: the paper shows as needing re-index, is not skipped as unchanged, and is searchable after', async () => {
    const { index, files } = await twoPapers();
    const m = manifest(index);
    fs.rmSync(path.join(index, 'chunks', m.papers.find((p) => p.file === files[0])!.chunkFile!));
    const lib = new PaperLibrary(index, { inProcess: readPdf });
    const p0 = (await lib.findByFile(files[0]))!;
    assert.equal(p0.state, 'failed');
    assert.match(p0.reason!, /index data of p0\.pdf is missing.*Re-index it/);
    assert.deepEqual(await found(lib, 0), []);
    assert.deepEqual(await found(lib, 1), ['p1.pdf']);
    const [again] = await lib.add([files[0]]);
    assert.equal(again.state, 'indexed');
    assert.deepEqual(await found(lib, 0), ['p0.pdf']);
    assert.deepEqual(await found(new PaperLibrary(index, { inProcess: readPdf }), 0), ['p0.pdf']);
  });

  it("a missing or mismatched paper segment is rebuilt from the chunk file, and the repair is written", async () => {
    const { index } = await twoPapers();
    const m = manifest(index);
    const [s0, s1] = m.papers.map((p) => p.chunkFile!.replace(/\.json$/, '.bm25'));
    fs.rmSync(path.join(index, 'chunks', s1));
    const lib = new PaperLibrary(index, { inProcess: readPdf });
    assert.deepEqual(await found(lib, 1), ['p1.pdf']);
    assert.ok(fs.existsSync(path.join(index, 'chunks', s1)), 'the repair wrote the missing segment');
    assert.notEqual(manifest(index).generation, m.generation);

    fs.copyFileSync(path.join(index, 'chunks', s1), path.join(index, 'chunks', s0));
    const lib2 = new PaperLibrary(index, { inProcess: readPdf });
    assert.deepEqual(await found(lib2, 0), ['p0.pdf']);
    assert.deepEqual(await found(lib2, 1), ['p1.pdf']);
    // Garbage bytes under a segment's name, as a damaged disk leaves them.
    fs.writeFileSync(path.join(index, 'chunks', s0), Buffer.from('MGBM not really a segment'));
    assert.deepEqual(await found(new PaperLibrary(index, { inProcess: readPdf }), 0), ['p0.pdf']);
  });

  it('a library past the merge threshold gets a main segment; one more paper writes only its own files; a lost or damaged main segment is rebuilt', async () => {
    const work = tmpDir('medgemma-main-');
    const index = path.join(work, 'index');
    const files = smallPdfs(work, 36);
    const lib = new PaperLibrary(index, { inProcess: readPdf });
    await lib.add(files.slice(0, 34));
    const m = manifest(index);
    assert.ok(m.index, 'more than 32 paper segments were merged into a main segment');
    assert.ok((m.segments?.length ?? 0) < 32, `${m.segments?.length} paper segments left`);
    assert.deepEqual(await found(lib, 0), ['p0.pdf']);
    const mainBytes = fs.readFileSync(path.join(index, m.index!));

    const before = new Set(fs.readdirSync(path.join(index, 'chunks')));
    await lib.add([files[34]]);
    const m2 = manifest(index);
    assert.equal(m2.index, m.index, 'the main segment is not rewritten for one paper');
    assert.deepEqual(fs.readFileSync(path.join(index, m.index!)), mainBytes);
    const added = fs.readdirSync(path.join(index, 'chunks')).filter((f) => !before.has(f));
    assert.deepEqual(added.map((f) => f.replace(/-\w+\./, '-.')).sort(), [`${m2.papers.find((p) => p.file === files[34])!.id}-.bm25`, `${m2.papers.find((p) => p.file === files[34])!.id}-.json`].sort());
    assert.deepEqual(await found(lib, 34), ['p34.pdf']);

    // Removing a paper of the main segment masks it (the file stays) until a merge.
    assert.equal(await lib.remove(m2.papers.find((p) => p.file === files[1])!.id), true);
    assert.equal(manifest(index).index, m.index);
    assert.deepEqual(await found(lib, 1), []);
    assert.deepEqual(await found(new PaperLibrary(index, { inProcess: readPdf }), 1), []);

    fs.writeFileSync(path.join(index, m.index!), mainBytes.subarray(0, 1000));
    const lib2 = new PaperLibrary(index, { inProcess: readPdf });
    assert.deepEqual(await found(lib2, 0), ['p0.pdf'], 'rebuilt from the chunk files');
    assert.deepEqual(await found(lib2, 1), []);
    assert.notEqual(manifest(index).index, m.index, 'the repair wrote a new main segment');
    // The next commit removes what the replaced manifest still named (kept for readers meanwhile).
    await lib2.add([files[35]]);
    assertNoGarbage(index);
  });

  it('reads the old format (library.json version 1, index.json, chunks/<id>.json), whose index a crash left behind, and rewrites it', async () => {
    const { index, files } = await twoPapers();
    const m = manifest(index);
    // Version 1 as the previous release wrote it, after a crash between its two renames: index.json has only p0.
    const one = path.join(path.dirname(index), 'one');
    const lib1 = new PaperLibrary(one, { inProcess: readPdf });
    await lib1.add([files[0]]);
    fs.writeFileSync(path.join(index, 'index.json'), JSON.stringify({ documentCount: 1, index: [] }));
    for (const p of m.papers) fs.renameSync(path.join(index, 'chunks', p.chunkFile!), path.join(index, 'chunks', `${p.id}.json`));
    for (const f of m.segments ?? []) fs.rmSync(path.join(index, 'chunks', f));
    const v1 = { version: 1, papers: m.papers.map(({ chunkFile: _, ...p }) => p) };
    fs.writeFileSync(path.join(index, 'library.json'), JSON.stringify(v1));

    const lib = new PaperLibrary(index, { inProcess: readPdf });
    assert.deepEqual((await lib.list()).map((p) => p.state), ['indexed', 'indexed']);
    assert.deepEqual(await found(lib, 1), ['p1.pdf'], 'the paper the old index missed is found');
    const now = manifest(index) as unknown as { version: number; segments: string[] };
    assert.equal(now.version, 2);
    assert.ok(!fs.existsSync(path.join(index, 'index.json')), 'the old index is removed');
    assert.equal(now.segments.length, 2);
    for (const f of now.segments) assert.ok(fs.existsSync(path.join(index, 'chunks', f)));
    const [skipped] = await lib.add([files[1]]);
    assert.equal(skipped.state, 'indexed');
  });
});
