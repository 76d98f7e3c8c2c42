// DICOM reading case by case, on files built byte by byte in memory: the parser (DICM marker,
// explicit/implicit VR, byte order, length fields, sequences, truncation, lenient and deflated
// reading), the header panel tags, the RLE decoder run by run, the codec dispatch per transfer
// syntax, and decode.ts's pixel module, bit masking, colour, frames, windows and every error text.
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { decodeCompressed, isCompressed, jpegColorTransform, jpegPrecision } from '../../../src/core/images/dicom/codecs';
import { openDicom } from '../../../src/core/images/dicom/decode';
import { mainTags } from '../../../src/core/images/dicom/header';
import { isDicom, parseDicomFile, TS, TS_NAMES } from '../../../src/core/images/dicom/parse';
import { decodeRle } from '../../../src/core/images/dicom/rle';
import { ImageError } from '../../../src/core/images/errors';
import { DEFAULT_LIMITS, type ImageLimits } from '../../../src/core/images/limits';
import { PRESETS } from '../../../src/core/images/window';
import { greyJpeg, jpg, seg, zeros } from './jpeg-bytes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { encode: jpegEncode } = require('jpeg-js') as typeof import('jpeg-js');

// ---- byte builders: elements in explicit LE ('ele'), implicit LE ('ile') or explicit BE ('ebe') ----
type Mode = 'ile' | 'ele' | 'ebe';
type V = Buffer | number[] | string | El[][];
interface El { tag: number; vr: string; v: V; len?: number; undef?: boolean; itemUndef?: boolean }
const LONG = ['OB', 'OD', 'OL', 'OW', 'SQ', 'OF', 'UC', 'UR', 'UT', 'UN'];
const SHORT = ['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'PN', 'SH', 'SL', 'SS', 'ST', 'TM', 'UI', 'UL', 'US'];
const { explicitLE: ELE, implicitLE: ILE, explicitBE: EBE } = TS;
const e = (tag: number, vr: string, v: V, o: Partial<El> = {}): El => ({ tag, vr, v, ...o });
/** n as an unsigned integer of 1, 2 or 4 bytes (-1 is 0xffffffff). */
const int = (n: number, size: number, be = false) => Buffer.from(Array.from({ length: size }, (_, i) => Math.floor((n >>> 0) / 256 ** (be ? size - 1 - i : i)) & 0xff));
const tagB = (t: number, be = false) => Buffer.concat([int(t >>> 16, 2, be), int(t & 0xffff, 2, be)]);
const item = (body: Buffer, be = false, undef = false) => Buffer.concat(undef ? [tagB(0xfffee000, be), int(-1, 4, be), body, tagB(0xfffee00d, be), int(0, 4, be)] : [tagB(0xfffee000, be), int(body.length, 4, be), body]);
const SEQ_END = (be = false) => Buffer.concat([tagB(0xfffee0dd, be), int(0, 4, be)]);
function value(x: El, be: boolean, mode: Mode): Buffer {
  if (Buffer.isBuffer(x.v)) return x.v;
  if (typeof x.v === 'string') return Buffer.from(x.v.length % 2 ? x.v + (x.vr === 'UI' ? '\0' : ' ') : x.v, 'latin1');
  if (x.vr === 'SQ') return Buffer.concat([...(x.v as El[][]).map((it) => item(Buffer.concat(it.map((i) => enc(i, mode))), be, x.itemUndef)), ...(x.undef ? [SEQ_END(be)] : [])]);
  return Buffer.concat((x.v as number[]).map((n) => int(n, ['UL', 'SL', 'OL'].includes(x.vr) ? 4 : x.vr === 'OB' ? 1 : 2, be)));
}
function enc(x: El, mode: Mode): Buffer {
  const [be, v] = [mode === 'ebe', value(x, mode === 'ebe', mode)];
  const len = x.undef ? -1 : x.len ?? v.length;
  return Buffer.concat(mode === 'ile' ? [tagB(x.tag), int(len, 4), v] : [tagB(x.tag, be), Buffer.from(x.vr), ...(LONG.includes(x.vr) ? [Buffer.alloc(2), int(len, 4, be)] : [int(len, 2, be)]), v]);
}
const META = (ts: string) => [e(0x00020001, 'OB', [0, 1]), e(0x00020002, 'UI', '1.2.840.10008.5.1.4.1.1.7'), e(0x00020003, 'UI', '1.2.3.4'), e(0x00020010, 'UI', ts)];
function dicom(body: El[] | Buffer, ts: string = ELE, mode?: Mode, meta = META(ts)): Buffer {
  const [m, metaBody] = [mode ?? (ts === ILE ? 'ile' : ts === EBE ? 'ebe' : 'ele'), Buffer.concat(meta.map((x) => enc(x, 'ele')))];
  const data = Buffer.isBuffer(body) ? body : Buffer.concat(body.map((x) => enc(x, m)));
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), enc(e(0x00020000, 'UL', [metaBody.length]), 'ele'), metaBody, data]);
}
interface Img { modality?: string | null; rows?: number | null; cols?: number | null; ba?: number | null; bs?: number; hb?: number; pr?: number; spp?: number; pi?: string; planar?: number; frames?: string; extra?: El[]; px?: El | null }
/** Modality, the extra elements, the pixel module (1 x 2, 16 bits unless told) and the pixel data. */
function img(o: Img, pixels: Buffer | number[] = []): El[] {
  const us = (tag: number, n: number | null | undefined) => (n === undefined || n === null ? [] : [e(tag, 'US', [n])]);
  const ba = o.ba === undefined ? 16 : o.ba;
  return [...(o.modality === null ? [] : [e(0x00080060, 'CS', o.modality ?? 'OT')]), ...(o.extra ?? []), ...us(0x00280002, o.spp), ...(o.pi ? [e(0x00280004, 'CS', o.pi)] : []), ...us(0x00280006, o.planar), ...(o.frames ? [e(0x00280008, 'IS', o.frames)] : []),
    ...us(0x00280010, o.rows === undefined ? 1 : o.rows), ...us(0x00280011, o.cols === undefined ? 2 : o.cols), ...us(0x00280100, ba), ...us(0x00280101, o.bs), ...us(0x00280102, o.hb), ...us(0x00280103, o.pr), ...(o.px === null ? [] : [o.px ?? e(0x7fe00010, (ba ?? 16) > 8 ? 'OW' : 'OB', pixels)])];
}
/** Encapsulated pixel data: a basic offset table item, fragment items, the sequence delimiter. */
const encap = (frags: Buffer[], bot: number[] = []) => e(0x7fe00010, 'OB', Buffer.concat([item(Buffer.concat(bot.map((n) => int(n, 4)))), ...frags.map((f) => item(f)), SEQ_END()]), { undef: true });
const open = (body: El[] | Buffer, ts?: string, limits?: ImageLimits, mode?: Mode) => openDicom(dicom(body, ts, mode), 'x.dcm', limits);
const grey = async (body: El[], ts?: string, index = 0, mode?: Mode) => Array.from((await open(body, ts, undefined, mode).frame(index)).data);
async function fails(f: () => unknown, kind: string, message: string, detail?: string): Promise<void> {
  const err = await Promise.resolve().then(f).then(() => undefined, (x: unknown) => x);
  assert.ok(err instanceof ImageError, `expected an ImageError, got ${String(err)}`);
  assert.deepEqual([err.kind, err.message, ...(detail === undefined ? [] : [err.detail])], [kind, message, ...(detail === undefined ? [] : [detail])]);
}
/** One RLE frame: the 64-byte header (segment count, offsets) and the segments (signed bytes allowed). */
function rle(segs: number[][], offsets?: number[], count = segs.length): Uint8Array {
  const starts = segs.map((_, i) => offsets?.[i] ?? 64 + segs.slice(0, i).reduce((n, s) => n + s.length, 0));
  return new Uint8Array(Buffer.concat([int(count, 4), ...starts.map((o) => int(o, 4)), Buffer.alloc(60 - starts.length * 4), ...segs.map((s) => Buffer.from(s.map((b) => b & 0xff)))]));
}

