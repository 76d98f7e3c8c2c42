// BM25 over several segments at once, as if they were one index: the library's main segment
// with the docs of removed or replaced papers masked out, the segments of papers added since,
// and the in-memory segments of this session's password-protected papers.
//
// The score is the one the library always used (minisearch's BM25 with k 1.2, b 0.75, no
// delta): per field, idf × saturated tf with length normalisation, title and section at half
// the text's weight, summed over the question's words (a repeated word counts again), then
// multiplied by how many distinct question words the chunk has. Only live docs count for
// the document count, the average field lengths and each word's document frequency.

import { Buffer } from 'node:buffer';
import type { Chunk } from '../types';
import { FIELDS, fieldTf, Segment } from './segment';
import { terms } from './words';

export const BM25 = { k: 1.2, b: 0.75 } as const;
/** Title, section, text. */
export const FIELD_BOOST = [0.5, 0.5, 1] as const;

export interface IndexPart {
  seg: Segment;
  /** Per doc, 1 = searchable; absent = every doc. */
  live?: Uint8Array;
}

export interface IndexHit {
  id: string;
  paperId: string;
  score: number;
  /** Fraction of the query's distinct terms found in the chunk. */
  coverage: number;
}

export class IndexView {
  /** The first global doc number of each part. */
  private readonly base: number[] = [];
  private readonly total: number;
  /** Live docs. */
  readonly size: number;
  private readonly avgLen: number[];
  private readonly score: Float64Array;
  private readonly matched: Uint16Array;
  private readonly seen: Int32Array;

  constructor(readonly parts: IndexPart[]) {
    let total = 0;
    let size = 0;
    const sum = [0, 0, 0];
    for (const { seg, live } of parts) {
      this.base.push(total);
      total += seg.docs;
      for (let d = 0; d < seg.docs; d++) {
        if (live && !live[d]) continue;
        size++;
        for (let f = 0; f < FIELDS; f++) sum[f] += seg.fieldLen[d * FIELDS + f];
      }
    }
    this.total = total;
    this.size = size;
    this.avgLen = sum.map((s) => (size ? s / size : 0));
    this.score = new Float64Array(total);
    this.matched = new Uint16Array(total);
    this.seen = new Int32Array(total).fill(-1);
  }

  /** An in-memory index of papers' chunks (tests, benchmarks, evaluations). */
  static of(papers: { id: string; title: string; chunks: Chunk[] }[]): IndexView {
    return new IndexView([{ seg: Segment.build(papers.map((p) => ({ paper: { id: p.id }, title: p.title, chunks: p.chunks }))) }]);
  }

  /** The k best chunks for the query (of the given papers only, when given). */
  search(query: string, k: number, paperIds?: Set<string>): IndexHit[] {
    const counts = new Map<string, number>();
    for (const t of terms(query)) counts.set(t, (counts.get(t) ?? 0) + 1);
    if (!counts.size || !this.size || k <= 0) return [];
    const touched: number[] = [];
    let q = 0;
    for (const [term, times] of counts) {
      const bytes = Buffer.from(term, 'utf8');
      const found = this.parts.map(({ seg }) => seg.find(bytes));
      const df = [0, 0, 0];
      this.parts.forEach(({ seg, live }, p) => {
        const t = found[p];
        if (t < 0) return;
        for (let j = seg.postStart[t], end = seg.postStart[t + 1]; j < end; j++) {
          if (live && !live[seg.postDoc[j]]) continue;
          const packed = seg.postTf[j];
          for (let f = 0; f < FIELDS; f++) if (fieldTf(packed, f)) df[f]++;
        }
      });
      // Per field: the weight and idf, and the length normalisation's two terms.
      const w = df.map((n, f) => FIELD_BOOST[f] * Math.log(1 + (this.size - n + 0.5) / (n + 0.5)) * (BM25.k + 1));
      const k0 = BM25.k * (1 - BM25.b);
      const k1 = this.avgLen.map((a) => (a ? (BM25.k * BM25.b) / a : 0));
      this.parts.forEach(({ seg, live }, p) => {
        const t = found[p];
        if (t < 0) return;
        const base = this.base[p];
        const len = seg.fieldLen;
        for (let j = seg.postStart[t], end = seg.postStart[t + 1]; j < end; j++) {
          const d = seg.postDoc[j];
          if (live && !live[d]) continue;
          const packed = seg.postTf[j];
          let s = 0;
          for (let f = 0; f < FIELDS; f++) {
            const tf = fieldTf(packed, f);
            if (tf) s += (w[f] * tf) / (tf + k0 + k1[f] * len[d * FIELDS + f]);
          }
          const g = base + d;
          if (this.seen[g] < 0) {
            touched.push(g);
            this.score[g] = 0;
            this.matched[g] = 0;
          }
          if (this.seen[g] !== q) this.matched[g]++;
          this.seen[g] = q;
          this.score[g] += times * s;
        }
      });
      q++;
    }
    const best: IndexHit[] = [];
    for (const g of touched) {
      this.seen[g] = -1;
      const score = this.score[g] * this.matched[g];
      if (best.length === k && score <= best[k - 1].score) continue;
      const hit = this.hit(g, score, this.matched[g] / counts.size, paperIds);
      if (!hit) continue;
      let i = best.length;
      while (i > 0 && best[i - 1].score < score) i--;
      best.splice(i, 0, hit);
      if (best.length > k) best.pop();
    }
    return best;
  }

  private hit(g: number, score: number, coverage: number, paperIds: Set<string> | undefined): IndexHit | undefined {
    let p = this.parts.length - 1;
    while (this.base[p] > g) p--;
    const { seg } = this.parts[p];
    const d = g - this.base[p];
    const paperId = seg.papers[seg.paperOf[d]].id;
    if (paperIds && !paperIds.has(paperId)) return undefined;
    return { id: `${paperId}#${seg.chunkOf[d]}`, paperId, score, coverage };
  }

}

/** Enough of the question's content words are in the best chunk to call it relevant. */
export function coversQuestion(query: string, best: { coverage: number } | undefined): boolean {
  if (!best) return false;
  const n = new Set(terms(query)).size;
  const needed = n <= 2 ? n : Math.ceil(0.4 * n);
  return Math.round(best.coverage * n) >= needed;
}
