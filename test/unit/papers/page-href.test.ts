import * as assert from 'node:assert/strict';
import { paperPageHref, parsePaperPageHref } from '../../../src/core/papers/page-href';

describe('papers: citation links in the chat', () => {
  it('round-trips a chunk and page', () => {
    const href = paperPageHref({ chunkId: '0123456789abcdef#42', pageStart: 7 });
    assert.equal(href, 'medgemma-paper:0123456789abcdef%2342?page=7');
    assert.deepEqual(parsePaperPageHref(href), { chunkId: '0123456789abcdef#42', page: 7 });
  });

  it('refuses anything that is not exactly a paper link', () => {
    for (const href of [
      'https://example.org/',
      'medgemma-paper:../../etc/passwd%230?page=1',
      'medgemma-paper:0123456789ABCDEF%230?page=1',
      'medgemma-paper:0123456789abcdef%230?page=1&x=2',
      'medgemma-paper:0123456789abcdef#0?page=1',
      'medgemma-paper:0123456789abcdef%230',
      'MEDGEMMA-PAPER:0123456789abcdef%230?page=1x',
    ]) {
      assert.equal(parsePaperPageHref(href), undefined, href);
    }
  });

  it('clamps page 0 to the first page', () => {
    assert.equal(parsePaperPageHref('medgemma-paper:0123456789abcdef%230?page=0')?.page, 1);
  });
});
