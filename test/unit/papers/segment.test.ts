// The segment index (core/papers/bm25): the binary format read back, read as hostile, merged,
// and searched across segments with masked docs exactly as one index of the live docs.
import * as assert from 'node:assert/strict';
import { IndexView } from '../../../src/core/papers/bm25/search';
import { chunkNumber, fieldTf, Segment, SegmentFormatError, SECTION, TEXT, TITLE } from '../../../src/core/papers/bm25/segment';
import type { Chunk } from '../../../src/core/papers/types';

const chunk = (paperId: string, n: number, text: string, section = ''): Chunk => ({ id: `${paperId}#${n}`, paperId, pageStart: 1, pageEnd: 1, section, text });

const PAPERS = [
  { id: 'a', title: 'Warfarin dosing', chunks: [chunk('a', 0, 'Warfarin dosing by INR in atrial fibrillation.'), chunk('a', 1, 'Bleeding events were rare.', 'Results')] },
  { id: 'b', title: 'Ödem und Herzinsuffizienz', chunks: [chunk('b', 0, 'Periphere Ödeme bei Herzinsuffizienz; β-Blocker senken die Mortalität.')] },
  { id: 'c', title: '心力衰竭', chunks: [chunk('c', 0, '心力衰竭 患者 warfarin 出血'), chunk('c', 1, 'Heart failure and 𝛽 agonists (astral letter).')] },
  { id: 'd', title: 'Sepsis', chunks: [chunk('d', 0, 'Sepsis bundles within one hour lowered mortality in sepsis.'), chunk('d', 1, 'Lactate predicted mortality.')] },
];

function build(papers = PAPERS): Segment {
  return Segment.build(papers.map((p) => ({ paper: { id: p.id, chunkFile: `${p.id}-1.json` }, title: p.title, chunks: p.chunks })));
}

/** A copy of the bytes with one u32 (by word index) replaced. */
function withWord(bytes: Uint8Array, word: number, value: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  new DataView(copy.buffer).setUint32(word * 4, value, true);
  return copy;
}

const header = (bytes: Uint8Array) => {
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  const [, , d, t, p] = [0, 1, 2, 3, 4].map((i) => v.getUint32(i * 4, true));
  return { d, t, p, termStart: 8 + 5 * d, postStart: 8 + 5 * d + t + 1, postDoc: 8 + 5 * d + 2 * (t + 1), postTf: 8 + 5 * d + 2 * (t + 1) + p };
};

