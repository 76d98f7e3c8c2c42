// PNG bytes written by hand for the image tests: big-endian numbers, chunks' CRC-32, the signature,
// and a reader of 8-bit grey and RGB PNGs that uses nothing of the project's code.
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';

/** Bytes from numbers and latin1 strings, in order. */
export const cat = (...parts: (ArrayLike<number> | string)[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(Array.from(p)))));
export const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
export const be16 = (n: number) => [(n >> 8) & 255, n & 255];
export const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Bitwise CRC-32 (PNG's), written without a table. */
export function crc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, data and the CRC-32 of type + data. */
export const pngChunk = (type: string, data: ArrayLike<number> = []): Buffer => cat(be32(data.length), type, data, be32(crc(cat(type, data))));

/** The specification's Paeth predictor, saying which neighbour it picks (left, up, up-left). */
export function paethPick(a: number, b: number, c: number): 'a' | 'b' | 'c' {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? 'a' : pb <= pc ? 'b' : 'c';
}

export interface ReadPng {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
  /** Each chunk in order (its CRC checked). */
  chunks: { type: string; data: Buffer }[];
  /** The filter byte of each row. */
  filters: number[];
}

/** An 8-bit grey or RGB PNG back to pixels: chunks (inside the file, CRCs right), all five filters. */
export function readPng(png: Buffer): ReadPng {
  assert.deepEqual(Array.from(png.subarray(0, 8)), PNG_SIG);
  const chunks: ReadPng['chunks'] = [];
  for (let pos = 8; pos < png.length; pos += 12 + chunks[chunks.length - 1].data.length) {
    const len = png.readUInt32BE(pos);
    assert.ok(pos + 12 + len <= png.length && png.readUInt32BE(pos + 8 + len) === crc(png.subarray(pos + 4, pos + 8 + len)), 'chunk inside the file, CRC right');
    chunks.push({ type: png.toString('latin1', pos + 4, pos + 8), data: png.subarray(pos + 8, pos + 8 + len) });
  }
  const ihdr = chunks[0].data;
  assert.equal(ihdr[8], 8, 'bit depth');
  const [width, height, channels] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ({ 0: 1, 2: 3 } as Record<number, number>)[ihdr[9]]];
  const raw = zlib.inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * channels;
  assert.equal(raw.length, (stride + 1) * height);
  const out = Buffer.alloc(stride * height);
  const at = (y: number, i: number) => (y >= 0 && i >= 0 ? out[y * stride + i] : 0);
  const filters: number[] = [];
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    filters.push(filter);
    for (let i = 0; i < stride; i++) {
      const [a, b, c] = [at(y, i - channels), at(y - 1, i), at(y - 1, i - channels)];
      const pred = [0, a, b, (a + b) >> 1, { a, b, c }[paethPick(a, b, c)]][filter];
      out[y * stride + i] = (raw[y * (stride + 1) + 1 + i] + pred) & 255;
    }
  }
  return { width, height, channels, data: out, chunks, filters };
}
