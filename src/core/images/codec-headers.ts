// The size a compressed image declares, read from its own header before any decoder runs:
// JPEG (SOF0..SOF15, including lossless SOF3), JPEG-LS (SOF55) and JPEG 2000 (SIZ, bare or in
// a JP2 box). Decoders allocate what these headers say, so they are checked first.

export interface DeclaredFrame {
  width: number;
  height: number;
  components: number;
  precision: number;
  /** The SOF marker (0xc0..0xcf, 0xf7) or 0x51 for JPEG 2000. */
  marker: number;
}

const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf, 0xf7]);

/** The frame header of a JPEG or JPEG-LS stream, or undefined when there is none before the scan. */
export function jpegFrame(data: Uint8Array): DeclaredFrame | undefined {
  if (data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 4 <= data.length) {
    if (data[i] !== 0xff) return undefined;
    const m = data[i + 1];
    if (m === 0xff) {
      i++; // fill byte
      continue;
    }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (m === 0xda || m === 0xd9) return undefined; // scan or end before any frame header
    // A length below 2 needs no check of its own: the next marker would start with its 00 or 01.
    const len = (data[i + 2] << 8) | data[i + 3];
    if (SOF.has(m)) {
      if (i + 10 > data.length) return undefined;
      return { marker: m, precision: data[i + 4], height: (data[i + 5] << 8) | data[i + 6], width: (data[i + 7] << 8) | data[i + 8], components: data[i + 9] };
    }
    i += 2 + len;
  }
  return undefined;
}

function u32(d: Uint8Array, i: number): number {
  return ((d[i] << 24) >>> 0) + ((d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]);
}

/** Where the JPEG 2000 codestream starts: at 0, or inside a JP2 file's jp2c box. */
function codestreamStart(data: Uint8Array): number | undefined {
  if (data[0] === 0xff && data[1] === 0x4f) return 0;
  let i = 0;
  for (let boxes = 0; i + 8 <= data.length && boxes < 64; boxes++) {
    let len = u32(data, i);
    const type = String.fromCharCode(data[i + 4], data[i + 5], data[i + 6], data[i + 7]);
    let head = 8;
    if (len === 1 && i + 16 <= data.length) {
      len = u32(data, i + 12); // 64-bit length: the high word is ignored, files here are small
      head = 16;
    }
    if (type === 'jp2c') return i + head;
    if (len < head) return undefined; // 0 ("to the end") too: only the codestream's own box may say it
    i += len;
  }
  return undefined;
}

/** The image size a JPEG 2000 codestream's SIZ marker declares. */
export function j2kFrame(data: Uint8Array): DeclaredFrame | undefined {
  const s = codestreamStart(data);
  if (s === undefined || s + 44 > data.length || data[s] !== 0xff || data[s + 1] !== 0x4f || data[s + 2] !== 0xff || data[s + 3] !== 0x51) return undefined;
  const siz = s + 4;
  const xsiz = u32(data, siz + 4);
  const ysiz = u32(data, siz + 8);
  const x0 = u32(data, siz + 12);
  const y0 = u32(data, siz + 16);
  if (x0 >= xsiz || y0 >= ysiz) return undefined;
  const components = (data[siz + 36] << 8) | data[siz + 37];
  return { marker: 0x51, width: xsiz - x0, height: ysiz - y0, components, precision: (data[siz + 38] & 0x7f) + 1 };
}

/**
 * Fewest bytes a Huffman-coded JPEG stream of this size can have: every 8 x 8 block of the
 * image codes a DC value (at least one bit, even in a progressive file's first scan, whatever
 * the subsampling), and a sequential file also ends each block's AC values (at least one bit
 * more); a lossless JPEG codes every sample (at least one bit). Arithmetic coding, JPEG-LS and
 * JPEG 2000 can go below any such floor: 0. The decoders allocate for the declared size before
 * reading the data, so this is what keeps a small file from taking a large buffer.
 */
export function minimumJpegBytes(f: DeclaredFrame): number {
  if (f.marker === 0xc3 || f.marker === 0xc7) return Math.floor((f.width * f.height * Math.max(1, f.components)) / 8);
  const blocks = Math.ceil(f.width / 8) * Math.ceil(f.height / 8);
  if (f.marker === 0xc0 || f.marker === 0xc1) return Math.floor((blocks * 2) / 8);
  if (f.marker === 0xc2 || f.marker === 0xc5 || f.marker === 0xc6) return Math.floor(blocks / 8);
  return 0;
}
