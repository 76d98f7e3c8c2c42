// BibTeX and CSL-JSON of cited papers (core/papers/cite-export.ts): the fields a reference
// manager reads, and metadata built to break out of a BibTeX field or the JSON.
import * as assert from 'node:assert/strict';
import { toBibtex, toCslJson } from '../../../src/core/papers/cite-export';
import type { PaperRecord } from '../../../src/core/papers/types';

const rec = (id: string, meta: PaperRecord['meta'], file = `/papers/${id}.pdf`): PaperRecord => ({ id, file, hash: '', size: 0, mtimeMs: 0, state: 'indexed', meta, chunks: 1, extractor: 'x' });

const TULLY = rec('a', { title: 'Patient experiences of heart failure programmes', authors: ['Tully, Mark', 'Doe, Jane'], year: 2010, pages: 6, journal: 'Heart', doi: '10.1136/hrt.2010.1', zotero: { key: 'K', library: 1 } });
const WHO = rec('b', { title: 'Global report', authors: ['World Health Organization'], year: 2021, pages: 3, zotero: { key: 'L', library: 1 } });
const PDF = rec('c', { title: 'Über Ödeme', authors: ['Anna Müller', 'Bo Li'], year: 2010, pages: 4 });

describe('papers: citation export', () => {
  it('BibTeX: key, type, title, authors as "Last, First" and an institution braced whole, year, journal, DOI', () => {
    assert.equal(
      toBibtex([TULLY, WHO]),
      [
        '@article{tully2010patient,',
        '  title = {Patient experiences of heart failure programmes},',
        '  author = {Tully, Mark and Doe, Jane},',
        '  year = {2010},',
        '  journal = {Heart},',
        '  doi = {10.1136/hrt.2010.1}',
        '}',
        '',
        '@misc{world2021global,',
        '  title = {Global report},',
        '  author = {{World Health Organization}},',
        '  year = {2021}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keys are ASCII and unique; a PDF’s "First Last" names split at the last word', () => {
    const out = toBibtex([PDF, PDF, PDF]);
    assert.deepEqual([...out.matchAll(/^@\w+\{([^,]+),/gm)].map((m) => m[1]), ['muller2010uber', 'muller2010uberb', 'muller2010uberc']);
    assert.match(out, /author = \{Müller, Anna and Li, Bo\}/);
    const csl = JSON.parse(toCslJson([PDF]));
    assert.deepEqual(csl[0].author, [{ family: 'Müller', given: 'Anna' }, { family: 'Li', given: 'Bo' }]);
  });

  it('BibTeX: metadata cannot close a field, open an entry or run a command', () => {
    const evil = rec('d', { title: 'A} @misc{pwned, note = {\\input{/etc/passwd}} % $x$ & #_~^', authors: ['Evil}, Mallory{'], year: 2020, pages: 1, journal: '}\n@preamble{"\\write18{rm -rf ~}"}' });
    const out = toBibtex([evil]);
    // Braces balance inside the entry, and no unescaped brace, backslash command or entry start.
    let depth = 0;
    for (const [i, ch] of [...out].entries()) {
      if (out[i - 1] === '\\') continue;
      if (ch === '{') depth++;
      if (ch === '}') depth--;
      assert.ok(depth >= 0, `closed early at ${i}: ${out.slice(0, i + 1)}`);
    }
    assert.equal(depth, 0);
    assert.equal(out.match(/^@/gm)?.length, 1, 'one entry');
    assert.doesNotMatch(out.replace(/\\textbackslash\{\}|\\[{}%&$#_]|\\textasciitilde\{\}|\\textasciicircum\{\}/g, ''), /\\|(?<!^\s*\w+ = |^@\w+)\{(?!\w)/m);
    assert.match(out, /title = \{A\\\} @misc\\\{pwned, note = \\\{\\textbackslash\{\}input\\\{\/etc\/passwd\\\}\\\} \\% \\\$x\\\$ \\& \\#\\_\\textasciitilde\{\}\\textasciicircum\{\}\}/);
  });

  it('CSL-JSON: the fields citeproc reads; anything in the metadata stays a string', () => {
    const csl = JSON.parse(toCslJson([TULLY, WHO, rec('e', undefined, '/papers/"quoted".pdf')]));
    assert.deepEqual(csl[0], {
      id: 'tully2010patient',
      type: 'article-journal',
      title: 'Patient experiences of heart failure programmes',
      author: [{ family: 'Tully', given: 'Mark' }, { family: 'Doe', given: 'Jane' }],
      issued: { 'date-parts': [[2010]] },
      'container-title': 'Heart',
      DOI: '10.1136/hrt.2010.1',
    });
    assert.deepEqual(csl[1].author, [{ literal: 'World Health Organization' }]);
    assert.deepEqual(csl[2], { id: 'paper', type: 'article', title: '"quoted".pdf' });
    assert.equal(toCslJson([]), '[]\n');
    assert.equal(toBibtex([]), '');
  });
});
