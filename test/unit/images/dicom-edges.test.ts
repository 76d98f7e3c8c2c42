// DICOM decoding at its edges, on files built in memory: the fragment walk of a leniently read
// file, native frames shorter than their size, odd bit depths and colour headers, palettes at the
// end of the file, YBR_FULL_422, rescale lookups in functional groups; the codecs' own size check,
// JPEG colour markers, jpeg-js options, how codecs load and free their decoders; RLE run ends.
import * as assert from 'node:assert/strict';
import * as codecs from '../../../src/core/images/dicom/codecs';
import { decodeCompressed, jpegColorTransform } from '../../../src/core/images/dicom/codecs';
import { openDicom } from '../../../src/core/images/dicom/decode';
import { TS } from '../../../src/core/images/dicom/parse';
import { decodeRle } from '../../../src/core/images/dicom/rle';
import { ImageError } from '../../../src/core/images/errors';
import { jpg, seg, zeros } from './jpeg-bytes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { encode: jpegEncode } = require('jpeg-js') as typeof import('jpeg-js');

// ---- a small DICOM writer: explicit VR little endian, or implicit for the lenient files ----
interface El { tag: number; vr: string; v: Buffer | number[] | string | El[][]; undef?: boolean }
const LONG_VR = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);
const uint = (n: number, size: number) => {
  const b = Buffer.alloc(size);
  b.writeUIntLE(size === 4 ? n >>> 0 : n, 0, size);
  return b;
};
const tagBytes = (t: number) => Buffer.concat([uint(t >>> 16, 2), uint(t & 0xffff, 2)]);
const item = (body: Buffer) => Buffer.concat([tagBytes(0xfffee000), uint(body.length, 4), body]);
const SEQ_END = Buffer.concat([tagBytes(0xfffee0dd), uint(0, 4)]);
const el = (tag: number, vr: string, v: El['v'], undef = false): El => ({ tag, vr, v, undef });
function valueBytes(x: El, implicit: boolean): Buffer {
  if (Buffer.isBuffer(x.v)) return x.v;
  if (typeof x.v === 'string') return Buffer.from(x.v.length % 2 ? `${x.v}${x.vr === 'UI' ? '\0' : ' '}` : x.v, 'latin1');
  if (x.vr === 'SQ') return Buffer.concat((x.v as El[][]).map((it) => item(Buffer.concat(it.map((i) => encode(i, implicit))))));
  const size = x.vr === 'OB' ? 1 : x.vr === 'UL' ? 4 : 2;
  return Buffer.concat((x.v as number[]).map((n) => uint(n, size)));
}
function encode(x: El, implicit: boolean): Buffer {
  const v = valueBytes(x, implicit);
  const len = x.undef ? 0xffffffff : v.length;
  if (implicit) return Buffer.concat([tagBytes(x.tag), uint(len, 4), v]);
  const head = LONG_VR.has(x.vr) ? Buffer.concat([Buffer.from(x.vr), Buffer.alloc(2), uint(len, 4)]) : Buffer.concat([Buffer.from(x.vr), uint(len, 2)]);
  return Buffer.concat([tagBytes(x.tag), head, v]);
}
/** Preamble, DICM, the meta group (always explicit LE), the body; raw Buffers go in as they are. */
function file(body: Array<El | Buffer>, ts: string = TS.explicitLE, implicit = false): Buffer {
  const meta = Buffer.concat([el(0x00020001, 'OB', [0, 1]), el(0x00020002, 'UI', '1.2.840.10008.5.1.4.1.1.7'), el(0x00020003, 'UI', '1.2.3.4'), el(0x00020010, 'UI', ts)].map((x) => encode(x, false)));
  const data = body.map((x) => (Buffer.isBuffer(x) ? x : encode(x, implicit)));
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), encode(el(0x00020000, 'UL', [meta.length]), false), meta, ...data]);
}
interface Img { rows?: number; cols?: number; ba?: number; bs?: number; hb?: number; pr?: number; spp?: number; pi?: string; frames?: string; extra?: El[]; px?: El }
/** The pixel module (1 x 2 pixels, 16 bits unless told), the extra elements, the pixel data. */
function img(o: Img, pixels: number[] | Buffer = []): El[] {
  const us = (tag: number, n?: number) => (n === undefined ? [] : [el(tag, 'US', [n])]);
  const ba = o.ba ?? 16;
  return [el(0x00080060, 'CS', 'OT'), ...(o.extra ?? []), ...us(0x00280002, o.spp), ...(o.pi ? [el(0x00280004, 'CS', o.pi)] : []), ...(o.frames ? [el(0x00280008, 'IS', o.frames)] : []),
    ...us(0x00280010, o.rows ?? 1), ...us(0x00280011, o.cols ?? 2), ...us(0x00280100, ba), ...us(0x00280101, o.bs), ...us(0x00280102, o.hb), ...us(0x00280103, o.pr), o.px ?? el(0x7fe00010, ba > 8 ? 'OW' : 'OB', pixels)];
}
/** One RLE frame: the 64-byte header (segment count, offsets), then the segments (signed bytes allowed). */
function rle(segs: number[][]): Buffer {
  const starts = segs.map((_, i) => 64 + segs.slice(0, i).reduce((n, s) => n + s.length, 0));
  return Buffer.concat([uint(segs.length, 4), ...starts.map((o) => uint(o, 4)), Buffer.alloc(60 - starts.length * 4), ...segs.map((s) => Buffer.from(s.map((b) => b & 0xff)))]);
}
/** Encapsulated pixel data: an empty offset table, the fragments, the sequence delimiter. */
const encap = (frags: Buffer[]) => el(0x7fe00010, 'OB', Buffer.concat([item(Buffer.alloc(0)), ...frags.map(item), SEQ_END]), true);
const open = (body: Array<El | Buffer>, ts?: string, implicit?: boolean) => openDicom(file(body, ts, implicit), 'x.dcm');
async function frameOf(body: Array<El | Buffer>, ts?: string, index = 0): Promise<[string, ...number[]]> {
  const f = await open(body, ts).frame(index);
  return [f.kind, ...Array.from(f.data)];
}
async function fails(f: () => unknown, kind: string, message: string, detail?: string): Promise<void> {
  const err = await Promise.resolve().then(f).then(() => undefined, (x: unknown) => x);
  assert.ok(err instanceof ImageError, `expected an ImageError, got ${String(err)}`);
  assert.deepEqual([err.kind, err.message, ...(detail === undefined ? [] : [err.detail])], [kind, message, ...(detail === undefined ? [] : [detail])]);
}
const TRUNC = 'x.dcm is a truncated DICOM file: its pixel data is shorter than the image size in its header. Copy or export it again.';

