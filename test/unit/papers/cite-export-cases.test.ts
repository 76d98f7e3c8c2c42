// Citation export case by case (core/papers/cite-export.ts): how a name becomes family and
// given, how a key is made, and what stands in for missing metadata. The survivors of the
// 2026-12-07 mutation run, each pinned by the case that tells it apart.
import * as assert from 'node:assert/strict';
import { exportCitations, toBibtex, toCslJson } from '../../../src/core/papers/cite-export';
import type { PaperMeta, PaperRecord } from '../../../src/core/papers/types';

const rec = (meta: PaperMeta | undefined, file = '/papers/x.pdf'): PaperRecord => ({ id: 'i', file, hash: '', size: 0, mtimeMs: 0, state: 'indexed', meta, chunks: 1, extractor: 'x' });
const meta = (over: Partial<PaperMeta>): PaperMeta => ({ title: 'Heart failure', authors: [], year: 2010, pages: 1, ...over });
const authorsOf = (authors: string[], zotero = false) => JSON.parse(toCslJson([rec(meta({ authors, ...(zotero ? { zotero: { key: 'K', library: 1 } } : {}) }))]))[0].author;
const keyOf = (m: PaperMeta | undefined) => /^@\w+\{([^,]*),/.exec(toBibtex([rec(m)]))?.[1];

describe('papers: citation export, case by case', () => {
  it('"Last, First" is split at the comma and each side trimmed; a name ending in a comma has no given name', () => {
    assert.deepEqual(authorsOf(['  Tully ,  Mark ']), [{ family: 'Tully', given: 'Mark' }]);
    assert.deepEqual(authorsOf(['Tully,']), [{ family: 'Tully' }]);
  });

  it('a name starting with a comma is not "Last, First": its last word is the family name', () => {
    assert.deepEqual(authorsOf([', Mark Tully']), [{ family: 'Tully', given: ', Mark' }]);
  });

  it('a one-word name from a PDF is kept whole, spaces around it or not', () => {
    assert.deepEqual(authorsOf(['Plato', ' Plato ']), [{ literal: 'Plato' }, { literal: 'Plato' }]);
  });

  it('"First Middle Last" from a PDF: the last word is the family name, the others the given names, one space between', () => {
    assert.deepEqual(authorsOf(['Anna  Maria \t Müller']), [{ family: 'Müller', given: 'Anna Maria' }]);
  });

  it('a Zotero name without a comma is an institution, kept whole', () => {
    assert.deepEqual(authorsOf(['World Health Organization'], true), [{ literal: 'World Health Organization' }]);
  });

  it('the key: first family name, year and the first title word longer than three letters, in lower case', () => {
    assert.equal(keyOf(meta({ authors: ['Tully, Mark'], title: 'The big heart study' })), 'tully2010heart');
    assert.equal(keyOf(meta({ authors: ['"Tully", Mark'], title: 'Heart' })), 'tully2010heart', 'punctuation before the name does not make it "paper"');
    assert.equal(keyOf(meta({ authors: [], title: 'Heart' })), 'paper2010heart');
    assert.equal(keyOf(undefined), 'paper');
  });

  it('the key is at most 60 characters', () => {
    const key = keyOf(meta({ authors: [`${'Longname'.repeat(10)}, A`] }));
    assert.equal(key, 'longname'.repeat(10).slice(0, 60));
  });

  it('control characters in a value become spaces', () => {
    assert.match(toBibtex([rec(meta({ title: 'Heart\nfailure\u0007now' }))]), /title = \{Heart failure now\}/);
  });

  it('no metadata: the file name is the title (either slash), no author, a misc entry', () => {
    assert.equal(toBibtex([rec(undefined, 'C:\\papers\\tully 2010.pdf')]), '@misc{paper,\n  title = {tully 2010.pdf}\n}\n');
    assert.equal(toBibtex([rec(undefined, '/papers/')]), '@misc{paper,\n  title = {}\n}\n');
    assert.deepEqual(JSON.parse(toCslJson([rec(undefined, '/papers/')])), [{ id: 'paper', type: 'article', title: '' }]);
  });

  it('an empty author list writes no author field', () => {
    assert.doesNotMatch(toBibtex([rec(meta({ authors: [] }))]), /author/);
  });

  it('exportCitations writes the format asked for', () => {
    const papers = [rec(meta({ authors: ['Tully, Mark'] }))];
    assert.equal(exportCitations(papers, 'bibtex'), toBibtex(papers));
    assert.equal(exportCitations(papers, 'csl-json'), toCslJson(papers));
  });
});
