// PNG decoder on Node's zlib, streaming: rows are unfiltered one at a time and, for huge
// images, only every n-th row and column is kept, so a 20,000 x 20,000 PNG never needs its
// full 400 MB in memory and the event loop keeps turning between chunks.

import * as zlib from 'node:zlib';
import { ImageError } from './errors';
import { DEFAULT_LIMITS, describeSize, downscaleFactor, type ImageLimits } from './limits';
import type { Frame } from './types';

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** The bit depths the PNG specification allows for each colour type (sub-byte depths only with one sample). */
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

interface Chunks {
  header: PngHeader;
  idat: Buffer[];
  palette?: Uint8Array;
  transparency?: Uint8Array;
}

function readChunks(buf: Buffer, name: string): Chunks {
  let pos = 8;
  let header: PngHeader | undefined;
  const idat: Buffer[] = [];
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  while (pos + 8 <= buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const start = pos + 8;
    if (start + len > buf.length) {
      // A chunk type is four letters; anything else is the file's bytes and is not repeated.
      const which = /^[A-Za-z]{4}$/.test(type) ? `the ${type} chunk` : 'a damaged chunk';
      throw new ImageError('truncated', `${name} is a truncated PNG (${which} runs past the end of the file). Re-export or copy the image again.`);
    }
    const data = buf.subarray(start, start + len);
    if (type === 'IHDR') {
      if (len !== 13) throw new ImageError('corrupt', `${name} has a damaged PNG image header (IHDR is ${len} bytes, not 13). Re-export the image.`);
      header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), bitDepth: data[8], colorType: data[9], interlace: data[12] };
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = data;
    else if (type === 'IEND') break; // anything after it is ignored
    pos = start + len + 4;
  }
  if (!header) throw new ImageError('corrupt', `${name} has a PNG signature but no image header (IHDR). The file is damaged.`);
  if (!idat.length) throw new ImageError('truncated', `${name} is a PNG without pixel data (no IDAT chunk). Re-export the image.`);
  // No check for bytes left after the last chunk: 8 or more are read as a chunk (skipped or
  // reported as truncated above), fewer end the loop and cannot hold anything.
  if (!DEPTHS[header.colorType]?.includes(header.bitDepth)) {
    throw new ImageError('unsupported', `${name} uses an unknown PNG pixel format (colour type ${header.colorType}, ${header.bitDepth} bits). Re-save it as an 8-bit RGB or greyscale PNG.`);
  }
  if (header.interlace) throw new ImageError('unsupported', `${name} is an interlaced PNG, which the annotator does not read. Re-save it without interlacing.`);
  if (header.colorType === 3 && !palette) throw new ImageError('corrupt', `${name} is a palette PNG without a palette. The file is damaged.`);
  if (!header.width || !header.height) throw new ImageError('corrupt', `${name} says it is ${header.width} x ${header.height} pixels. The file is damaged.`);
  return { header, idat, palette, transparency };
}

/** Deflate turns at most ~1032 bytes into one; no valid PNG compresses further. */
const MAX_DEFLATE_RATIO = 1040;

