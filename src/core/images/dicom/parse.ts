// Reading a DICOM file's dataset with dicom-parser, with readable errors for broken files and
// a lenient path for files whose dataset is implicit VR although the header says explicit.

import * as dicomParser from 'dicom-parser';
import * as zlib from 'node:zlib';
import { ImageError } from '../errors';
import { DEFAULT_LIMITS } from '../limits';

export type DataSet = dicomParser.DataSet;
export type Element = dicomParser.Element;

export const TS = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  deflate: '1.2.840.10008.1.2.1.99',
  explicitBE: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSV1: '1.2.840.10008.1.2.4.70',
  jpegLS: '1.2.840.10008.1.2.4.80',
  jpegLSNear: '1.2.840.10008.1.2.4.81',
  j2kLossless: '1.2.840.10008.1.2.4.90',
  j2k: '1.2.840.10008.1.2.4.91',
  rle: '1.2.840.10008.1.2.5',
} as const;

export const TS_NAMES: Record<string, string> = {
  [TS.implicitLE]: 'Implicit VR Little Endian',
  [TS.explicitLE]: 'Explicit VR Little Endian',
  [TS.deflate]: 'Deflated Explicit VR Little Endian',
  [TS.explicitBE]: 'Explicit VR Big Endian',
  [TS.jpegBaseline]: 'JPEG Baseline',
  [TS.jpegExtended]: 'JPEG Extended (12-bit)',
  [TS.jpegLossless]: 'JPEG Lossless',
  [TS.jpegLosslessSV1]: 'JPEG Lossless SV1',
  [TS.jpegLS]: 'JPEG-LS Lossless',
  [TS.jpegLSNear]: 'JPEG-LS Near-Lossless',
  [TS.j2kLossless]: 'JPEG 2000 Lossless',
  [TS.j2k]: 'JPEG 2000',
  [TS.rle]: 'RLE Lossless',
  '1.2.840.10008.1.2.4.100': 'MPEG-2 video',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264 video',
  '1.2.840.10008.1.2.4.201': 'High-Throughput JPEG 2000',
};

export function isDicom(bytes: Uint8Array): boolean {
  return bytes.length > 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

function message(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'exception' in e) return String((e as { exception: unknown }).exception);
  return e instanceof Error ? e.message : String(e);
}

/** The dataset is implicit VR even though the meta header announces an explicit one. */
function parseImplicitAfterMeta(bytes: Uint8Array): DataSet {
  const meta = dicomParser.readPart10Header(bytes);
  let end = 132;
  for (const el of Object.values(meta.elements)) end = Math.max(end, el.dataOffset + el.length);
  const P = dicomParser as unknown as { DataSet: new (p: unknown, b: Uint8Array, e: object) => DataSet };
  const ds = new P.DataSet(dicomParser.littleEndianByteArrayParser, bytes, {});
  const stream = new dicomParser.ByteStream(dicomParser.littleEndianByteArrayParser, bytes, end);
  dicomParser.parseDicomDataSetImplicit(ds, stream, bytes.length);
  Object.assign(ds.elements, meta.elements);
  return ds;
}

export interface Parsed {
  ds: DataSet;
  transferSyntax: string;
  notes: string[];
}

/**
 * dicom-parser's inflater for the Deflated transfer syntax, bounded: its own inflates without
 * a limit, so a small file of deflated zeros would take gigabytes.
 */
function boundedInflater(name: string, maxBytes: number) {
  return (all: Uint8Array, position: number): Uint8Array => {
    let body: Buffer;
    try {
      body = zlib.inflateRawSync(all.subarray(position), { maxOutputLength: maxBytes });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ImageError('too-large', `${name} is a compressed (Deflated) DICOM file that expands to more than ${Math.round(maxBytes / 1024 / 1024)} MB, more than the annotator reads. Export it uncompressed or as a smaller image.`);
      }
      throw new ImageError('corrupt', `${name} is a Deflated DICOM file whose compressed data is damaged. Export it again from the source.`, String(e));
    }
    const whole = new Uint8Array(position + body.length);
    whole.set(all.subarray(0, position));
    whole.set(body, position);
    return whole;
  };
}

export function parseDicomFile(bytes: Uint8Array, name: string, maxInflatedBytes = DEFAULT_LIMITS.maxInflatedBytes): Parsed {
  if (!isDicom(bytes)) {
    throw new ImageError('not-an-image', `${name} is not a DICOM Part 10 file (no "DICM" marker at byte 128). Export it from the PACS as a DICOM file.`);
  }
  const notes: string[] = [];
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, { inflater: boundedInflater(name, maxInflatedBytes) } as dicomParser.ParseDicomOptions);
  } catch (e) {
    if (e instanceof ImageError) throw e;
    const why = message(e);
    const partial = (e as { dataSet?: DataSet })?.dataSet;
    // A dataset written implicit VR under an explicit transfer syntax (seen in the wild): read it leniently.
    if (/buffer overrun|invalid|vr/i.test(why) && partial && Object.keys(partial.elements).length < 4) {
      try {
        ds = parseImplicitAfterMeta(bytes);
        notes.push('The dataset is encoded implicit VR although its header says explicit; it was read leniently.');
      } catch {
        throw new ImageError('corrupt', `${name} is a damaged DICOM file: its header cannot be read. Export it again from the source.`, why);
      }
    } else if (/overrun|end of|truncat/i.test(why)) {
      const inPixels = partial?.elements.x7fe00010 !== undefined;
      throw new ImageError(
        'truncated',
        `${name} is a truncated DICOM file: ${inPixels ? 'its pixel data ends before the image does' : 'it ends in the middle of the header'}. Copy or export it again.`,
        why,
      );
    } else {
      throw new ImageError('corrupt', `${name} is not a readable DICOM file: its header is damaged. Export it again from the source.`, why);
    }
  }
  const transferSyntax = (ds.string('x00020010') ?? TS.implicitLE).replace(/\0/g, '').trim();
  return { ds, transferSyntax, notes };
}