describe('dicom parse.ts', () => {
  const HEAD = dicom(Buffer.alloc(0)).length;
  const parse = (body: El[] | Buffer, ts?: string) => parseDicomFile(dicom(body, ts), 'x.dcm');
  const cs = e(0x00080060, 'CS', 'OT');
  const four = [cs, e(0x00280010, 'US', [2]), e(0x00280011, 'US', [2])];
  const DAMAGED = 'x.dcm is not a readable DICOM file: its header is damaged. Export it again from the source.';
  const CUT = 'x.dcm is a truncated DICOM file: it ends in the middle of the header. Copy or export it again.';

  it('names every transfer syntax by UID', () => {
    assert.deepEqual(TS, { implicitLE: '1.2.840.10008.1.2', explicitLE: '1.2.840.10008.1.2.1', deflate: '1.2.840.10008.1.2.1.99', explicitBE: '1.2.840.10008.1.2.2', jpegBaseline: '1.2.840.10008.1.2.4.50', jpegExtended: '1.2.840.10008.1.2.4.51', jpegLossless: '1.2.840.10008.1.2.4.57', jpegLosslessSV1: '1.2.840.10008.1.2.4.70', jpegLS: '1.2.840.10008.1.2.4.80', jpegLSNear: '1.2.840.10008.1.2.4.81', j2kLossless: '1.2.840.10008.1.2.4.90', j2k: '1.2.840.10008.1.2.4.91', rle: '1.2.840.10008.1.2.5' });
    assert.deepEqual(Object.entries(TS_NAMES).map(([k, v]) => `${k.replace('1.2.840.10008.1.', '')}=${v}`), ['2=Implicit VR Little Endian', '2.1=Explicit VR Little Endian', '2.1.99=Deflated Explicit VR Little Endian', '2.2=Explicit VR Big Endian', '2.4.50=JPEG Baseline', '2.4.51=JPEG Extended (12-bit)', '2.4.57=JPEG Lossless', '2.4.70=JPEG Lossless SV1', '2.4.80=JPEG-LS Lossless', '2.4.81=JPEG-LS Near-Lossless', '2.4.90=JPEG 2000 Lossless', '2.4.91=JPEG 2000', '2.5=RLE Lossless', '2.4.100=MPEG-2 video', '2.4.102=MPEG-4 AVC/H.264 video', '2.4.201=High-Throughput JPEG 2000']);
    assert.ok(Object.keys(TS_NAMES).every((k) => k.startsWith('1.2.840.10008.1.')));
  });

  it('isDicom needs more than 132 bytes and each letter of DICM at byte 128; parseDicomFile and openDicom refuse the rest', async () => {
    const marked = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i >= 128 && i < 132 ? 'DICM'.charCodeAt(i - 128) : 0));
    assert.deepEqual([isDicom(marked(132)), isDicom(marked(133))], [false, true]);
    for (let i = 0; i < 4; i++) assert.equal(isDicom(marked(140).map((b, j) => (j === 128 + i ? b ^ 0x20 : b))), false, `letter ${i}`); // 'D' -> 'd'
    const bytes = dicom(four).fill(0x58, 131, 132); // DICX
    const msg = 'x.dcm is not a DICOM Part 10 file (no "DICM" marker at byte 128). Export it from the PACS as a DICOM file.';
    await fails(() => parseDicomFile(bytes, 'x.dcm'), 'not-an-image', msg);
    await fails(() => openDicom(bytes, 'x.dcm'), 'not-an-image', msg);
  });

  it('reads the same values from explicit LE, implicit LE and explicit BE datasets', async () => {
    for (const ts of [ELE, ILE, EBE]) {
      assert.deepEqual(await grey(img({ cols: 3 }, [0x0102, 0x8000, 0xfffe]), ts), [258, 32768, 65534], ts);
      const { ds, transferSyntax, notes } = parse(img({ cols: 3, extra: [e(0x00081030, 'LO', 'Study A')] }, [1, 2, 3]), ts);
      assert.deepEqual([ds.uint16('x00280011'), ds.string('x00081030'), transferSyntax, notes], [3, 'Study A', ts, []], ts);
    }
  });

  it('reads a 4-byte length after two reserved bytes for OB OD OL OW OF UC UR UT UN, a 2-byte length for the others', () => {
    for (const vr of [...LONG.filter((v) => v !== 'SQ'), ...SHORT]) {
      const { ds } = parse([cs, e(0x00091010, vr, Buffer.from('abcd')), e(0x00280010, 'US', [7])]);
      assert.deepEqual([ds.elements.x00091010.length, ds.elements.x00091010.dataOffset, ds.uint16('x00280010')], [4, HEAD + 10 + (LONG.includes(vr) ? 12 : 8), 7], vr);
    }
  });

  it('reads sequences and items of undefined and of defined length, and the element after them', () => {
    for (const [ts, undef, itemUndef] of [ELE, ILE, EBE].flatMap((t) => [[t, true, true], [t, true, false], [t, false, true], [t, false, false]] as const)) {
      const sq = e(0x00081140, 'SQ', [[e(0x00081150, 'UI', '1.2.3'), e(0x00280010, 'US', [5])], [e(0x00081150, 'UI', '4.5')]], { undef, itemUndef });
      const { ds } = parse([cs, sq, e(0x00280011, 'US', [9])], ts);
      const items = ds.elements.x00081140.items ?? [];
      assert.deepEqual([items.length, items[0].dataSet?.string('x00081150'), items[0].dataSet?.uint16('x00280010'), items[1].dataSet?.string('x00081150'), ds.uint16('x00280011')], [2, '1.2.3', 5, '4.5', 9], `${ts} ${undef} ${itemUndef}`);
    }
  });

  it('a length past the end: truncated in the header, or in the pixel data, once four elements are read; lenient below', async () => {
    const over = 'dicomParser:parseDicomDataSetExplicit: buffer overrun';
    await fails(() => parse([...four, e(0x00280100, 'US', [8], { len: 100 })]), 'truncated', CUT, over);
    await fails(() => parse([...four, e(0x7fe00010, 'OB', [1, 2], { len: 100 })]), 'truncated', 'x.dcm is a truncated DICOM file: its pixel data ends before the image does. Copy or export it again.', over);
    assert.deepEqual(parse([cs, e(0x00280010, 'US', [2]), e(0x00280011, 'US', [2], { len: 100 })]).notes, ['The dataset is encoded implicit VR although its header says explicit; it was read leniently.']);
    await fails(() => parse(Buffer.from([0x28, 0, 0x10, 0, 0x55, 0x53])), 'truncated', CUT, 'littleEndianByteArrayParser.readUint16: attempt to read past end of buffer');
  });

  it('an item longer than the file: lenient under four elements, a damaged header from four on', async () => {
    const sq = Buffer.concat([tagB(0x00081115), Buffer.from('SQ'), Buffer.alloc(2), int(16, 4), tagB(0xfffee000), int(255, 4), Buffer.alloc(8)]);
    assert.equal(parse(Buffer.concat([...four.map((x) => enc(x, 'ele')), sq])).notes.length, 1);
    const body = Buffer.concat([...four.map((x) => enc(x, 'ele')), enc(e(0x00280100, 'US', [8]), 'ele'), sq]);
    await fails(() => parse(body), 'corrupt', DAMAGED, "dicomParser.parseDicomDataSetExplicit: invalid value for parameter 'maxP osition'");
  });

  it('a file unreadable leniently too, a meta header alone, a meta header without or with an empty transfer syntax', async () => {
    const bad = Buffer.from([0x28, 0, 0x10, 0, 2, 0, 0, 0, 0x28, 0, 0x11, 0, 0x41, 0x41, 0xff, 0x7f]);
    await fails(() => parse(bad), 'corrupt', 'x.dcm is a damaged DICOM file: its header cannot be read. Export it again from the source.', 'dicomParser:parseDicomDataSetExplicit: buffer overrun');
    await fails(() => parse(Buffer.alloc(0)), 'corrupt', DAMAGED, "dicomParser.ByteStream: parameter 'position' cannot be greater than or equal to 'byteArray' length");
    await fails(() => parseDicomFile(dicom(four, ELE, 'ele', META(ELE).slice(0, 3)), 'x.dcm'), 'corrupt', DAMAGED, 'dicomParser.parseDicom: missing required meta header attribute 0002,0010');
    assert.equal(parseDicomFile(dicom(four, ELE, 'ele', [...META(ELE).slice(0, 3), e(0x00020010, 'UI', '')]), 'x.dcm').transferSyntax, ILE);
  });

  describe('deflated', () => {
    const head = dicom(Buffer.alloc(0), TS.deflate).length;
    const deflated = (body: El[] | Buffer) => ((raw) => Buffer.concat([raw.subarray(0, head), zlib.deflateRawSync(raw.subarray(head))]))(dicom(body, TS.deflate));
    it('inflates the dataset after the meta header, keeping the meta header bytes', async () => {
      const d = openDicom(deflated(img({ cols: 3 }, [7, 300, 65535])), 'x.dcm');
      assert.deepEqual([Array.from((await d.frame(0)).data), d.info.transferSyntax], [[7, 300, 65535], TS.deflate]);
      assert.deepEqual(d.info.header.at(-1), { tag: '(0002,0010)', name: 'Transfer Syntax UID', value: '1.2.840.10008.1.2.1.99 (Deflated Explicit VR Little Endian)' });
    });
    it('stops at the limit: exactly the inflated size reads, a byte less is too large (MB rounded)', async () => {
      const body = img({}, Buffer.alloc(1 << 20));
      const [size, file] = [Buffer.concat(body.map((x) => enc(x, 'ele'))).length, deflated(body)];
      assert.equal(parseDicomFile(file, 'x.dcm', size).ds.uint16('x00280011'), 2);
      const msg = (mb: number) => `x.dcm is a compressed (Deflated) DICOM file that expands to more than ${mb} MB, more than the annotator reads. Export it uncompressed or as a smaller image.`;
      for (const [max, mb] of [[size - 1, 1], [0.4 * 2 ** 20, 0], [0.6 * 2 ** 20, 1]]) await fails(() => parseDicomFile(file, 'x.dcm', max), 'too-large', msg(mb));
    });
    it('damaged compressed data', async () => {
      await fails(() => parseDicomFile(Buffer.concat([dicom(Buffer.alloc(0), TS.deflate), Buffer.alloc(16, 0xff)]), 'x.dcm'), 'corrupt', 'x.dcm is a Deflated DICOM file whose compressed data is damaged. Export it again from the source.', 'Error: invalid block type');
    });
  });
});

