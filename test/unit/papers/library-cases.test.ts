// The papers library (core/papers/library.ts) case by case, in-process: every record state and
// message, what each commit writes (manifest fields, chunk, segment and cache files), unchanged /
// changed / forced files, password-protected papers, removal and search. PDFs are read by a
// stand-in reader that takes a JSON page description as the file (library-stand-in.ts); the
// failures are in library-failures.test.ts.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXTRACTOR_VERSION } from '../../../src/core/papers/extract';
import { lockedReason, paperIdFor } from '../../../src/core/papers/library';
import { chunkFileName } from '../../../src/core/papers/manifest';
import type { Chunk, KnownMeta, PaperRecord } from '../../../src/core/papers/types';
import { allText, attached, CACHE_NAME, doc, type Doc, exists, firstFile, fresh, indexedRec, ls, manifestOf, META, names, type Page, plain, read, root, segmentOf, setup, sha, TITLE, unreadRec, writeManifest } from './library-stand-in';

describe('papers library: ids and the locked message', () => {
  it('a paper id is the first 16 hex digits of the sha256 of its absolute path (a relative one too); a locked paper is named by its file name', () => {
    const abs = path.join(root, 'some', 'trial.pdf');
    assert.deepEqual([paperIdFor(abs), paperIdFor(path.relative(process.cwd(), abs))], [createHash('sha256').update(abs).digest('hex').slice(0, 16), paperIdFor(abs)]);
    const want = 'trial.pdf is password-protected: its text is kept in memory only, for the session it was opened in, so it is locked now. Enter its password again to search it (re-index it; in VS Code, click it in the Papers view).';
    assert.equal(lockedReason(abs), want);
  });
});