describe('dicom decode.ts edges', () => {
  describe('fragments walked by hand in a file read leniently (implicit VR under RLE)', () => {
    // Read as explicit VR, this first element overruns the buffer: the dataset is read implicit.
    const lead = el(0x00080008, 'CS', Buffer.from([0x10, 0, 0x10, 0, 0x58, 0x58, 0xff, 0xff]));
    /** A 2 x 1, 8-bit RLE frame of 72 bytes (read as implicit VR: one element of 64 bytes). */
    const frag = (a: number, b: number) => rle([[1, a, b, -128, -128, -128, -128, -128]]);
    /** The empty offset table item, then the fragments as items. */
    const items = (...frags: Buffer[]) => Buffer.concat([item(Buffer.alloc(0)), ...frags.map(item)]);
    /**
     * Pixel data of defined length holding the items, then `after`: the parser reads what follows as
     * more elements of the dataset, the walk through the fragments goes on into it until it stops.
     */
    const lenient = (px: Buffer, after: Buffer, frames?: string) => open([lead, ...img({ ba: 8, frames, px: el(0x7fe00010, 'OB', px) }), after], TS.rle, true);
    const pixels = async (px: Buffer, after: Buffer, frames?: string, i = 0) => Array.from((await lenient(px, after, frames).frame(i)).data);
    const element = (tag: number, value: Buffer, len = value.length) => Buffer.concat([tagBytes(tag), uint(len, 4), value]);

    it('stops at the first tag outside group FFFE after the fragments, as at a sequence delimiter', async () => {
      assert.deepEqual(await pixels(items(frag(7, 8)), SEQ_END), [7, 8]);
      assert.deepEqual(await pixels(items(frag(7, 8)), element(0xfffcfffc, Buffer.alloc(8))), [7, 8]); // dataset trailing padding
      assert.deepEqual(await pixels(items(frag(1, 2), frag(3, 4)), element(0x7fe10010, Buffer.alloc(4)), '2', 1), [3, 4]);
    });

    it('refuses an item tag other than E000 (an item delimiter) where a fragment should be', async () => {
      await fails(() => pixels(items(frag(7, 8)), element(0xfffee00d, Buffer.alloc(0))), 'truncated', TRUNC);
    });

    it('reads a fragment that ends exactly at the end of the file, refuses one that runs 1 to 16 bytes past it', async () => {
      const body = Buffer.alloc(8, 1);
      assert.deepEqual(await pixels(items(frag(5, 6)), element(0xfffee000, body)), [5, 6]); // 8 more bytes of the one frame: unused
      for (const extra of [1, 8, 16]) await fails(() => pixels(items(frag(5, 6)), element(0xfffee000, body, body.length + extra)), 'truncated', TRUNC);
    });

    it('refuses two frames held in one fragment without an offset table', async () => {
      const d = lenient(items(frag(1, 2)), SEQ_END, '2');
      for (const i of [0, 1]) await fails(() => d.frame(i), 'unsupported', 'x.dcm has 2 frames in 1 fragment without an offset table, which the annotator cannot split.');
    });
  });

  describe('native pixel data', () => {
    it('refuses a frame longer than its pixel data element even when more of the file follows it', async () => {
      const tail = el(0xfffcfffc, 'OB', Buffer.alloc(16, 0x77)); // padding after the pixels
      await fails(() => open([...img({}, [0x0102]), tail]).frame(0), 'truncated', TRUNC);
      await fails(() => open([...img({ frames: '2' }, [1, 2, 3]), tail]).frame(1), 'truncated', TRUNC);
      assert.deepEqual(await frameOf([...img({ frames: '2' }, [1, 2, 3, 4]), tail], undefined, 1), ['gray', 3, 4]);
    });

    it('refuses 1-bit pixels declared with 3 samples (a 1-bit frame holds one sample a pixel)', async () => {
      await fails(() => open(img({ ba: 1, spp: 3, rows: 2, cols: 4 }, Buffer.from([0xff, 0xff, 0xff]))).frame(0), 'truncated', TRUNC);
    });

    it('reads 1-bit pixels as one bit whatever Bits Stored says: a set bit of a signed bitmap is -1', async () => {
      assert.deepEqual(await frameOf(img({ ba: 1, bs: 8, hb: 0, pr: 1, cols: 4 }, Buffer.from([0b0101]))), ['gray', -1, 0, -1, 0]);
      assert.deepEqual(await frameOf(img({ ba: 1, bs: 8, hb: 0, cols: 4 }, Buffer.from([0b0101]))), ['gray', 1, 0, 1, 0]);
    });

    it('keeps colour samples of 8 bits or fewer as they are, scales only more than 8 stored bits', async () => {
      const rgb = (o: Img, px: number[]) => frameOf(img({ spp: 3, cols: 2, ...o }, px));
      // 16 bits allocated, 4 stored: levels 0..15 stay 0..15 (not multiplied up to 0..240).
      assert.deepEqual(await rgb({ ba: 16, bs: 4 }, [15, 3, 0, 8, 1, 2]), ['rgb', 15, 3, 0, 8, 1, 2]);
      assert.deepEqual(await rgb({ ba: 16, bs: 8 }, [255, 128, 0, 7, 1, 2]), ['rgb', 255, 128, 0, 7, 1, 2]);
      assert.deepEqual(await rgb({ ba: 16, bs: 9 }, [511, 256, 1, 2, 3, 100]), ['rgb', 255, 128, 1, 1, 2, 50]);
      // 8 bits allocated: a Bits Stored of 12 cannot scale 8-bit samples down.
      assert.deepEqual(await rgb({ ba: 8, bs: 12, hb: 7 }, [200, 100, 16, 255, 0, 32]), ['rgb', 200, 100, 16, 255, 0, 32]);
    });

    it('reads a 16-bit palette whose last table ends the file', async () => {
      const w16 = (...v: number[]) => Buffer.concat(v.map((n) => uint(n, 2)));
      const desc = (t: number) => el(t, 'US', [2, 0, 16]);
      const body = [...img({ pi: 'PALETTE COLOR', ba: 8, extra: [desc(0x00281101), desc(0x00281102), desc(0x00281103)] }, [0, 1]),
        el(0x00281201, 'OW', w16(0x1000, 0x2000)), el(0x00281202, 'OW', w16(0x3000, 0x4000)), el(0x00281203, 'OW', w16(0x5000, 0x6000))];
      assert.deepEqual(await frameOf(body), ['rgb', 0x10, 0x30, 0x50, 0x20, 0x40, 0x60]);
    });

    it('YBR_FULL_422: every pair of pixels takes its own Y1 Y2 Cb Cr', async () => {
      const ybr = (cols: number, px: number[]) => frameOf(img({ spp: 3, ba: 8, pi: 'YBR_FULL_422', cols }, px));
      assert.deepEqual(await ybr(4, [100, 200, 128, 128, 128, 100, 64, 192]), ['rgb', 100, 100, 100, 200, 200, 200, 218, 104, 15, 190, 76, 0]);
      assert.deepEqual(await ybr(6, [10, 20, 128, 128, 30, 40, 128, 128, 50, 60, 128, 128]), ['rgb', 10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40, 50, 50, 50, 60, 60, 60]);
      // An odd pixel count (not allowed for 4:2:2): the last pixel's Cb Cr lie past the frame, it shows black.
      assert.deepEqual(await ybr(3, [100, 200, 128, 128, 50, 0]), ['rgb', 100, 100, 100, 200, 200, 200, 0, 0, 0]);
    });

    it('converts YBR_FULL_422 colour read from an RLE frame (three full samples) to RGB', async () => {
      const frame = rle([[0, 128], [0, 64], [0, 192]]);
      assert.deepEqual(await frameOf(img({ spp: 3, ba: 8, pi: 'YBR_FULL_422', cols: 1, px: encap([frame]) }), TS.rle), ['rgb', 218, 104, 15]);
      assert.deepEqual(await frameOf(img({ spp: 3, ba: 8, pi: 'RGB', cols: 1, px: encap([frame]) }), TS.rle), ['rgb', 128, 64, 192]);
    });

    it('passes float pixels through untouched without rescale: -0 stays -0', async () => {
      const floats = Buffer.alloc(8);
      [-0, 2.5].forEach((v, i) => floats.writeFloatLE(v, i * 4));
      const f = await open(img({ ba: 32, px: el(0x7fe00008, 'OF', floats) })).frame(0);
      assert.deepEqual([Object.is(f.data[0], -0), f.data[1], f.data.length], [true, 2.5, 2]);
    });
  });

  describe('functional groups (enhanced multi-frame)', () => {
    const ds = (tag: number, v: string) => el(tag, 'DS', v);
    const sq = (tag: number, items: El[][]) => el(tag, 'SQ', items);
    const rescale = (slope: string, icpt: string) => [sq(0x00289145, [[ds(0x00281053, slope), ds(0x00281052, icpt)]])];
    const shared = sq(0x52009229, [rescale('5', '7')]);
    const grey = async (extra: El[], index: number) => (await frameOf(img({ frames: '2', extra }, [10, 20, 10, 20]), undefined, index)).slice(1);

    it('falls back to the shared group when the per-frame sequence has no item for the frame', async () => {
      const perFrame = sq(0x52009230, [rescale('2', '1')]); // an item for frame 1 only
      assert.deepEqual([await grey([perFrame, shared], 0), await grey([perFrame, shared], 1)], [[21, 41], [57, 107]]);
      assert.deepEqual(await grey([sq(0x52009230, []), shared], 0), [57, 107]);
    });

    it('falls back to the shared group when the frame\'s item has an empty pixel value transformation sequence', async () => {
      assert.deepEqual(await grey([sq(0x52009230, [[sq(0x00289145, [])], [sq(0x00289145, [])]]), shared], 1), [57, 107]);
      assert.deepEqual(await grey([sq(0x52009230, [[sq(0x00289145, [])]]), sq(0x52009229, [[sq(0x00289145, [])]])], 0), [10, 20]);
    });

    it('finds the header window in the shared group when the per-frame sequence is empty or its VOI sequence is', () => {
      const voi = (items: El[][]) => [sq(0x00289132, items)];
      const wins = (extra: El[]) => open(img({ extra })).info.windows;
      const sharedVoi = sq(0x52009229, [voi([[ds(0x00281050, '30'), ds(0x00281051, '60')]])]);
      assert.deepEqual(wins([sq(0x52009230, []), sharedVoi]), [{ name: 'Header', center: 30, width: 60 }]);
      assert.deepEqual(wins([sq(0x52009230, [voi([])]), sharedVoi]), [{ name: 'Header', center: 30, width: 60 }]);
    });
  });

  it('names a decoder failure that is not an ImageError: an RLE header of 20 segments whose offsets run out', async () => {
    // 20 segments (20 samples of 8 bits): the header holds 15 offsets, the others are read from the
    // segment bytes; segment 19's end lies past the 82-byte frame, where the offset reader stops.
    const frame = Buffer.alloc(82);
    frame.writeUInt32LE(20, 0);
    for (let s = 0; s < 15; s++) frame.writeUInt32LE(64 + s, 4 + s * 4); // segments 1..15 of one byte
    [79, 80, 81, 82].forEach((o, k) => frame.writeUInt32LE(o, 64 + k * 4)); // offsets 16..19, inside the data
    const d = open(img({ spp: 20, ba: 8, cols: 1, px: encap([frame]) }), TS.rle);
    await fails(() => d.frame(0), 'corrupt', 'x.dcm (RLE Lossless, frame 1): its compressed frame could not be decoded; the file is damaged. Export it again from the source.', 'RangeError: Offset is outside the bounds of the DataView');
  });
});

