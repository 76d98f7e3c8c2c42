// One paper's passage vectors on disk (vectors/<model>/<chunk file>.vec), a cache beside its
// immutable, content-named chunk file: the same chunks always get the same vectors, so a file
// is written once and never changed. Int8 per number with one float scale per vector: a
// quarter of float32's size, and a cosine within about 1 % of the float one.
//
// Layout (little-endian): "MGV1", u32 dims, u32 count, u32 0; count f32 scales; count*dims i8.
// A file is read only if every field agrees with the chunk file it stands for; anything else
// (truncated, another model's length, a hostile edit) is ignored and the vectors made again.

import { MAX_DIMS } from '../../server/embeddings';

const MAGIC = 0x3156474d; // "MGV1"
const HEADER = 16;

export interface PaperVectors {
  dims: number;
  count: number;
  /** Per vector: cosine = scale * (int8 row · query). */
  scales: Float32Array;
  /** count * dims, row-major. */
  data: Int8Array;
}

/** Quantizes L2-normalised vectors of one length. */
export function quantize(vectors: readonly Float32Array[]): PaperVectors {
  const count = vectors.length;
  const dims = count ? vectors[0].length : 0;
  const scales = new Float32Array(count);
  const data = new Int8Array(count * dims);
  vectors.forEach((v, r) => {
    if (v.length !== dims) throw new RangeError('vectors differ in length');
    let max = 0;
    for (let i = 0; i < dims; i++) max = Math.max(max, Math.abs(v[i]));
    const scale = max / 127;
    scales[r] = scale;
    if (scale === 0) return;
    for (let i = 0; i < dims; i++) data[r * dims + i] = Math.round(v[i] / scale);
  });
  return { dims, count, scales, data };
}

export function encodeVectors(p: PaperVectors): Uint8Array {
  const out = new Uint8Array(HEADER + 4 * p.count + p.data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, p.dims, true);
  view.setUint32(8, p.count, true);
  for (let r = 0; r < p.count; r++) view.setFloat32(HEADER + 4 * r, p.scales[r], true);
  out.set(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.length), HEADER + 4 * p.count);
  return out;
}

/** The vectors, or undefined unless the file is whole, well-formed and holds `count` of them. */
export function decodeVectors(bytes: Uint8Array, count: number): PaperVectors | undefined {
  if (bytes.length < HEADER) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const dims = view.getUint32(4, true);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(8, true) !== count || view.getUint32(12, true) !== 0) return undefined;
  if (dims < 1 || dims > MAX_DIMS || bytes.length !== HEADER + 4 * count + count * dims) return undefined;
  const scales = new Float32Array(count);
  for (let r = 0; r < count; r++) {
    const s = view.getFloat32(HEADER + 4 * r, true);
    if (!Number.isFinite(s) || s < 0 || s > 1) return undefined;
    scales[r] = s;
  }
  const at = HEADER + 4 * count;
  const data = new Int8Array(count * dims);
  data.set(new Int8Array(bytes.buffer, bytes.byteOffset + at, count * dims));
  return { dims, count, scales, data };
}
