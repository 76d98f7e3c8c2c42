// Compressed frames: JPEG baseline/extended (jpeg-js), JPEG lossless (jpeg-lossless-decoder-js),
// JPEG-LS (CharLS) and JPEG 2000 (OpenJPEG) — all pure JavaScript builds, no native modules.
// Codecs load on first use. A codec allocates what the frame's own header declares, so that
// header must agree with the DICOM Rows/Columns (already within the limits) before it runs,
// and what it reports decoding must agree again before its output is copied.

import { type DeclaredFrame, j2kFrame, jpegFrame, minimumJpegBytes } from '../codec-headers';
import { ImageError, thrownText } from '../errors';
import { JPEG_JS_MEMORY_MB } from '../limits';
import { TS } from './parse';

export interface DecodedSamples {
  /** Interleaved samples, little-endian when 16-bit. */
  bytes: Uint8Array;
  bytesPerSample: 1 | 2;
  samplesPerPixel: number;
  width: number;
  height: number;
  /** true when the codec already converted YCbCr to RGB. */
  rgb: boolean;
}

interface EmscriptenDecoder {
  getEncodedBuffer(n: number): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}

type CodecModule = Record<string, new () => EmscriptenDecoder>;
const modules = new Map<string, Promise<CodecModule>>();

function load(name: 'charls' | 'openjpeg'): Promise<CodecModule> {
  let m = modules.get(name);
  if (!m) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const factory: (o?: object) => Promise<CodecModule> =
      name === 'charls' ? require('@cornerstonejs/codec-charls/decode') : require('@cornerstonejs/codec-openjpeg/decode');
    /* eslint-enable @typescript-eslint/no-require-imports */
    m = factory({ print: () => undefined, printErr: () => undefined });
    modules.set(name, m);
  }
  return m;
}

async function emscripten(name: 'charls' | 'openjpeg', cls: string, data: Uint8Array, expect: Expected): Promise<DecodedSamples> {
  const mod = await load(name);
  const d = new mod[cls]();
  try {
    d.getEncodedBuffer(data.length).set(data);
    d.decode();
    const info = d.getFrameInfo();
    sizeAgrees(info.width, info.height, expect);
    const out = d.getDecodedBuffer().slice(); // copy out of the codec's heap
    return {
      bytes: out,
      bytesPerSample: info.bitsPerSample > 8 ? 2 : 1,
      samplesPerPixel: info.componentCount,
      width: info.width,
      height: info.height,
      rgb: info.componentCount === 3,
    };
  } finally {
    d.delete();
  }
}

/** Sample precision from the JPEG frame header (SOF0..SOF3), or undefined. */
export function jpegPrecision(data: Uint8Array): number | undefined {
  let i = 2;
  while (i + 4 < data.length) {
    if (data[i] !== 0xff) return undefined;
    const m = data[i + 1];
    if (m >= 0xc0 && m <= 0xc3) return data[i + 4];
    i += 2 + ((data[i + 2] << 8) | data[i + 3]);
  }
  return undefined;
}

/**
 * Whether a 3-component JPEG holds YCbCr (convert to RGB) or RGB: an Adobe APP14 marker says
 * (a short marker without the transform byte means RGB), component ids R, G, B mean RGB, and
 * otherwise JFIF's YCbCr is assumed.
 */
export function jpegColorTransform(data: Uint8Array): boolean {
  let i = 2;
  while (i + 4 < data.length && data[i] === 0xff) {
    const m = data[i + 1];
    const len = (data[i + 2] << 8) | data[i + 3];
    if (m === 0xee && String.fromCharCode(...data.subarray(i + 4, i + 9)) === 'Adobe') return len >= 14 ? data[i + 4 + 11] !== 0 : false;
    if (m >= 0xc0 && m <= 0xc3 && data[i + 9] === 3) {
      const ids = [data[i + 10], data[i + 13], data[i + 16]];
      if (ids[0] === 0x52 && ids[1] === 0x47 && ids[2] === 0x42) return false;
    }
    if (m === 0xda) break;
    i += 2 + len;
  }
  return true;
}

