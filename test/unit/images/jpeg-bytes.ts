// JPEG bytes written by hand for the image tests: segments, a stream, a tiny grey baseline JPEG.

/** A marker segment: FF, the marker, its big-endian length (body + 2), the body. */
export const seg = (m: number, body: number[]) => [0xff, m, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
/** SOI followed by the segments and bytes given. */
export const jpg = (...segs: number[][]) => Uint8Array.from([0xff, 0xd8, ...segs.flat()]);
export const zeros = (n: number) => new Array(n).fill(0);

/** An 8 x 8 grey baseline JPEG of 128 (SOF0, 1 component), or two blocks 128 | 160 (16 x 8). */
export function greyJpeg(twoBlocks = false): Uint8Array {
  const dc = twoBlocks ? [0, 2, ...zeros(14), 0, 9] : [1, ...zeros(15), 0];
  return jpg(seg(0xdb, [0, ...new Array(64).fill(1)]), seg(0xc0, [8, 0, 8, 0, twoBlocks ? 16 : 8, 1, 1, 0x11, 0]), seg(0xc4, [0x00, ...dc]), seg(0xc4, [0x10, 1, ...zeros(15), 0]), seg(0xda, [1, 1, 0, 0, 63, 0]), twoBlocks ? [0x0c, 0x01] : [0x3f], [0xff, 0xd9]);
}