// ---- compressed streams (see dicom-cases.test.ts for how they were made) ----
const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const LS8 = hex('ffd8fff7000b080002000401011100ffda00080101000000005b6934c0ffd9'); // JPEG-LS 4 x 2: 1..8
const J2K_NOTE = 'ff640025000143726561746564206279204f70656e4a5045472076657273696f6e20322e352e34ff90000a00000000';
const J2K8 = hex(`ff4fff510029000000000004000000020000000000000000000000040000000200000000000000000001070101ff52000c00020001000004040001ff5c00044040${J2K_NOTE}001b0001ff93cfb428064073dbfc6a082e883fffd9`); // 4 x 2
const frame = (width: number, height: number, samplesPerPixel = 1, bitsAllocated = 8) => ({ width, height, samplesPerPixel, bitsAllocated });
/** Grey baseline JPEG of width x height whose every block is DC 0, no AC: every pixel 128. */
function flatJpeg(width: number, height: number, head: number[][] = []): Uint8Array {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  return jpg(...head, seg(0xdb, [0, ...new Array(64).fill(1)]), seg(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]), seg(0xc4, [0x00, 1, ...zeros(15), 0]), seg(0xc4, [0x10, 1, ...zeros(15), 0]), seg(0xda, [1, 1, 0, 0, 63, 0]), zeros(Math.ceil(blocks / 4) + 1), [0xff, 0xd9]);
}