describe('papers: index segments', () => {
  it('reads back what it wrote: papers, docs, field lengths, every term (non-Latin and astral included)', () => {
    const seg = build();
    const back = Segment.read(new Uint8Array(seg.bytes));
    assert.deepEqual(back.papers, PAPERS.map((p) => ({ id: p.id, chunkFile: `${p.id}-1.json` })));
    assert.equal(back.docs, 7);
    assert.deepEqual([...back.chunkOf], [0, 1, 0, 0, 1, 0, 1]);
    assert.deepEqual([...back.paperOf], [0, 0, 1, 2, 2, 3, 3]);
    // Distinct raw pieces: "Warfarin dosing" → 2; no section → 1 (the empty piece); the text
    // → 8 with its empty end; "Results" → 1; "Bleeding events were rare." → 5.
    assert.deepEqual([...back.fieldLen.subarray(0, 6)], [2, 1, 8, 2, 1, 5]);
    for (const term of ['warfarin', 'ödem', 'ödeme', 'herzinsuffizienz', 'blocker', '心力衰竭', '𝛽', 'mortalität', 'inr']) {
      assert.ok(back.find(Buffer.from(term)) >= 0, term);
      assert.equal(back.term(back.find(Buffer.from(term))), term);
    }
    for (const term of ['warfari', 'zzz', '', 'the']) assert.equal(back.find(Buffer.from(term)), -1, term);
    // Terms sorted by their UTF-8 bytes, so the binary search finds all of them.
    const all = Array.from({ length: back.termCount }, (_, i) => Buffer.from(back.term(i)));
    for (let i = 1; i < all.length; i++) assert.ok(Buffer.compare(all[i - 1], all[i]) < 0, `${all[i - 1]} before ${all[i]}`);
  });

  it('keeps each field’s count apart, and caps a count at its field’s width', () => {
    const seg = Segment.build([{ paper: { id: 'x' }, title: Array(300).fill('lactate').join(' '), chunks: [chunk('x', 0, Array(70_000).fill('lactate').join(' '), 'Lactate lactate')] }]);
    const t = seg.find(Buffer.from('lactate'));
    const packed = seg.postTf[seg.postStart[t]];
    assert.equal(fieldTf(packed, TITLE), 255);
    assert.equal(fieldTf(packed, SECTION), 2);
    assert.equal(fieldTf(packed, TEXT), 65_535);
  });

  it('a chunk\'s number is the whole number after its last "#"; anything else is 0', () => {
    assert.deepEqual(['a#3', 'a#b#12', 'a#0', 'a#-1', 'a#1.5', 'a#x', 'a'].map(chunkNumber), [3, 12, 0, 0, 0, 0, 0]);
  });

  it('reads a segment from bytes at an odd offset (a small file in Node’s buffer pool)', () => {
    const seg = build();
    const shifted = new Uint8Array(seg.bytes.byteLength + 1);
    shifted.set(seg.bytes, 1);
    const back = Segment.read(shifted.subarray(1));
    assert.equal(back.find(Buffer.from('sepsis')) >= 0, true);
  });

  describe('hostile bytes are refused, never trusted', () => {
    const good = build().bytes;
    const h = header(good);
    // The first posting of a word found in several docs (its second posting follows it).
    const seg = build();
    const warfarin = seg.postStart[seg.find(Buffer.from('warfarin'))];
    // Its first term ("aaa") is in both docs: its postings can start at 1 and still end after.
    const twoDocs = Segment.build([{ paper: { id: 'x' }, title: '', chunks: [chunk('x', 0, 'aaa one'), chunk('x', 1, 'aaa two')] }]).bytes;
    // Each refusal names the check that caught it: a case caught by an earlier check by chance
    // would hide a missing one.
    const cases: [string, Uint8Array, string][] = [
      ['empty', new Uint8Array(0), 'too short'],
      ['truncated header', new Uint8Array(good.subarray(0, 20)), 'too short'],
      ['a header alone', new Uint8Array(good.subarray(0, 32)), 'sizes do not add up'],
      ['truncated body', good.subarray(0, good.byteLength - 1), 'sizes do not add up'],
      ['one byte more', new Uint8Array([...good, 0]), 'sizes do not add up'],
      ['wrong magic', withWord(good, 0, 0x12345678), 'wrong magic'],
      ['a future version', withWord(good, 1, 2), 'version 2'],
      ['docs count inflated', withWord(good, 2, 0xffffffff), 'sizes do not add up'],
      ['terms count inflated', withWord(good, 3, 1 << 30), 'sizes do not add up'],
      ['doc of an unknown paper', withWord(good, 8, 99), 'doc paper'],
      ['doc of the paper one past the last', withWord(good, 8 + h.d - 1, PAPERS.length), 'doc paper'],
      ['term bytes not starting at 0', withWord(good, h.termStart, 1), 'offsets'],
      ['term bytes out of order', withWord(good, h.termStart + 1, 0), 'offsets'],
      ['term bytes past the end', withWord(good, h.termStart + h.t, 1 << 20), 'offsets'],
      ['postings not starting at 0', withWord(twoDocs, header(twoDocs).postStart, 1), 'offsets'],
      ['a term without postings', withWord(good, h.postStart + 1, 0), 'offsets'],
      ['postings past the end', withWord(good, h.postStart + h.t, h.p + 1), 'offsets'],
      ['a posting of a doc that does not exist', withWord(good, h.postDoc, h.d), 'postings'],
      ['postings not ascending', withWord(good, h.postDoc + warfarin + 1, 0), 'postings'],
    ];
    for (const [name, bytes, why] of cases) {
      it(name, () => assert.throws(() => Segment.read(bytes), (e) => e instanceof SegmentFormatError && e.message === `not a papers index segment (${why})`));
    }
    it('a papers list that is not a list of ids', () => {
      // Four entries, as the docs need: only the entry's shape is wrong.
      for (const list of ['{"id":"a"}', '[{"id":1},{"id":"b"},{"id":"c"},{"id":"d"}]', '[{"id":"a","chunkFile":7},{"id":"b"},{"id":"c"},{"id":"d"}]', '[null,{"id":"b"},{"id":"c"},{"id":"d"}]', 'not json']) {
        const seg = build();
        const json = Buffer.from(list);
        const pj = Buffer.from(JSON.stringify(seg.papers)).length;
        const bytes = new Uint8Array(seg.bytes.byteLength - pj + json.length);
        bytes.set(seg.bytes.subarray(0, seg.bytes.byteLength - pj));
        bytes.set(json, seg.bytes.byteLength - pj);
        assert.throws(() => Segment.read(withWord(bytes, 6, json.length)), { message: 'not a papers index segment (papers list)' }, list);
      }
    });
    it('a planted papers list carries no prototype keys or extra fields into the index', () => {
      const seg = Segment.build([{ paper: { id: '__proto__', chunkFile: 'x.json', extra: '<script>' } as never, title: '', chunks: [chunk('__proto__', 0, 'Warfarin.')] }]);
      assert.deepEqual(Object.keys(seg.papers[0]), ['id', 'chunkFile']);
      assert.equal(new IndexView([{ seg }]).search('warfarin', 1)[0].paperId, '__proto__');
    });
  });

  describe('searching several segments with masked docs', () => {
    it('scores exactly as one index of the live docs: document count, average lengths and word frequencies count live docs only', () => {
      const all = build();
      const extra = Segment.build([{ paper: { id: 'e', chunkFile: 'e-1.json' }, title: 'Warfarin bleeding', chunks: [chunk('e', 0, 'Warfarin bleeding in the elderly: mortality rose.')] }]);
      // Paper b and chunk 1 of d masked in the first segment.
      const live = new Uint8Array([1, 1, 0, 1, 1, 1, 0]);
      const view = new IndexView([{ seg: all, live }, { seg: extra }]);
      const dTrimmed = { ...PAPERS[3], chunks: [PAPERS[3].chunks[0]] };
      const reference = IndexView.of([PAPERS[0], PAPERS[2], dTrimmed, { id: 'e', title: 'Warfarin bleeding', chunks: [chunk('e', 0, 'Warfarin bleeding in the elderly: mortality rose.')] }]);
      assert.equal(view.size, 6);
      assert.equal(reference.size, 6);
      for (const q of ['warfarin bleeding', 'mortality', 'heart failure warfarin', 'herzinsuffizienz', 'lactate', 'sepsis sepsis mortality']) {
        const a = view.search(q, 10);
        const b = reference.search(q, 10);
        assert.deepEqual(
          a.map((x) => [x.id, x.score.toFixed(12), x.coverage]),
          b.map((x) => [x.id, x.score.toFixed(12), x.coverage]),
          q,
        );
      }
      assert.deepEqual(view.search('herzinsuffizienz', 5), [], 'a masked paper is never found');
      assert.deepEqual(view.search('lactate', 5), [], 'a masked chunk is never found');
    });

    it('a merge of the live docs is the same index, and leaves papers without live docs out', () => {
      const all = build();
      const live = new Uint8Array([1, 1, 0, 1, 1, 1, 0]);
      const merged = Segment.merge([{ seg: all, live }, { seg: build([PAPERS[1]]) }]);
      assert.deepEqual(merged.papers.map((p) => p.id), ['a', 'c', 'd', 'b']);
      assert.deepEqual([...merged.chunkOf], [0, 1, 0, 1, 0, 0]);
      const before = new IndexView([{ seg: all, live }, { seg: build([PAPERS[1]]) }]);
      const after = new IndexView([{ seg: Segment.read(new Uint8Array(merged.bytes)) }]);
      for (const q of ['warfarin', 'ödem herzinsuffizienz', 'mortality sepsis', '心力衰竭']) {
        assert.deepEqual(after.search(q, 10), before.search(q, 10), q);
      }
      assert.equal(Segment.merge([{ seg: all, live: new Uint8Array(7) }]).docs, 0);
    });

    it('repeated question words count again; the matched-words factor and the coverage use distinct words', () => {
      const view = IndexView.of([PAPERS[3]]);
      const once = view.search('sepsis mortality', 1)[0];
      const twice = view.search('sepsis sepsis mortality', 1)[0];
      assert.equal(once.id, 'd#0');
      assert.equal(once.coverage, 1);
      assert.equal(twice.coverage, 1);
      assert.ok(twice.score > once.score);
      const partial = view.search('sepsis warfarin', 1)[0];
      assert.equal(partial.coverage, 0.5);
    });

    it('keeps to the papers asked for, returns at most k, nothing for an empty question', () => {
      const view = IndexView.of(PAPERS);
      assert.deepEqual(view.search('mortality', 10, new Set(['d'])).map((h) => h.paperId), ['d', 'd']);
      assert.equal(view.search('warfarin mortality', 2).length, 2);
      assert.deepEqual(view.search('warfarin', 0), []);
      assert.deepEqual(view.search('the and of', 5), []);
      assert.deepEqual(new IndexView([]).search('warfarin', 5), []);
      const ranked = view.search('warfarin mortality bleeding', 10);
      for (let i = 1; i < ranked.length; i++) assert.ok(ranked[i - 1].score >= ranked[i].score);
    });
  });
});