describe('papers library: attaching a paper', function () {
  this.timeout(20_000);

  it('an indexed paper: the record returned and stored, its chunk file and segment, the cache entry and the manifest', async () => {
    const TEXT = 'Warfarin dosing zqalphaxv in older adults with renal impairment.';
    const { dir, lib, f, rec, before: m } = await attached(TEXT);
    assert.deepEqual([plain(rec), 'chunkFile' in rec], [plain(indexedRec(f)), false], 'the record returned is the one classified, before the commit names its chunk file');
    const id = paperIdFor(f);
    const chunks: Chunk[] = [{ id: `${id}#0`, paperId: id, pageStart: 1, pageEnd: 1, section: '', text: TEXT }];
    const chunkFile = chunkFileName(id, `${JSON.stringify(chunks)}\n${TITLE}`);
    assert.deepEqual([Object.keys(m).sort(), m.version, /^[0-9a-f]{16}$/.test(m.commit), m.generation, m.segments], [['commit', 'generation', 'papers', 'segments', 'version'], 2, true, 1, [segmentOf(chunkFile)]]);
    assert.deepEqual([m.papers, plain(await lib.list())], [[plain({ ...indexedRec(f), chunkFile })], m.papers]);
    assert.deepEqual([ls(dir), ls(path.join(dir, 'chunks'))], [['cache', 'chunks', 'library.json'], [segmentOf(chunkFile), chunkFile]], 'no lock left, no temp file');
    assert.deepEqual([read(dir, 'chunks', chunkFile), await lib.chunksOf(id)], [JSON.stringify(chunks), chunks]);
    // The extraction, by the file's content hash and the extractor version ("/" made "_"; the version has "/", "." and "-").
    const cached = { meta: META(), paragraphs: [{ page: 1, text: TEXT, section: '' }], ocrPages: [], brokenPages: [] };
    assert.deepEqual([['/', '.', '-'].every((c) => EXTRACTOR_VERSION.includes(c)), ls(path.join(dir, 'cache')), JSON.parse(read(dir, 'cache', CACHE_NAME(f)))], [true, [CACHE_NAME(f)], cached]);
    assert.deepEqual([plain(await fresh(dir).get(id)), plain(await fresh(dir).findByFile(f)), await fresh(dir).get('0000000000000000')], [m.papers[0], m.papers[0], undefined]);
  });

  it('takes a relative path as absolute; returns the records in the order given and counts each file done of the total; no files: nothing done', async () => {
    const { dir, reader, lib, put } = setup();
    // A relative path is attached under its absolute path, which progress, metadata and onFile get too.
    const f = put('rel.pdf', { ...doc(''), pages: [{ text: ['Heparin bridging before surgery.'] }, { text: ['Bleeding events were counted.'] }] });
    const seen: unknown[] = [];
    const [rec] = await lib.add([path.relative(process.cwd(), f)], { onProgress: (file, p, n) => seen.push(['page', file, p, n]), meta: (file) => (seen.push(['meta', file]), undefined), onFile: (r, done, total) => seen.push(['file', r.file, done, total]) });
    assert.deepEqual([rec.file, rec.id, seen], [f, paperIdFor(f), [['meta', f], ['page', f, 1, 2], ['page', f, 2, 2], ['file', f, 1, 1]]]);
    await lib.remove(rec.id);
    reader.calls.length = 0;
    const files = ['c', 'a', 'b'].map((n) => put(`${n}.pdf`, doc(`Paper ${n} on digoxin levels.`, `Digoxin levels study ${n}`)));
    const gen = manifestOf(dir).generation;
    assert.deepEqual([await lib.add([]), manifestOf(dir).generation], [[], gen]);
    const ended: unknown[] = [];
    const recs = await lib.add(files, { onFile: (r, done, total) => ended.push([path.basename(r.file), done, total]) });
    assert.deepEqual([names(recs), ended, reader.calls.length, manifestOf(dir).generation], [['c.pdf', 'a.pdf', 'b.pdf'], [['c.pdf', 1, 3], ['a.pdf', 2, 3], ['b.pdf', 3, 3]], 3, gen + 3], 'one commit per file');
    // list() sorts by file name as people read it (a before B before c), not by commit order or code unit.
    await lib.add([put('B.pdf', doc('Paper B on digoxin levels.', 'Digoxin levels study B'))]);
    assert.deepEqual(names(await lib.list()), ['a.pdf', 'b.pdf', 'B.pdf', 'c.pdf']);
  });

  it('a file not there: failed, "cannot be read (ENOENT)", committed with no hash, size or time, not stale; a folder: EISDIR', async () => {
    const { work, dir, reader, lib } = setup();
    const missing = path.join(work, 'gone.pdf');
    const [[rec], expected] = [await lib.add([missing]), unreadRec(missing, 'gone.pdf cannot be read (ENOENT). Check that the file exists and is readable.')];
    assert.deepEqual([rec, manifestOf(dir).papers, manifestOf(dir).segments, reader.calls, await lib.chunksOf(rec.id)], [expected, [expected], [], [], []]);
    assert.deepEqual([await lib.isStale(missing), await lib.isStale(path.join(work, 'never.pdf'))], [false, true], 'attached but not there: nothing to refresh; never attached: stale');
    const folder = fs.mkdirSync(path.join(work, 'folder.pdf'), { recursive: true })!;
    assert.deepEqual(plain((await lib.add([folder]))[0]), unreadRec(folder, 'folder.pdf cannot be read (EISDIR). Check that the file exists and is readable.'));
  });

  it('a PDF the reader cannot parse fails with its message and is not cached; the next file is still indexed', async () => {
    const { dir, lib, put } = setup();
    const [bad, good] = [put('bad.pdf', { pages: [], error: { name: 'InvalidPDFException', message: 'Invalid PDF structure.' } }), put('good.pdf', doc('Statins after stroke.'))];
    const [b, g] = await lib.add([bad, good]);
    assert.deepEqual(plain(b), plain({ ...indexedRec(bad), meta: undefined, chunks: 0, state: 'failed', reason: 'bad.pdf is not a readable PDF (damaged or truncated). Download it again and re-index it.' }));
    assert.deepEqual([g.state, ls(path.join(dir, 'cache')), manifestOf(dir).papers.map((p) => [path.basename(p.file), p.state])], ['indexed', [CACHE_NAME(good)], [['bad.pdf', 'failed'], ['good.pdf', 'indexed']]]);
  });

});

