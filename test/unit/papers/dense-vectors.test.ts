// The parts of search by meaning that need no server: vector files (hostile bytes refused) and
// reciprocal rank fusion.
import * as assert from 'node:assert/strict';
import { fuseRanks, RRF_K } from '../../../src/core/papers/dense/hybrid';
import { modelFolder, topByCosine } from '../../../src/core/papers/dense/dense-index';
import { decodeVectors, encodeVectors, quantize } from '../../../src/core/papers/dense/vector-file';

/** A deterministic unit vector (a small LCG, so the test needs no randomness). */
function unit(dims: number, seed: number): Float32Array {
  const v = new Float32Array(dims);
  let x = seed;
  let n = 0;
  for (let i = 0; i < dims; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    v[i] = x / 2147483648 - 0.5;
    n += v[i] * v[i];
  }
  return v.map((y) => y / Math.sqrt(n));
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('papers: vector files', () => {
  const vs = [unit(384, 1), unit(384, 2), unit(384, 3)];

  it('round-trips, and a quantized cosine stays within 0.01 of the float one', () => {
    const bytes = encodeVectors(quantize(vs));
    assert.equal(bytes.length, 16 + 4 * 3 + 3 * 384, 'a quarter of float32, plus a scale per vector');
    const back = decodeVectors(bytes, 3)!;
    assert.equal(back.dims, 384);
    const q = unit(384, 7);
    for (let r = 0; r < 3; r++) {
      let d = 0;
      for (let i = 0; i < 384; i++) d += back.data[r * 384 + i] * q[i];
      assert.ok(Math.abs(d * back.scales[r] - dot(vs[r], q)) < 0.01, `row ${r}`);
    }
    // A zero vector (a server's answer for nothing) scores 0, never NaN.
    const zero = decodeVectors(encodeVectors(quantize([new Float32Array(4)])), 1)!;
    assert.equal(zero.scales[0], 0);
  });

  it('refuses a file that disagrees with its chunk file or is not whole', () => {
    const good = encodeVectors(quantize(vs));
    assert.equal(decodeVectors(good, 4), undefined, 'another chunk count');
    assert.equal(decodeVectors(good.subarray(0, good.length - 1), 3), undefined, 'truncated');
    assert.equal(decodeVectors(new Uint8Array([...good, 0]), 3), undefined, 'a byte too many');
    assert.equal(decodeVectors(good.subarray(0, 10), 3), undefined, 'shorter than its header');
    const edit = (at: number, set: (v: DataView) => void) => {
      const b = new Uint8Array(good);
      set(new DataView(b.buffer));
      return decodeVectors(b, 3);
    };
    assert.equal(edit(0, (v) => v.setUint32(0, 0x12345678, true)), undefined, 'not our magic');
    assert.equal(edit(4, (v) => v.setUint32(4, 0, true)), undefined, 'no dimensions');
    assert.equal(edit(4, (v) => v.setUint32(4, 1_000_000, true)), undefined, 'a million dimensions');
    assert.equal(edit(12, (v) => v.setUint32(12, 1, true)), undefined, 'reserved field set');
    assert.equal(edit(8, (v) => v.setUint32(8, 4, true)), undefined, 'a count its length does not hold');
    assert.equal(edit(16, (v) => v.setFloat32(16, NaN, true)), undefined, 'a NaN scale');
    assert.equal(edit(16, (v) => v.setFloat32(16, 5, true)), undefined, 'a scale no unit vector has');
    assert.ok(edit(16, () => undefined), 'the unedited copy reads');
  });

  it('names a model folder readably and uniquely, without path tricks', () => {
    assert.match(modelFolder('BAAI/bge-m3'), /^BAAI_bge-m3-[0-9a-f]{8}$/);
    assert.match(modelFolder('my  model:v2'), /^my_model_v2-[0-9a-f]{8}$/, 'a run of other characters is one underscore');
    assert.match(modelFolder('x'.repeat(100)), /^x{60}-[0-9a-f]{8}$/, 'at most 60 readable characters');
    assert.notEqual(modelFolder('a/b'), modelFolder('a_b'), 'names that clean up alike stay apart');
    for (const hostile of ['../../etc', '..', '/', '', 'a\\..\\b']) {
      const f = modelFolder(hostile);
      assert.match(f, /^[A-Za-z0-9-][A-Za-z0-9._-]*-[0-9a-f]{8}$/, `${hostile} -> ${f}: one plain name, never a path`);
    }
  });
});

describe('papers: the closest passages (topByCosine)', () => {
  it('gives the k best of every paper\'s rows, best first, as a full sort would (the running cut included)', () => {
    const dims = 16;
    const rows = Array.from({ length: 300 }, (_, i) => unit(dims, i + 1));
    const papers = [0, 1, 2].map((p) => ({ paperId: `p${p}`, v: quantize(rows.slice(p * 100, p * 100 + 100)) }));
    const q = unit(dims, 4242);
    // The order of the stored (quantized) rows, sorted in full.
    const exact = papers
      .flatMap(({ paperId, v }) => Array.from({ length: v.count }, (_, r) => ({ id: `${paperId}#${r}`, score: v.scales[r] * dot(Float32Array.from(v.data.subarray(r * dims, (r + 1) * dims)), q) })))
      .sort((a, b) => b.score - a.score);
    for (const k of [1, 3, 7, 50]) {
      const top = topByCosine(papers, q, k);
      assert.equal(top.length, k);
      assert.deepEqual(top.map((h) => h.id), exact.slice(0, k).map((h) => h.id), `k=${k}`);
      for (const h of top) assert.ok(Math.abs(h.score - dot(rows[Number(h.paperId.slice(1)) * 100 + Number(h.id.split('#')[1])], q)) < 0.02, 'close to the float cosine');
      assert.equal(top[0].paperId, top[0].id.split('#')[0]);
    }
    assert.equal(topByCosine(papers, q, 1000).length, 300, 'fewer rows than k: all of them');
  });

  it('skips vectors of another length (another model under the same name)', () => {
    const papers = [{ paperId: 'a', v: quantize([unit(8, 1)]) }, { paperId: 'b', v: quantize([unit(4, 2)]) }];
    assert.deepEqual(topByCosine(papers, unit(4, 3), 5).map((h) => h.paperId), ['b']);
  });
});

describe('papers: reciprocal rank fusion', () => {
  it('sums 1/(60 + rank) over the lists; a passage in both ranks above one first in only one', () => {
    const fused = fuseRanks([
      ['a', 'b', 'c'],
      ['d', 'b', 'a'],
    ]);
    assert.deepEqual(fused.map((f) => f.id), ['a', 'b', 'd', 'c']);
    assert.equal(fused[0].score, 1 / (RRF_K + 1) + 1 / (RRF_K + 3));
    assert.equal(fused.find((f) => f.id === 'c')!.score, 1 / (RRF_K + 3));
  });

  it('keeps the first list\'s order on ties, and one list alone keeps its order', () => {
    assert.deepEqual(fuseRanks([['x', 'y'], ['y', 'x']]).map((f) => f.id), ['x', 'y']);
    assert.deepEqual(fuseRanks([['p', 'q', 'r']]).map((f) => f.id), ['p', 'q', 'r']);
    assert.deepEqual(fuseRanks([[], []]), []);
  });
});
