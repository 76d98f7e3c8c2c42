// A DICOM file as frames of modality values (grey) or 8-bit RGB (colour): native pixels of any
// bit depth and byte order, RLE, JPEG family and JPEG 2000; rescale slope/intercept; RGB,
// YBR and palette colour; MONOCHROME1 flagged for inversion at display time.

import * as dicomParser from 'dicom-parser';
import { plural } from '../../plural';
import { ImageError, thrownText } from '../errors';
import { DEFAULT_LIMITS, type ImageLimits, RAISE_FRAME_CAP } from '../limits';
import type { Frame, ImageInfo, ImageKind, NamedWindow, Window } from '../types';
import { PRESETS, autoWindow, windowFits } from '../window';
import { decodeCompressed, isCompressed } from './codecs';
import { mainTags } from './header';
import { type DataSet, type Element, parseDicomFile, TS, TS_NAMES } from './parse';
import { decodeRle } from './rle';

interface PixelModule {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  signed: boolean;
  photometric: string;
  planar: number;
  frames: number;
  slope: number;
  intercept: number;
}

const NATIVE = new Set<string>([TS.implicitLE, TS.explicitLE, TS.deflate, TS.explicitBE]);

/**
 * Enhanced multi-frame objects keep slope/intercept and windows in functional groups:
 * per-frame (5200,9230) first, then shared (5200,9229), inside the given macro sequence.
 */
function functionalGroup(ds: DataSet, macro: string, frame: number): DataSet | undefined {
  for (const [seq, index] of [['x52009230', frame], ['x52009229', 0]] as const) {
    const item = ds.elements[seq]?.items?.[index]?.dataSet;
    const inner = item?.elements[macro]?.items?.[0]?.dataSet;
    if (inner) return inner;
  }
  return undefined;
}

function num(ds: DataSet, tag: string, fallback: number): number {
  const s = ds.string(tag);
  const n = s === undefined ? NaN : parseFloat(s);
  return Number.isFinite(n) ? n : fallback;
}

function us(ds: DataSet, tag: string): number | undefined {
  const el = ds.elements[tag];
  return el && el.length >= 2 ? ds.uint16(tag) : undefined;
}

function readPixelModule(ds: DataSet, name: string): PixelModule {
  const rows = us(ds, 'x00280010');
  const columns = us(ds, 'x00280011');
  const bitsAllocated = us(ds, 'x00280100');
  if (!rows || !columns || !bitsAllocated) {
    throw new ImageError('corrupt', `${name} has pixel data but no image size or bit depth (Rows, Columns, Bits Allocated). The file is damaged.`);
  }
  const bitsStored = us(ds, 'x00280101') ?? bitsAllocated;
  return {
    rows,
    columns,
    samplesPerPixel: us(ds, 'x00280002') ?? 1,
    bitsAllocated,
    bitsStored,
    highBit: us(ds, 'x00280102') ?? bitsStored - 1,
    signed: us(ds, 'x00280103') === 1,
    photometric: (ds.string('x00280004') ?? 'MONOCHROME2').trim().toUpperCase(),
    planar: us(ds, 'x00280006') ?? 0,
    frames: Math.max(1, Math.floor(num(ds, 'x00280008', 1))),
    slope: num(ds, 'x00281053', NaN),
    intercept: num(ds, 'x00281052', NaN),
  };
}

function windowsFromHeader(top: DataSet): NamedWindow[] {
  const ds = top.string('x00281050') ? top : functionalGroup(top, 'x00289132', 0) ?? top;
  const c = ds.string('x00281050');
  const w = ds.string('x00281051');
  if (!c || !w) return [];
  const cs = c.split('\\').map(Number);
  const ws = w.split('\\').map(Number);
  const names = (ds.string('x00281055') ?? '').split('\\');
  const out: NamedWindow[] = [];
  for (let i = 0; i < Math.min(cs.length, ws.length); i++) {
    if (Number.isFinite(cs[i]) && Number.isFinite(ws[i]) && ws[i] > 0) {
      out.push({ name: names[i]?.trim() || (i ? `Header ${i + 1}` : 'Header'), center: cs[i], width: ws[i] });
    }
  }
  return out;
}

