// One immutable piece of the papers index: the BM25 postings of some papers' chunks in a flat
// binary file that is searched where it lies in memory (typed-array views over the file's
// bytes, no parsing into objects), so opening a 50,000-chunk library is one read.
//
// Layout, little-endian, every number a u32:
//   header   magic, version, docs D, terms T, postings P, term-bytes length, papers-JSON length, 0
//   paperOf[D] chunkOf[D] fieldLen[3D] termStart[T+1] postStart[T+1] postDoc[P] postTf[P]
//   termBytes (UTF-8 terms, sorted by bytes, back to back)   papersJson (UTF-8)
// A posting's tf packs the three fields: title (8 bits) | section (8 bits) | text (16 bits).
// Docs are numbered in the order they were added; a term's postings are in doc order.
//
// The bytes are read as hostile (a damaged or planted file): every count is checked against
// the file's length and every offset against its array before anything uses it.

import { Buffer } from 'node:buffer';
import type { Chunk } from '../types';
import { fieldLength, processTerm, tokenize } from './words';

const MAGIC = 0x4d42474d; // "MGBM"
const VERSION = 1;
const HEADER = 8;
export const FIELDS = 3;
export const TITLE = 0;
export const SECTION = 1;
export const TEXT = 2;
const TF_LIMIT = [0xff, 0xff, 0xffff];
const TF_SHIFT = [24, 16, 0];

/** A paper a segment holds chunks of: its id and the chunk file those chunks came from. */
export interface SegmentPaper {
  id: string;
  chunkFile?: string;
}

export class SegmentFormatError extends Error {}

/** The term frequency of one field in a packed tf. */
export function fieldTf(packed: number, field: number): number {
  return (packed >>> TF_SHIFT[field]) & TF_LIMIT[field];
}

export class Segment {
  private constructor(
    readonly papers: SegmentPaper[],
    readonly paperOf: Uint32Array,
    readonly chunkOf: Uint32Array,
    /** Three per doc: title, section, text. */
    readonly fieldLen: Uint32Array,
    private readonly termStart: Uint32Array,
    readonly postStart: Uint32Array,
    readonly postDoc: Uint32Array,
    readonly postTf: Uint32Array,
    private readonly termBytes: Buffer,
    /** The file's bytes (shared by the views above). */
    readonly bytes: Uint8Array,
  ) {}

  get docs(): number {
    return this.paperOf.length;
  }

  get termCount(): number {
    return this.termStart.length - 1;
  }

  /** The term's number, or -1. term: its UTF-8 bytes. */
  find(term: Buffer): number {
    let lo = 0;
    let hi = this.termCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.termBytes.compare(term, 0, term.length, this.termStart[mid], this.termStart[mid + 1]);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  term(i: number): string {
    return this.termBytes.toString('utf8', this.termStart[i], this.termStart[i + 1]);
  }

  /** Reads a segment file's bytes; throws SegmentFormatError when they are not a whole, sound segment. */
  static read(input: Uint8Array): Segment {
    // Typed-array views need 4-byte alignment; a small file read into Node's pool may not have it.
    const bytes = input.byteOffset % 4 ? new Uint8Array(input) : input;
    const fail = (what: string): never => {
      throw new SegmentFormatError(`not a papers index segment (${what})`);
    };
    if (bytes.byteLength < HEADER * 4) fail('too short');
    const head = new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER);
    if (head[0] !== MAGIC) fail('wrong magic');
    if (head[1] !== VERSION) fail(`version ${head[1]}`);
    const [, , d, t, p, tb, pj] = head;
    const words = HEADER + 2 * d + FIELDS * d + 2 * (t + 1) + 2 * p;
    if (words * 4 + tb + pj !== bytes.byteLength) fail('sizes do not add up');
    let at = HEADER;
    const u32 = (n: number) => {
      const a = new Uint32Array(bytes.buffer, bytes.byteOffset + at * 4, n);
      at += n;
      return a;
    };
    const paperOf = u32(d);
    const chunkOf = u32(d);
    const fieldLen = u32(FIELDS * d);
    const termStart = u32(t + 1);
    const postStart = u32(t + 1);
    const postDoc = u32(p);
    const postTf = u32(p);
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const termBytes = buf.subarray(at * 4, at * 4 + tb);
    let papers: SegmentPaper[];
    try {
      papers = JSON.parse(buf.toString('utf8', at * 4 + tb, at * 4 + tb + pj)) as SegmentPaper[];
    } catch {
      return fail('papers list');
    }
    if (!Array.isArray(papers) || !papers.every((x) => typeof x?.id === 'string' && (x.chunkFile === undefined || typeof x.chunkFile === 'string'))) fail('papers list');
    papers = papers.map((x) => ({ id: x.id, chunkFile: x.chunkFile }));
    for (let i = 0; i < d; i++) if (paperOf[i] >= papers.length) fail('doc paper');
    if (termStart[0] !== 0 || termStart[t] !== tb || postStart[0] !== 0 || postStart[t] !== p) fail('offsets');
    for (let i = 0; i < t; i++) {
      if (termStart[i + 1] <= termStart[i] || postStart[i + 1] <= postStart[i]) fail('offsets');
      for (let j = postStart[i]; j < postStart[i + 1]; j++) {
        if (postDoc[j] >= d || (j > postStart[i] && postDoc[j] <= postDoc[j - 1])) fail('postings');
      }
    }
    return new Segment(papers, paperOf, chunkOf, fieldLen, termStart, postStart, postDoc, postTf, termBytes, bytes);
  }

