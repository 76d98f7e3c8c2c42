// Opens any supported file by its content (not its name): DICOM, PNG, JPEG. WebP is
// recognised and refused with a way out. Every failure, whatever a decoder threw, is an
// ImageError with a readable message: this is the one error boundary of image decoding.

import { jpegFrame, minimumJpegBytes } from './codec-headers';
import { openDicom } from './dicom/decode';
import { isDicom } from './dicom/parse';
import { asImageError, ImageError, thrownText } from './errors';
import { DEFAULT_LIMITS, describeSize, downscaleFactor, type ImageLimits, JPEG_JS_MEMORY_MB, RAISE_FRAME_CAP } from './limits';
import { decodePng, PNG_SIGNATURE } from './png-decode';
import type { Frame, ImageInfo, ImageKind } from './types';
import { fullRangeWindow } from './window';

export interface OpenedImage {
  info: ImageInfo;
  frame(index: number): Promise<Frame>;
}

export function sniff(bytes: Uint8Array): 'dicom' | 'png' | 'jpeg' | 'webp' | undefined {
  if (isDicom(bytes)) return 'dicom';
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP') return 'webp';
  return undefined;
}

/** A guess from the file name for photographs (DICOM says its own modality). */
export function kindFromName(name: string): ImageKind {
  const n = name.toLowerCase();
  if (/cxr|chest|x-?ray|radiograph/.test(n)) return 'cxr';
  // "_" is a word character: "ct_head" needs its own pattern.
  if (/\bct\b|\bct[-_]/.test(n)) return 'ct';
  if (/\bmri\b|\bmri[-_]/.test(n)) return 'mri';
  if (/patholog|histo|ihc|h&e|slide/.test(n)) return 'pathology';
  if (/derm|isic|skin|lesion|nevus/.test(n)) return 'dermatology';
  if (/fundus|retina|eye/.test(n)) return 'fundus';
  // "abdct_1" is CT, but only once nothing else matched: "contact-dermatitis" is a skin photo.
  if (/ct[-_]/.test(n)) return 'ct';
  return 'other';
}

function describe(bytes: Uint8Array): string {
  if (!bytes.length) return 'an empty file';
  const head = bytes.subarray(0, 512);
  let text = 0;
  for (const b of head) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)) text++;
  return text / head.length > 0.95 ? 'a text file' : 'not an image the annotator reads';
}

function photo(info: Omit<ImageInfo, 'header' | 'burnedInAnnotation' | 'windows' | 'invert' | 'notes'> & { notes?: string[] }, frame: Frame): OpenedImage {
  const full: ImageInfo = { header: [], burnedInAnnotation: false, windows: [], invert: false, notes: info.notes ?? [], ...info };
  if (frame.kind === 'gray' && !full.defaultWindow) full.defaultWindow = fullRangeWindow(frame.data);
  return { info: full, frame: async (i) => (i === 0 ? frame : Promise.reject(new ImageError('corrupt', 'this image has one frame'))) };
}

/** Opens the image; `frame()` of the result fails only with ImageErrors too. */
export async function openImage(bytes: Uint8Array, name: string, limits: ImageLimits = DEFAULT_LIMITS): Promise<OpenedImage> {
  let img: OpenedImage;
  try {
    img = await open(bytes, name, limits);
  } catch (e) {
    throw asImageError(e, name);
  }
  return {
    info: img.info,
    frame: async (i) => {
      try {
        return await img.frame(i);
      } catch (e) {
        throw asImageError(e, name);
      }
    },
  };
}

async function open(bytes: Uint8Array, name: string, limits: ImageLimits): Promise<OpenedImage> {
  const kind = sniff(bytes);
  switch (kind) {
    case 'dicom':
      return openDicom(bytes, name, limits);
    case 'png': {
      const png = await decodePng(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name, limits);
      const notes = png.scale > 1 ? [`The image is ${png.width} x ${png.height} pixels; it is shown and sent reduced ${png.scale}x (${png.frame.width} x ${png.frame.height}).`] : [];
      const defaultWindow = png.frame.kind === 'gray' ? { center: 2 ** png.bitDepth / 2, width: 2 ** png.bitDepth } : undefined;
      return photo({ format: 'png', width: png.width, height: png.height, frames: 1, scale: png.scale, kind: kindFromName(name), notes, defaultWindow }, png.frame);
    }
    case 'jpeg': {
      const frame = decodeJpeg(bytes, name, limits);
      const s = downscaleFactor(frame.width, frame.height, limits.maxDecodedSide);
      return photo({ format: 'jpeg', width: frame.width, height: frame.height, frames: 1, scale: 1, kind: kindFromName(name), notes: s > 1 ? ['The image is very large; it is sent to the model reduced to 896 px.'] : [] }, frame);
    }
    case 'webp':
      throw new ImageError('unsupported', `${name} is a WebP image, which the annotator cannot decode yet. Convert it to PNG (e.g. "dwebp in.webp -o out.png") and open that.`);
    default:
      throw new ImageError('not-an-image', `${name} is ${describe(bytes)}, not a PNG, JPEG or DICOM image${/\.(png|jpe?g|dcm|webp)$/i.test(name) ? ' (its name says otherwise)' : ''}. Open the original image file.`);
  }
}

/** A JPEG file as RGB; its frame header is checked against the limits and its size first. */
function decodeJpeg(bytes: Uint8Array, name: string, limits: ImageLimits): Frame {
  const declared = jpegFrame(bytes);
  if (!declared || !declared.width || !declared.height) {
    throw new ImageError('corrupt', `${name} is a damaged JPEG: it has no readable image header. Re-save it as a baseline JPEG or PNG.`);
  }
  const { width, height } = declared;
  if (width * height > limits.maxFramePixels) {
    throw new ImageError('too-large', `${name} says it is ${describeSize(width, height)}, more than the annotator decodes at once. Downscale it first (e.g. to 4096 px on the long side), ${RAISE_FRAME_CAP}.`);
  }
  if (bytes.length < minimumJpegBytes(declared)) {
    throw new ImageError('truncated', `${name} says it is ${describeSize(width, height)} but holds far too little data for that; it is truncated or damaged. Re-export or copy the image again.`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jpeg = require('jpeg-js') as typeof import('jpeg-js');
  let img;
  try {
    img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: (width * height) / 1e6 + 1, maxMemoryUsageInMB: JPEG_JS_MEMORY_MB });
  } catch (e) {
    const err = asImageError(e, name);
    if (err.kind === 'too-large') throw err;
    throw new ImageError('corrupt', `${name} is a damaged or unsupported JPEG. Re-save it as a baseline JPEG or PNG.`, thrownText(e));
  }
  if (img.width !== width || img.height !== height) throw new ImageError('corrupt', `${name} is a damaged JPEG (its pixel data does not match its header). Re-save it as a baseline JPEG or PNG.`);
  // Without formatAsRGBA jpeg-js always writes R, G, B: grey as three equal samples, CMYK converted.
  return { kind: 'rgb', width, height, data: img.data as Uint8Array };
}