function kindOf(modality: string | undefined, ds: DataSet): ImageKind {
  const body = (ds.string('x00180015') ?? '').toUpperCase();
  switch (modality) {
    case 'CT':
      return 'ct';
    case 'MR':
      return 'mri';
    case 'CR':
    case 'DX':
      return body.includes('CHEST') || !body ? 'cxr' : 'other';
    case 'SM':
      return 'pathology';
    case 'OP':
      return 'fundus';
    case 'XC':
      return 'dermatology';
    default:
      return 'other';
  }
}

/**
 * Fragments of encapsulated pixel data read by hand (items FFFE,E000 up to FFFE,E0DD), for
 * files read leniently where the parser did not mark the element as encapsulated.
 * Returns the fragments after the basic offset table.
 */
function manualFragments(a: Uint8Array, start: number, name: string): Uint8Array[] {
  const dv = new DataView(a.buffer, a.byteOffset, a.byteLength);
  const out: Uint8Array[] = [];
  let p = start;
  let first = true;
  while (p + 8 <= a.length) {
    const g = dv.getUint16(p, true);
    const e = dv.getUint16(p + 2, true);
    const len = dv.getUint32(p + 4, true);
    if (g !== 0xfffe || e === 0xe0dd) break;
    if (e !== 0xe000 || p + 8 + len > a.length) throw truncatedPixels(name);
    if (!first) out.push(a.subarray(p + 8, p + 8 + len));
    first = false;
    p += 8 + len;
  }
  return out;
}

/** Samples a pixel takes in native pixel data: YBR_FULL_422 stores two pixels as Y1 Y2 Cb Cr. */
function nativeSamples(px: PixelModule, compressed: boolean): number {
  return !compressed && px.photometric === 'YBR_FULL_422' ? 2 : px.samplesPerPixel;
}

/** Raw bytes of one frame, straight from the file (native) or its fragments (encapsulated). */
function frameBytes(ds: DataSet, el: Element, px: PixelModule, index: number, name: string, compressed: boolean): Uint8Array {
  if (compressed && !el.encapsulatedPixelData) {
    const frags = manualFragments(ds.byteArray, el.dataOffset, name);
    if (!frags.length) throw new ImageError('corrupt', `${name} has compressed pixel data without any fragments. The file is damaged.`);
    if (px.frames === 1 && frags.length === 1) return frags[0];
    if (px.frames === 1) {
      const all = new Uint8Array(frags.reduce((n, f) => n + f.length, 0));
      frags.reduce((o, f) => (all.set(f, o), o + f.length), 0);
      return all;
    }
    if (frags.length === px.frames) return frags[index];
    throw new ImageError('unsupported', `${name} has ${px.frames} frames in ${plural(frags.length, 'fragment')} without an offset table, which the annotator cannot split.`);
  }
  if (el.encapsulatedPixelData) {
    const fragments = el.fragments ?? [];
    if (!fragments.length) throw new ImageError('corrupt', `${name} has compressed pixel data without any fragments. The file is damaged.`);
    // dicom-parser throws strings naming its own parameters: say what they mean instead.
    try {
      if (el.basicOffsetTable?.length) return dicomParser.readEncapsulatedImageFrame(ds, el, index);
      if (px.frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, fragments.length);
      if (fragments.length === px.frames) return dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, index, 1);
      const bot = dicomParser.createJPEGBasicOffsetTable(ds, el);
      return dicomParser.readEncapsulatedImageFrame(ds, el, index, bot);
    } catch (e) {
      throw new ImageError(
        'corrupt',
        `${name}: frame ${index + 1} of ${px.frames} cannot be found in the compressed pixel data (its table of frame offsets does not match the fragments). Export the file again from the source.`,
        thrownText(e),
      );
    }
  }
  const bits = px.rows * px.columns * nativeSamples(px, compressed) * px.bitsAllocated;
  if (px.bitsAllocated === 1) {
    // Frames of 1-bit pixels are packed back to back, not byte-aligned.
    const startBit = bits * index;
    const startByte = Math.floor(startBit / 8);
    const need = Math.ceil((startBit + bits) / 8);
    if (el.length < need) throw truncatedPixels(name);
    const out = new Uint8Array(px.rows * px.columns);
    const a = ds.byteArray;
    for (let i = 0; i < out.length; i++) {
      const b = startBit + i;
      out[i] = (a[el.dataOffset + (b >> 3)] >> (b & 7)) & 1;
    }
    void startByte;
    return out;
  }
  const size = bits / 8;
  const start = el.dataOffset + size * index;
  if (start + size > el.dataOffset + el.length || start + size > ds.byteArray.length) throw truncatedPixels(name);
  return ds.byteArray.subarray(start, start + size);
}

