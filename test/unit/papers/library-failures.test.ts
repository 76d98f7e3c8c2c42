// The papers library (core/papers/library.ts) when things go wrong, in-process: damaged
// manifests and files, another writer, a stolen lock, cancels, and a worker thread that
// stalls or is cancelled. Nothing finished may be lost. PDFs are read by the stand-in reader of
// library-stand-in.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { paperIdFor } from '../../../src/core/papers/library';
import { attached, CACHE_NAME, doc, exists, firstFile, fresh, lostRec, ls, manifestOf, names, plain, read, Reader, root, segmentOf, setup, TITLE, writeManifest } from './library-stand-in';

describe('papers library: failures lose nothing', function () {
  this.timeout(20_000);

  it('a folder written by a newer version: add fails with its message, the manifest is untouched, the next files are not read', async () => {
    const { dir, lib, reader, put } = setup();
    const newer = JSON.stringify({ version: 3, papers: [{ id: 'x', file: '/x.pdf' }] });
    fs.mkdirSync(dir);
    writeManifest(dir, newer);
    let ended = 0;
    const message = `The papers index in ${dir} was written by a newer version of MedGemma (format 3). Update MedGemma, or use another index folder.`;
    await assert.rejects(lib.add([put('a.pdf', doc('Aspirin.')), put('b.pdf', doc('Heparin.'))], { onFile: () => ended++ }), { message });
    assert.deepEqual([ended, reader.calls.length, read(dir, 'library.json'), ls(path.join(dir, 'chunks')), exists(dir, 'library.lock')], [0, 1, newer, [], false], 'no chunk file, no lock left');
    // The next call runs (the queue is not stuck) and fails the same way.
    await assert.rejects(lib.add([put('a.pdf', doc('Aspirin.'))]), { message });
    assert.deepEqual([await lib.list(), await lib.remove('x')], [[], false]);
  });

  it('a damaged manifest: read as empty, then kept aside under its own name when the next commit writes a new one', async () => {
    const { dir, lib, put } = setup();
    fs.mkdirSync(dir);
    writeManifest(dir, '{"version": 2, "papers": [');
    assert.deepEqual([await lib.list(), ls(dir)], [[], ['library.json']], 'reading never rewrites it');
    const [rec] = await lib.add([put('a.pdf', doc('Aspirin zqaxv.'))]);
    const aside = ls(dir).filter((n) => n.startsWith('library.json.'));
    assert.match(aside.join(' '), /^library\.json\.unreadable-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    assert.deepEqual([read(dir, aside[0]), manifestOf(dir).papers.map((p) => p.id), manifestOf(dir).generation], ['{"version": 2, "papers": [', [rec.id], 1]);
  });

  it('another writer commits while this one reads a file: its paper is kept, its removal is not undone', async () => {
    const { work, dir, lib, reader, put } = setup();
    const [x, y, z] = ['x', 'y', 'z'].map((n) => put(`${n}.pdf`, doc(`Paper ${n} zq${n}xv.`, `Writer test paper ${n}`)));
    await lib.add([x]);
    const other = fresh(dir);
    reader.during = async (d) => void (d.title === 'Writer test paper y' && (await other.add([z]).then(() => other.remove(paperIdFor(x)))));
    await lib.add([y]);
    assert.deepEqual([names(manifestOf(dir).papers), manifestOf(dir).generation, names(await lib.list()), await lib.search('zqxxv'), await firstFile(lib, 'zqzxv')], [['z.pdf', 'y.pdf'], 4, ['y.pdf', 'z.pdf'], [], path.join(work, 'z.pdf')]);
  });

  it('a paper whose files vanish after the manifest was read: lost at the next search, the repair committed once', async () => {
    const { work, dir, lib: first, put } = setup();
    await first.add([put('a.pdf', doc('Aspirin zqaxv.')), put('b.pdf', doc('Heparin zqbxv.'))]);
    const before = manifestOf(dir);
    const lib = fresh(dir);
    assert.equal((await lib.list()).length, 2);
    const gone = before.papers[0].chunkFile!;
    for (const name of [gone, segmentOf(gone)]) fs.rmSync(path.join(dir, 'chunks', name));
    const lost = lostRec(before.papers[0]);
    assert.deepEqual([await lib.search('zqaxv'), manifestOf(dir).generation, manifestOf(dir).papers], [[], before.generation + 1, [lost, before.papers[1]]], 'the search itself repairs');
    assert.deepEqual([await firstFile(lib, 'zqbxv'), plain(await lib.get(lost.id))], [path.join(work, 'b.pdf'), lost]);
    assert.deepEqual([(await lib.list()).length, manifestOf(dir).generation], [2, before.generation + 1], 'repaired once, not on every read');
  });

  it('a chunk file removed behind the library\'s back (after it read the manifest) is written again by attaching the paper', async () => {
    const { dir, f, before } = await attached();
    const [name, reader] = [before.papers[0].chunkFile!, new Reader()];
    const lib = fresh(dir, reader);
    assert.equal((await lib.list())[0].state, 'indexed');
    fs.rmSync(path.join(dir, 'chunks', name));
    assert.deepEqual([(await lib.add([f]))[0].state, reader.calls, exists(dir, 'chunks', name)], ['indexed', [], true], 'from the cache');
  });

  it('a folder that cannot be repaired is still read: the repair\'s failure is not the reader\'s', async () => {
    const { dir, before } = await attached();
    fs.rmSync(path.join(dir, 'chunks'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'chunks'), 'not a folder');
    assert.deepEqual([plain(await fresh(dir).list()), manifestOf(dir)], [[lostRec(before.papers[0])], before]);
  });

  it('cancelled while a file is read: the files before are committed, that one is not (its reading is cached for next time)', async () => {
    const { dir, lib, reader, put } = setup();
    const files = ['a', 'b', 'c'].map((n) => put(`${n}.pdf`, doc(`Paper ${n} zq${n}xv.`, `Cancel test paper ${n}`)));
    const c = new AbortController();
    reader.during = (d) => (d.title === 'Cancel test paper b' ? c.abort() : undefined);
    const ended: string[] = [];
    const recs = await lib.add(files, { signal: c.signal, onFile: (r) => ended.push(path.basename(r.file)) });
    assert.deepEqual([names(recs), ended, reader.calls.map((x) => x.title)], [['a.pdf'], ['a.pdf'], ['Cancel test paper a', 'Cancel test paper b']], 'c is not started');
    assert.deepEqual([names(manifestOf(dir).papers), manifestOf(dir).generation, ls(path.join(dir, 'cache')).includes(CACHE_NAME(files[1]))], [['a.pdf'], 1, true]);
    reader.during = undefined;
    assert.deepEqual([(await lib.add(files)).map((r) => r.state), reader.calls.map((x) => x.title).slice(2)], [['indexed', 'indexed', 'indexed'], ['Cancel test paper c']], 'b from the cache');
  });

  it('its lock taken over by another process during the commit: no manifest written, the other\'s lock left alone, "try again" works once it is gone', async () => {
    const { dir, lib, put } = setup();
    const [a, b] = ['a', 'b'].map((n) => put(`${n}.pdf`, doc(`Paper ${n} zq${n}xv.`, `Lock test paper ${n}`)));
    await lib.add([a]);
    const before = read(dir, 'library.json');
    const other = JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now(), token: 'another-process' });
    // The commit syncs the chunks folder just before it writes the manifest: another process
    // judges this one's lock stale and takes it over at that moment.
    const open = fs.promises.open;
    fs.promises.open = (async (file: fs.PathLike, ...rest: unknown[]) => {
      if (file === path.join(dir, 'chunks')) fs.writeFileSync(path.join(dir, 'library.lock'), other);
      return (open as (...args: unknown[]) => Promise<fs.promises.FileHandle>)(file, ...rest);
    }) as typeof fs.promises.open;
    try {
      await assert.rejects(lib.add([b]), { message: `Another process took over the lock of the papers index in ${dir} (it judged this one stale). Try again.` });
    } finally {
      fs.promises.open = open;
    }
    assert.deepEqual([read(dir, 'library.json'), read(dir, 'library.lock')], [before, other]);
    fs.rmSync(path.join(dir, 'library.lock'));
    assert.deepEqual([names(await lib.add([b])), names(manifestOf(dir).papers)], [['b.pdf'], ['a.pdf', 'b.pdf']]);
    assert.deepEqual(ls(dir).filter((n) => n.startsWith('library.')), ['library.json'], 'a readable manifest is replaced, not kept aside; the lock is gone');
  });
});

