import * as assert from 'node:assert/strict';
import type { Citation } from '../../../src/core/papers/ask';
import { paperPageHref, parsePaperPageHref } from '../../../src/core/papers/page-href';
import { parseSourceMap, sourceMapComment } from '../../../src/core/papers/render';

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

describe('papers: the source map of an answer document', () => {
  const cite = (key: string, chunkId: string, label: string, pageStart: number, pageEnd = pageStart) =>
    ({ key, chunkId, label, pageStart, pageEnd, title: 't', text: '' }) as unknown as Citation;

  it('round-trips each source, with the citation text as the document shows it', () => {
    const sources = [cite('S1', '0123456789abcdef#3', 'Tully 2010', 3, 4), cite('S2', 'fedcba9876543210#0', 'O"Brien_et al 2021', 1)];
    const doc = `# Papers answer\n\n(Tully 2010, pp. 3–4)\n\n${sourceMapComment(sources)}`;
    assert.deepEqual(parseSourceMap(doc), [
      { chunkId: '0123456789abcdef#3', page: 3, text: 'Tully 2010, pp. 3–4' },
      { chunkId: 'fedcba9876543210#0', page: 1, text: 'O"Brien\\_et al 2021, p. 1' },
    ]);
  });

  it('ignores documents without a map and lines that were edited into something else', () => {
    assert.deepEqual(parseSourceMap('# notes\n\nTully 2010, p. 3'), []);
    const doc = '<!-- medgemma-papers-sources\n../etc/passwd 3 "x"\n0123456789abcdef#3 3 "Tully 2010, p. 3"\n-->';
    assert.deepEqual(parseSourceMap(doc), [{ chunkId: '0123456789abcdef#3', page: 3, text: 'Tully 2010, p. 3' }]);
  });
});
