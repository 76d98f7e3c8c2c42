// Detection must stay linear whatever the input: every regex runs on a bounded block, so the
// work is bounded by construction; these tests check the bound by counting, not by a clock.
import * as assert from 'node:assert/strict';
import { BLOCK, blocksOf, detect, OVERLAP } from '../../../src/core/privacy/detect';

function assertBoundedBlocks(text: string): void {
  const blocks = blocksOf(text);
  let scanned = 0;
  let covered = 0;
  for (const [s, e] of blocks) {
    assert.ok(e - s <= BLOCK, 'no regex sees more than a block');
    assert.ok(s <= covered, 'blocks leave no gap');
    covered = Math.max(covered, e);
    scanned += e - s;
  }
  assert.equal(covered, text.length);
  // Overlap costs at most OVERLAP per block: the total stays a constant factor of the input.
  assert.ok(scanned <= text.length * (BLOCK / (BLOCK - OVERLAP)) + BLOCK, `scanned ${scanned} of ${text.length}`);
}

describe('privacy: hostile input', function () {
  // A backstop only: the assertions above are what prove the bound.
  this.timeout(60000);

  it('splits a 1 MB line of digits and separators into bounded blocks and finishes', () => {
    const unit = '12/3-45.6 789-01-2345 (555) 010-';
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length)).slice(0, 1_000_000);
    assertBoundedBlocks(text);
    const spans = detect(text);
    for (const s of spans) assert.equal(text.slice(s.start, s.end), s.text);
  });

  it('handles many candidate spans (every word a capitalized name cue)', () => {
    const text = 'Dr. Ab Cd, MD; Mrs. Ef Gh; son Ij Kl; '.repeat(10_000);
    assertBoundedBlocks(text);
    const spans = detect(text);
    assert.ok(spans.length > 10_000);
  });

  it('keeps blocks at line ends for ordinary notes', () => {
    const text = 'Line with MRN 12345678 and Dr. Brandt\n'.repeat(5000);
    for (const [s, e] of blocksOf(text)) {
      assert.ok(s === 0 || text[s - 1] === '\n');
      assert.ok(e === text.length || text[e - 1] === '\n');
    }
    assert.equal(detect(text).filter((s) => s.type === 'MRN').length, 5000);
  });
});
