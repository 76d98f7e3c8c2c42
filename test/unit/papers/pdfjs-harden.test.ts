// pdfjs-harden.ts as the shipped worker runs it: a large document with a flat page tree is
// read from one list of its pages, and every page still gets its own text.
import * as assert from 'node:assert/strict';
import { extractPdf } from '../../../src/core/papers/extract';
import { builtWorker, makePdf } from './make-pdf';

const DRUGS = 'aspirin heparin warfarin insulin statin digoxin furosemide metformin amiodarone clopidogrel apixaban'.split(' ');
/** A phrase unique to page n in words, not digits (lines that differ only in digits are running headers). */
const name = (n: number) => [Math.floor(n / 121) % 11, Math.floor(n / 11) % 11, n % 11].map((d) => DRUGS[d]).join(' ');

describe('papers: pdf.js hardening (shipped worker)', function () {
  this.timeout(120_000);

  it('every page of a 300-page flat page tree keeps its own text', async () => {
    const pages = Array.from({ length: 300 }, (_, i) => ({ lines: ['', '', '', '', `Marker ${name(i + 1)} opens this page of the trial report.`, `Dose groups for ${name(i + 1)} were compared with placebo over twelve weeks.`] }));
    const x = await extractPdf(makePdf(pages), 'flat.pdf', { workerFile: builtWorker() });
    assert.equal(x.meta.pages, 300);
    const pageOf = new Map(pages.map((_, i) => [name(i + 1), i + 1]));
    const seen = new Set<string>();
    for (const p of x.paragraphs) {
      for (const m of p.text.matchAll(/Marker (\w+ \w+ \w+) opens/g)) {
        assert.equal(p.page, pageOf.get(m[1]), `the text of page ${pageOf.get(m[1])} was found on page ${p.page}`);
        seen.add(m[1]);
      }
    }
    assert.equal(seen.size, 300);
  });
});