function jpegBaseline(data: Uint8Array, expect: Expected): DecodedSamples {
  const precision = jpegPrecision(data);
  if (precision !== undefined && precision > 8) {
    throw new ImageError('unsupported', `${precision}-bit JPEG (Extended) frames are not supported yet`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jpeg = require('jpeg-js') as typeof import('jpeg-js');
  const img = jpeg.decode(data, {
    useTArray: true,
    formatAsRGBA: false,
    maxResolutionInMP: (expect.width * expect.height) / 1e6 + 1,
    maxMemoryUsageInMB: JPEG_JS_MEMORY_MB,
    colorTransform: jpegColorTransform(data),
  });
  sizeAgrees(img.width, img.height, expect);
  const channels = img.data.length / (img.width * img.height);
  if (expect.samplesPerPixel === 1 && channels >= 3) {
    // jpeg-js writes a grey image as R = G = B: keep one sample a pixel, in its place.
    const grey = new Uint8Array(img.width * img.height);
    for (let i = 0; i < grey.length; i++) grey[i] = img.data[i * channels];
    return { bytes: grey, bytesPerSample: 1, samplesPerPixel: 1, width: img.width, height: img.height, rgb: false };
  }
  return {
    bytes: img.data as Uint8Array,
    bytesPerSample: 1,
    samplesPerPixel: channels >= 3 ? 3 : 1,
    width: img.width,
    height: img.height,
    rgb: channels >= 3,
  };
}

interface LosslessDecoder {
  decode(b: ArrayBuffer, o: number, l: number, n?: number): ArrayBufferView;
  xDim: number;
  yDim: number;
  numComp: number;
}

function jpegLossless(data: Uint8Array, bitsAllocated: number, expect: Expected): DecodedSamples {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Decoder } = require('jpeg-lossless-decoder-js') as { Decoder: new () => LosslessDecoder };
  const bytesPerSample = bitsAllocated > 8 ? 2 : 1;
  const decoder = new Decoder();
  const out = decoder.decode(data.buffer as ArrayBuffer, data.byteOffset, data.length, bytesPerSample);
  // What the decoder decoded, not what the DICOM header says.
  sizeAgrees(decoder.xDim, decoder.yDim, expect);
  return {
    bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength),
    bytesPerSample,
    samplesPerPixel: decoder.numComp || expect.samplesPerPixel,
    width: decoder.xDim,
    height: decoder.yDim,
    rgb: false,
  };
}

interface Expected {
  width: number;
  height: number;
  samplesPerPixel: number;
}

function mismatch(width: number, height: number, expect: Expected): ImageError {
  return new ImageError('corrupt', `its compressed frame is ${width} x ${height} pixels but the header says ${expect.width} x ${expect.height}; the file is damaged`);
}

function sizeAgrees(width: number, height: number, expect: Expected): void {
  if (width !== expect.width || height !== expect.height) throw mismatch(width, height, expect);
}

/** The frame's own header, checked against the DICOM header and against the bytes present. */
function checkDeclared(ts: string, data: Uint8Array, expect: Expected): DeclaredFrame {
  const j2k = ts === TS.j2k || ts === TS.j2kLossless;
  const f = j2k ? j2kFrame(data) : jpegFrame(data);
  if (!f) throw new ImageError('corrupt', `its compressed frame has no readable ${j2k ? 'JPEG 2000' : 'JPEG'} header; the file is damaged`);
  if (f.width !== expect.width || f.height !== expect.height) throw mismatch(f.width, f.height, expect);
  if (data.length < minimumJpegBytes(f)) {
    throw new ImageError('truncated', `its compressed frame holds ${data.length} bytes, far too few for ${f.width} x ${f.height} pixels; the file is truncated or damaged`);
  }
  return f;
}

export function isCompressed(ts: string): boolean {
  return ts.startsWith('1.2.840.10008.1.2.4.') || ts === TS.rle;
}

export async function decodeCompressed(
  ts: string,
  data: Uint8Array,
  frame: { bitsAllocated: number; width: number; height: number; samplesPerPixel: number },
): Promise<DecodedSamples> {
  const expect: Expected = { width: frame.width, height: frame.height, samplesPerPixel: frame.samplesPerPixel };
  try {
    switch (ts) {
      case TS.jpegBaseline:
      case TS.jpegExtended:
        checkDeclared(ts, data, expect);
        return jpegBaseline(data, expect);
      case TS.jpegLossless:
      case TS.jpegLosslessSV1:
        checkDeclared(ts, data, expect);
        return jpegLossless(data, frame.bitsAllocated, expect);
      case TS.jpegLS:
      case TS.jpegLSNear:
        checkDeclared(ts, data, expect);
        return await emscripten('charls', 'JpegLSDecoder', data, expect);
      case TS.j2kLossless:
      case TS.j2k:
        checkDeclared(ts, data, expect);
        return await emscripten('openjpeg', 'J2KDecoder', data, expect);
    }
  } catch (e) {
    if (e instanceof ImageError) throw e;
    throw new ImageError('corrupt', 'its compressed frame could not be decoded; the file is damaged or uses a variant of the encoding the annotator does not read', thrownText(e));
  }
  throw new ImageError('unsupported', `transfer syntax ${ts}`);
}
