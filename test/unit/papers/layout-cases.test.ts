// Page layout case by case (core/papers/layout.ts): the survivors of the 2026-12-07 mutation
// run, each pinned by the case that tells it apart.
import * as assert from 'node:assert/strict';
import { bodySize, removeRunningLines, toParagraphs, type PageLines } from '../../../src/core/papers/layout';
import type { RawLine } from '../../../src/core/papers/worker-protocol';

const line = (text: string, y: number, size = 10): RawLine => ({ text, x: 50, y, size });
const down = (texts: string[], y = 600, size = 10): RawLine[] => texts.map((t, i) => line(t, y - 10 * i, size));
const pg = (page: number, lines: RawLine[]): PageLines => ({ page, height: 800, lines });

describe('papers: page layout, case by case', () => {
  it('"Page7 of 12" and "Page7/12" (no space after "Page", as some PDFs give it) are page numbers', () => {
    for (const t of ['Page7 of 12', 'Page7/12']) {
      const number = line(t, 40);
      assert.equal(removeRunningLines([pg(1, [...down(['alpha', 'beta', 'gamma', 'delta']), number])])[0].lines.includes(number), false, t);
    }
  });

  it('the body size of a document of one-letter lines is their size, not the default', () => {
    assert.equal(bodySize([pg(1, [line('x', 600, 12)])]), 12);
  });

  it('a numbered heading loses its whole number: "12. Discussion", "2.10 Statistical analysis"', () => {
    const body = down(Array.from({ length: 6 }, () => 'Body text of the paper goes on here.'), 500);
    const sections = toParagraphs([pg(1, [line('12. Discussion', 620), ...body]), pg(2, [line('2.10 Statistical analysis', 620, 14), ...body])])
      .filter((p) => p.heading)
      .map((p) => p.section);
    assert.deepEqual(sections, ['Discussion', 'Statistical analysis']);
  });
});
