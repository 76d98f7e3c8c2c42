import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractPdf } from '../../../src/core/papers/extract';
import { joinLines, removeRunningLines } from '../../../src/core/papers/layout';
import { shortLabel } from '../../../src/core/papers/meta';
import { PdfError } from '../../../src/core/papers/pdf-errors';
import { readPdf } from '../../../src/core/papers/pdf-read';
import { requireFixture } from '../../fixtures';
import { builtWorker, encryptWithQpdf, makePdf, PDFS, tmpDir } from './make-pdf';
import { precisionRecall } from './words';


describe('papers: PDF extraction', function () {
  this.timeout(60_000);

  it('matches the reference text of the Tully 2010 paper (word precision and recall >= 0.98)', async function () {
    requireFixture(this, PDFS);
    const pdf = fs.readFileSync(path.join(PDFS, 'tully2010-heart-failure-programmes.pdf'));
    const ref = fs.readFileSync(path.join(PDFS, 'tully2010-heart-failure-programmes.reference.txt'), 'utf8');
    const r = await extractPdf(pdf, 'tully.pdf', { inProcess: readPdf });
    const { precision, recall } = precisionRecall(r.paragraphs.map((p) => p.text).join('\n'), ref);
    assert.ok(precision >= 0.98, `precision ${precision.toFixed(4)}`);
    assert.ok(recall >= 0.98, `recall ${recall.toFixed(4)}`);
    assert.equal(r.meta.title, 'Patient Experiences of Structured Heart Failure Programmes');
    assert.equal(r.meta.year, 2010);
    assert.equal(r.meta.pages, 6);
    // Running headers are gone, hyphenated words rejoined, sections and references found.
    assert.ok(!r.paragraphs.some((p) => /^Rehabilitation Research and Practice \d$/.test(p.text)));
    assert.ok(r.paragraphs.some((p) => p.heading && p.section === 'Methods'));
    const refs = r.paragraphs.filter((p) => p.reference);
    assert.ok(refs.length > 0 && refs.every((p) => p.page >= 5));
    assert.ok(r.paragraphs.every((p) => p.page >= 1 && p.page <= 6));
  });

  it('runs pdf.js in a worker thread with the bundled worker and gets the same text', async function () {
    requireFixture(this, PDFS);
    const pdf = fs.readFileSync(path.join(PDFS, 'datta2010-dvt-complications-review.pdf'));
    const seen: number[] = [];
    const viaWorker = await extractPdf(pdf, 'datta.pdf', { workerFile: builtWorker(), onPage: (p) => seen.push(p) });
    const inProcess = await extractPdf(pdf, 'datta.pdf', { inProcess: readPdf });
    assert.deepEqual(seen, [1, 2, 3, 4]);
    assert.deepEqual(viaWorker.paragraphs, inProcess.paragraphs);
    assert.match(viaWorker.meta.title, /deep venous thrombosis/i);
    // Half of this excerpt is a small-type reference list: the body size must still be the text's.
    const headings = viaWorker.paragraphs.filter((p) => p.heading).map((p) => p.text);
    assert.ok(headings.includes('Introduction') && headings.includes('Methods'), headings.join(' | '));
    assert.ok(headings.every((h) => h.length <= 120), headings.join(' | '));
  });

  it('reads title, authors and year from page 1 when the PDF metadata lacks them', async function () {
    requireFixture(this, PDFS);
    const r = await extractPdf(fs.readFileSync(path.join(PDFS, 'douglas2014-ace-inhibitor-design.pdf')), 'douglas.pdf', { inProcess: readPdf });
    assert.equal(r.meta.title, 'Fragment-based design for the development of N-domain-selective angiotensin-1-converting enzyme inhibitors');
    assert.deepEqual(r.meta.authors.slice(0, 2), ['Ross G. Douglas', 'Rajni K. Sharma']);
    assert.equal(shortLabel(r.meta, 'douglas.pdf'), 'Douglas et al. 2014');
  });

  it('cancels: the worker is stopped and the error says so', async function () {
    const pdf = makePdf(Array.from({ length: 300 }, (_, i) => ({ lines: [`Page ${i + 1} text about anticoagulation and bleeding risk.`] })));
    const c = new AbortController();
    const p = extractPdf(pdf, 'big.pdf', { workerFile: builtWorker(), signal: c.signal, onPage: (n) => n === 5 && c.abort() });
    await assert.rejects(p, (e: unknown) => e instanceof PdfError && e.kind === 'cancelled');
  });

  const failure = async (bytes: Uint8Array, password?: string): Promise<PdfError> => {
    try {
      await extractPdf(bytes, 'x.pdf', { inProcess: readPdf, password });
    } catch (e) {
      assert.ok(e instanceof PdfError, String(e));
      return e;
    }
    assert.fail('expected a PdfError');
  };

  it('says what is wrong with empty, truncated and garbage files', async function () {
    const good = makePdf([{ lines: ['Warfarin dosing in atrial fibrillation.'] }]);
    assert.equal((await failure(new Uint8Array())).kind, 'empty');
    assert.equal((await failure(good.subarray(0, 40))).kind, 'corrupt');
    assert.equal((await failure(Buffer.from('this is a text file renamed to .pdf\n'.repeat(20)))).kind, 'corrupt');
  });

  it('says an encrypted file needs a password, a wrong one is wrong, and reads it with the right one (qpdf; fails with CI=true when qpdf is missing)', async function () {
    const dir = tmpDir('medgemma-enc-');
    fs.writeFileSync(path.join(dir, 'plain.pdf'), makePdf([{ lines: ['Warfarin dosing in atrial fibrillation.'] }]));
    encryptWithQpdf(this, path.join(dir, 'plain.pdf'), path.join(dir, 'enc.pdf'), 'secret');
    const enc = fs.readFileSync(path.join(dir, 'enc.pdf'));
    assert.doesNotMatch(Buffer.from(enc).toString('latin1'), /Warfarin/, 'qpdf wrote an unencrypted copy');
    const e1 = await failure(enc);
    assert.equal(e1.kind, 'encrypted');
    assert.match(e1.message, /password/);
    assert.equal((await failure(enc, 'wrong')).kind, 'wrong-password');
    const ok = await extractPdf(enc, 'enc.pdf', { inProcess: readPdf, password: 'secret' });
    assert.match(ok.paragraphs.map((p) => p.text).join(' '), /Warfarin dosing/);
  });

  it('flags image-only pages as needing OCR and indexes no text from them', async () => {
    const pdf = makePdf([{ image: true }, { image: true }, { lines: ['Short caption page with some real words in it for the test.'] }]);
    const r = await extractPdf(pdf, 'scan.pdf', { inProcess: readPdf });
    assert.deepEqual(r.ocrPages, [1, 2]);
    assert.ok(r.paragraphs.every((p) => p.page === 3));
  });
});

describe('papers: layout', () => {
  it('rejoins words hyphenated at a line end, not real hyphens before capitals', () => {
    assert.equal(joinLines('the manage-', 'ment of'), 'the management of');
    assert.equal(joinLines('non-', 'Hodgkin'), 'non- Hodgkin');
    assert.equal(joinLines('heart', 'failure'), 'heart failure');
  });

  it('removes running headers and page numbers repeated on most pages', () => {
    const line = (text: string, y: number) => ({ text, x: 50, y, size: 10 });
    const pages = [1, 2, 3, 4].map((n) => ({
      page: n,
      height: 800,
      lines: [line(n % 2 ? `Journal of Tests ${n}` : `${n} Journal of Tests`, 780), line(`Body text of page ${n}.`, 700), line(String(n), 20)],
    }));
    const out = removeRunningLines(pages);
    assert.deepEqual(out.map((p) => p.lines.map((l) => l.text)), [1, 2, 3, 4].map((n) => [`Body text of page ${n}.`]));
  });
});
