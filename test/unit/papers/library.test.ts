import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chunkParagraphs } from '../../../src/core/papers/chunk';
import { PaperLibrary } from '../../../src/core/papers/library';
import { readPdf } from '../../../src/core/papers/pdf-read';
import { coversQuestion } from '../../../src/core/papers/bm25/search';
import type { Paragraph } from '../../../src/core/papers/types';
import { requireFixture } from '../../fixtures';
import { builtWorker, makePdf, PDFS, tmpDir } from './make-pdf';


describe('papers: chunking', () => {
  const para = (page: number, n: number, extra: Partial<Paragraph> = {}): Paragraph => ({
    page,
    section: 'Results',
    text: `Sentence ${n} about ward ${page} outcomes and readmission rates in older adults. `.repeat(6).trim(),
    ...extra,
  });

  it('makes ~1.5-2.5k character chunks on paragraph boundaries, with overlap, pages and section', () => {
    const ps = Array.from({ length: 30 }, (_, i) => para(1 + Math.floor(i / 5), i));
    const chunks = chunkParagraphs('p', ps);
    assert.ok(chunks.length >= 5);
    for (const c of chunks.slice(0, -1)) assert.ok(c.text.length >= 1500 && c.text.length <= 2900, `chunk of ${c.text.length}`);
    for (let i = 1; i < chunks.length; i++) {
      const prevTail = chunks[i - 1].text.slice(-100);
      assert.ok(chunks[i].text.includes(prevTail.slice(-60)), 'chunks overlap');
      assert.ok(chunks[i].pageStart >= chunks[i - 1].pageStart);
    }
    assert.equal(chunks[0].section, 'Results');
    assert.equal(chunks[0].pageStart, 1);
    assert.equal(chunks.at(-1)!.pageEnd, 6);
  });

  it('leaves reference lists out and splits an over-long paragraph on sentences', () => {
    const long: Paragraph = { page: 2, section: 'Discussion', text: 'Long sentence about dosing and adverse events. '.repeat(150).trim() };
    const ref: Paragraph = { page: 3, section: 'References', text: '[1] A. Author, "Unique reference title zebra", 2001.', reference: true };
    const chunks = chunkParagraphs('p', [long, ref]);
    assert.ok(chunks.every((c) => c.text.length <= 2900));
    assert.ok(!chunks.some((c) => c.text.includes('zebra')));
  });
});