describe('papers library: what a paper\'s pages make of it', function () {
  this.timeout(20_000);
  const TEXT = 'Apixaban dosing in renal impairment was studied.';
  const NEEDS_OCR = 'x.pdf is a scanned document without a text layer: run OCR on it (e.g. ocrmypdf) and re-index.';
  const one = async (pages: Page[]) => ((s) => s.lib.add([s.put('x.pdf', { title: 'Apixaban dosing in renal impairment', author: 'Ann Smith', date: 'D:2012', pages })]).then(([rec]) => ({ rec, dir: s.dir })))(setup());
  const meta = (pages: number) => ({ title: 'Apixaban dosing in renal impairment', authors: ['Ann Smith'], year: 2012, pages });
  const what = async (pages: Page[]) => ((r) => [r.state, r.reason, r.chunks, r.meta])((await one(pages)).rec);
  const broken = (n: number): Page[] => Array.from({ length: n }, () => ({ broken: true }));

  it('no pages: failed, "has no pages"; pages without text, none scanned: failed, "contains no text"; nothing written to chunks/', async () => {
    const { rec, dir } = await one([]);
    assert.deepEqual([rec.state, rec.reason, rec.chunks, rec.meta], ['failed', 'x.pdf has no pages. Attach the complete PDF.', 0, meta(0)]);
    assert.deepEqual([manifestOf(dir).segments, ls(path.join(dir, 'chunks'))], [[], []]);
    assert.deepEqual(await what([{}, {}]), ['failed', 'x.pdf contains no text to index. If it is a scan, run OCR on it first (e.g. ocrmypdf) and re-index.', 0, meta(2)]);
  });

  it('half of the pages scanned: "needs OCR" as a whole (its text not indexed); a third: indexed with a note; a third and no text elsewhere: needs OCR', async () => {
    const half = await one([{ ocr: true }, { text: [TEXT] }]);
    assert.deepEqual([half.rec.state, half.rec.reason, half.rec.chunks, half.rec.meta, ls(path.join(half.dir, 'chunks'))], ['needs-ocr', NEEDS_OCR, 0, meta(2), []]);
    assert.deepEqual(await what([{ ocr: true }, { text: [TEXT] }, { text: ['Renal function was measured.'] }]), ['indexed', '1 of 3 pages are scanned images without text (needs OCR; not indexed)', 1, meta(3)]);
    assert.deepEqual(await what([{ ocr: true }, {}, {}]), ['needs-ocr', NEEDS_OCR, 0, meta(3)]);
  });

  it('damaged pages: counted, the first five listed, after the OCR note; nothing to note: no reason (not an empty one), no sessionOnly flag', async () => {
    assert.deepEqual((await what([{ text: [TEXT] }, ...broken(5)])).slice(0, 2), ['indexed', '5 damaged page(s) could not be read (2, 3, 4, 5, 6)']);
    const six = await one([{ text: [TEXT] }, { ocr: true }, ...broken(6), { text: ['Renal function was measured.'] }, { text: ['Bleeding was rare.'] }]);
    assert.equal(manifestOf(six.dir).papers[0].reason, '1 of 10 pages are scanned images without text (needs OCR; not indexed); 6 damaged page(s) could not be read (3, 4, 5, 6, 7)');
    const { rec, dir } = await one([{ text: [TEXT] }]);
    assert.deepEqual([rec.reason, 'reason' in manifestOf(dir).papers[0], 'sessionOnly' in manifestOf(dir).papers[0]], [undefined, false, false]);
  });
});