/** A decoder's failure, named: the file, the encoding, the frame, and what to do. */
async function compressedStep<T>(name: string, ts: string, index: number, run: () => T | Promise<T>): Promise<Awaited<T>> {
  try {
    return await run();
  } catch (e) {
    const kind = e instanceof ImageError ? e.kind : 'corrupt';
    const why = e instanceof ImageError ? e.message : 'its compressed frame could not be decoded; the file is damaged';
    const todo = kind === 'unsupported' ? 'Convert it to an uncompressed file (e.g. "dcmdjpeg" or "gdcmconv --raw") and open that.' : 'Export it again from the source.';
    throw new ImageError(kind, `${name} (${TS_NAMES[ts]}, frame ${index + 1}): ${why}. ${todo}`, e instanceof ImageError ? e.detail : thrownText(e));
  }
}

function truncatedPixels(name: string): ImageError {
  return new ImageError('truncated', `${name} is a truncated DICOM file: its pixel data is shorter than the image size in its header. Copy or export it again.`);
}

/** Integer sample i of a native buffer, masked to Bits Stored and sign-extended. */
function samplesToNumbers(bytes: Uint8Array, px: PixelModule, bigEndian: boolean, bytesPerSample: number, float = false): Float64Array | Float32Array {
  const n = Math.floor(bytes.length / bytesPerSample);
  const out = new Float32Array(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (float) {
    // Float Pixel Data (7FE0,0008): IEEE floats, no bits stored or sign to apply. A NaN or an
    // infinity (a damaged or hostile file) would make every window NaN: it shows as 0.
    for (let i = 0; i < n; i++) {
      const v = dv.getFloat32(i * 4, !bigEndian);
      out[i] = Number.isFinite(v) ? v : 0;
    }
    return out;
  }
  const stored = px.bitsAllocated === 1 ? 1 : Math.min(px.bitsStored, bytesPerSample * 8);
  const shift = Math.max(0, px.highBit + 1 - stored);
  const mask = stored >= 32 ? 0xffffffff : 2 ** stored - 1;
  const signBit = 2 ** (stored - 1);
  for (let i = 0; i < n; i++) {
    let v: number;
    if (bytesPerSample === 1) v = bytes[i];
    else if (bytesPerSample === 2) v = dv.getUint16(i * 2, !bigEndian);
    else v = dv.getUint32(i * 4, !bigEndian);
    v = Math.floor(v / 2 ** shift) % (mask + 1);
    if (px.signed && v >= signBit) v -= 2 * signBit;
    out[i] = v;
  }
  return out;
}

function toByte(v: number, bits: number): number {
  return bits > 8 ? Math.max(0, Math.min(255, Math.round(v / 2 ** (bits - 8)))) : Math.max(0, Math.min(255, v));
}

function ybrToRgb(y: number, cb: number, cr: number, out: Uint8Array, o: number): void {
  out[o] = Math.max(0, Math.min(255, Math.round(y + 1.402 * (cr - 128))));
  out[o + 1] = Math.max(0, Math.min(255, Math.round(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128))));
  out[o + 2] = Math.max(0, Math.min(255, Math.round(y + 1.772 * (cb - 128))));
}