/** What the header declares, checked against the limits and the data present, before any buffer. */
function checkDeclared({ header, idat }: Chunks, name: string, limits: ImageLimits): void {
  const { width, height } = header;
  if (width > limits.maxDeclaredSide || height > limits.maxDeclaredSide || width * height > limits.maxStreamedPixels) {
    throw new ImageError('too-large', `${name} says it is ${describeSize(width, height)}, more than the annotator reads. Downscale it first (e.g. to 4096 px on the long side).`);
  }
  const raw = (Math.ceil((width * CHANNELS[header.colorType] * header.bitDepth) / 8) + 1) * height;
  const compressed = idat.reduce((n, d) => n + d.length, 0);
  if (compressed * MAX_DEFLATE_RATIO < raw) {
    throw new ImageError('truncated', `${name} says it is ${describeSize(width, height)} but holds far too little pixel data for that; it is truncated or damaged. Re-export or copy the image again.`);
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function unfilter(type: number, row: Uint8Array, prev: Uint8Array, bpp: number, name: string): void {
  const n = row.length;
  switch (type) {
    case 0:
      return;
    case 1:
      for (let i = bpp; i < n; i++) row[i] = (row[i] + row[i - bpp]) & 255;
      return;
    case 2:
      for (let i = 0; i < n; i++) row[i] = (row[i] + prev[i]) & 255;
      return;
    case 3:
      for (let i = 0; i < n; i++) row[i] = (row[i] + (((i >= bpp ? row[i - bpp] : 0) + prev[i]) >> 1)) & 255;
      return;
    case 4:
      for (let i = 0; i < n; i++) row[i] = (row[i] + paeth(i >= bpp ? row[i - bpp] : 0, prev[i], i >= bpp ? prev[i - bpp] : 0)) & 255;
      return;
    default:
      throw new ImageError('corrupt', `${name} is a damaged PNG (a row of pixels uses filter ${type}, which does not exist). Re-export the image.`);
  }
}

export interface DecodedPng {
  frame: Frame;
  width: number;
  height: number;
  scale: number;
  bitDepth: number;
}

/** Decodes a PNG; images with a side over MAX_DECODED_SIDE come back reduced by `scale`. */
export async function decodePng(buf: Buffer, name: string, limits: ImageLimits = DEFAULT_LIMITS): Promise<DecodedPng> {
  const chunks = readChunks(buf, name);
  checkDeclared(chunks, name, limits);
  const { header, idat, palette, transparency } = chunks;
  const { width, height, bitDepth, colorType } = header;
  const ch = CHANNELS[colorType];
  const bitsPerPixel = ch * bitDepth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const scale = downscaleFactor(width, height, limits.maxDecodedSide);
  const ow = Math.ceil(width / scale);
  const oh = Math.ceil(height / scale);
  const gray = colorType === 0 || colorType === 4;
  const out: Frame = gray
    ? { kind: 'gray', width: ow, height: oh, data: new Float32Array(ow * oh) }
    : { kind: 'rgb', width: ow, height: oh, data: new Uint8Array(ow * oh * 3) };
  const max = (1 << bitDepth) - 1;

  const sample = (row: Uint8Array, x: number, c: number): number => {
    if (bitDepth === 8) return row[x * ch + c];
    if (bitDepth === 16) {
      const i = (x * ch + c) * 2;
      return (row[i] << 8) | row[i + 1];
    }
    const bit = x * bitDepth; // sub-byte depths only occur with one channel
    return (row[bit >> 3] >> (8 - bitDepth - (bit & 7))) & max;
  };

  const emit = (row: Uint8Array, y: number) => {
    if (y % scale) return;
    const oy = y / scale;
    if (bitDepth === 8 && scale === 1 && (colorType === 0 || colorType === 2)) {
      // Fast path for the common 8-bit grey and RGB images.
      const o = oy * ow * (colorType === 0 ? 1 : 3);
      if (out.kind === 'gray') for (let x = 0; x < ow; x++) out.data[o + x] = row[x];
      else out.data.set(row.subarray(0, ow * 3), o);
      return;
    }
    for (let ox = 0; ox < ow; ox++) {
      const x = ox * scale;
      const o = oy * ow + ox;
      if (out.kind === 'gray') {
        let v = sample(row, x, 0);
        if (colorType === 4) v = (v * sample(row, x, 1)) / max; // over black
        out.data[o] = v;
      } else if (colorType === 3) {
        const idx = sample(row, x, 0);
        const a = transparency && idx < transparency.length ? transparency[idx] / 255 : 1;
        for (let c = 0; c < 3; c++) out.data[o * 3 + c] = Math.round((palette![idx * 3 + c] ?? 0) * a);
      } else {
        const a = colorType === 6 ? sample(row, x, 3) / max : 1;
        for (let c = 0; c < 3; c++) out.data[o * 3 + c] = Math.round(((sample(row, x, c) * 255) / max) * a);
      }
    }
  };

  let prev = new Uint8Array(stride);
  let cur = new Uint8Array(stride);
  let y = 0;
  let filter = -1;
  let fill = 0;
  await new Promise<void>((resolve, reject) => {
    const inflate = zlib.createInflate({ chunkSize: 256 * 1024 });
    inflate.on('data', (chunk: Buffer) => {
      try {
        let i = 0;
        while (i < chunk.length && y < height) {
          if (filter < 0) {
            filter = chunk[i++];
            continue;
          }
          const take = Math.min(stride - fill, chunk.length - i);
          cur.set(chunk.subarray(i, i + take), fill);
          fill += take;
          i += take;
          if (fill === stride) {
            unfilter(filter, cur, prev, bpp, name);
            emit(cur, y);
            [prev, cur] = [cur, prev];
            y++;
            fill = 0;
            filter = -1;
          }
        }
      } catch (e) {
        inflate.destroy();
        reject(e);
      }
    });
    inflate.on('error', () =>
      y > 0
        ? resolve() // rows so far are kept; the rest stays black (reported below)
        : reject(new ImageError('corrupt', `${name} is a damaged PNG (its compressed pixel data cannot be read). Re-export the image.`)),
    );
    inflate.on('end', () => resolve());
    for (const d of idat) inflate.write(d);
    inflate.end();
  });
  if (y < height) {
    throw new ImageError('truncated', `${name} is a truncated PNG: only ${y} of ${height} rows could be read. Re-export or copy the image again.`);
  }
  return { frame: out, width, height, scale, bitDepth };
}
