import * as assert from 'node:assert/strict';
import { blockFor, numberNote, type NumberedNote } from '../../../src/core/notes/numbering';
import { SEPARATOR, isNoteHeader, isSectionHeading } from '../../../src/core/notes/sections';
import { splitNote, type NotePart } from '../../../src/core/notes/split';
import { fixtureNote, syntheticCourse } from './fixtures';

// A conservative stand-in for a tokenizer: clinical text runs ~3 characters per token.
const count = (text: string) => Math.ceil(text.length / 3);

function assertCoversOnce(note: NumberedNote, parts: NotePart[]): void {
  assert.equal(parts[0].start, note.start);
  assert.equal(parts[parts.length - 1].end, note.end);
  for (let i = 1; i < parts.length; i++) assert.equal(parts[i].start, parts[i - 1].end + 1, `gap or overlap before part ${i + 1}`);
  for (const p of parts) assert.ok(p.start <= p.end);
}

function assertWithinBudget(note: NumberedNote, parts: NotePart[], budget: number): void {
  for (const p of parts) {
    assert.equal(p.tokens, count(blockFor(note, p.start, p.end)), 'tokens are the counter\'s own count');
    assert.ok(p.tokens <= budget, `part ${p.start}-${p.end} has ${p.tokens} > ${budget} tokens`);
  }
}

/** The part begins a new dated note: only blank/separator lines before its header. */
function startsAtNote(note: NumberedNote, p: NotePart): boolean {
  for (let n = p.start; n <= p.end; n++) {
    const t = note.lines.get(n) ?? '';
    if (t.trim() === '' || SEPARATOR.test(t)) continue;
    return isNoteHeader(t);
  }
  return false;
}

function startsAtSection(note: NumberedNote, p: NotePart): boolean {
  const t = note.lines.get(p.start) ?? '';
  return isSectionHeading(t) || (note.lines.get(p.start - 1) ?? '').trim() === '';
}

