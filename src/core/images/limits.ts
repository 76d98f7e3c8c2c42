// How big a decoded image may get. Larger images are decoded at a reduced size (PNG) or
// refused with a clear message (codecs that cannot decode in parts).

/** Longest side kept when decoding; the model sees 896 px anyway. */
export const MAX_DECODED_SIDE = 4096;
/** Largest image (in pixels) a codec that decodes all at once may try. */
export const MAX_WHOLE_DECODE_PIXELS = 64 * 1024 * 1024;

/** Integer factor that brings the longest side within MAX_DECODED_SIDE. */
export function downscaleFactor(width: number, height: number, maxSide = MAX_DECODED_SIDE): number {
  return Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
}
