import * as assert from 'node:assert/strict';
import { blockFor, formatLine, numberNote, splitLines, subNote } from '../../../src/core/notes/numbering';
import { fixtureNote } from './fixtures';

describe('notes/numbering', () => {
  const text = 'HEADER\n\nfirst fact\r\nsecond   fact\n   \nthird fact\n';

  it('numbers every non-blank line with its original number and drops blank lines', () => {
    const n = numberNote(text);
    assert.equal(n.start, 1);
    assert.equal(n.end, 7); // the trailing newline leaves an empty 7th line, as in an editor
    assert.equal(n.totalLines, 7);
    assert.equal(n.block, 'L1: HEADER\nL3: first fact\nL4: second  fact\nL6: third fact');
    assert.equal(n.lines.get(4), 'second   fact', 'the checker sees the original text');
    assert.equal(n.lines.get(2), '');
  });

  it('keeps original numbers for a range of the file', () => {
    const n = numberNote(text, [3, 4]);
    assert.deepEqual([n.start, n.end, n.totalLines], [3, 4, 7]);
    assert.equal(n.block, 'L3: first fact\nL4: second  fact');
    assert.deepEqual([...n.lines.keys()], [3, 4]);
  });

  it('clamps a range that ends past the last line and rejects impossible ones readably', () => {
    assert.equal(numberNote(text, [6, 99]).end, 7);
    assert.throws(() => numberNote(text, [9, 12]), /starts after the end of the note \(7 lines\)/);
    assert.throws(() => numberNote(text, [4, 2]), RangeError);
    assert.throws(() => numberNote(text, [0, 2]), RangeError);
  });

  it('splits lines like an editor (\\r\\n, \\r, \\n) and ignores a BOM', () => {
    assert.deepEqual(splitLines('\uFEFFa\r\nb\rc\nd'), ['a', 'b', 'c', 'd']);
  });

  it('shortens separators and column padding but not words', () => {
    assert.equal(formatLine(5, '='.repeat(78)), `L5: ${'='.repeat(10)}`);
    assert.equal(formatLine(6, 'WBC (K/uL)        -    24.6 H'), 'L6: WBC (K/uL)  -  24.6 H');
    assert.equal(formatLine(7, ' \t '), undefined);
  });

  it('gives sub-notes and blocks of a range with the same numbering', () => {
    const n = numberNote(text);
    assert.equal(blockFor(n, 4, 6), 'L4: second  fact\nL6: third fact');
    const part = subNote(n, 3, 4);
    assert.deepEqual([part.start, part.end, part.totalLines], [3, 4, 7]);
    assert.equal(part.block, 'L3: first fact\nL4: second  fact');
  });

  it('numbers a fixture note so that L<n> is line n of the file', function () {
    const note = fixtureNote(this, 'ed-chest-pain.txt');
    const n = numberNote(note, [96, 111]);
    const l97 = n.block.split('\n').find((l) => l.startsWith('L97: '));
    assert.equal(l97, `L97: ${note.split('\n')[96]}`);
    assert.ok(n.block.startsWith('L96: ASSESSMENT AND PLAN'));
    assert.ok(!/^L(9[0-5]|11[2-9]):/m.test(n.block), 'nothing outside the range');
  });
});
