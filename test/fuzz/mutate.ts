// Seeded mutations of real files, for the fuzz tier (run.ts) and the in-process mutation test.
// Blind ones (bit flips, random bytes, cuts, splices, extreme integers anywhere) and ones that
// know where a format keeps its sizes: PNG chunk lengths and IHDR, JPEG segment lengths and
// frame headers (also inside DICOM), DICOM element lengths and image attributes, PDF numbers
// and object references (which is how page trees and forms come to point at themselves).

/** A small deterministic generator (mulberry32): the same seed gives the same cases. */
export function random(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rnd = () => number;
const int = (rnd: Rnd, n: number) => Math.floor(rnd() * n);
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[int(rnd, xs.length)];

const EXTREME_16 = [0, 1, 0x7fff, 0x8000, 0xffff, 9999] as const;
const EXTREME_32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000, 60000] as const;

export type Format = 'png' | 'jpeg' | 'dicom' | 'pdf' | 'other';

export function formatOf(b: Buffer): Format {
  if (b.length > 8 && b.readUInt32BE(0) === 0x89504e47) return 'png';
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8) return 'jpeg';
  if (b.length > 132 && b.toString('latin1', 128, 132) === 'DICM') return 'dicom';
  if (b.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
  return 'other';
}

/** Where a mutation may write: an offset and the width of the field there. */
interface Field {
  at: number;
  bytes: 2 | 4;
  bigEndian: boolean;
}

function setField(b: Buffer, f: Field, rnd: Rnd): void {
  if (f.at < 0 || f.at + f.bytes > b.length) return;
  const v = f.bytes === 2 ? pick(rnd, EXTREME_16) : pick(rnd, EXTREME_32);
  if (f.bytes === 2) (f.bigEndian ? b.writeUInt16BE : b.writeUInt16LE).call(b, v, f.at);
  else (f.bigEndian ? b.writeUInt32BE : b.writeUInt32LE).call(b, v, f.at);
}

/** PNG: each chunk's length field; IHDR's width and height. */
function pngFields(b: Buffer): { lengths: Field[]; dims: Field[] } {
  const lengths: Field[] = [];
  const dims: Field[] = [];
  for (let pos = 8; pos + 8 <= b.length && lengths.length < 10_000; ) {
    lengths.push({ at: pos, bytes: 4, bigEndian: true });
    const len = b.readUInt32BE(pos);
    if (b.toString('latin1', pos + 4, pos + 8) === 'IHDR') dims.push({ at: pos + 8, bytes: 4, bigEndian: true }, { at: pos + 12, bytes: 4, bigEndian: true });
    pos += 12 + len;
  }
  return { lengths, dims };
}

/** JPEG streams anywhere in the file (a DICOM holds one a frame): segment lengths and SOF sizes. */
function jpegFields(b: Buffer): { lengths: Field[]; dims: Field[] } {
  const lengths: Field[] = [];
  const dims: Field[] = [];
  for (let start = b.indexOf(Buffer.from([0xff, 0xd8, 0xff])); start >= 0 && lengths.length < 10_000; start = b.indexOf(Buffer.from([0xff, 0xd8, 0xff]), start + 3)) {
    for (let pos = start + 2; pos + 4 <= b.length; ) {
      if (b[pos] !== 0xff) break;
      const marker = b[pos + 1];
      if (marker === 0xd9 || marker === 0xda) break; // end, or scan data follows
      lengths.push({ at: pos + 2, bytes: 2, bigEndian: true });
      const sof = (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) || marker === 0xf7; // 0xf7: JPEG-LS
      if (sof) dims.push({ at: pos + 5, bytes: 2, bigEndian: true }, { at: pos + 7, bytes: 2, bigEndian: true });
      pos += 2 + b.readUInt16BE(pos + 2);
    }
  }
  return { lengths, dims };
}