describe('papers library: unchanged, changed and forced files', function () {
  this.timeout(20_000);
  const indexed = () => attached('Metformin lowered HbA1c zqmetxv in adults.');

  it('same size and time: not read, not committed, the stored record comes back; same bytes, new time: the new time is committed, nothing read', async () => {
    const { dir, f, lib, reader, before } = await indexed();
    const ended: PaperRecord[] = [];
    assert.deepEqual([plain(await lib.add([f], { onFile: (r) => ended.push(r) })), reader.calls, manifestOf(dir), plain(ended), await lib.isStale(f)], [before.papers, [], before, before.papers, false]);
    fs.utimesSync(f, 1_500_000_000, 1_500_000_000);
    assert.equal(await lib.isStale(f), true);
    const [rec] = await lib.add([f]);
    const after = manifestOf(dir);
    assert.deepEqual([reader.calls, after.generation, after.segments, after.papers, plain(rec), await lib.isStale(f)], [[], before.generation + 1, before.segments, [{ ...before.papers[0], mtimeMs: 1_500_000_000_000 }], after.papers[0], false]);
  });

  it('a time differing by less than half a millisecond counts as the same time; a whole one more is stale', async () => {
    const { dir, f, lib } = await indexed();
    const t = 1_600_000_000.0001;
    fs.utimesSync(f, t, t);
    const stored = await lib.add([f]).then(() => manifestOf(dir));
    fs.utimesSync(f, t, t + 0.0003);
    const times = [Math.round(stored.papers[0].mtimeMs), fs.statSync(f).mtimeMs === stored.papers[0].mtimeMs];
    assert.deepEqual([times, await lib.isStale(f), (await lib.add([f]))[0].mtimeMs, manifestOf(dir)], [[Math.round(t * 1000), false], false, stored.papers[0].mtimeMs, stored]);
    fs.utimesSync(f, t, t + 0.0012);
    assert.equal(await lib.isStale(f), true);
  });

  it('a changed size is stale; new bytes are read again and replace the chunk file, the old one goes one commit later', async () => {
    const { dir, f, lib, reader, put, before } = await indexed();
    const [old, { mtime }] = [before.papers[0].chunkFile!, fs.statSync(f)];
    put('a.pdf', doc('Metformin lowered HbA1c zqnewxv by a larger amount in adults.'));
    fs.utimesSync(f, mtime, mtime);
    assert.equal(await lib.isStale(f), true, 'the size alone says so');
    const [rec] = await lib.add([f]);
    assert.deepEqual([reader.calls.length, rec.hash, manifestOf(dir).papers[0].chunkFile === old, exists(dir, 'chunks', old)], [1, sha(f), false, true], 'kept for a reader of the manifest it replaced');
    assert.deepEqual([(await lib.search('zqmetxv')).length, (await lib.search('zqnewxv'))[0].paper.id], [0, rec.id]);
    await lib.add([put('other.pdf', doc('Aspirin in primary prevention.'))]);
    assert.deepEqual([exists(dir, 'chunks', old), exists(dir, 'chunks', segmentOf(old))], [false, false]);
  });

  it('force reads the file again, cache or not, and commits (the same chunk file, not written again); refreshOnly looks only at files attached', async () => {
    const { dir, f, lib, reader, put, before } = await indexed();
    // An old time on the chunk file: rewritten, it would have a new one.
    const chunkPath = path.join(dir, 'chunks', before.papers[0].chunkFile!);
    fs.utimesSync(chunkPath, 1_000_000_000, 1_000_000_000);
    const [rec] = await lib.add([f], { force: true });
    assert.deepEqual([reader.calls.length, rec.state, manifestOf(dir).generation, fs.statSync(chunkPath).mtimeMs, manifestOf(dir).papers], [1, 'indexed', before.generation + 1, 1_000_000_000_000, before.papers]);
    const ended: unknown[] = [];
    const recs = await lib.add([put('new.pdf', doc('Digoxin toxicity.')), f], { refreshOnly: true, force: true, onFile: (r, done, total) => ended.push([path.basename(r.file), done, total]) });
    assert.deepEqual([names(recs), ended, reader.calls.length, names(manifestOf(dir).papers)], [['a.pdf'], [['a.pdf', 1, 2]], 2, ['a.pdf']], 'total still counts every file');
  });

  it('indexed by an older extractor: stale, and indexed again (from the cache of this version) under the current one', async () => {
    const { dir, f, reader, before: m } = await indexed();
    m.papers[0].extractor = 'pdfjs-old/layout-1';
    writeManifest(dir, m);
    const lib = fresh(dir, reader);
    assert.deepEqual([await lib.isStale(f), (await lib.add([f]))[0].extractor, reader.calls, manifestOf(dir).generation, manifestOf(dir).papers[0].extractor], [true, EXTRACTOR_VERSION, [], m.generation + 1, EXTRACTOR_VERSION]);
  });

  it('metadata given (Zotero\'s) replaces the PDF\'s, keeps its page count; a change re-indexes from the cache under a new chunk file', async () => {
    const { dir, f, lib, reader, put, before } = await indexed();
    const known: KnownMeta = { title: 'Metformin in type two diabetes', authors: ['Smith, Ann'], year: 2019, journal: 'Diabetes Care', doi: '10.1/x', zotero: { key: 'ABCD1234', library: 1 } };
    const [rec] = await lib.add([f], { meta: () => known });
    assert.deepEqual([reader.calls, rec.meta], [[], { ...known, pages: 1 }]);
    const [was, now] = [before.papers[0].chunkFile!, manifestOf(dir).papers[0].chunkFile!];
    assert.deepEqual([now === was, read(dir, 'chunks', now)], [false, read(dir, 'chunks', was)], 'the title is indexed: a new title is a new chunk file');
    assert.equal((await lib.search('Diabetes Care two'))[0]?.paper.id, rec.id, 'found by its new title');
    const gen = manifestOf(dir).generation;
    assert.deepEqual([plain(await lib.add([f], { meta: () => ({ ...known }) })), manifestOf(dir).generation], [manifestOf(dir).papers, gen], 'the same metadata again: unchanged');
    // Re-indexed without metadata after the file changed: Zotero's is kept (the PDF's would not be).
    put('a.pdf', { ...doc('', 'A different title in the PDF'), pages: [{ text: ['Metformin lowered HbA1c by more.'] }, { text: ['Second page.'] }] });
    assert.deepEqual([(await lib.add([f]))[0].meta, reader.calls.length], [{ ...known, pages: 2 }, 1]);
    const other = await indexed();
    other.put('a.pdf', doc('Metformin lowered HbA1c by more.', 'A different title in the PDF'));
    assert.equal((await other.lib.add([other.f]))[0].meta!.title, 'A different title in the PDF');
  });
});