describe('papers: library, index and search', function () {
  this.timeout(60_000);

  it('indexes the fixture papers, finds passages with pages, survives a reload, removes and re-indexes', async function () {
    requireFixture(this, PDFS);
    const dir = tmpDir('medgemma-lib-');
    const work = tmpDir('medgemma-papers-');
    const files = ['tully2010-heart-failure-programmes.pdf', 'datta2010-dvt-complications-review.pdf'].map((f) => {
      fs.copyFileSync(path.join(PDFS, f), path.join(work, f));
      return path.join(work, f);
    });
    const broken = path.join(work, 'broken.pdf');
    fs.writeFileSync(broken, fs.readFileSync(files[0]).subarray(0, 2000));
    const lib = new PaperLibrary(dir, { inProcess: readPdf });
    const recs = await lib.add([broken, ...files]);
    assert.equal(recs[0].state, 'failed');
    assert.match(recs[0].reason!, /not a readable PDF/);
    assert.deepEqual(recs.slice(1).map((r) => r.state), ['indexed', 'indexed']);

    const hits = await lib.search('pharmacist medication advice multidisciplinary team', 3);
    assert.ok(hits.length > 0);
    assert.match(hits[0].paper.file, /tully/);
    assert.ok(hits[0].chunk.pageStart <= 4 && hits[0].chunk.pageEnd >= 4, `pages ${hits[0].chunk.pageStart}-${hits[0].chunk.pageEnd}`);
    assert.ok(coversQuestion('pharmacist medication advice', hits[0]));
    assert.ok(!coversQuestion('capital of France', (await lib.search('capital of France', 1))[0]));

    // A fresh library object reads the persisted index.
    const again = new PaperLibrary(dir, { inProcess: readPdf });
    assert.equal((await again.search('pharmacist medication advice multidisciplinary team', 1))[0].chunk.id, hits[0].chunk.id);
    assert.equal(await again.isStale(files[0]), false);

    // Changing a file: it is stale, re-indexing replaces its chunks in place.
    fs.writeFileSync(files[0], makePdf([{ lines: ['Completely new content about zebrafish cardiology.'] }]));
    assert.equal(await again.isStale(files[0]), true);
    await again.add([files[0]]);
    assert.equal((await again.search('pharmacist medication advice multidisciplinary team', 5)).filter((h) => /tully/.test(h.paper.file)).length, 0);
    assert.match((await again.search('zebrafish cardiology', 1))[0].paper.file, /tully/);

    const datta = (await again.findByFile(files[1]))!;
    assert.ok(await again.remove(datta.id));
    assert.equal((await again.search('deep venous thrombosis prophylaxis', 5)).length, 0);
    assert.equal((await again.list()).length, 2);
  });

  it('marks scanned papers "needs OCR", encrypted ones "encrypted", and keeps going', async () => {
    const dir = tmpDir('medgemma-lib-');
    const work = tmpDir('medgemma-papers-');
    const scan = path.join(work, 'scan.pdf');
    fs.writeFileSync(scan, makePdf([{ image: true }, { image: true }]));
    const empty = path.join(work, 'empty.pdf');
    fs.writeFileSync(empty, '');
    const ok = path.join(work, 'ok.pdf');
    fs.writeFileSync(ok, makePdf([{ lines: ['Metformin lowers HbA1c by about 1 percent in type 2 diabetes.'] }]));
    const lib = new PaperLibrary(dir, { inProcess: readPdf });
    const [s, e, o] = await lib.add([scan, empty, ok]);
    assert.equal(s.state, 'needs-ocr');
    assert.match(s.reason!, /OCR/);
    assert.equal(e.state, 'failed');
    assert.match(e.reason!, /empty/);
    assert.equal(o.state, 'indexed');
    assert.equal((await lib.search('metformin HbA1c', 1))[0].paper.id, o.id);
  });

  it('stops cleanly when cancelled mid-file: files done so far stay indexed, nothing half-written', async () => {
    const dir = tmpDir('medgemma-lib-');
    const work = tmpDir('medgemma-papers-');
    const small = path.join(work, 'small.pdf');
    fs.writeFileSync(small, makePdf([{ lines: ['Apixaban dosing in renal impairment.'] }]));
    const big = path.join(work, 'big.pdf');
    fs.writeFileSync(big, makePdf(Array.from({ length: 400 }, (_, i) => ({ lines: [`Page ${i} on edoxaban trials and outcomes.`] }))));
    const c = new AbortController();
    const lib = new PaperLibrary(dir, { workerFile: builtWorker() });
    const recs = await lib.add([small, big], { signal: c.signal, onProgress: (f, p) => f === big && p === 20 && c.abort() });
    assert.deepEqual(recs.map((r) => path.basename(r.file)), ['small.pdf']);
    const again = new PaperLibrary(dir, { workerFile: builtWorker() });
    assert.deepEqual((await again.list()).map((r) => [path.basename(r.file), r.state]), [['small.pdf', 'indexed']]);
    assert.equal((await again.search('apixaban renal', 1)).length, 1);
  });

  it('reads several files at once: every one indexed and committed, the records in the order given, each counted as it ends', async () => {
    const dir = tmpDir('medgemma-lib-');
    const files = fs.readdirSync(PDFS).filter((f) => f.endsWith('.pdf')).sort().map((f) => path.join(PDFS, f));
    const lib = new PaperLibrary(dir, { workerFile: builtWorker(), extractWorkers: 2 });
    const counted: number[] = [];
    const ended = new Set<string>();
    const recs = await lib.add(files, {
      onFile: (rec, done, total) => {
        assert.equal(total, files.length);
        counted.push(done);
        ended.add(rec.file);
      },
    });
    assert.deepEqual(recs.map((r) => r.file), files);
    assert.deepEqual(recs.map((r) => r.state), files.map(() => 'indexed'));
    assert.deepEqual(counted, [1, 2, 3, 4]);
    assert.deepEqual([...ended].sort(), files);
    // Committed, every one: a fresh reader of the folder finds them all.
    const again = new PaperLibrary(dir, { workerFile: builtWorker() });
    assert.deepEqual((await again.list()).map((r) => r.file), files);
    assert.equal((await again.search('heart failure programmes', 1))[0].paper.file, path.join(PDFS, 'tully2010-heart-failure-programmes.pdf'));
  });

  it('a run stopped part-way goes on where it stopped: the papers done are not read again, not even their bytes', async () => {
    const dir = tmpDir('medgemma-lib-');
    const work = tmpDir('medgemma-papers-');
    const drugs = ['apixaban', 'heparin', 'warfarin', 'insulin', 'metformin', 'digoxin', 'statin', 'aspirin'];
    const files = drugs.map((d) => {
      const f = path.join(work, `${d}.pdf`);
      fs.writeFileSync(f, makePdf([{ lines: [`Dosing of ${d} in older adults with renal impairment.`] }]));
      return f;
    });
    let reads = 0;
    const counting: typeof readPdf = (req, post) => (reads++, readPdf(req, post));
    const c = new AbortController();
    const first = await new PaperLibrary(dir, { inProcess: counting }).add(files, { signal: c.signal, onFile: (_r, done) => done === 3 && c.abort() });
    assert.deepEqual(first.map((r) => path.basename(r.file)), ['apixaban.pdf', 'heparin.pdf', 'warfarin.pdf']);
    // A paper done has new bytes of the same size and time: taken as unchanged, so never read.
    const { mtime } = fs.statSync(files[0]);
    fs.writeFileSync(files[0], fs.readFileSync(files[0], 'latin1').replace('apixaban', 'edoxaban'), 'latin1');
    fs.utimesSync(files[0], mtime, mtime);
    reads = 0;
    const done: string[] = [];
    const lib = new PaperLibrary(dir, { inProcess: counting });
    const second = await lib.add(files, { onFile: (r) => done.push(path.basename(r.file)) });
    assert.equal(reads, 5, 'only the five papers not done were read');
    assert.deepEqual(second.map((r) => r.state), files.map(() => 'indexed'));
    assert.deepEqual(done, drugs.map((d) => `${d}.pdf`));
    assert.equal((await lib.search('edoxaban', 1)).length, 0);
    // --force reads every file again.
    reads = 0;
    await lib.add(files, { force: true });
    assert.equal(reads, 8);
    assert.equal((await lib.search('edoxaban', 1))[0].paper.file, files[0]);
  });

  it('indexes a 1,200-page paper with progress on every page', async function () {
    this.timeout(120_000);
    const dir = tmpDir('medgemma-lib-');
    const big = path.join(tmpDir('medgemma-big-'), 'big.pdf');
    // Lines differ in words, not only in digits (else they would look like running headers).
    const a = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega'.split(' ');
    const b = 'aspirin heparin warfarin insulin statin digoxin furosemide metformin amiodarone clopidogrel apixaban'.split(' ');
    const pages = Array.from({ length: 1200 }, (_, i) => ({
      lines: Array.from({ length: 8 }, (_, j) => `Cohort ${a[i % a.length]} ${b[(i * 7 + j) % b.length]}: outcome measure number ${i * 8 + j} was recorded.`),
    }));
    fs.writeFileSync(big, makePdf(pages));
    let last = 0;
    const lib = new PaperLibrary(dir, { inProcess: readPdf });
    const [rec] = await lib.add([big], { onProgress: (_f, p, n) => (last = p === n ? p : last) });
    assert.equal(last, 1200);
    assert.equal(rec.state, 'indexed');
    assert.equal(rec.meta!.pages, 1200);
    const hit = (await lib.search('outcome measure number 9000', 1))[0];
    assert.equal(hit.chunk.pageStart <= 1126 && hit.chunk.pageEnd >= 1126, true, `pages ${hit.chunk.pageStart}-${hit.chunk.pageEnd}`);
  });
});
