// How big a decoded image may get, checked against what a file declares before any pixel
// buffer is made. Larger images are decoded at a reduced size (PNG, which is read row by row)
// or refused with a clear message (codecs that decode a whole frame at once).

export interface ImageLimits {
  /** Longest side kept when decoding; the model sees 896 px anyway. */
  maxDecodedSide: number;
  /** Largest frame, in pixels, that is decoded whole (DICOM, JPEG). */
  maxFramePixels: number;
  /** Largest PNG, in pixels, read row by row and reduced to maxDecodedSide. */
  maxStreamedPixels: number;
  /** Longest side any file may declare (bounds a PNG's row buffer). */
  maxDeclaredSide: number;
  /** Largest dataset a Deflated DICOM may inflate to (a few KB of zeros can claim gigabytes). */
  maxInflatedBytes: number;
}

export const DEFAULT_LIMITS: Readonly<ImageLimits> = Object.freeze({
  maxDecodedSide: 4096,
  // Radiographs (9–15 MP) and mammograms (~25 MP) fit. A JPEG takes ~16 bytes a pixel to
  // decode (jpeg-js): at 50 MP the process stays under 1 GB.
  maxFramePixels: 50_000_000,
  maxStreamedPixels: 1024 * 1024 * 1024,
  maxDeclaredSide: 100_000,
  // One whole frame at the cap (3 samples of 16 bits: 300 MB) and its header.
  maxInflatedBytes: 320 * 1024 * 1024,
});

/**
 * What jpeg-js may allocate for one decode, in MB (it counts its own buffers and stops past
 * this): with the decoded RGB and the process itself, a JPEG stays under 1 GB of memory.
 */
export const JPEG_JS_MEMORY_MB = 640;

/** The limits with the user's own cap on a whole-decoded frame, in megapixels (10^6 pixels). */
export function limitsFor(maxFrameMegapixels: number | undefined): ImageLimits {
  if (!maxFrameMegapixels || !Number.isFinite(maxFrameMegapixels)) return DEFAULT_LIMITS;
  const maxFramePixels = Math.round(Math.min(1024, Math.max(1, maxFrameMegapixels)) * 1e6);
  return { ...DEFAULT_LIMITS, maxFramePixels, maxInflatedBytes: Math.max(DEFAULT_LIMITS.maxInflatedBytes, maxFramePixels * 6 + (16 << 20)) };
}

/** What to say when a frame is over the cap: downscale, or raise it (the hint each front end words, errors.ts). */
export const RAISE_FRAME_CAP = 'or raise "medgemma.image.maxFrameMegapixels" (CLI: --max-megapixels)';

/** Longest side kept when decoding (DEFAULT_LIMITS.maxDecodedSide). */
export const MAX_DECODED_SIDE = DEFAULT_LIMITS.maxDecodedSide;

/** Integer factor that brings the longest side within MAX_DECODED_SIDE. */
export function downscaleFactor(width: number, height: number, maxSide = MAX_DECODED_SIDE): number {
  return Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
}

/** "8,000 x 8,000 pixels (64 megapixels)" */
export function describeSize(width: number, height: number): string {
  const mp = (width * height) / 1e6;
  return `${width.toLocaleString('en')} x ${height.toLocaleString('en')} pixels (${mp >= 10 ? Math.round(mp) : mp.toFixed(1)} megapixels)`;
}