function paletteLut(ds: DataSet, c: 'x1101' | 'x1102' | 'x1103', d: 'x1201' | 'x1202' | 'x1203') {
  const desc = ds.elements[`x0028${c.slice(1)}`];
  const data = ds.elements[`x0028${d.slice(1)}`];
  if (!desc || !data) return undefined;
  const entries = ds.uint16(`x0028${c.slice(1)}`, 0) || 65536;
  const first = ds.uint16(`x0028${c.slice(1)}`, 1) ?? 0;
  const bits = ds.uint16(`x0028${c.slice(1)}`, 2) ?? 16;
  const lut = new Uint8Array(entries);
  const bytesPer = data.length / entries >= 2 ? 2 : 1;
  for (let i = 0; i < entries; i++) {
    const v = bytesPer === 2 ? ds.byteArrayParser.readUint16(ds.byteArray, data.dataOffset + i * 2) : ds.byteArray[data.dataOffset + i];
    lut[i] = bits > 8 ? v >> 8 : v;
  }
  return { lut, first };
}

export interface DicomImage {
  info: ImageInfo;
  frame(index: number): Promise<Frame>;
}

/** The pixel data element, or an error saying why this file has no image we can decode. */
function pixelData(ds: DataSet, ts: string, name: string): Element {
  const el = ds.elements.x7fe00010 ?? ds.elements.x7fe00008 ?? ds.elements.x7fe00009;
  if (!el) {
    const sop = ds.string('x00080016') ?? '';
    const what = ds.elements.x54000100 ? 'a waveform (e.g. an ECG)' : ds.elements.x0040a730 || sop.startsWith('1.2.840.10008.5.1.4.1.1.88') ? 'a structured report' : 'a DICOM object without an image';
    throw new ImageError('no-pixels', `${name} is ${what}: it has no pixel data to show. Open an image series instead.`);
  }
  if (!NATIVE.has(ts) && !isCompressed(ts)) {
    throw new ImageError('unsupported', `${name} uses the transfer syntax ${TS_NAMES[ts] ?? ts}, which the annotator cannot decode. Convert it first, e.g. "dcmconv +te in.dcm out.dcm" (dcmtk) or "gdcmconv --raw".`);
  }
  if (isCompressed(ts) && !TS_NAMES[ts]) {
    throw new ImageError('unsupported', `${name} uses the transfer syntax ${ts}, which the annotator cannot decode. Convert it first, e.g. "gdcmconv --raw in.dcm out.dcm".`);
  }
  if (ts.startsWith('1.2.840.10008.1.2.4.10') || ts === '1.2.840.10008.1.2.4.201') {
    throw new ImageError('unsupported', `${name} uses ${TS_NAMES[ts]}, which the annotator cannot decode. Convert it to an uncompressed file first (e.g. "gdcmconv --raw").`);
  }
  return el;
}

/** Native YBR_FULL_422: each two pixels are stored Y1 Y2 Cb Cr and share their Cb and Cr. */
function ybr422ToRgb(bytes: Uint8Array, n: number, name: string, bitsAllocated: number): Uint8Array {
  if (bitsAllocated !== 8) throw new ImageError('unsupported', `${name} is YBR_FULL_422 with ${bitsAllocated} bits per sample, which the annotator does not read. Export it again as RGB.`);
  const out = new Uint8Array(n * 3);
  for (let p = 0; p < n; p += 2) {
    const o = p * 2;
    ybrToRgb(bytes[o], bytes[o + 2], bytes[o + 3], out, p * 3);
    if (p + 1 < n) ybrToRgb(bytes[o + 1], bytes[o + 2], bytes[o + 3], out, (p + 1) * 3);
  }
  return out;
}