  /** The segment of papers' chunks (tokenized here). */
  static build(papers: { paper: SegmentPaper; title: string; chunks: Chunk[] }[]): Segment {
    const b = new SegmentBuilder();
    for (const p of papers) {
      const slot = b.paper(p.paper);
      const title = tokenize(p.title);
      for (const c of p.chunks) b.doc(slot, chunkNumber(c.id), [title, tokenize(c.section), tokenize(c.text)]);
    }
    return b.finish();
  }

  /**
   * One segment of the live docs of several (no text is tokenized again). live: per doc,
   * 1 = keep; absent = keep all. Papers with no live doc are left out.
   */
  static merge(parts: { seg: Segment; live?: Uint8Array }[]): Segment {
    const b = new SegmentBuilder();
    for (const { seg, live } of parts) {
      const newDoc = new Int32Array(seg.docs).fill(-1);
      const slots = new Map<number, number>();
      for (let d = 0; d < seg.docs; d++) {
        if (live && !live[d]) continue;
        let slot = slots.get(seg.paperOf[d]);
        if (slot === undefined) slots.set(seg.paperOf[d], (slot = b.paper(seg.papers[seg.paperOf[d]])));
        newDoc[d] = b.rawDoc(slot, seg.chunkOf[d], seg.fieldLen.subarray(d * FIELDS, d * FIELDS + FIELDS));
      }
      for (let t = 0; t < seg.termCount; t++) {
        let term: string | undefined;
        for (let j = seg.postStart[t]; j < seg.postStart[t + 1]; j++) {
          const nd = newDoc[seg.postDoc[j]];
          if (nd < 0) continue;
          term ??= seg.term(t);
          b.posting(term, nd, seg.postTf[j]);
        }
      }
    }
    return b.finish();
  }
}

/** The chunk's number in its paper ("<paper>#<n>"). */
export function chunkNumber(id: string): number {
  const n = Number(id.slice(id.lastIndexOf('#') + 1));
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

class SegmentBuilder {
  private readonly papers: SegmentPaper[] = [];
  private readonly paperOf: number[] = [];
  private readonly chunkOf: number[] = [];
  private readonly fieldLen: number[] = [];
  private readonly postings = new Map<string, { docs: number[]; tfs: number[] }>();

  paper(p: SegmentPaper): number {
    this.papers.push({ id: p.id, chunkFile: p.chunkFile });
    return this.papers.length - 1;
  }

  rawDoc(slot: number, chunk: number, lengths: ArrayLike<number>): number {
    this.paperOf.push(slot);
    this.chunkOf.push(chunk);
    for (let f = 0; f < FIELDS; f++) this.fieldLen.push(lengths[f]);
    return this.paperOf.length - 1;
  }

  /** A doc from its fields' raw pieces (title, section, text). */
  doc(slot: number, chunk: number, fields: string[][]): void {
    const d = this.rawDoc(slot, chunk, fields.map(fieldLength));
    const tf = new Map<string, number[]>();
    fields.forEach((pieces, f) => {
      for (const piece of pieces) {
        const t = processTerm(piece);
        if (!t) continue;
        let v = tf.get(t);
        if (!v) tf.set(t, (v = [0, 0, 0]));
        v[f]++;
      }
    });
    for (const [t, v] of tf) this.posting(t, d, pack(v));
  }

  /** Postings must come in doc order per term. */
  posting(term: string, doc: number, packedTf: number): void {
    let p = this.postings.get(term);
    if (!p) this.postings.set(term, (p = { docs: [], tfs: [] }));
    p.docs.push(doc);
    p.tfs.push(packedTf);
  }

  finish(): Segment {
    const terms = [...this.postings.keys()].map((t) => ({ t, b: Buffer.from(t, 'utf8') }));
    terms.sort((x, y) => Buffer.compare(x.b, y.b));
    const d = this.paperOf.length;
    const t = terms.length;
    let p = 0;
    let tb = 0;
    for (const x of terms) {
      p += this.postings.get(x.t)!.docs.length;
      tb += x.b.length;
    }
    const papersJson = Buffer.from(JSON.stringify(this.papers), 'utf8');
    const words = HEADER + 2 * d + FIELDS * d + 2 * (t + 1) + 2 * p;
    const out = new Uint8Array(words * 4 + tb + papersJson.length);
    const u = new Uint32Array(out.buffer, 0, words);
    u.set([MAGIC, VERSION, d, t, p, tb, papersJson.length, 0]);
    let at = HEADER;
    u.set(this.paperOf, at);
    u.set(this.chunkOf, (at += d));
    u.set(this.fieldLen, (at += d));
    at += FIELDS * d;
    const termStart = at;
    const postStart = termStart + t + 1;
    const postDoc = postStart + t + 1;
    const postTf = postDoc + p;
    let byteAt = 0;
    let postAt = 0;
    terms.forEach((x, i) => {
      const post = this.postings.get(x.t)!;
      u[termStart + i] = byteAt;
      u[postStart + i] = postAt;
      out.set(x.b, words * 4 + byteAt);
      u.set(post.docs, postDoc + postAt);
      u.set(post.tfs, postTf + postAt);
      byteAt += x.b.length;
      postAt += post.docs.length;
    });
    u[termStart + t] = byteAt;
    u[postStart + t] = postAt;
    out.set(papersJson, words * 4 + tb);
    return Segment.read(out);
  }
}

function pack(tf: number[]): number {
  let v = 0;
  for (let f = 0; f < FIELDS; f++) v |= Math.min(tf[f], TF_LIMIT[f]) << TF_SHIFT[f];
  return v >>> 0;
}