describe('notes/split', () => {
  it('returns one part when the note fits', async () => {
    const note = numberNote(syntheticCourse(2));
    const parts = await splitNote(note, 100_000, count);
    assert.deepEqual(parts, [{ start: 1, end: note.end, tokens: count(note.block) }]);
  });

  it('cuts a multi-day note before each dated note header, with an async counter', async () => {
    const note = numberNote(syntheticCourse(30));
    const budget = 1500;
    const parts = await splitNote(note, budget, async (t) => count(t));
    assert.ok(parts.length > 3);
    assertCoversOnce(note, parts);
    assertWithinBudget(note, parts, budget);
    for (const p of parts.slice(1)) assert.ok(startsAtNote(note, p), `part ${p.start}-${p.end} starts mid-note`);
  });

  it('cuts at section headings, then blank lines, when a note has no dated headers', async () => {
    const sections = Array.from({ length: 12 }, (_, i) => [`SECTION ${String.fromCharCode(65 + i)}`, 'Finding one with words.', 'Finding two with more words.', '', 'A paragraph of text about the patient.', ''].join('\n'));
    const note = numberNote(sections.join('\n'));
    const parts = await splitNote(note, 60, count);
    assertCoversOnce(note, parts);
    assertWithinBudget(note, parts, 60);
    for (const p of parts.slice(1)) assert.ok(startsAtSection(note, p), `part ${p.start}-${p.end} starts mid-paragraph`);
  });

  it('splits one huge paragraph at line boundaries, and isolates a single line over budget', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `Line ${i + 1}: vitals stable, on room air, tolerating diet, ambulating in hallway.`);
    lines[120] = 'x'.repeat(2000);
    const note = numberNote(lines.join('\n'));
    const budget = 300;
    const parts = await splitNote(note, budget, count);
    assertCoversOnce(note, parts);
    const oversize = parts.filter((p) => p.oversize);
    assert.deepEqual(oversize.map((p) => [p.start, p.end]), [[121, 121]]);
    assertWithinBudget(note, parts.filter((p) => !p.oversize), budget);
  });

  it('keeps original numbering for a range of the file', async () => {
    const note = numberNote(syntheticCourse(20), [40, 250]);
    const parts = await splitNote(note, 800, count);
    assertCoversOnce(note, parts);
    assert.equal(parts[0].start, 40);
    assert.equal(parts[parts.length - 1].end, 250);
    assertWithinBudget(note, parts, 800);
  });

  for (const [context, budget] of [['8k', 6000], ['32k', 30000]] as const) {
    it(`splits icu-course-long.txt for a ${context} context: covered once, within budget, cut between notes`, async function () {
      const note = numberNote(fixtureNote(this, 'icu-course-long.txt'));
      const calls: number[] = [];
      const parts = await splitNote(note, budget, (t) => {
        calls.push(t.length);
        return count(t);
      });
      assertCoversOnce(note, parts);
      assertWithinBudget(note, parts, budget);
      const total = count(note.block);
      // Cutting between notes wastes some room, but not much.
      assert.ok(parts.length >= Math.ceil(total / budget) && parts.length <= Math.ceil((total / budget) * 1.5), `${parts.length} parts for ${total} tokens`);
      for (const p of parts.slice(1)) {
        assert.ok(startsAtNote(note, p) || startsAtSection(note, p), `part ${p.start}-${p.end} starts inside a section`);
      }
      assert.ok(parts.slice(1).filter((p) => startsAtNote(note, p)).length >= (parts.length - 1) * 0.8, 'mostly cut between daily notes');
      assert.ok(calls.length <= parts.length * 2 + 2, `counted ${calls.length} times`);
    });
  }

  it('blank lines alone never make a part: they join the part before (or after, at the start)', async () => {
    const tail = numberNote(`${'x'.repeat(600)}\n\n\n\n`);
    const tailParts = await splitNote(tail, 60, count);
    assert.deepEqual(tailParts, [{ start: 1, end: 5, tokens: count('L1: ' + 'x'.repeat(600)), oversize: true }]);
    const lead = numberNote(`\n\n${'y'.repeat(600)}\nshort\n\n\n`);
    const leadParts = await splitNote(lead, 60, count);
    assertCoversOnce(lead, leadParts);
    assert.deepEqual(leadParts.map((p) => [p.start, p.end, !!p.oversize]), [[1, 3, true], [4, 7, false]]);
  });

  it('a counter far above the estimate (dense text) still gives parts within budget that cover every line once', async () => {
    const note = numberNote(Array.from({ length: 120 }, (_, i) => (i % 7 === 3 ? '' : `Line ${i + 1}: BP 1${i % 10}8/9${i % 10}, HR ${60 + i}`)).join('\n'));
    // Digits cost four times what letters do: the whole-note ratio underestimates the dense parts.
    const dense = (t: string) => Math.ceil(t.replace(/\d/g, '####').length / 3);
    const parts = await splitNote(note, 150, dense);
    assertCoversOnce(note, parts);
    for (const p of parts) assert.ok(p.tokens <= 150, `part ${p.start}-${p.end}: ${p.tokens}`);
    assert.ok(parts.length > 1);
  });

  describe('where the cuts go (one token per character, lines of 41 characters)', () => {
    // Each "L<n>: xx…x" line is 40 characters plus its newline; a 12-line note is about 450 tokens.
    const line = (s: string) => s.padEnd(36, 'x');
    const chars = (t: string) => t.length;
    const cuts = async (lines: string[], budget: number) =>
      (await splitNote(numberNote(lines.join('\n')), budget, chars)).map((p) => [p.start, p.end]);

    it('a dated note header at a third of the part beats a section heading later on', async () => {
      const lines = [line('a1'), line('a2'), line('a3'), line('a4'), '02/14/2024 Progress note', line('b1'), line('b2'), 'PLAN:', line('b3'), line('b4'), line('b5'), line('b6')];
      assert.deepEqual(await cuts(lines, 330), [[1, 4], [5, 12]]);
    });

    it('a header too early to fill 30 % of a part is passed over for a section heading', async () => {
      const lines = [line('a1'), '02/14/2024 Progress note', line('a2'), line('a3'), line('a4'), line('a5'), 'PLAN:', line('b3'), line('b4'), line('b5'), line('b6'), line('b7')];
      assert.deepEqual(await cuts(lines, 330), [[1, 6], [7, 12]]);
    });

    it('a blank line is a cut once the part is 60 % full, and not before', async () => {
      const late = [line('a1'), line('a2'), line('a3'), line('a4'), line('a5'), '', line('b1'), line('b2'), line('b3'), line('b4'), line('b5'), line('b6')];
      assert.deepEqual(await cuts(late, 330), [[1, 6], [7, 12]], 'the paragraph cut, a line before the budget forces one');
      const early = [line('a1'), line('a2'), line('a3'), '', line('a4'), line('a5'), line('a6'), line('a7'), line('b3'), line('b4'), line('b5'), line('b6')];
      assert.deepEqual(await cuts(early, 330), [[1, 7], [8, 12]], 'a paragraph at 3 lines of 6 is too early: cut between lines');
    });

    it('the rule and blank line above a dated header go with the note they introduce', async () => {
      const lines = [line('a1'), line('a2'), line('a3'), line('a4'), line('a5'), '=====', '', '02/14/2024 Progress note', line('a6'), line('a7'), line('b3'), line('b4')];
      assert.deepEqual(await cuts(lines, 330), [[1, 5], [6, 12]]);
    });

    it('parts come out of even size when that takes no more of them; otherwise greedy packing stands', async () => {
      const ten = Array.from({ length: 10 }, (_, i) => line(`n${i}`));
      assert.deepEqual(await cuts(ten, 300), [[1, 5], [6, 10]], 'not 7 lines and then 3');
      // Evening out 10 lines at 170 tokens a part would take four parts instead of three.
      assert.deepEqual(await cuts(ten, 170), [[1, 4], [5, 8], [9, 10]]);
    });
  });

  it('rejects a non-positive budget', async () => {
    await assert.rejects(splitNote(numberNote('a'), 0, count), RangeError);
  });
});