describe('papers library: password-protected papers (stand-in encryption)', function () {
  this.timeout(20_000);
  const SECRET = 'zqsecretxv';
  const LOCKED_TITLE = 'Rivaroxaban locked trial report';
  const lockedDoc: Doc = { ...doc(`Rivaroxaban ${SECRET} reduced thrombosis.`, LOCKED_TITLE), password: 'pw' };
  const NO_PASSWORD = 'locked.pdf is encrypted. Re-index it and enter its password (CLI: --password).';
  const SESSION = 'password-protected: its text is kept in memory for this session only, never on disk';
  const STORED = 'password-protected: its decrypted text is stored unencrypted in the index folder';
  class Asker {
    asked = 0;
    password = async () => (this.asked++, 'pw');
  }
  /** A library with locked.pdf (and open.pdf, when given its text), nothing attached yet. */
  const lockedSetup = (open?: string) => ((s) => ({ ...s, f: s.put('locked.pdf', lockedDoc), open: open === undefined ? '' : s.put('open.pdf', doc(open, 'Apixaban open trial report')) }))(setup());
  const pw = { password: async () => 'pw' };

  it('no one to ask: encrypted, with the reader\'s message, nothing cached; attached again unchanged, it is read again and its password asked', async () => {
    const { dir, lib, reader, put, f } = lockedSetup();
    const [rec] = await lib.add([f]);
    assert.deepEqual(plain(rec), plain({ ...indexedRec(f), meta: undefined, state: 'encrypted', reason: NO_PASSWORD, chunks: 0 }));
    assert.deepEqual([manifestOf(dir).papers, ls(dir)], [[plain(rec)], ['chunks', 'library.json']]);
    const c = new Asker();
    const [again] = await lib.add([f], { password: c.password });
    assert.deepEqual([c.asked, reader.calls.length, again.state, again.sessionOnly], [1, 3, 'indexed', true]);
    const [bad] = await lib.add([put('bad.pdf', { pages: [], error: { name: 'FormatError', message: 'Bad xref' } })], { password: c.password });
    assert.deepEqual([c.asked, bad.reason], [1, 'bad.pdf is not a readable PDF (damaged or truncated). Download it again and re-index it.'], 'a damaged file is never asked a password for');
  });

  it('asks again after a wrong password (wrong: true), with the absolute path; giving up keeps the wrong-password message', async () => {
    const { lib, reader, f } = lockedSetup();
    const asked: unknown[] = [];
    const [rec] = await lib.add([f], { password: async (file, wrong) => (asked.push([file, wrong]), asked.length === 1 ? 'nope' : undefined) });
    assert.deepEqual([asked, reader.calls.map((c) => c.password)], [[[f, false], [f, true]], [undefined, 'nope']]);
    assert.deepEqual([rec.state, rec.reason], ['encrypted', 'locked.pdf is encrypted and the password is wrong. Re-index it and enter the right password.']);
  });

  it('refuse: no password is asked; the reason is refuseReason\'s, or the reader\'s without one; refuseReason is not used otherwise', async () => {
    const { lib, f } = lockedSetup();
    const c = new Asker();
    const [a] = await lib.add([f], { protectedText: 'refuse', password: c.password, refuseReason: (file) => `refused ${path.basename(file)}` });
    const [b] = await lib.add([f], { protectedText: 'refuse', password: c.password, force: true });
    const [d] = await lib.add([f], { protectedText: 'session', refuseReason: () => 'refused', force: true });
    assert.deepEqual([a.state, a.reason, b.state, b.reason, d.reason, c.asked], ['encrypted', 'refused locked.pdf', 'encrypted', NO_PASSWORD, NO_PASSWORD, 0]);
  });

  it('opened for the session: searchable here, stored only as locked, no text on disk, locked in a fresh object, which may remove it', async () => {
    const { dir, lib, f, open, put } = lockedSetup('Apixaban dosing in renal impairment.');
    const [, [rec]] = [await lib.add([open]), await lib.add([f], pw)];
    const [id, stored] = [rec.id, manifestOf(dir).papers.find((p) => p.id === rec.id)];
    assert.deepEqual(plain(rec), plain(indexedRec(f, META(LOCKED_TITLE), 1, { reason: SESSION, sessionOnly: true })));
    assert.deepEqual([stored, manifestOf(dir).segments?.length, 'index' in manifestOf(dir)], [plain({ ...indexedRec(f), meta: undefined, state: 'encrypted', reason: lockedReason(f), chunks: 0 }), 1, false], 'only the open paper has a segment; no merge');
    assert.deepEqual([plain(await lib.get(id)), (await lib.list()).map((p) => [path.basename(p.file), p.state, p.sessionOnly])], [plain(rec), [['locked.pdf', 'indexed', true], ['open.pdf', 'indexed', undefined]]], 'this object shows the session\'s record');
    const chunk = { id: `${id}#0`, paperId: id, pageStart: 1, pageEnd: 1, section: '', text: `Rivaroxaban ${SECRET} reduced thrombosis.` };
    const hits = (await lib.search(SECRET)).map((h) => [h.paper.id, h.paper.sessionOnly, h.chunk.id]);
    assert.deepEqual([await lib.chunksOf(id), await lib.chunk(`${id}#0`), hits, await firstFile(lib, 'locked report')], [[chunk], chunk, [[id, true, `${id}#0`]], f], 'its title is searchable too');
    assert.deepEqual([/zqsecretxv|Rivaroxaban/i.test(allText(dir)), ls(path.join(dir, 'cache'))], [false, [CACHE_NAME(open)]], 'the locked paper\'s extraction is not cached');
    const other = fresh(dir);
    assert.deepEqual([plain(await other.get(id)), await other.search(SECRET), await other.chunksOf(id)], [stored, [], []], 'locked in a fresh object');
    // That writer commits another paper: this object reads the new manifest and keeps the session's text.
    await other.add([put('new.pdf', doc('Edoxaban zqnewxv.', 'Edoxaban new trial report'))]);
    assert.deepEqual([(await lib.search(SECRET)).map((h) => h.chunk.id), (await lib.get(id))?.sessionOnly, await firstFile(lib, 'zqnewxv')], [[`${id}#0`], true, path.join(path.dirname(f), 'new.pdf')]);
    // Removed by that other writer: gone here too.
    assert.equal(await other.remove(id), true);
    assert.deepEqual([await lib.get(id), names(await lib.list()), await lib.search(SECRET), await lib.chunksOf(id)], [undefined, ['new.pdf', 'open.pdf'], [], []]);
  });

  it('a session paper touched (same bytes, new time): its new time is committed, its password not asked again, still searchable', async () => {
    const { dir, lib, reader, f } = lockedSetup();
    await lib.add([f], pw);
    fs.utimesSync(f, 1_400_000_000, 1_400_000_000);
    const c = new Asker();
    const [rec] = await lib.add([f], { password: c.password });
    assert.deepEqual([c.asked, reader.calls.length], [0, 2], 'only the first add read it (without, then with the password)');
    assert.deepEqual([rec.mtimeMs, rec.sessionOnly, rec.state, manifestOf(dir).papers[0].mtimeMs, manifestOf(dir).papers[0].state], [1_400_000_000_000, true, 'indexed', 1_400_000_000_000, 'encrypted']);
    const gen = manifestOf(dir).generation;
    assert.deepEqual([(await lib.add([f]))[0].mtimeMs, await firstFile(lib, SECRET), manifestOf(dir).generation], [1_400_000_000_000, f, gen], 'untouched now: nothing to commit');
  });

  it('stored decrypted when asked; opened for the session later, its stored text leaves the disk in a merged main segment', async () => {
    const { dir, lib, put, f, open } = lockedSetup('Apixaban dosing zqopenxv in renal impairment.');
    const [, [stored]] = [await lib.add([open]), await lib.add([f], { ...pw, protectedText: 'store' })];
    assert.deepEqual(plain(stored), plain(indexedRec(f, META(LOCKED_TITLE), 1, { reason: STORED })));
    assert.deepEqual([allText(path.join(dir, 'chunks')).includes(SECRET), ls(path.join(dir, 'cache')), manifestOf(dir).segments?.length, manifestOf(dir).index], [true, [CACHE_NAME(open)], 2, undefined], 'decrypted text is never cached');
    const [session] = await lib.add([f], { ...pw, force: true });
    const m = manifestOf(dir);
    assert.match(m.index!, new RegExp(`^index-${m.generation}-[0-9a-f]{8}\\.bm25$`));
    assert.deepEqual([session.sessionOnly, m.segments, ls(dir).filter((n) => n.startsWith('index'))], [true, [], [m.index]]);
    assert.deepEqual([ls(path.join(dir, 'chunks')), allText(dir).includes(SECRET)], [[m.papers.find((p) => p.file === open)!.chunkFile], false], 'the open paper\'s segment is in the main one now');
    assert.deepEqual([await firstFile(lib, SECRET), await firstFile(lib, 'zqopenxv'), await firstFile(fresh(dir), 'zqopenxv')], [f, open, open], 'the session paper is searchable right after the merge');
    // One paper more: its own segment beside the main one, which stays.
    const [more] = await lib.add([put('more.pdf', doc('Edoxaban zqmorexv trial.', 'Edoxaban open trial report'))]);
    const m2 = manifestOf(dir);
    assert.deepEqual([m2.index, m2.segments, await lib.remove(more.id), await lib.remove(paperIdFor(open))], [m.index, [segmentOf(m2.papers.find((p) => p.id === more.id)!.chunkFile!)], true, true]);
    // The main segment's only paper removed: no live document left, no main segment named.
    assert.deepEqual(['index' in manifestOf(dir), manifestOf(dir).segments, await lib.search('zqopenxv'), await firstFile(lib, SECRET)], [false, [], [], f]);
  });

});