describe('dicom codecs.ts edges', () => {
  it('jpegColorTransform reads markers only while each starts with FF, and takes "Adobe" only from APP14', () => {
    const adobeBody = [...Buffer.from('Adobe'), 0, 100, 0, 0, 0, 0, 0]; // transform 0: RGB
    // After SOI a 00 byte where a marker should be: nothing more is read (YCbCr assumed).
    assert.equal(jpegColorTransform(Uint8Array.from([0xff, 0xd8, 0x00, 0xee, 0, 16, ...adobeBody, 0, 0])), true);
    assert.equal(jpegColorTransform(jpg(seg(0xe1, adobeBody))), true);
    assert.equal(jpegColorTransform(jpg(seg(0xe1, [1, 2]), seg(0xee, adobeBody))), false);
  });

  it('jpeg-js output: 3 samples a pixel for colour in a plain Uint8Array, one for grey', async () => {
    const data = Buffer.from(Array.from({ length: 16 }, (_, i) => [200, 100, 50, 255][i % 4])); // 2 x 2 RGBA
    const rgbJpeg = jpegEncode({ data, width: 2, height: 2 }, 100).data;
    const d = await decodeCompressed(TS.jpegBaseline, rgbJpeg, frame(2, 2, 3));
    assert.deepEqual({ ...d, bytes: Array.from(d.bytes) }, { bytes: [199, 99, 49, 199, 99, 49, 199, 99, 49, 199, 99, 49], bytesPerSample: 1, samplesPerPixel: 3, width: 2, height: 2, rgb: true });
    assert.equal(Object.getPrototypeOf(d.bytes), Uint8Array.prototype); // not a Buffer
    const g = await decodeCompressed(TS.jpegBaseline, flatJpeg(8, 8), frame(8, 8, 1));
    assert.deepEqual({ ...g, bytes: [g.bytes.length, g.bytes.every((v) => v === 128)] }, { bytes: [64, true], bytesPerSample: 1, samplesPerPixel: 1, width: 8, height: 8, rgb: false });
  });

  it('jpeg-js may decode the full declared size of a tall frame (16 x 65535, over a megapixel)', async () => {
    const g = await decodeCompressed(TS.jpegBaseline, flatJpeg(16, 65535), frame(16, 65535));
    assert.deepEqual([g.width, g.height, g.bytes.length, g.bytes.every((v) => v === 128)], [16, 65535, 16 * 65535, true]);
  });

  it('refuses a frame the decoder finds of another width or height than the header checked before it', async () => {
    // A quantisation table segment that says 3 bytes long: the header check skips 3 bytes and finds an
    // 8 x 8 frame header, jpeg-js reads a whole table over it and decodes the real frame after it.
    const hidden = (w: number, h: number) => flatJpeg(w, h, [[0xff, 0xdb, 0, 3, 0], seg(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), zeros(51)]);
    const size = (w: number, h: number) => `its compressed frame is ${w} x ${h} pixels but the header says 8 x 8; the file is damaged`;
    await fails(() => decodeCompressed(TS.jpegBaseline, hidden(16, 8), frame(8, 8)), 'corrupt', size(16, 8));
    await fails(() => decodeCompressed(TS.jpegBaseline, hidden(8, 16), frame(8, 8)), 'corrupt', size(8, 16));
    await fails(() => decodeCompressed(TS.jpegBaseline, hidden(16, 16), frame(8, 8)), 'corrupt', size(16, 16));
    const same = await decodeCompressed(TS.jpegBaseline, hidden(8, 8), frame(8, 8));
    assert.deepEqual([same.width, same.height, same.bytes.length], [8, 8, 64]);
  });

  describe('the WebAssembly codecs, in a fresh copy of codecs.ts (its own module cache)', () => {
    const resolve = (id: string) => require.resolve(id);
    const CODECS = resolve('../../../src/core/images/dicom/codecs');
    const FACTORIES = { charls: resolve('@cornerstonejs/codec-charls/decode'), openjpeg: resolve('@cornerstonejs/codec-openjpeg/decode') };
    type Factory = (o?: object) => Promise<Record<string, new () => Record<string, () => unknown>>>;
    const loads: Array<{ codec: string; options: Record<string, unknown> }> = [];
    const counts = { made: 0, deleted: 0 };
    const heapViews: Uint8Array[] = [];
    const saved: Array<[string, NodeJS.Module | undefined, unknown]> = [];
    let fresh: typeof codecs;

    before(() => {
      for (const [codec, path] of Object.entries(FACTORIES)) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const real = require(path) as Factory;
        saved.push([path, require.cache[path], require.cache[path]?.exports]);
        // Each decoder the codec module makes is counted, and its deletes and decoded buffers seen.
        const spy: Factory = async (options) => {
          loads.push({ codec, options: { ...(options as Record<string, unknown>) } });
          const mod = await real(options);
          const wrapped: Record<string, unknown> = {};
          for (const [name, Cls] of Object.entries(mod)) {
            if (!/Decoder$/.test(name)) continue;
            wrapped[name] = function Counted() {
              const d = new Cls();
              counts.made++;
              const [del, get] = [d.delete.bind(d), d.getDecodedBuffer.bind(d)];
              d.delete = () => { counts.deleted++; return del(); };
              d.getDecodedBuffer = () => { const b = get() as Uint8Array; heapViews.push(b); return b; };
              return d;
            };
          }
          return wrapped as Awaited<ReturnType<Factory>>;
        };
        (require.cache[path] as NodeJS.Module).exports = spy;
      }
      saved.push([CODECS, require.cache[CODECS], undefined]);
      delete require.cache[CODECS];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      fresh = require(CODECS) as typeof codecs;
    });
    after(() => {
      for (const [path, entry, exports] of saved) {
        if (entry) require.cache[path] = entry;
        if (entry && exports !== undefined) entry.exports = exports;
      }
    });

    it('loads each codec once, quietly, deletes every decoder even when decoding fails, and copies the output out', async () => {
      const ls = await fresh.decodeCompressed(TS.jpegLS, LS8, frame(4, 2));
      const again = await fresh.decodeCompressed(TS.jpegLS, LS8, frame(4, 2));
      const j2k = await fresh.decodeCompressed(TS.j2k, J2K8, frame(4, 2));
      await fails(() => fresh.decodeCompressed(TS.jpegLS, LS8.map((b, i) => (i >= 25 && i < 29 ? 0xff : b)), frame(4, 2)), 'corrupt', 'its compressed frame could not be decoded; the file is damaged or uses a variant of the encoding the annotator does not read');
      await fails(() => fresh.decodeCompressed(TS.j2k, J2K8.subarray(0, 100), frame(4, 2)), 'corrupt', 'its compressed frame is 0 x 0 pixels but the header says 4 x 2; the file is damaged');
      assert.deepEqual([Array.from(ls.bytes), Array.from(again.bytes), Array.from(j2k.bytes)], [[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8], [5, 42, 79, 116, 153, 190, 227, 8]]);
      assert.deepEqual(loads.map((l) => [l.codec, Object.keys(l.options).sort(), ...Object.values(l.options).map((f) => typeof f === 'function' && f('x'))]), [['charls', ['print', 'printErr'], undefined, undefined], ['openjpeg', ['print', 'printErr'], undefined, undefined]]);
      assert.deepEqual(counts, { made: 5, deleted: 5 });
      for (const [out, view] of [[ls, heapViews[0]], [j2k, heapViews[2]]] as const) {
        assert.notEqual(out.bytes.buffer, view.buffer);
        assert.equal(out.bytes.buffer.byteLength, 8);
      }
    });
  });
});

describe('dicom rle.ts edges', () => {
  const run = (segs: number[][], pixels: number) => Array.from(decodeRle(new Uint8Array(rle(segs)), pixels, 1, 1));
  it('stops each segment at the frame\'s pixel count: longer runs and bytes left over are ignored', () => {
    assert.deepEqual(run([[-3, 7, 1, 9]], 2), [7, 7]);
    assert.deepEqual(run([[3, 1, 2, 3, 4, -1, 9]], 2), [1, 2]);
    assert.deepEqual(run([[0, 5, -2, 6, 0, 8]], 3), [5, 6, 6]);
  });
  it('a header 0 copies exactly one byte', () => {
    assert.deepEqual(run([[0, 42, 0, 43]], 2), [42, 43]);
  });
});