describe('dicom header.ts mainTags', () => {
  const tags = (body: El[], ts?: string) => mainTags(parseDicomFile(dicom(body, ts), 'x.dcm').ds).map((t) => `${t.tag} ${t.name}=${t.value}`);
  const s = (tag: number, vr: string, v: string) => e(tag, vr, v);

  it('lists the main tags in a fixed order, with the transfer syntax named, whatever order the file has', () => {
    const body = [s(0x00280301, 'CS', 'NO'), s(0x00281053, 'DS', '2'), s(0x00281052, 'DS', '-1024'), s(0x00281051, 'DS', '400'), s(0x00281050, 'DS', '40'), s(0x00180050, 'DS', '1.25'), s(0x00280030, 'DS', '0.5\\0.5'), e(0x00280103, 'US', [1]), e(0x00280101, 'US', [12]), e(0x00280100, 'US', [16]), s(0x00280004, 'CS', 'MONOCHROME2'), e(0x00280002, 'US', [1]), s(0x00280008, 'IS', '3'), e(0x00280011, 'US', [512]), e(0x00280010, 'US', [256]), s(0x00080070, 'LO', 'ACME'), s(0x00180015, 'CS', 'CHEST'), s(0x00081030, 'LO', 'Study'), s(0x0008103e, 'LO', 'Series'), s(0x00080008, 'CS', 'ORIGINAL\\PRIMARY'),
      s(0x00080060, 'CS', 'CT'), s(0x00100010, 'PN', 'Doe^Jane')];
    assert.deepEqual(tags(body), ['(0008,0060) Modality=CT', '(0008,0008) Image Type=ORIGINAL\\PRIMARY', '(0008,103E) Series Description=Series', '(0008,1030) Study Description=Study', '(0018,0015) Body Part Examined=CHEST', '(0008,0070) Manufacturer=ACME', '(0028,0010) Rows=256', '(0028,0011) Columns=512', '(0028,0008) Number of Frames=3', '(0028,0002) Samples per Pixel=1', '(0028,0004) Photometric Interpretation=MONOCHROME2', '(0028,0100) Bits Allocated=16', '(0028,0101) Bits Stored=12', '(0028,0103) Pixel Representation=1', '(0028,0030) Pixel Spacing=0.5\\0.5', '(0018,0050) Slice Thickness=1.25', '(0028,1050) Window Center=40', '(0028,1051) Window Width=400', '(0028,1052) Rescale Intercept=-1024', '(0028,1053) Rescale Slope=2', '(0028,0301) Burned In Annotation=NO', '(0002,0010) Transfer Syntax UID=1.2.840.10008.1.2.1 (Explicit VR Little Endian)']);
  });

  it('a US tag shorter than 2 bytes shows empty, an empty text tag is left out, text is cut at 200 characters, only the syntax is named', () => {
    const body = [s(0x00080060, 'CS', ''), e(0x00280010, 'US', Buffer.alloc(0)), e(0x00280011, 'US', Buffer.from([3])), e(0x00280002, 'US', [1]), s(0x0008103e, 'LO', 'a'.repeat(200)), s(0x00081030, 'LO', 'b'.repeat(202)), s(0x00080070, 'LO', TS.rle)];
    assert.deepEqual(tags(body, '1.2.3.4.5'), ['(0008,103E) Series Description=' + 'a'.repeat(200), '(0008,1030) Study Description=' + 'b'.repeat(200), '(0008,0070) Manufacturer=1.2.840.10008.1.2.5', '(0028,0010) Rows=', '(0028,0011) Columns=', '(0028,0002) Samples per Pixel=1', '(0002,0010) Transfer Syntax UID=1.2.3.4.5']);
  });

  // Was a bug: Manufacturer's Model Name is (0008,1090); header.ts listed (0028,1090), which is Recommended
  // Viewing Mode: the model name never showed, and a file with (0028,1090) = "NAT" shows "NAT" as it.
  it('the Manufacturer Model Name row reads (0008,1090), not (0028,1090)', () => {
    assert.deepEqual(tags([s(0x00081090, 'LO', 'Scanner 9'), s(0x00281090, 'CS', 'NAT')]).slice(0, 1), ['(0008,1090) Manufacturer Model Name=Scanner 9']);
  });
});

describe('dicom rle.ts decodeRle', () => {
  const run = (src: Uint8Array, pixels: number, spp = 1, bps = 1) => Array.from(decodeRle(src, pixels, spp, bps));
  const bad = (src: Uint8Array, pixels: number, spp: number, bps: number, kind: string, msg: string) => fails(() => decodeRle(src, pixels, spp, bps), kind, msg);
  const outside = (n: number) => `segment ${n} of the RLE frame lies outside the frame`;
  const short = (s: number, got: string, of: string) => `segment ${s} of the RLE frame holds only ${got} of its ${of} pixels; the file is truncated or damaged`;

  it('needs a 64-byte header holding as many segments as samples x bytes, each inside the frame', async () => {
    const cases: Array<[Uint8Array, number, number, string]> = [[new Uint8Array(63), 1, 1, 'the RLE frame is shorter than its header'], [new Uint8Array(64), 1, 1, 'the RLE frame has 0 segments where 1 were expected'], [rle([[0, 1], [0, 2]]), 1, 1, 'the RLE frame has 2 segments where 1 were expected'],
      [rle([[0, 1], [0, 2], [0, 3]]), 3, 2, 'the RLE frame has 3 segments where 6 were expected'], [rle([[0, 1]], [63]), 1, 1, outside(1)], [rle([[0, 1], [0, 2]], [64, 69]), 1, 2, outside(1)], [rle([[0, 1], [0, 2]], [64, 68]), 1, 2, outside(2)], [rle([[0, 1], [0, 2]], [64, 64]), 1, 2, outside(1)]];
    for (const [src, spp, bps, msg] of cases) await bad(src, 1, spp, bps, 'corrupt', msg);
    assert.deepEqual(run(rle([[0, 1]], [64]), 1), [1]);
  });

  it('refuses before decoding a segment too short to fill the frame (2 bytes give at most 128 pixels)', async () => {
    assert.deepEqual(run(rle([[-127, 4]]), 128), new Array(128).fill(4));
    await bad(rle([[-127, 4]]), 129, 1, 1, 'truncated', short(1, '128', '129'));
    await bad(rle([new Array(20).fill(0)]), 2000, 1, 1, 'truncated', short(1, '1,280', '2,000'));
  });

  it('literal runs of 1 (header 0) and 128 (127), repeats of 2 (-1) and 128 (-127), -128 a no-op', () => {
    const lit = Array.from({ length: 128 }, (_, i) => i + 100);
    assert.deepEqual(run(rle([[0, 7, -128, -1, 9, 127, ...lit, -127, 5, -128]]), 259), [7, 9, 9, ...lit, ...new Array(128).fill(5)]);
    assert.deepEqual(run(rle([[3, 1, 2, 3, 4]]), 2), [1, 2]);
  });

  it('a run cut by the end of its segment leaves the frame unfilled', async () => {
    const cases: Array<[number[][], number, number, string]> = [[[[3, 1, 2]], 4, 1, short(1, '2', '4')], [[[0, 5, -1]], 3, 1, short(1, '1', '3')], [[[1, 1, 2], [3, 9, 9, 9, 9]], 4, 2, short(1, '2', '4')], [[[1, 1, 2], [0, 9]], 2, 2, short(2, '1', '2')]];
    for (const [segs, pixels, bps, msg] of cases) await bad(rle(segs), pixels, 1, bps, 'truncated', msg);
  });

  it('puts the most significant segment in the high byte, interleaves the samples, reads a view into a larger buffer', () => {
    assert.deepEqual(run(rle([[1, 0x12, 0x34], [1, 0x56, 0x78]]), 2, 1, 2), [0x56, 0x12, 0x78, 0x34]);
    assert.deepEqual(run(rle([[1, 1, 2], [-1, 3], [1, 5, 6]]), 2, 3, 1), [1, 3, 5, 2, 3, 6]);
    assert.deepEqual(run(rle([[0, 0xa1], [0, 0xa2], [0, 0xb1], [0, 0xb2], [0, 0xc1], [0, 0xc2]]), 1, 3, 2), [0xa2, 0xa1, 0xb2, 0xb1, 0xc2, 0xc1]);
    const big = Uint8Array.from([0xee, 0xee, 0xee, 0xee, 0xee, ...rle([[1, 8, 9]])]);
    assert.deepEqual(run(big.subarray(5), 2), [8, 9]);
  });
});