/** Palette colour: each sample indexes the red, green and blue tables. */
function paletteToRgb(ds: DataSet, name: string, idx: Float64Array | Float32Array, n: number): Uint8Array {
  const r = paletteLut(ds, 'x1101', 'x1201');
  const g = paletteLut(ds, 'x1102', 'x1202');
  const b = paletteLut(ds, 'x1103', 'x1203');
  if (!r || !g || !b) throw new ImageError('corrupt', `${name} is palette colour without its palette tables. The file is damaged.`);
  const out = new Uint8Array(n * 3);
  const at = (l: { lut: Uint8Array; first: number }, v: number) => l.lut[Math.max(0, Math.min(l.lut.length - 1, v - l.first))];
  for (let i = 0; i < n; i++) {
    out[i * 3] = at(r, idx[i]);
    out[i * 3 + 1] = at(g, idx[i]);
    out[i * 3 + 2] = at(b, idx[i]);
  }
  return out;
}

export function openDicom(bytes: Uint8Array, name: string, limits: ImageLimits = DEFAULT_LIMITS): DicomImage {
  const { ds, transferSyntax: ts, notes } = parseDicomFile(bytes, name, limits.maxInflatedBytes);
  const el = pixelData(ds, ts, name);
  const px = readPixelModule(ds, name);
  // Every frame is Rows x Columns: compressed frames must declare exactly that (codecs.ts).
  if (px.rows * px.columns > limits.maxFramePixels) {
    throw new ImageError('too-large', `${name} is ${px.columns} x ${px.rows} pixels, more than the annotator decodes at once. Downscale it first (e.g. with dcmtk's "dcmscale"), ${RAISE_FRAME_CAP}.`);
  }
  // pixelData() prefers (7FE0,0010): the float elements are used only without it.
  const float = el === ds.elements.x7fe00008;
  if (float && (px.bitsAllocated !== 32 || px.samplesPerPixel !== 1)) {
    throw new ImageError('unsupported', `${name} has floating-point pixels of ${px.bitsAllocated} bits and ${px.samplesPerPixel} sample(s), which the annotator does not read. Export the image again as one grey sample of 32-bit floats, or as 8 or 16-bit integers.`);
  }
  if (el === ds.elements.x7fe00009) {
    throw new ImageError('unsupported', `${name} has double-precision floating-point pixels, which the annotator does not read. Export the image again with 32-bit floats, or with 8 or 16-bit integers.`);
  }
  if (![1, 8, 16, 32].includes(px.bitsAllocated)) {
    throw new ImageError('unsupported', `${name} has ${px.bitsAllocated} bits per sample, which the annotator does not read. Export the image again with 8 or 16 bits per sample.`);
  }
  const modality = ds.string('x00080060')?.trim();
  const header = windowsFromHeader(ds);
  const color = px.samplesPerPixel === 3 || px.photometric === 'PALETTE COLOR';
  const invert = px.photometric === 'MONOCHROME1';
  const burned = (ds.string('x00280301') ?? '').trim().toUpperCase() === 'YES';
  const bigEndian = ts === TS.explicitBE;

  const decodeFrame = async (index: number): Promise<Frame> => {
    if (index < 0 || index >= px.frames) throw new ImageError('corrupt', `${name} has ${plural(px.frames, 'frame')}; frame ${index + 1} does not exist.`);
    const raw = frameBytes(ds, el, px, index, name, isCompressed(ts));
    const n = px.rows * px.columns;
    let bytes: Uint8Array = raw;
    let bytesPerSample = px.bitsAllocated === 1 ? 1 : px.bitsAllocated / 8;
    let spp = px.samplesPerPixel;
    let planar = px.planar;
    let alreadyRgb = false;
    let be = bigEndian;
    if (ts === TS.rle) {
      bytes = await compressedStep(name, ts, index, () => decodeRle(raw, n, spp, bytesPerSample));
      planar = 0;
      be = false;
    } else if (isCompressed(ts)) {
      const d = await compressedStep(name, ts, index, () => decodeCompressed(ts, raw, { bitsAllocated: px.bitsAllocated, width: px.columns, height: px.rows, samplesPerPixel: spp }));
      bytes = d.bytes;
      bytesPerSample = d.bytesPerSample;
      spp = d.samplesPerPixel;
      planar = 0;
      alreadyRgb = d.rgb && (ts === TS.jpegBaseline || ts === TS.jpegExtended);
      be = false;
    }
    if (bytes.length < n * nativeSamples({ ...px, samplesPerPixel: spp }, isCompressed(ts)) * bytesPerSample) throw truncatedPixels(name);
    if (px.photometric === 'YBR_FULL_422' && !isCompressed(ts)) return { kind: 'rgb', width: px.columns, height: px.rows, data: ybr422ToRgb(bytes, n, name, px.bitsAllocated) };

    if (px.photometric === 'PALETTE COLOR') {
      const idx = samplesToNumbers(bytes, { ...px, signed: false }, be, bytesPerSample);
      return { kind: 'rgb', width: px.columns, height: px.rows, data: paletteToRgb(ds, name, idx, n) };
    }
    if (color) {
      const vals = samplesToNumbers(bytes, { ...px, signed: false }, be, bytesPerSample);
      const bits = bytesPerSample === 2 ? px.bitsStored : 8;
      const out = new Uint8Array(n * 3);
      const get = (i: number, c: number) => toByte(planar === 1 ? vals[c * n + i] : vals[i * 3 + c], bits);
      const ybr = !alreadyRgb && px.photometric.startsWith('YBR_FULL');
      for (let i = 0; i < n; i++) {
        if (ybr) ybrToRgb(get(i, 0), get(i, 1), get(i, 2), out, i * 3);
        else {
          out[i * 3] = get(i, 0);
          out[i * 3 + 1] = get(i, 1);
          out[i * 3 + 2] = get(i, 2);
        }
      }
      return { kind: 'rgb', width: px.columns, height: px.rows, data: out };
    }
    const vals = samplesToNumbers(bytes, px, be, bytesPerSample, float);
    const data = vals.length === n ? (vals as Float32Array) : (vals.subarray(0, n) as Float32Array);
    const fg = Number.isFinite(px.slope) ? undefined : functionalGroup(ds, 'x00289145', index);
    const slope = (Number.isFinite(px.slope) ? px.slope : fg ? num(fg, 'x00281053', 1) : 1) || 1;
    const intercept = Number.isFinite(px.intercept) ? px.intercept : fg ? num(fg, 'x00281052', 0) : 0;
    if (slope !== 1 || intercept !== 0) for (let i = 0; i < n; i++) data[i] = data[i] * slope + intercept;
    return { kind: 'gray', width: px.columns, height: px.rows, data };
  };

  let defaultWindow: Window | undefined = header[0];
  let checked = false;
  const info: ImageInfo = {
    format: 'dicom',
    width: px.columns,
    height: px.rows,
    frames: px.frames,
    scale: 1,
    invert,
    defaultWindow,
    windows: color ? [] : [...header, ...(modality === 'CT' ? PRESETS : [])],
    modality,
    kind: kindOf(modality, ds),
    header: mainTags(ds),
    burnedInAnnotation: burned,
    notes,
    transferSyntax: ts,
  };
  return {
    info,
    async frame(index: number): Promise<Frame> {
      const f = await decodeFrame(index);
      // The first grey frame decides the window when the header names none that fits it.
      if (f.kind === 'gray' && !checked) {
        checked = true;
        if (!defaultWindow || !windowFits(defaultWindow, f.data)) info.defaultWindow = defaultWindow = autoWindow(f.data, modality);
      }
      return f;
    },
  };
}
