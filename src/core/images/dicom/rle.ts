// DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
// segment per byte plane (most significant byte first, one set per sample).

import { ImageError } from '../errors';

/** A PackBits segment yields at most 128 bytes for every 2 it holds. */
const MAX_EXPANSION = 64;

/**
 * Decodes one RLE frame into native little-endian interleaved samples
 * (bytesPerSample x samplesPerPixel per pixel). Every segment must fill the whole frame: a
 * frame that could not, or did not, is refused (before its output is allocated, when its
 * segments are too short to fill it whatever they hold).
 */
export function decodeRle(src: Uint8Array, pixels: number, samplesPerPixel: number, bytesPerSample: number): Uint8Array {
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (src.length < 64) throw new ImageError('corrupt', 'the RLE frame is shorter than its header');
  const segments = dv.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segments !== expected) throw new ImageError('corrupt', `the RLE frame has ${segments} segments where ${expected} were expected`);
  const bounds: [number, number][] = [];
  for (let s = 0; s < segments; s++) {
    const start = dv.getUint32(4 + s * 4, true);
    const end = s + 1 < segments ? dv.getUint32(8 + s * 4, true) : src.length;
    if (start < 64 || end > src.length || end <= start) throw new ImageError('corrupt', `segment ${s + 1} of the RLE frame lies outside the frame`);
    if ((end - start) * MAX_EXPANSION < pixels) throw unfilled(s, Math.min(pixels, (end - start) * MAX_EXPANSION), pixels);
    bounds.push([start, end]);
  }
  const out = new Uint8Array(pixels * expected);
  for (let s = 0; s < segments; s++) {
    const [start, end] = bounds[s];
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample); // MSB segment first -> little endian
    const step = expected;
    let o = sample * bytesPerSample + byteInSample;
    let n = 0;
    let i = start;
    while (i < end && n < pixels) {
      const h = (src[i++] << 24) >> 24; // signed byte
      if (h >= 0) {
        for (let k = 0; k <= h && n < pixels && i < end; k++, n++, o += step) out[o] = src[i++];
      } else if (h > -128) {
        if (i >= end) break;
        const v = src[i++];
        for (let k = 0; k <= -h && n < pixels; k++, n++, o += step) out[o] = v;
      }
    }
    if (n < pixels) throw unfilled(s, n, pixels);
  }
  return out;
}

function unfilled(segment: number, filled: number, pixels: number): ImageError {
  return new ImageError('truncated', `segment ${segment + 1} of the RLE frame holds only ${filled.toLocaleString('en')} of its ${pixels.toLocaleString('en')} pixels; the file is truncated or damaged`);
}