// ---- compressed streams ----
const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
/** Lossless JPEG (SOF3, predictor 1), components interleaved; the Huffman code of category k is k in 5 bits. */
function losslessJpeg(width: number, height: number, precision: number, comps: number[][]): Uint8Array {
  const bits: number[] = [];
  const put = (v: number, len: number) => { for (let i = len - 1; i >= 0; i--) bits.push((v >> i) & 1); };
  for (let i = 0; i < width * height; i++) {
    for (const d of comps.map((s) => ((s[i] - (i === 0 ? 1 << (precision - 1) : i % width === 0 ? s[i - width] : s[i - 1]) + 98304) % 65536) - 32768)) {
      const cat = d === 0 ? 0 : Math.floor(Math.log2(Math.abs(d))) + 1; // difference from the prediction, its category and bits
      put(cat, 5);
      if (cat > 0 && cat < 16) put(d > 0 ? d : d - 1 + (1 << cat), cat);
    }
  }
  while (bits.length % 8) bits.push(1);
  const data = Array.from({ length: bits.length / 8 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8).join(''), 2)).flatMap((b) => (b === 0xff ? [0xff, 0] : [b]));
  const sof = seg(0xc3, [precision, height >> 8, height & 0xff, width >> 8, width & 0xff, comps.length, ...comps.flatMap((_, c) => [c + 1, 0x11, 0])]);
  return jpg(seg(0xc4, [0, 0, 0, 0, 0, 17, ...zeros(11), ...Array.from({ length: 17 }, (_, k) => k)]), sof, seg(0xda, [comps.length, ...comps.flatMap((_, c) => [c + 1, 0]), 1, 0, 0]), data, [0xff, 0xd9]);
}
let RGB_JPEG: Uint8Array | undefined;
const rgbJpeg = () => (RGB_JPEG ??= jpegEncode({ data: Buffer.from(Array.from({ length: 256 }, (_, i) => [200, 100, 50, 255][i % 4])), width: 8, height: 8 }, 100).data); // 8 x 8 of (200, 100, 50)
const LS8 = hex('ffd8fff7000b080002000401011100ffda00080101000000005b6934c0ffd9'); // JPEG-LS 4 x 2: 1..8
const LS8B = hex('ffd8fff7000b080002000401011100ffda000801010000000005940000030128ffd9'); // 4 x 2: 9 9 9 9 200 200 200 200
const LS9 = hex('ffd8fff7000b090002000401011100ffda0008010100000000a0000000ff2fe678000001d680000019c8ffd9'); // 4 x 2, 9-bit
const LS_RGB = hex('ffd8fff70011080001000203011100021100031100ffda000c0301000200030000020002020700000060c7a0000018a0ffd9'); // 2 x 1
const J2K_NOTE = 'ff640025000143726561746564206279204f70656e4a5045472076657273696f6e20322e352e34ff90000a00000000';
const J2K8 = hex(`ff4fff510029000000000004000000020000000000000000000000040000000200000000000000000001070101ff52000c00020001000004040001ff5c00044040${J2K_NOTE}001b0001ff93cfb428064073dbfc6a082e883fffd9`); // 4 x 2
const J2K_RGB = hex(`ff4fff51002f000000000002000000010000000000000000000000020000000100000000000000000003070101070101070101ff52000c00020001010004040001ff5c00044040${J2K_NOTE}00200001ff93cfb40c06364fc7d4060bf477c7d4060af6e7ffd9`);
const LOSSLESS16 = losslessJpeg(4, 2, 16, [[0, 65535, 32768, 1, 4095, 300, 12345, 54321]]);
const u16s = (b: Uint8Array) => Array.from(new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
const DECODE_FAILED = 'its compressed frame could not be decoded; the file is damaged or uses a variant of the encoding the annotator does not read';

describe('dicom codecs.ts', () => {
  const f = (width: number, height: number, samplesPerPixel = 1, bitsAllocated = 8) => ({ width, height, samplesPerPixel, bitsAllocated });
  const dec = async (ts: string, data: Uint8Array, frame: ReturnType<typeof f>) => { const d = await decodeCompressed(ts, data, frame); return { ...d, bytes: d.bytesPerSample === 2 ? u16s(d.bytes) : Array.from(d.bytes) }; };
  const sof = (m: number, precision: number) => seg(m, [precision, 0, 8, 0, 8, 1, 1, 0x11, 0]);
  before(async () => [await decodeCompressed(TS.jpegLS, LS8, f(4, 2)), await decodeCompressed(TS.j2k, J2K8, f(4, 2)), rgbJpeg()]); // codecs load once, outside the tests

  it('jpegPrecision: the precision of the first SOF0..SOF3 segment, skipping others', () => {
    const cases: Array<[Uint8Array, number | undefined]> = [[jpg([0xff, 0xc0, 0, 11, 8]), 8], [jpg([0xff, 0xc0, 0, 11]), undefined], [jpg(seg(0xe0, [1, 2]), sof(0xc3, 16)), 16], [jpg(seg(0xbf, []), sof(0xc1, 12)), 12], [jpg(seg(0xc4, []), sof(0xc2, 9)), 9], [Uint8Array.from([0xff, 0xd8, 0, 0xc0, 0, 11, 8]), undefined]];
    cases.forEach(([data, want], i) => assert.equal(jpegPrecision(data), want, `case ${i}`));
  });

  it('jpegColorTransform: Adobe transform byte, R G B component ids, else YCbCr', () => {
    const adobe = (t?: number) => seg(0xee, [...Buffer.from('Adobe'), 0, 100, 0, 0, 0, 0, ...(t === undefined ? [] : [t])]);
    const sof3 = (a: number, b: number, c: number, n = 3, m = 0xc0) => seg(m, [8, 0, 8, 0, 8, n, a, 0x11, 0, b, 0x11, 0, c, 0x11, 0]);
    const cases: Array<[Uint8Array, boolean]> = [[jpg(), true], [jpg(adobe(1)), true], [jpg(adobe(0)), false], [jpg(adobe(2)), true], [jpg(adobe()), false], [jpg(seg(0xee, [...Buffer.from('Adobx'), ...zeros(7)])), true], [jpg(seg(0xe0, [0, 0]), adobe(0)), false], [jpg(sof3(0x52, 0x47, 0x42)), false],
      [jpg(sof3(1, 2, 3)), true], [jpg(sof3(0x52, 0x47, 0x42, 1)), true], [jpg(sof3(0x52, 0x47, 0x58)), true], [jpg(sof3(0x52, 0x58, 0x42)), true], [jpg(sof3(0x58, 0x47, 0x42)), true], [jpg(seg(0xda, [0, 0]), adobe(0)), true], [Uint8Array.from([0xff, 0xd8, 0, ...adobe(0)]), true],
      [jpg(sof3(0x52, 0x47, 0x42, 3, 0xc3)), false], [jpg(sof3(0x52, 0x47, 0x42, 3, 0xc4)), true], [jpg(sof3(0x52, 0x47, 0x42, 3, 0xbf)), true]];
    cases.forEach(([data, want], i) => assert.equal(jpegColorTransform(data), want, `case ${i}`));
  });

  it('decodes each JPEG and JPEG 2000 transfer syntax with its own decoder', async () => {
    // jpeg-js decodes grey as R = G = B; the codec keeps one sample a pixel when the header says one.
    const grey8 = { bytes: new Array(64).fill(128), bytesPerSample: 1, samplesPerPixel: 1, width: 8, height: 8, rgb: false };
    const g4x2 = (bytes: number[], bytesPerSample = 1) => ({ bytes, bytesPerSample, samplesPerPixel: 1, width: 4, height: 2, rgb: false });
    const rgb2x1 = (rgb: boolean) => ({ bytes: [10, 20, 30, 200, 150, 100], bytesPerSample: 1, samplesPerPixel: 3, width: 2, height: 1, rgb });
    const cases: Array<[string, Uint8Array, ReturnType<typeof f>, object]> = [[TS.jpegBaseline, greyJpeg(), f(8, 8), grey8], [TS.jpegExtended, greyJpeg(), f(8, 8), grey8], [TS.jpegLossless, losslessJpeg(4, 2, 8, [[1, 2, 3, 250, 0, 255, 128, 7]]), f(4, 2, 3), g4x2([1, 2, 3, 250, 0, 255, 128, 7])],
      [TS.jpegLosslessSV1, LOSSLESS16, f(4, 2, 1, 16), g4x2([0, 65535, 32768, 1, 4095, 300, 12345, 54321], 2)], [TS.jpegLosslessSV1, losslessJpeg(2, 1, 8, [[10, 200], [20, 150], [30, 100]]), f(2, 1, 3), rgb2x1(false)],
      [TS.jpegLS, LS8, f(4, 2), g4x2([1, 2, 3, 4, 5, 6, 7, 8])], [TS.jpegLSNear, LS8, f(4, 2), g4x2([1, 2, 3, 4, 5, 6, 7, 8])], [TS.jpegLS, LS9, f(4, 2, 1, 16), g4x2([0, 511, 256, 1, 2, 3, 300, 400], 2)], [TS.jpegLS, LS_RGB, f(2, 1, 3), rgb2x1(true)],
      [TS.j2kLossless, J2K8, f(4, 2), g4x2([5, 42, 79, 116, 153, 190, 227, 8])], [TS.j2k, J2K8, f(4, 2), g4x2([5, 42, 79, 116, 153, 190, 227, 8])], [TS.j2k, J2K_RGB, f(2, 1, 3), rgb2x1(true)]];
    for (const [ts, data, frame, want] of cases) assert.deepEqual(await dec(ts, data, frame), want, ts);
  });

  it('a decoded frame is its own buffer, unchanged by the next decode; an Adobe "no transform" marker is honoured', async () => {
    const first = await decodeCompressed(TS.jpegLS, LS8, f(4, 2));
    await decodeCompressed(TS.jpegLS, LS8B, f(4, 2));
    assert.deepEqual([Array.from(first.bytes), first.bytes.buffer.byteLength], [[1, 2, 3, 4, 5, 6, 7, 8], 8]);
    const rgb = rgbJpeg();
    const adobe = Uint8Array.from([...rgb.subarray(0, 2), ...seg(0xee, [...Buffer.from('Adobe'), 0, 100, 0, 0, 0, 0, 0]), ...rgb.subarray(2)]);
    assert.deepEqual([(await dec(TS.jpegBaseline, rgb, f(8, 8, 3))).bytes.slice(0, 3), (await dec(TS.jpegBaseline, adobe, f(8, 8, 3))).bytes.slice(0, 3)], [[199, 99, 49], [124, 86, 182]]);
  });

  it('refuses a frame without its kind of header, of another size than the DICOM header, or too short for its size', async () => {
    for (const ts of [TS.jpegBaseline, TS.jpegExtended, TS.jpegLossless, TS.jpegLosslessSV1, TS.jpegLS, TS.jpegLSNear]) await fails(() => decodeCompressed(ts, J2K8, f(4, 2)), 'corrupt', 'its compressed frame has no readable JPEG header; the file is damaged');
    for (const ts of [TS.j2k, TS.j2kLossless]) await fails(() => decodeCompressed(ts, LS8, f(4, 2)), 'corrupt', 'its compressed frame has no readable JPEG 2000 header; the file is damaged');
    const size = (w: number, h: number, w2: number, h2: number) => `its compressed frame is ${w} x ${h} pixels but the header says ${w2} x ${h2}; the file is damaged`;
    await fails(() => decodeCompressed(TS.jpegLS, LS8, f(4, 3)), 'corrupt', size(4, 2, 4, 3));
    await fails(() => decodeCompressed(TS.j2k, J2K8, f(3, 2)), 'corrupt', size(4, 2, 3, 2));
    await fails(() => decodeCompressed(TS.j2k, J2K8.subarray(0, 100), f(4, 2)), 'corrupt', size(0, 0, 4, 2));
    const padded = (h: number, n: number) => Uint8Array.from([...jpg(seg(0xc3, [8, 0, h, 0, 8, 1, 1, 0x11, 0])), ...zeros(n - 15)]); // lossless: one bit a sample
    await fails(() => decodeCompressed(TS.jpegLossless, padded(21, 20), f(8, 21)), 'truncated', 'its compressed frame holds 20 bytes, far too few for 8 x 21 pixels; the file is truncated or damaged');
    await fails(() => decodeCompressed(TS.jpegLossless, padded(20, 20), f(8, 20)), 'corrupt', DECODE_FAILED, 'Error: ERROR: format throw new IOException! (Parser.decode)');
    for (const [w, h] of [[9, 20], [8, 21]]) await fails(() => decodeCompressed(TS.jpegLossless, padded(20, 20), f(w, h)), 'corrupt', size(8, 20, w, h)); // before the decoder runs
  });

  it('refuses JPEG of more than 8 bits in the baseline decoder, names what a decoder threw, leaves other syntaxes to the caller', async () => {
    for (const p of [12, 9]) await fails(() => decodeCompressed(TS.jpegExtended, jpg(sof(0xc1, p)), f(8, 8)), 'unsupported', `${p}-bit JPEG (Extended) frames are not supported yet`);
    await fails(() => decodeCompressed(TS.jpegBaseline, jpg(sof(0xc0, 8), zeros(10)), f(8, 8)), 'corrupt', DECODE_FAILED, 'Error: unknown JPEG marker 0');
    await fails(() => decodeCompressed(TS.jpegLS, LS8.map((b, i) => (i >= 25 && i < 29 ? 0xff : b)), f(4, 2)), 'corrupt', DECODE_FAILED);
    for (const ts of [TS.rle, TS.explicitLE]) await fails(() => decodeCompressed(ts, LS8, f(4, 2)), 'unsupported', `transfer syntax ${ts}`);
    const uids = ['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.999', '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.4', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.5.1', '1.1.2.840.10008.1.2.4.50', ''];
    assert.deepEqual(uids.map(isCompressed), [true, true, true, false, false, false, false, false]);
  });
});

describe('dicom decode.ts', () => {
  const NOTE = 'The dataset is encoded implicit VR although its header says explicit; it was read leniently.';
  const TRUNC = 'x.dcm is a truncated DICOM file: its pixel data is shorter than the image size in its header. Copy or export it again.';
  const rgbOf = async (body: El[], ts?: string, index = 0) => { const fr = await open(body, ts).frame(index); return [fr.kind, ...Array.from(fr.data)]; };
  const rle16 = (vals: number[]) => Buffer.from(rle([[vals.length - 1, ...vals.map((v) => v >> 8)], [vals.length - 1, ...vals.map((v) => v & 0xff)]]));
  const ds = (tag: number, v: string) => e(tag, 'DS', v);
  const sq = (tag: number, items: El[][]) => e(tag, 'SQ', items);
  const win = (c: string, w: string, names?: string) => [ds(0x00281050, c), ds(0x00281051, w), ...(names === undefined ? [] : [e(0x00281055, 'LO', names)])];

  it('needs Rows, Columns and Bits Allocated (non-zero, 2 bytes), 1/8/16/32 bits, no more pixels than the limit, frames that exist', async () => {
    const msg = 'x.dcm has pixel data but no image size or bit depth (Rows, Columns, Bits Allocated). The file is damaged.';
    for (const o of [{ rows: null }, { cols: null }, { ba: null }, { rows: 0 }, { cols: 0 }, { ba: 0 }, { rows: null, extra: [e(0x00280010, 'US', Buffer.from([1]))] }] as Img[]) await fails(() => open(img(o)), 'corrupt', msg);
    for (const ba of [12, 24, 64]) await fails(() => open(img({ ba })), 'unsupported', `x.dcm has ${ba} bits per sample, which the annotator does not read. Export the image again with 8 or 16 bits per sample.`);
    const limits = { ...DEFAULT_LIMITS, maxFramePixels: 6 };
    assert.equal(open(img({ rows: 2, cols: 3 }), ELE, limits).info.width, 3);
    await fails(() => open(img({ rows: 1, cols: 7 }), ELE, limits), 'too-large', 'x.dcm is 7 x 1 pixels, more than the annotator decodes at once. Downscale it first (e.g. with dcmtk\'s "dcmscale"), or raise "medgemma.image.maxFrameMegapixels" (CLI: --max-megapixels).');
    for (const i of [-1, 2]) await fails(() => open(img({ frames: '2' }, [1, 2, 3, 4])).frame(i), 'corrupt', `x.dcm has 2 frames; frame ${i + 1} does not exist.`);
    for (const [frames, n] of [['3', 3], ['0', 1], ['2.7', 2], ['x', 1], ['-2', 1], [undefined, 1]] as const) assert.equal(open(img({ frames })).info.frames, n, frames);
  });

  it('masks to Bits Stored below High Bit and sign-extends signed pixels (8, 16, 32 bits, both byte orders)', async () => {
    const u32 = (be: boolean, ...v: number[]) => Buffer.concat(v.map((n) => int(n, 4, be)));
    const cases: Array<[Img, number[] | Buffer, number[], string?]> = [[{ ba: 8, cols: 4 }, [0, 127, 128, 255], [0, 127, 128, 255]], [{ ba: 8, cols: 4, pr: 1 }, [0, 127, 128, 255], [0, 127, -128, -1]], [{ cols: 5, bs: 12, hb: 11, pr: 1 }, [0x07ff, 0x0800, 0xf800, 0x1fff, 0x0fff], [2047, -2048, -2048, -1, -1]],
      [{ cols: 5, bs: 12, hb: 11 }, [0x07ff, 0x0800, 0xf800, 0x1fff, 0x0fff], [2047, 2048, 2048, 4095, 4095]], [{ cols: 3, bs: 12, hb: 15 }, [0xfff0, 0x0010, 0x000f], [4095, 1, 0]], [{ cols: 2, bs: 12, hb: 7 }, [0x0fff, 0xf123], [4095, 0x123]],
      [{ cols: 2, bs: 12 }, [0xf123, 0x0800], [0x123, 2048]], [{ ba: 8, bs: 16, hb: 7, pr: 1 }, [200, 100], [-56, 100]], [{ pr: 1 }, [0x8000, 0x7fff], [-32768, 32767]], [{ pr: 0 }, [0x8000, 0x7fff], [32768, 32767]],
      [{ ba: 32 }, u32(false, 0x80000000, 7), [2147483648, 7]], [{ ba: 32, pr: 1 }, u32(false, 0x80000000, 0xffffffff), [-2147483648, -1]], [{ ba: 32, pr: 1 }, u32(true, 0x80000000, 0xfffffffe), [-2147483648, -2], EBE], [{ cols: 3, pr: 1 }, [0x0102, 0xff00, 0x00ff], [258, -256, 255], EBE]];
    for (const [o, px, want, ts] of cases) assert.deepEqual(await grey(img(o, px), ts), want, JSON.stringify(o));
  });

  it('finds frames at their offsets, refuses pixel data shorter than the frame, unpacks 1-bit frames across bytes', async () => {
    assert.deepEqual(await grey(img({ frames: '3' }, [1, 2, 3, 4, 5, 6]), undefined, 2), [5, 6]);
    assert.deepEqual(await grey(img({ frames: '3' }, [1, 2, 3, 4, 5]), undefined, 1), [3, 4]);
    await fails(() => open(img({ frames: '3' }, [1, 2, 3, 4, 5])).frame(2), 'truncated', TRUNC);
    await fails(() => open(img({ cols: 4, px: e(0x7fe00010, 'OW', [1, 2], { len: 8 }) }), ILE).frame(0), 'truncated', TRUNC);
    assert.deepEqual(await grey(img({ ba: 8, spp: 2 }, [1, 2, 3, 4])), [1, 2]);
    const bits = (n: number) => img({ ba: 1, rows: 3, cols: 3, frames: '2' }, [0b10100101, 0b01101011, 0b00000001].slice(0, n));
    assert.deepEqual([await grey(bits(3)), await grey(bits(3), undefined, 1), await grey(bits(2))], [[1, 0, 1, 0, 0, 1, 0, 1, 1], [1, 0, 1, 0, 1, 1, 0, 1, 0], [1, 0, 1, 0, 0, 1, 0, 1, 1]]);
    await fails(() => open(bits(2)).frame(1), 'truncated', TRUNC);
  });

  it('applies rescale slope and intercept, from the top level or else the frame\'s functional groups', async () => {
    const fg = (slope?: string, icpt?: string) => [sq(0x00289145, [[...(slope ? [ds(0x00281053, slope)] : []), ...(icpt ? [ds(0x00281052, icpt)] : [])]])];
    const [perFrame, shared] = [sq(0x52009230, [fg('2', '1'), fg('3'), [ds(0x00081030, 'x')]]), sq(0x52009229, [fg('5', '7')])];
    const cases: Array<[El[], number, number[]]> = [[[ds(0x00281053, '2'), ds(0x00281052, '-10')], 0, [10, 30]], [[ds(0x00281053, '0'), ds(0x00281052, '5')], 0, [15, 25]], [[ds(0x00281052, '5')], 0, [15, 25]], [[ds(0x00281053, 'abc'), ds(0x00281052, 'x')], 0, [10, 20]], [[perFrame, shared], 0, [21, 41]],
      [[perFrame, shared], 1, [30, 60]], [[perFrame, shared], 2, [57, 107]], [[shared], 1, [57, 107]], [[perFrame], 2, [10, 20]], [[sq(0x52009229, [fg()])], 0, [10, 20]], [[ds(0x00281053, '2'), shared], 0, [20, 40]], [[ds(0x00281052, '3'), shared], 0, [53, 103]]];
    for (const [extra, index, want] of cases) assert.deepEqual(await grey(img({ frames: '3', extra }, [10, 20, 10, 20, 10, 20]), undefined, index), want, `${JSON.stringify(extra.map((x) => x.tag))} frame ${index}`);
  });

  it('lists the header windows with their names, skipping unusable ones, from the top level or the VOI functional group', () => {
    const wins = (extra: El[]) => open(img({ modality: 'MR', extra }, [0, 100])).info.windows;
    const h = (name: string, center: number, width: number) => ({ name, center, width });
    assert.deepEqual(wins(win('40\\-600', '400\\1500', 'SOFT\\ LUNG ')), [h('SOFT', 40, 400), h('LUNG', -600, 1500)]);
    assert.deepEqual(wins(win('40\\-600', '400\\1500')), [h('Header', 40, 400), h('Header 2', -600, 1500)]);
    assert.deepEqual(wins(win('1\\2\\3\\x\\5\\6', '0\\0.5\\-1\\9\\7\\Infinity', 'a\\\\c\\d')), [h('Header 2', 2, 0.5), h('Header 5', 5, 7)]);
    assert.deepEqual([wins(win('40\\50', '400')).length, wins([ds(0x00281050, '40')]).length, wins([ds(0x00281051, '40')]).length], [1, 0, 0]);
    const voi = (c: string) => [sq(0x00289132, [win(c, '60')])];
    assert.deepEqual([wins([sq(0x52009229, [voi('30')])]), wins([sq(0x52009230, [voi('10')]), sq(0x52009229, [voi('30')])]), wins([...win('1', '2'), sq(0x52009229, [voi('30')])])], [[h('Header', 30, 60)], [h('Header', 10, 60)], [h('Header', 1, 2)]]);
  });

  it('keeps a header window that fits the first grey frame, else chooses one once; CT adds the presets, colour has none', async () => {
    const state = async (o: Img, px: number[], frames = [0]) => { const d = open(img(o, px)); for (const i of frames) await d.frame(i); return [d.info.defaultWindow, d.info.windows]; };
    const auto = { name: 'Auto', center: 50.5, width: 101 };
    assert.deepEqual(open(img({ extra: win('5000', '10') })).info.defaultWindow, { name: 'Header', center: 5000, width: 10 });
    assert.deepEqual(await state({ modality: 'MR', frames: '2', extra: win('5000', '10') }, [0, 100, 1000, 2000], [0, 1]), [auto, [{ name: 'Header', center: 5000, width: 10 }]]);
    assert.deepEqual(await state({ modality: 'CT', extra: win('40', '400') }, [0, 100]), [{ name: 'Header', center: 40, width: 400 }, [{ name: 'Header', center: 40, width: 400 }, ...PRESETS]]);
    assert.deepEqual(await state({ modality: 'MR' }, [0, 100]), [auto, []]);
    assert.deepEqual(await state({ modality: 'CT', pr: 1 }, [-1000, 200]), [{ name: 'Soft tissue', center: 40, width: 400 }, PRESETS]);
    assert.deepEqual(await state({ spp: 3, ba: 8, extra: win('1', '2') }, [1, 2, 3, 4, 5, 6]), [{ name: 'Header', center: 1, width: 2 }, []]);
  });

  it('names the kind of image from modality and body part, and fills in the image info', () => {
    const kinds: Array<[string | null, string, string]> = [['CT', '', 'ct'], ['MR', '', 'mri'], ['CR', '', 'cxr'], ['DX', 'CHEST', 'cxr'], ['DX', 'chest wall', 'cxr'], ['DX', 'HAND', 'other'], ['CR', 'HAND', 'other'], ['SM', '', 'pathology'], ['OP', '', 'fundus'], ['XC', '', 'dermatology'], ['US', '', 'other'], [null, '', 'other']];
    for (const [modality, body, kind] of kinds) assert.equal(open(img({ modality, extra: body ? [e(0x00180015, 'CS', body)] : [] })).info.kind, kind, `${modality} ${body}`);
    const { info } = open(img({ modality: 'MR', pi: 'monochrome1', rows: 3, frames: '4', extra: [e(0x00280301, 'CS', 'yes')] }));
    assert.deepEqual({ ...info, header: info.header.length }, { format: 'dicom', width: 2, height: 3, frames: 4, scale: 1, invert: true, defaultWindow: undefined, windows: [], modality: 'MR', kind: 'mri', header: 8, burnedInAnnotation: true, notes: [], transferSyntax: ELE });
    assert.deepEqual([open(img({ pi: 'MONOCHROME2', extra: [e(0x00280301, 'CS', 'NO')] })).info.invert, open(img({ extra: [e(0x00280301, 'CS', 'NO')] })).info.burnedInAnnotation], [false, false]);
  });

  it('says why a file has no image, and which transfer syntaxes it cannot decode', async () => {
    const none = (what: string) => `x.dcm is ${what}: it has no pixel data to show. Open an image series instead.`;
    const noPx: Array<[El[], string]> = [[[sq(0x54000100, [])], 'a waveform (e.g. an ECG)'], [[sq(0x0040a730, [])], 'a structured report'], [[e(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.88.22')], 'a structured report'], [[e(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7')], 'a DICOM object without an image'], [[], 'a DICOM object without an image']];
    for (const [extra, what] of noPx) await fails(() => open(img({ px: null, extra })), 'no-pixels', none(what));
    assert.equal(open(img({ ba: 32, px: e(0x7fe00008, 'OF', Buffer.alloc(8)) })).info.width, 2); // float and double pixel data count as pixel data
    await fails(() => open(img({ ba: 64, px: e(0x7fe00009, 'OD', Buffer.alloc(16)) })), 'unsupported', 'x.dcm has double-precision floating-point pixels, which the annotator does not read. Export the image again with 32-bit floats, or with 8 or 16-bit integers.');
    const floatRefused = (bits: number, spp: number) => `x.dcm has floating-point pixels of ${bits} bits and ${spp} sample(s), which the annotator does not read. Export the image again as one grey sample of 32-bit floats, or as 8 or 16-bit integers.`;
    await fails(() => open(img({ ba: 16, px: e(0x7fe00008, 'OF', Buffer.alloc(8)) })), 'unsupported', floatRefused(16, 1));
    await fails(() => open(img({ ba: 32, spp: 3, px: e(0x7fe00008, 'OF', Buffer.alloc(24)) })), 'unsupported', floatRefused(32, 3));
    await fails(() => rgbOf(img({ ba: 16, pi: 'YBR_FULL_422', spp: 3 }, [1, 2, 3, 4])), 'unsupported', 'x.dcm is YBR_FULL_422 with 16 bits per sample, which the annotator does not read. Export it again as RGB.');
    await fails(() => open(img({}), '1.2.3.999'), 'unsupported', 'x.dcm uses the transfer syntax 1.2.3.999, which the annotator cannot decode. Convert it first, e.g. "dcmconv +te in.dcm out.dcm" (dcmtk) or "gdcmconv --raw".');
    await fails(() => open(img({}), '1.2.840.10008.1.2.4.999'), 'unsupported', 'x.dcm uses the transfer syntax 1.2.840.10008.1.2.4.999, which the annotator cannot decode. Convert it first, e.g. "gdcmconv --raw in.dcm out.dcm".');
    for (const [ts, name] of [['100', 'MPEG-2 video'], ['102', 'MPEG-4 AVC/H.264 video'], ['201', 'High-Throughput JPEG 2000']]) await fails(() => open(img({}), `1.2.840.10008.1.2.4.${ts}`), 'unsupported', `x.dcm uses ${name}, which the annotator cannot decode. Convert it to an uncompressed file first (e.g. "gdcmconv --raw").`);
  });

  it('reads colour interleaved or planar, scales 16-bit samples to 8 bits, converts YBR_FULL, ignores the sign', async () => {
    const rgb = (o: Img, px: number[]) => rgbOf(img({ spp: 3, ba: 8, ...o }, px));
    const cases: Array<[Img, number[], number[]]> = [[{ pi: 'RGB' }, [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]], [{ planar: 1 }, [1, 4, 2, 5, 3, 6], [1, 2, 3, 4, 5, 6]], [{ pr: 1 }, [255, 128, 0, 1, 2, 3], [255, 128, 0, 1, 2, 3]], [{ ba: 16 }, [0xffff, 0x1234, 0x0080, 0, 0x0100, 0x7f80], [255, 18, 1, 0, 1, 128]],
      [{ ba: 16, bs: 12 }, [0x0fff, 0x0800, 0x0008, 0xf000, 0x0010, 0x07f8], [255, 128, 1, 0, 1, 128]], [{ pi: 'ybr_full' }, [100, 128, 128, 128, 64, 192], [100, 100, 100, 218, 104, 15]],
      [{ pi: 'YBR_ICT' }, [255, 255, 255, 0, 0, 0], [255, 255, 255, 0, 0, 0]]];
    for (const [o, px, want] of cases) assert.deepEqual(await rgb(o, px), ['rgb', ...want], JSON.stringify(o));
  });

  // Was a bug: native YBR_FULL_422 stores two Y with one Cb Cr (Y1 Y2 Cb Cr: 2 bytes a pixel,
  // PS3.3 C.7.6.3.1.2); the decoder expected 3 bytes a pixel and called the file truncated.
  it('uncompressed YBR_FULL_422 (Y1 Y2 Cb Cr) decodes, each pair sharing its Cb and Cr', async () => {
    assert.deepEqual(await rgbOf(img({ spp: 3, ba: 8, pi: 'YBR_FULL_422' }, [100, 200, 128, 128])), ['rgb', 100, 100, 100, 200, 200, 200]);
    // The YBR_FULL case above: Y 128, Cb 64, Cr 192 is (218, 104, 15); Y 100 with the same chroma (190, 76, 0).
    assert.deepEqual(await rgbOf(img({ spp: 3, ba: 8, pi: 'YBR_FULL_422' }, [128, 100, 64, 192])), ['rgb', 218, 104, 15, 190, 76, 0]);
    await fails(() => rgbOf(img({ spp: 3, ba: 8, pi: 'YBR_FULL_422' }, [128, 100, 64])), 'truncated', 'x.dcm is a truncated DICOM file: its pixel data is shorter than the image size in its header. Copy or export it again.');
  });

  it('maps palette colour through its red, green and blue tables', async () => {
    const TAGS = [0x00281101, 0x00281102, 0x00281103, 0x00281201, 0x00281202, 0x00281203];
    const lut = (desc: number[] | Buffer, data: Buffer[], skip = -1) => TAGS.flatMap((t, i) => (t === skip ? [] : [e(t, i < 3 ? 'US' : 'OW', i < 3 ? desc : data[i - 3])]));
    const w16 = (...v: number[]) => Buffer.concat(v.map((n) => int(n, 2)));
    const pal = (extra: El[], px: number[], o: Img = { ba: 8 }) => rgbOf(img({ pi: 'PALETTE COLOR', cols: px.length, extra, ...o }, px));
    assert.deepEqual(await pal(lut([4, 10, 16], [w16(0x0100, 0x2000, 0x8000, 0xff00), w16(0x0200, 0x0300, 0x0400, 0x0500), w16(0x0600, 0x0700, 0x0800, 0x0900)]), [9, 11, 12, 14]), ['rgb', 1, 2, 6, 32, 3, 7, 128, 4, 8, 255, 5, 9]);
    assert.deepEqual(await pal(lut([4, 252, 8], [Buffer.from([10, 20, 30, 40]), Buffer.from([1, 2, 3, 4]), Buffer.from([5, 6, 7, 8])]), [255, 252], { ba: 8, pr: 1 }), ['rgb', 40, 4, 8, 10, 1, 5]);
    const big = Buffer.alloc(131072);
    for (let i = 0; i < 65536; i++) big.writeUInt16LE(i < 65535 ? i : 0x4200, i * 2); // entry i is i, the last 0x4200
    assert.deepEqual(await pal(lut(Buffer.alloc(0), [big, big, big]), [0x1200, 0xffff], { ba: 16 }), ['rgb', 0x12, 0x12, 0x12, 0x42, 0x42, 0x42]);
    for (const skip of TAGS) await fails(() => pal(lut([4, 0, 8], [Buffer.alloc(4), Buffer.alloc(4), Buffer.alloc(4)], skip), [0]), 'corrupt', 'x.dcm is palette colour without its palette tables. The file is damaged.');
    assert.deepEqual(open(img({ pi: 'PALETTE COLOR', ba: 8, extra: win('1', '2') })).info.windows, []);
  });

  it('splits encapsulated frames by offset table, one fragment each, end-of-image markers, or all in one frame', async () => {
    const [A, B, C] = [rle16([1, 2]), rle16([3, 4]), Buffer.from(rle([[1, 0, 0, 0xff, 0xd9], [1, 1, 2]]))]; // C's first 69 bytes end in FF D9
    const encOpen = (frags: Buffer[], frames?: string, bot?: number[]) => open(img({ frames, px: encap(frags, bot) }), TS.rle);
    const frame = async (d: ReturnType<typeof open>, i: number) => Array.from((await d.frame(i)).data);
    assert.deepEqual([await frame(encOpen([A]), 0), await frame(encOpen([C.subarray(0, 69), C.subarray(69)]), 0), await frame(encOpen([A, B], '2'), 1), await frame(encOpen([A, B], '2', [0, A.length + 8]), 1)], [[1, 2], [1, 2], [3, 4], [3, 4]]);
    const jpegLike = encOpen([Buffer.concat([A, Buffer.from([0xff, 0xd9])]), B, Buffer.from([0xff, 0xd9])], '2');
    assert.deepEqual([await frame(jpegLike, 0), await frame(jpegLike, 1), await frame(encOpen([A, B, B], '2'), 0)], [[1, 2], [3, 4], [1, 2]]);
    const lost = 'x.dcm: frame 2 of 2 cannot be found in the compressed pixel data (its table of frame offsets does not match the fragments). Export the file again from the source.';
    await fails(() => encOpen([A, B, B], '2').frame(1), 'corrupt', lost, "dicomParser.readEncapsulatedImageFrame: parameter 'frameIndex' must be < basicOffsetTable.length");
    await fails(() => encOpen([A, B], '2', [0, 5]).frame(1), 'corrupt', lost, 'dicomParser.readEncapsulatedImageFrame: unable to find fragment that matches basic offset table entry');
    await fails(() => encOpen([]).frame(0), 'corrupt', 'x.dcm has compressed pixel data without any fragments. The file is damaged.');
  });

  it('names the file, encoding and frame when RLE decoding fails, and reads RLE colour interleaved whatever the planar flag', async () => {
    await fails(() => open(img({ px: encap([Buffer.from([1, 2, 3])]) }), TS.rle).frame(0), 'corrupt', 'x.dcm (RLE Lossless, frame 1): the RLE frame is shorter than its header. Export it again from the source.');
    await fails(() => open(img({ frames: '2', px: encap([rle16([1, 2]), rle16([3])]) }), TS.rle).frame(1), 'truncated', 'x.dcm (RLE Lossless, frame 2): segment 1 of the RLE frame holds only 1 of its 2 pixels; the file is truncated or damaged. Export it again from the source.');
    assert.deepEqual(await rgbOf(img({ spp: 3, ba: 8, planar: 1, px: encap([Buffer.from(rle([[1, 1, 4], [1, 2, 5], [1, 3, 6]]))]) }), TS.rle), ['rgb', 1, 2, 3, 4, 5, 6]);
  });

  it('reads compressed frames through the codecs, with the sample size, sign and colour they decode', async () => {
    const one = (data: Uint8Array, ts: string, o: Img) => rgbOf(img({ ...o, px: encap([Buffer.from(data)]) }), ts);
    assert.deepEqual(await one(LS8, TS.jpegLS, { cols: 4, rows: 2, bs: 8, hb: 7 }), ['gray', 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(await one(LOSSLESS16, TS.jpegLossless, { cols: 4, rows: 2, pr: 1 }), ['gray', 0, -1, -32768, 1, 4095, 300, 12345, -11215]);
    assert.deepEqual(await one(J2K8, TS.j2k, { cols: 4, rows: 2, ba: 8 }), ['gray', 5, 42, 79, 116, 153, 190, 227, 8]);
    assert.deepEqual(await one(LS_RGB, TS.jpegLS, { cols: 2, spp: 3, ba: 8, pi: 'YBR_FULL', planar: 1 }), ['rgb', 0, 117, 0, 161, 212, 239]);
    for (const ts of [TS.jpegBaseline, TS.jpegExtended]) assert.deepEqual((await one(rgbJpeg(), ts, { cols: 8, rows: 8, spp: 3, ba: 8, pi: 'YBR_FULL_422' })).slice(0, 4), ['rgb', 199, 99, 49]);
    await fails(() => one(jpg(seg(0xc1, [12, 0, 8, 0, 8, 1, 1, 0x11, 0])), TS.jpegExtended, { cols: 8, rows: 8 }), 'unsupported', 'x.dcm (JPEG Extended (12-bit), frame 1): 12-bit JPEG (Extended) frames are not supported yet. Convert it to an uncompressed file (e.g. "dcmdjpeg" or "gdcmconv --raw") and open that.');
  });

  // Was a bug: a baseline JPEG decodes to 3 channels even when grey (jpeg-js), so a MONOCHROME2 file
  // with one sample took the first third of the R,G,B triplets as its pixels: a row 128 x 8 | 160 x 8 reads 128 x 16.
  it('a grey JPEG Baseline frame keeps each pixel in its place', async () => {
    const row = (await rgbOf(img({ cols: 16, rows: 8, ba: 8, px: encap([Buffer.from(greyJpeg(true))]) }), TS.jpegBaseline)).slice(1, 17);
    assert.deepEqual(row, [...new Array(8).fill(128), ...new Array(8).fill(160)]);
  });

  // Was a bug: Float Pixel Data (7FE0,0008) holds IEEE floats; decode.ts read the bits as integers.
  it('Float Pixel Data is read as floats', async () => {
    const floats = Buffer.alloc(8);
    [1.5, -2].forEach((v, i) => floats.writeFloatLE(v, i * 4));
    assert.deepEqual(await grey(img({ ba: 32, px: e(0x7fe00008, 'OF', floats) })), [1.5, -2]);
    // NaN and infinities (a damaged or hostile file) show as 0 rather than spoil every window.
    [NaN, -Infinity].forEach((v, i) => floats.writeFloatLE(v, i * 4));
    assert.deepEqual(await grey(img({ ba: 32, px: e(0x7fe00008, 'OF', floats) })), [0, 0]);
  });

  describe('implicit VR under an explicit (RLE) transfer syntax: fragments found by hand', () => {
    // Read as explicit VR, this first element makes a 65535-byte element of the next: a buffer overrun.
    const lead = e(0x00080008, 'CS', Buffer.from([0x10, 0, 0x10, 0, 0x58, 0x58, 0xff, 0xff]));
    // A 2 x 1, 8-bit RLE frame of 72 bytes: read as implicit items, its header is one 64-byte element.
    const frag = (a: number, b: number) => Buffer.from(rle([[1, a, b, -128, -128, -128, -128, -128]]));
    const items = (...frags: Buffer[]) => Buffer.concat([item(Buffer.alloc(0)), ...frags.map((x) => item(x))]);
    const lenient = (px: Buffer, frames?: string) => open([lead, ...img({ ba: 8, frames, px: e(0x7fe00010, 'OB', px, { undef: true }) })], TS.rle, undefined, 'ile');
    const pixels = async (px: Buffer, frames?: string, i = 0) => Array.from((await lenient(px, frames).frame(i)).data);
    it('reads one fragment, several fragments of one frame, or one fragment a frame', async () => {
      const d = lenient(Buffer.concat([items(frag(7, 8)), SEQ_END()]));
      assert.deepEqual([Array.from((await d.frame(0)).data), d.info.notes, d.info.transferSyntax], [[7, 8], [NOTE], TS.rle]);
      assert.deepEqual(await pixels(Buffer.concat([items(Buffer.from(rle([new Array(8).fill(-128)])), Buffer.from([1, 5, 6, 0, 0, 0, 0, 0])), SEQ_END()])), [5, 6]);
      assert.deepEqual(await pixels(Buffer.concat([items(frag(1, 2), frag(3, 4)), SEQ_END()]), '2', 1), [3, 4]);
    });
    it('refuses frames it cannot split, no fragments, and a fragment past the end; reads an empty last item', async () => {
      await fails(() => pixels(Buffer.concat([items(frag(1, 2), frag(3, 4), frag(5, 6)), SEQ_END()]), '2'), 'unsupported', 'x.dcm has 2 frames in 3 fragments without an offset table, which the annotator cannot split.');
      await fails(() => pixels(Buffer.concat([items(), SEQ_END()])), 'corrupt', 'x.dcm has compressed pixel data without any fragments. The file is damaged.');
      await fails(() => pixels(Buffer.concat([items(frag(1, 2)), tagB(0xfffee000), int(-1, 4)])), 'truncated', TRUNC);
      await fails(() => pixels(Buffer.concat([items(frag(1, 2)), tagB(0xfffee000), int(0, 4)]), '2', 1), 'corrupt', 'x.dcm (RLE Lossless, frame 2): the RLE frame is shorter than its header. Export it again from the source.');
    });
  });
});