const SHORT_VR = new Set(['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'PN', 'SH', 'SL', 'SS', 'ST', 'TM', 'UI', 'UL', 'US']);
const LONG_VR = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
/** (0028,xxxx) image attributes whose values set buffer sizes. */
const IMAGE_TAGS = [0x0002, 0x0008, 0x0010, 0x0011, 0x0100, 0x0101, 0x0102, 0x0103] as const;

/** DICOM (explicit VR, either byte order): element lengths; Rows, Columns, frames, bits, samples. */
function dicomFields(b: Buffer): { lengths: Field[]; dims: Field[] } {
  const lengths: Field[] = [];
  const dims: Field[] = [];
  for (let i = 132; i + 8 <= b.length && lengths.length < 20_000; i++) {
    const vr = b.toString('latin1', i + 4, i + 6);
    if (SHORT_VR.has(vr)) lengths.push({ at: i + 6, bytes: 2, bigEndian: b[i] === 0 && b[i + 1] !== 0 });
    else if (LONG_VR.has(vr) && b[i + 6] === 0 && b[i + 7] === 0) lengths.push({ at: i + 8, bytes: 4, bigEndian: b[i] === 0 && b[i + 1] !== 0 });
  }
  for (const el of IMAGE_TAGS) {
    for (const big of [false, true]) {
      const tag = Buffer.alloc(4);
      if (big) {
        tag.writeUInt16BE(0x0028, 0);
        tag.writeUInt16BE(el, 2);
      } else {
        tag.writeUInt16LE(0x0028, 0);
        tag.writeUInt16LE(el, 2);
      }
      // Explicit and implicit VR both put a short value 8 bytes after the tag.
      for (let at = b.indexOf(tag, 132); at >= 0; at = b.indexOf(tag, at + 4)) dims.push({ at: at + 8, bytes: 2, bigEndian: big });
    }
  }
  return { lengths, dims };
}

function fieldsOf(b: Buffer, format: Format): { lengths: Field[]; dims: Field[] } {
  if (format === 'png') return pngFields(b);
  if (format === 'jpeg') return jpegFields(b);
  if (format === 'dicom') {
    const d = dicomFields(b);
    const j = jpegFields(b);
    return { lengths: [...d.lengths, ...j.lengths], dims: [...d.dims, ...j.dims] };
  }
  return { lengths: [], dims: [] };
}

const PDF_NUMBERS = ['0', '-1', '1', '2147483647', '4294967296', '99999999', '1e308', '-0.0001'] as const;

/** PDF, as text: a number (a /Length, a /Count, a MediaBox, an offset) set to an extreme. */
function pdfNumber(b: Buffer, rnd: Rnd): Buffer {
  const text = b.toString('latin1');
  const numbers = [...text.matchAll(/(?<=[\s[/(<])-?\d+(?:\.\d+)?(?=[\s\]/>)])/g)];
  if (!numbers.length) return b;
  const m = pick(rnd, numbers);
  return Buffer.from(text.slice(0, m.index) + pick(rnd, PDF_NUMBERS) + text.slice(m.index + m[0].length), 'latin1');
}

/** PDF: one object reference pointed at another object (cycles in page trees, forms, fonts). */
function pdfReference(b: Buffer, rnd: Rnd): Buffer {
  const text = b.toString('latin1');
  const refs = [...text.matchAll(/\b(\d+) (\d+) R\b/g)];
  const objects = [...text.matchAll(/\b(\d+) (\d+) obj\b/g)].map((m) => `${m[1]} ${m[2]} R`);
  if (!refs.length || !objects.length) return b;
  const m = pick(rnd, refs);
  return Buffer.from(text.slice(0, m.index) + pick(rnd, objects) + text.slice(m.index + m[0].length), 'latin1');
}

export const MUTATIONS = ['flip', 'bytes', 'cut', 'splice', 'integer', 'length', 'dimension', 'pdf-number', 'pdf-reference'] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** The mutations that mean something for a format (the PDF ones only for PDFs). */
export function mutationsFor(format: Format): Mutation[] {
  const blind: Mutation[] = ['flip', 'bytes', 'cut', 'splice', 'integer'];
  if (format === 'pdf') return [...blind, 'pdf-number', 'pdf-number', 'pdf-reference', 'pdf-reference'];
  if (format === 'other') return blind;
  return [...blind, 'length', 'dimension', 'dimension'];
}

/** One mutation of `src` (never changed in place). */
export function mutate(src: Buffer, kind: Mutation, rnd: Rnd): Buffer {
  if (!src.length) return src;
  const b = Buffer.from(src);
  const at = () => int(rnd, b.length);
  switch (kind) {
    case 'flip':
      for (let i = 0, n = 1 + int(rnd, 8); i < n; i++) b[at()] ^= 1 << int(rnd, 8);
      return b;
    case 'bytes':
      for (let i = 0, n = 1 + int(rnd, 8); i < n; i++) b[at()] = int(rnd, 256);
      return b;
    case 'cut':
      return b.subarray(0, Math.max(1, at()));
    case 'splice': {
      // Random bytes, or a copy of a slice of the file itself, inserted somewhere.
      const i = at();
      const from = at();
      const insert = rnd() < 0.5 ? Buffer.from(Array.from({ length: 1 + int(rnd, 64) }, () => int(rnd, 256))) : b.subarray(from, from + 1 + int(rnd, 4096));
      return Buffer.concat([b.subarray(0, i), insert, b.subarray(i)]);
    }
    case 'integer':
      setField(b, { at: Math.min(at(), b.length - 4), bytes: rnd() < 0.5 ? 2 : 4, bigEndian: rnd() < 0.5 }, rnd);
      return b;
    case 'length':
    case 'dimension': {
      const fields = fieldsOf(b, formatOf(b));
      const list = kind === 'length' ? fields.lengths : fields.dims;
      if (!list.length) return mutate(src, 'integer', rnd);
      setField(b, pick(rnd, list), rnd);
      return b;
    }
    case 'pdf-number':
      return pdfNumber(b, rnd);
    case 'pdf-reference':
      return pdfReference(b, rnd);
  }
}

/** One to three stacked mutations suited to the file: the bytes and what was done, for the record. */
export function mutateCase(src: Buffer, rnd: Rnd): { bytes: Buffer; mutations: Mutation[] } {
  const kinds = mutationsFor(formatOf(src));
  const mutations: Mutation[] = [];
  let bytes = src;
  for (let i = 0, n = 1 + (rnd() < 0.3 ? int(rnd, 3) : 0); i < n; i++) {
    const kind = pick(rnd, kinds);
    mutations.push(kind);
    bytes = mutate(bytes, kind, rnd);
  }
  return { bytes, mutations };
}
