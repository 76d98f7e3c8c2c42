// `npm run bench:dense`: search by meaning at a researcher's scale — 50,000 passages (2,000
// papers of 25) — with the product's Int8 vectors (dense-index.ts topByCosine) against the
// plain float32 brute force over the same vectors, measured in the same run, at 384 and
// 1,024 dimensions (bge-small / bge-m3 sizes). Prints median and p95 per query, their ratio,
// and the memory each layout holds.
import { topByCosine } from '../src/core/papers/dense/dense-index';
import { quantize } from '../src/core/papers/dense/vector-file';

const PAPERS = 2000;
const PER_PAPER = 25;
const QUERIES = 40;
const K = 50;

/** Deterministic unit vectors (an LCG: the same numbers every run). */
function vectors(n: number, dims: number, seed: number): Float32Array[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    const v = new Float32Array(dims);
    let norm = 0;
    for (let i = 0; i < dims; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      v[i] = x / 2147483648 - 0.5;
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < dims; i++) v[i] /= norm;
    return v;
  });
}

function floatTop(matrix: Float32Array, dims: number, q: Float32Array, k: number): number[] {
  const rows = matrix.length / dims;
  const scores = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let dot = 0;
    const at = r * dims;
    for (let i = 0; i < dims; i++) dot += matrix[at + i] * q[i];
    scores[r] = dot;
  }
  return [...scores.keys()].sort((a, b) => scores[b] - scores[a]).slice(0, k);
}

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)] };
};

console.log(`| dims | layout | memory | median | p95 | ratio (median, Int8 / float32) |`);
console.log('|---|---|---|---|---|---|');
for (const dims of [384, 1024]) {
  const papers = Array.from({ length: PAPERS }, (_, p) => ({ paperId: `paper${p}`, v: quantize(vectors(PER_PAPER, dims, p + 1)) }));
  const matrix = new Float32Array(PAPERS * PER_PAPER * dims);
  for (let p = 0; p < PAPERS; p++) vectors(PER_PAPER, dims, p + 1).forEach((v, r) => matrix.set(v, (p * PER_PAPER + r) * dims));
  const queries = vectors(QUERIES, dims, 99_991);
  const int8: number[] = [];
  const float: number[] = [];
  // Interleaved, so both meet the same load on a shared machine.
  for (const q of queries) {
    let t = performance.now();
    topByCosine(papers, q, K);
    int8.push(performance.now() - t);
    t = performance.now();
    floatTop(matrix, dims, q, K);
    float.push(performance.now() - t);
  }
  const a = stats(int8);
  const b = stats(float);
  const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
  console.log(`| ${dims} | Int8 + scale (ours) | ${mb(PAPERS * PER_PAPER * (dims + 4))} | ${a.median.toFixed(1)} ms | ${a.p95.toFixed(1)} ms | ${(a.median / b.median).toFixed(2)} |`);
  console.log(`| ${dims} | float32 brute force | ${mb(matrix.byteLength)} | ${b.median.toFixed(1)} ms | ${b.p95.toFixed(1)} ms | |`);
}