describe('papers library: a worker thread stand-in', function () {
  this.timeout(20_000);
  const worker = path.join(root, 'stand-in-worker.js');
  // Reads the JSON description like the in-process stand-in; `stall` sends the metadata and then nothing.
  const script = [
    "const { parentPort } = require('node:worker_threads');",
    "parentPort.on('message', (req) => { const d = JSON.parse(Buffer.from(req.data).toString('utf8'));",
    "  parentPort.postMessage({ type: 'meta', pages: d.pages.length, title: d.title, author: d.author, date: d.date }); if (d.stall) return;",
    "  d.pages.forEach((p, i) => parentPort.postMessage({ type: 'page', page: i + 1, height: 792, lines: (p.text || []).map((text, j) => ({ text, x: 72, y: 600 - 14 * j, size: 11 })), ocr: !!p.ocr, broken: !!p.broken }));",
    "  parentPort.postMessage({ type: 'done' }); });",
  ];
  before(() => fs.writeFileSync(worker, script.join('\n')));

  it('a file that stalls is stopped at the library\'s time limit, with its message; cancelled while the worker reads: stops at once, the paper keeps its state', async () => {
    const slowLib = setup({ workerFile: worker, timeLimitMs: 200, extractWorkers: 1 });
    // No pages: its budget is the time limit itself, however late the thread starts.
    const [slow] = await slowLib.lib.add([slowLib.put('slow.pdf', { ...doc('Never read.'), pages: [], stall: true })]);
    assert.deepEqual([slow.state, slow.reason], ['failed', 'slow.pdf took more than 0.2 s to read, so it was stopped; it may be damaged or built to stall PDF readers. Open it in another PDF reader to check it.']);
    const { dir, lib, put, f, rec, before } = await attached('Aspirin zqaxv.', TITLE, { workerFile: worker, extractWorkers: 2 });
    put('a.pdf', { ...doc('Aspirin changed.'), stall: true });
    const c = new AbortController();
    // The default time limit is 30 s: only the signal can end this read within the test's time.
    const recs = await lib.add([f], { signal: c.signal, meta: () => (setTimeout(() => c.abort(), 20), undefined) });
    assert.deepEqual([recs, manifestOf(dir), (await lib.get(rec.id))?.state, await firstFile(lib, 'zqaxv')], [[], before, 'indexed', f]);
  });
});