describe('papers library: removing, reading chunks, searching', function () {
  this.timeout(20_000);

  it('removing a paper not attached: false, nothing written; an attached one: true, one commit, its files gone a commit later', async () => {
    const { dir, lib, put } = setup();
    assert.deepEqual([await lib.remove('0123456789abcdef'), fs.existsSync(dir)], [false, false]);
    const [a, b] = await lib.add([put('a.pdf', doc('Aspirin zqaxv.')), put('b.pdf', doc('Heparin zqbxv.'))]);
    const [before, [aFile, bFile]] = [manifestOf(dir), manifestOf(dir).papers.map((p) => p.chunkFile!)];
    assert.deepEqual([await lib.remove('0123456789abcdef'), manifestOf(dir), await lib.remove(a.id)], [false, before, true]);
    const after = manifestOf(dir);
    assert.deepEqual([after.generation, after.papers, after.segments, exists(dir, 'chunks', aFile)], [before.generation + 1, [before.papers[1]], [segmentOf(bFile)], true]);
    assert.deepEqual([await lib.get(a.id), await lib.search('zqaxv'), await lib.remove(b.id)], [undefined, [], true]);
    assert.deepEqual(ls(path.join(dir, 'chunks')), [segmentOf(bFile), bFile], 'a\'s files are collected, b\'s kept one commit more');
    // Calls on one object run in order: a removal asked right after an add sees the paper.
    const [adding, removing] = [lib.add([put('c.pdf', doc('Digoxin.'))]), lib.remove(paperIdFor(path.join(path.dirname(dir), 'c.pdf')))];
    assert.deepEqual([(await adding)[0].state, await removing, manifestOf(dir).papers], ['indexed', true, []]);
  });

  it('finds a chunk by its id, not by another number or without "#"; a paper without chunks, or none, has none', async () => {
    const { lib, put } = setup();
    const [a, bad] = await lib.add([put('a.pdf', doc('Aspirin zqaxv.')), put('bad.pdf', { pages: [] })]);
    assert.deepEqual([(await lib.chunk(`${a.id}#0`))?.text, await lib.chunk(`${a.id}#1`), await lib.chunk(a.id)], ['Aspirin zqaxv.', undefined, undefined]);
    assert.deepEqual([await lib.chunksOf(bad.id), await lib.chunksOf('ffffffffffffffff')], [[], []]);

  });

  it('reads a chunk file by its base name only, wherever the manifest says it is', async () => {
    const { dir, rec, before: m } = await attached();
    m.papers[0].chunkFile = `elsewhere/${m.papers[0].chunkFile}`;
    writeManifest(dir, m);
    const other = fresh(dir);
    assert.deepEqual([(await other.get(rec.id))?.chunkFile, (await other.chunksOf(rec.id))[0]?.text], [m.papers[0].chunkFile, 'Aspirin zqaxv.']);
  });

  it('chunks of a paper another writer removed (its files collected): none, the paper gone; re-indexed: the new ones; its new paper is listed', async () => {
    const { work, dir, lib, put } = setup();
    const f = put('a.pdf', doc('Aspirin zqaxv.'));
    const [a, b] = await lib.add([f, put('b.pdf', doc('Heparin zqbxv.'))]);
    const [reader, late] = [fresh(dir), fresh(dir)];
    assert.deepEqual([(await reader.get(a.id))?.state, (await reader.get(b.id))?.state, (await reader.search('zqaxv')).length, (await late.get(a.id))?.state], ['indexed', 'indexed', 1, 'indexed']);
    put('a.pdf', doc('Aspirin changed zqnewxv.'));
    await lib.remove(b.id);
    await lib.add([f, put('c.pdf', doc('Digoxin zqcxv.'))]);
    assert.deepEqual([await reader.chunksOf(b.id), await reader.get(b.id), (await reader.chunksOf(a.id)).map((c) => c.text)], [[], undefined, ['Aspirin changed zqnewxv.']]);
    // One that read the manifest before and never a's chunks: asked for them first, it finds the old file gone and catches up by itself.
    assert.deepEqual((await late.chunksOf(a.id)).map((c) => c.text), ['Aspirin changed zqnewxv.']);
    assert.deepEqual([names(await reader.list()), await firstFile(reader, 'zqcxv')], [['a.pdf', 'c.pdf'], path.join(work, 'c.pdf')]);
  });

  it('search: 8 hits by default, k more when asked, best first, each with chunk, paper, score and coverage; only the papers asked for', async () => {
    const { dir, lib, put } = setup();
    // Paper i mentions the word i+1 times among the same number of words: more mentions, higher score.
    const files = Array.from({ length: 9 }, (_, i) => put(`p${i}.pdf`, doc(`${'zqwordxv '.repeat(i + 1)}${'filler '.repeat(9 - i)}end.`, `Trial number ${'abcdefghi'[i]}x report`)));
    await lib.add(files);
    const hits = await lib.search('zqwordxv absentword');
    assert.deepEqual(names(hits.map((h) => h.paper)), [8, 7, 6, 5, 4, 3, 2, 1].map((i) => `p${i}.pdf`));
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score > hits[i].score);
    assert.deepEqual([Object.keys(hits[0]).sort(), hits[0].coverage, plain(hits[0].paper)], [['chunk', 'coverage', 'paper', 'score'], 0.5, manifestOf(dir).papers[8]]);
    assert.deepEqual([hits[0].chunk, (await lib.search('zqwordxv', 9)).length, (await lib.search('zqwordxv', 1))[0].paper.file], [(await lib.chunksOf(hits[0].paper.id))[0], 9, files[8]]);
    const two = [paperIdFor(files[0]), paperIdFor(files[3])];
    assert.deepEqual([names((await lib.search('zqwordxv', 8, two)).map((h) => h.paper)), await lib.search('zqwordxv', 8, [])], [['p3.pdf', 'p0.pdf'], []]);
  });
});
