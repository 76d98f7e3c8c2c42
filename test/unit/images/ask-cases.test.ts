// Direct cases for the image question and the plumbing under it: ask.ts and prompts.ts (the exact
// words and messages sent, every option, the one-image retry), frame-cache.ts (capacity, LRU order),
// limits.ts, codec-headers.ts, errors.ts and open.ts (each limit at and one past it, header sniffing,
// every message word for word). png-encode.ts: png-encode.test.ts.
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { decode as jpegDecode, encode as jpegEncode } from 'jpeg-js';
import { askAboutImage, buildImageRequest, type AskInput } from '../../../src/core/images/ask';
import { j2kFrame, jpegFrame, minimumJpegBytes, type DeclaredFrame } from '../../../src/core/images/codec-headers';
import { asImageError, ImageError, isImageError, thrownText } from '../../../src/core/images/errors';
import { FRAME_CACHE_BYTES, FRAME_CACHE_COUNT, FrameCache } from '../../../src/core/images/frame-cache';
import { DEFAULT_LIMITS, describeSize, downscaleFactor, JPEG_JS_MEMORY_MB, limitsFor, MAX_DECODED_SIDE, RAISE_FRAME_CAP, type ImageLimits } from '../../../src/core/images/limits';
import { dataUrl, modelImages } from '../../../src/core/images/model-image';
import { kindFromName, openImage, sniff } from '../../../src/core/images/open';
import { encodePng } from '../../../src/core/images/png-encode';
import { DEFAULT_PROMPTS, KIND_LABELS, promptFor, REGION_NOTE, singleImageRegionPrompt } from '../../../src/core/images/prompts';
import type { Frame } from '../../../src/core/images/types';
import { MedGemmaError } from '../../../src/core/server/errors';
import type { ChatRequest, ChatResult, ChatService, StreamOptions } from '../../../src/core/server/types';
import { makeDicom } from './make-dicom';
import { be16, be32, cat, PNG_SIG, pngChunk } from './png-bytes';

// ---- shared helpers ---------------------------------------------------------------------------

/** A JPEG marker segment: FF, marker, length (counting itself), payload. */
const seg = (m: number, payload: number[] = []) => [0xff, m, ...be16(payload.length + 2), ...payload];
const sof = (m: number, w: number, h: number, comps = 1, precision = 8) => seg(m, [precision, ...be16(h), ...be16(w), comps, ...Array.from({ length: comps }, (_, c) => [c + 1, 0x11, 0]).flat()]);
const SOI = [0xff, 0xd8];
const TOO_BIG_TO_DECODE = 'could not be decoded within the memory allowed; it may be damaged or declare a larger image than it holds. Open the original file, or downscale it first.';

/** The ImageError a promise fails with, as plain fields. */
async function failure(p: Promise<unknown>): Promise<{ kind: string; message: string; detail?: string }> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  assert.ok(isImageError(e), `expected an ImageError, got ${String(e)}`);
  return { kind: e.kind, message: e.message, detail: e.detail };
}
const openFailure = (bytes: Uint8Array, name: string, limits?: ImageLimits) => failure(openImage(bytes, name, limits));

/** A 16-bit grey PNG (filter 0 rows). */
function grey16Png(w: number, h: number, values: number[]): Buffer {
  const raw = Array.from({ length: h }, (_, y) => [0, ...values.slice(y * w, y * w + w).flatMap(be16)]).flat();
  return cat(PNG_SIG, pngChunk('IHDR', cat(be32(w), be32(h), [16, 0, 0, 0, 0])), pngChunk('IDAT', zlib.deflateSync(Buffer.from(raw))), pngChunk('IEND'));
}

// ---- ask.ts and prompts.ts --------------------------------------------------------------------

const ANSWER: ChatResult = { text: 'No acute findings.', finishReason: 'stop', model: 'medgemma-4b', usage: { promptTokens: 300, completionTokens: 5, totalTokens: 305 }, promptTokens: 300, maxTokens: 500 };

/** A ChatService that plays a script: each call takes the next answer or throws the next failure. */
class ScriptedChat implements ChatService {
  readonly calls: { req: ChatRequest; opts: StreamOptions | undefined }[] = [];
  constructor(private readonly script: ({ answer: ChatResult } | { fail: unknown })[], private readonly log: string[] = []) {}
  countTokens = async () => ({ tokens: 1, exact: false });
  contextLength = async () => 8192;
  async chat(req: ChatRequest, opts?: StreamOptions): Promise<ChatResult> {
    this.log.push(`chat ${this.calls.push({ req, opts })}`);
    const step = this.script.shift() ?? { fail: new Error('the script has no more steps') };
    if ('fail' in step) throw step.fail;
    return step.answer;
  }
}

/** What buildImageRequest should return, from model-image.ts's own images; bytesSent = the data URLs' length. */
function expected(input: AskInput, pngs: Buffer[], text: string) {
  const urls = pngs.map(dataUrl);
  const content = [...urls.map((url) => ({ type: 'image_url' as const, image_url: { url } })), { type: 'text' as const, text }];
  const messages = [{ role: 'system' as const, content: input.system }, { role: 'user' as const, content }];
  const request: ChatRequest = { job: 'vision', feature: 'image', messages, maxTokens: input.maxTokens ?? 500, temperature: input.temperature ?? 0 };
  return { request, bytesSent: urls.reduce((n, u) => n + u.length, 0), images: pngs.length, prompt: text };
}

describe('images/prompts: the words sent', () => {
  it('every default prompt and label, word for word', () => {
    assert.equal(REGION_NOTE, 'The first image is a close-up of the region of interest; the second is the whole image with that region outlined in yellow.');
    const R = `${REGION_NOTE} `;
    assert.deepEqual(DEFAULT_PROMPTS, {
      cxr: { system: 'You are an expert radiologist.', whole: 'Describe this chest X-ray. List the findings, then give an impression.', region: `${R}Describe the findings in the outlined region of this chest X-ray.` },
      ct: { system: 'You are an expert radiologist.', whole: 'Describe this CT image. List the findings, then give an impression.', region: `${R}Describe the findings in the outlined region of this CT image.` },
      mri: { system: 'You are an expert radiologist.', whole: 'Describe this MRI image. List the findings, then give an impression.', region: `${R}Describe the findings in the outlined region of this MRI image.` },
      pathology: { system: 'You are an expert pathologist.', whole: 'Describe this histopathology image: tissue, architecture, cells and any abnormal features.', region: `${R}Describe the tissue and cells in the outlined region.` },
      dermatology: { system: 'You are an expert dermatologist.', whole: 'Describe this skin lesion (dermoscopy): colour, borders, structures, and the differential diagnosis.', region: `${R}Describe the outlined part of this skin lesion.` },
      fundus: { system: 'You are an expert ophthalmologist.', whole: 'Describe this fundus photograph: optic disc, macula, vessels and any lesions.', region: `${R}Describe the outlined region of this fundus photograph.` },
      other: { system: 'You are an expert in medical imaging.', whole: 'Describe this medical image.', region: `${R}Describe the outlined region.` },
    });
    assert.deepEqual(KIND_LABELS, { cxr: 'Chest X-ray', ct: 'CT', mri: 'MRI', pathology: 'Pathology', dermatology: 'Dermatology', fundus: 'Fundus', other: 'Other' });
  });

  it('promptFor merges only the overrides for that kind', () => {
    for (const o of [undefined, {}, { mri: { whole: 'x' } }]) assert.deepEqual(promptFor('ct', o), DEFAULT_PROMPTS.ct);
    assert.deepEqual(promptFor('fundus', { fundus: { whole: 'Grade the retinopathy.' } }), { ...DEFAULT_PROMPTS.fundus, whole: 'Grade the retinopathy.' });
    assert.deepEqual(promptFor('other', { other: { system: 'S', whole: 'W', region: 'R' } }), { system: 'S', whole: 'W', region: 'R' });
  });

  it('the one-image region prompt replaces the two-image note (its first time only), or leads with the box', () => {
    const BOX = 'The region of interest is outlined in yellow.';
    const replaced = [DEFAULT_PROMPTS.cxr.region, `Look. ${REGION_NOTE} Then ${REGION_NOTE}`].map(singleImageRegionPrompt);
    assert.deepEqual(replaced, [`${BOX} Describe the findings in the outlined region of this chest X-ray.`, `Look. ${BOX} Then ${REGION_NOTE}`]);
    for (const p of ['Is this a nodule?', REGION_NOTE.slice(1), '']) assert.equal(singleImageRegionPrompt(p), `${BOX} ${p}`);
  });
});

describe('images/ask: the request and the retry', () => {
  const frame: Frame = { kind: 'gray', width: 24, height: 16, data: Float32Array.from({ length: 24 * 16 }, (_, i) => (i * 37) % 251) };
  const view = { window: { center: 100, width: 200 } };
  const region = { x: 4, y: 2, w: 10, h: 8 };
  const whole: AskInput = { frame, view, system: DEFAULT_PROMPTS.cxr.system, prompt: DEFAULT_PROMPTS.cxr.whole };
  const boxed: AskInput = { ...whole, region, prompt: DEFAULT_PROMPTS.cxr.region };
  const ONE_IMAGE_WORDS = 'The region of interest is outlined in yellow. Describe the findings in the outlined region of this chest X-ray.';
  const png: Record<'whole' | 'two' | 'one' | 'scaled', Buffer[]> = { whole: [], two: [], one: [], scaled: [] };
  before(() => Object.assign(png, { whole: modelImages(frame, view).pngs, two: modelImages(frame, view, region).pngs, one: modelImages(frame, view, region, 1, true).pngs, scaled: modelImages(frame, view, region, 2).pngs }));

  it('a whole image: one PNG then the prompt, 500 tokens at temperature 0; one-image mode changes nothing', () => {
    assert.deepEqual([buildImageRequest(whole), buildImageRequest(whole, true)], [expected(whole, png.whole, whole.prompt), expected(whole, png.whole, whole.prompt)]);
  });

  it('a region: crop, context, the prompt as typed; one-image mode sends the context only, reworded', () => {
    assert.ok(png.two.some((p) => p.length % 3 !== 0), 'the base64 rounding is exercised');
    assert.deepEqual([buildImageRequest(boxed), buildImageRequest(boxed, true)], [expected(boxed, png.two, boxed.prompt), expected(boxed, png.one, ONE_IMAGE_WORDS)]);
  });

  it('scale, max tokens and temperature are passed on', () => {
    const input: AskInput = { ...boxed, scale: 2, maxTokens: 77, temperature: 0.4 };
    assert.deepEqual([buildImageRequest(input), png.scaled.length], [expected(input, png.scaled, input.prompt), 2]);
    assert.notDeepEqual(png.scaled, png.two);
  });

  it('asks once: onSend hears the prompt before the call, the options go through, the answer carries what was sent', async () => {
    const [log, opts]: [string[], StreamOptions] = [[], { onDelta: () => undefined }];
    const chat = new ScriptedChat([{ answer: ANSWER }], log);
    const r = await askAboutImage(chat, boxed, opts, (p) => log.push(`send ${p}`));
    const sent = expected(boxed, png.two, boxed.prompt);
    assert.deepEqual([log, chat.calls.map((c) => c.req), chat.calls[0].opts === opts], [[`send ${boxed.prompt}`, 'chat 1'], [sent.request], true]);
    assert.deepEqual(r, { ...ANSWER, bytesSent: sent.bytesSent, images: 2, prompt: boxed.prompt, messages: sent.request.messages });
    const bare = new ScriptedChat([{ answer: ANSWER }]);
    assert.deepEqual([(await askAboutImage(bare, whole)).text, bare.calls[0].opts], [ANSWER.text, {}], 'no options, no onSend');
  });

  it('an image limit on a two-image request retries once with one image and the reworded prompt', async () => {
    const [log, opts]: [string[], StreamOptions] = [[], {}];
    const chat = new ScriptedChat([{ fail: new MedGemmaError('image-limit', 'one image only') }, { answer: ANSWER }], log);
    const r = await askAboutImage(chat, boxed, opts, (p) => log.push(`send ${p}`));
    const second = expected(boxed, png.one, ONE_IMAGE_WORDS);
    assert.deepEqual([log, chat.calls.map((c) => c.req), chat.calls[1].opts === opts], [[`send ${boxed.prompt}`, 'chat 1', `send ${ONE_IMAGE_WORDS}`, 'chat 2'], [expected(boxed, png.two, boxed.prompt).request, second.request], true]);
    assert.deepEqual(r, { ...ANSWER, bytesSent: second.bytesSent, images: 1, prompt: ONE_IMAGE_WORDS, messages: second.request.messages });
    const quiet = new ScriptedChat([{ fail: new MedGemmaError('image-limit', 'x') }, { answer: ANSWER }]);
    assert.equal((await askAboutImage(quiet, boxed)).images, 1, 'the retry works without onSend');
  });

  it('anything else is thrown as is, after one call; a failed retry too', async () => {
    const notOurs = Object.assign(new Error('not ours'), { kind: 'image-limit' });
    for (const [input, fail] of [[whole, new MedGemmaError('image-limit', 'one image')], [boxed, new MedGemmaError('context-overflow', 'long')], [boxed, notOurs]] as const) {
      const chat = new ScriptedChat([{ fail }, { answer: ANSWER }]);
      await assert.rejects(askAboutImage(chat, input), (e: unknown) => e === fail);
      assert.equal(chat.calls.length, 1);
    }
    const [again, heard] = [new MedGemmaError('unreachable', 'gone'), [] as string[]];
    const chat = new ScriptedChat([{ fail: new MedGemmaError('image-limit', 'x') }, { fail: again }]);
    await assert.rejects(askAboutImage(chat, boxed, {}, (p) => heard.push(p)), (e: unknown) => e === again);
    assert.deepEqual(heard, [boxed.prompt, ONE_IMAGE_WORDS]);
  });
});

// ---- frame-cache.ts ---------------------------------------------------------------------------

const bytesFrame = (n: number): Frame => ({ kind: 'rgb', width: n, height: 1, data: new Uint8Array(n) });
/** Plays "sI=N" (set frame I of N bytes), "gI" (get I) and "c" (clear); returns [bytes, size, the indices held]. */
function play(maxBytes: number | undefined, maxFrames: number | undefined, ops: string): [number, number, number[]] {
  const c = new FrameCache(maxBytes, maxFrames);
  for (const [, op, i, n] of ops.matchAll(/([sgc])(\d*)(?:=(\d+))?/g)) {
    if (op === 's') c.set(+i, bytesFrame(+n));
    else if (op === 'g') c.get(+i);
    else c.clear();
  }
  const sizeBefore = c.size;
  return [c.bytes, sizeBefore, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((i) => c.get(i) !== undefined)];
}

describe('images/frame-cache: capacity and eviction order', () => {
  const cases: [string, number | undefined, number | undefined, string, [number, number, number[]]][] = [
    ['by default 9 frames are kept', undefined, undefined, 's0=1 s1=1 s2=1 s3=1 s4=1 s5=1 s6=1 s7=1 s8=1', [9, 9, [0, 1, 2, 3, 4, 5, 6, 7, 8]]],
    ['by default the tenth frame pushes out the oldest', undefined, undefined, 's0=1 s1=1 s2=1 s3=1 s4=1 s5=1 s6=1 s7=1 s8=1 s9=1', [9, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]]],
    ['exactly the byte budget keeps every frame', 100, 9, 's0=40 s1=60', [100, 2, [0, 1]]],
    ['one byte over the budget drops the least recent', 100, 9, 's0=40 s1=60 s2=1', [61, 2, [1, 2]]],
    ['as many as needed go, oldest first', 100, 9, 's0=20 s1=20 s2=20 s3=20 s4=20 s5=50', [90, 3, [3, 4, 5]]],
    ['a frame of exactly the budget is kept alone', 100, 9, 's0=30 s1=30 s2=100', [100, 1, [2]]],
    ['one byte more than the budget is not kept and evicts nothing', 100, 9, 's0=30 s1=101', [30, 1, [0]]],
    ['at the frame count the oldest goes', 1000, 3, 's0=1 s1=2 s2=3 s3=4', [9, 3, [1, 2, 3]]],
    ['get() makes a frame the most recent; a miss adds nothing', 1000, 3, 's0=1 s1=2 s2=3 g0 g7 s3=4 s4=5', [10, 3, [0, 3, 4]]],
    ['setting a held index replaces it and makes it the most recent', 1000, 3, 's0=30 s1=30 s0=50 s2=1 s3=1', [52, 3, [0, 2, 3]]],
    ['a replacement over the budget drops the old frame', 100, 9, 's0=30 s1=5 s0=101', [5, 1, [1]]],
    ['clear empties it and frees the whole budget', 100, 9, 's0=60 s1=10 c s2=100', [100, 1, [2]]],
    ['clear leaves nothing held', 100, 9, 's0=60 s1=10 c', [0, 0, []]],
    ['a cache of no frames still keeps the newest', 100, 0, 's0=1 s1=1', [1, 1, [1]]],
  ];
  for (const [name, maxBytes, maxFrames, ops, want] of cases) it(name, () => assert.deepEqual(play(maxBytes, maxFrames, ops), want));

  it('defaults: 256 MiB and 9 frames; a frame of exactly 256 MiB is kept, one byte more is not', () => {
    const c = new FrameCache();
    assert.deepEqual([FRAME_CACHE_BYTES, FRAME_CACHE_COUNT, c.maxBytes, c.maxFrames, c.bytes, c.size], [268_435_456, 9, 268_435_456, 9, 0, 0]);
    // Frames that report a byte length without allocating it.
    const claimed = (n: number): Frame => Object.defineProperty(bytesFrame(0), 'data', { value: { byteLength: n } });
    const big = new FrameCache();
    big.set(0, claimed(FRAME_CACHE_BYTES));
    big.set(1, claimed(FRAME_CACHE_BYTES + 1));
    assert.deepEqual([big.size, big.bytes, big.get(1), big.get(0)?.data.byteLength], [1, FRAME_CACHE_BYTES, undefined, FRAME_CACHE_BYTES]);
  });
});

// ---- limits.ts --------------------------------------------------------------------------------

describe('images/limits: values and boundaries', () => {
  it('the defaults and the words', () => {
    assert.deepEqual(DEFAULT_LIMITS, { maxDecodedSide: 4096, maxFramePixels: 50_000_000, maxStreamedPixels: 1_073_741_824, maxDeclaredSide: 100_000, maxInflatedBytes: 335_544_320 });
    assert.deepEqual([Object.isFrozen(DEFAULT_LIMITS), JPEG_JS_MEMORY_MB, MAX_DECODED_SIDE], [true, 640, 4096]);
    assert.equal(RAISE_FRAME_CAP, 'or raise "medgemma.image.maxFrameMegapixels" (CLI: --max-megapixels)');
  });

  it('limitsFor: no usable cap keeps the defaults; a cap is clamped to 1-1024 MP and rounded to a pixel', () => {
    for (const v of [undefined, 0, NaN, Infinity, -Infinity]) assert.equal(limitsFor(v), DEFAULT_LIMITS, String(v));
    const px = (mp: number) => limitsFor(mp).maxFramePixels;
    assert.deepEqual(limitsFor(2), { ...DEFAULT_LIMITS, maxFramePixels: 2_000_000 });
    assert.deepEqual([px(1), px(0.999), px(-3), px(1023.5), px(1024), px(1025)], [1e6, 1e6, 1e6, 1_023_500_000, 1_024_000_000, 1_024_000_000]);
    assert.deepEqual([px(2.0000004), px(2.0000006)], [2_000_000, 2_000_001]);
  });

  it('limitsFor: the inflate cap grows past 320 MiB only when six bytes a pixel and 16 MiB need it', () => {
    assert.deepEqual([limitsFor(53.12785).maxInflatedBytes, limitsFor(53.127851).maxInflatedBytes], [335_544_320, 335_544_322]); // 335,544,316 needed, then 322
    assert.deepEqual(limitsFor(1024), { ...DEFAULT_LIMITS, maxFramePixels: 1_024_000_000, maxInflatedBytes: 6_160_777_216 });
  });

  it('downscaleFactor: the integer that brings the longest side within the limit', () => {
    const d = downscaleFactor;
    assert.deepEqual([d(4096, 4096), d(4097, 10), d(10, 4097), d(8192, 1), d(8193, 1), d(0, 0)], [1, 2, 2, 2, 3, 1]);
    assert.deepEqual([d(100, 50, 100), d(101, 50, 100), d(50, 201, 100)], [1, 2, 3]);
  });

  it('describeSize: grouped digits, whole megapixels from 10, one decimal below', () => {
    const sizes: [number, number, string][] = [[8000, 8000, '64'], [10000, 1000, '10'], [9999, 1000, '10.0'], [3500, 3600, '13'], [3000, 3000, '9.0'], [1_234_567, 1, '1.2'], [640, 480, '0.3']];
    for (const [w, h, mp] of sizes) assert.equal(describeSize(w, h), `${w.toLocaleString('en-US')} x ${h.toLocaleString('en-US')} pixels (${mp} megapixels)`);
    assert.equal(describeSize(1_234_567, 1000), '1,234,567 x 1,000 pixels (1235 megapixels)');
  });
});

// ---- codec-headers.ts -------------------------------------------------------------------------

describe('images/codec-headers: JPEG frame headers', () => {
  const want = (marker: number): DeclaredFrame => ({ marker, precision: 12, height: 0x0102, width: 0x0304, components: 3 });
  const frame = sof(0xc0, 0x0304, 0x0102, 3, 12);

  it('reads every SOF marker, and only those', () => {
    for (const m of [0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf, 0xf7]) assert.deepEqual(jpegFrame(cat(SOI, sof(m, 0x0304, 0x0102, 3, 12))), want(m), m.toString(16));
    const others = [0xc4, 0xc8, 0xcc, 0xdb, 0xdd, 0xe0, 0xfe].flatMap((m) => seg(m, [0xff, 0xc0, 0, 0, 0]));
    assert.deepEqual(jpegFrame(cat(SOI, others, sof(0xc1, 0x0304, 0x0102, 3, 12))), want(0xc1));
  });

  it('skips fill bytes and the markers without a length; stops at a scan or the end', () => {
    assert.deepEqual(jpegFrame(cat(SOI, [0xff, 0xff, 0xff], frame)), want(0xc0));
    for (const m of [0xd8, 0x01, 0xd0, 0xd7]) assert.deepEqual(jpegFrame(cat(SOI, [0xff, m], frame)), want(0xc0), m.toString(16));
    for (const m of [0xda, 0xd9]) assert.equal(jpegFrame(cat(SOI, seg(m), frame)), undefined, m.toString(16));
    // An empty segment (length 2) is fine; a length below 2 is not; no frame header at all.
    assert.deepEqual([jpegFrame(cat(SOI, seg(0xe0), frame)), jpegFrame(cat(SOI, [0xff, 0xe0, 0, 1], frame)), jpegFrame(cat(SOI, seg(0xe0, [1, 2])))], [want(0xc0), undefined, undefined]);
  });

  it('refuses what is not a JPEG stream, and a frame header cut short', () => {
    for (const start of [[0x00, 0xd8], [0xff, 0xd9]]) assert.equal(jpegFrame(cat(start, frame)), undefined);
    assert.equal(jpegFrame(cat(SOI, [0x00], frame.slice(1))), undefined, 'a marker must start with FF');
    // Three bytes; a frame header up to its component count exactly, and one byte short of it.
    assert.deepEqual([jpegFrame(cat([0xff, 0xd8, 0xff])), jpegFrame(cat(SOI, frame.slice(0, 10))), jpegFrame(cat(SOI, frame.slice(0, 9)))], [undefined, want(0xc0), undefined]);
  });

  it('the smallest possible stream per kind of coding', () => {
    const f = (marker: number, width: number, height: number, components = 3) => minimumJpegBytes({ marker, width, height, components, precision: 8 });
    for (const m of [0xc0, 0xc1]) assert.deepEqual([f(m, 801, 807), f(m, 56, 8), f(m, 57, 8), f(m, 8, 57)], [2550, 1, 2, 2], m.toString(16));
    for (const m of [0xc2, 0xc5, 0xc6]) assert.deepEqual([f(m, 801, 807), f(m, 56, 8), f(m, 64, 8)], [1275, 0, 1], m.toString(16));
    for (const m of [0xc3, 0xc7]) assert.deepEqual([f(m, 801, 807), f(m, 5, 3, 0), f(m, 5, 3, 2)], [242402, 1, 3], m.toString(16));
    for (const m of [0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf, 0xf7]) assert.equal(f(m, 801, 807), 0, m.toString(16));
  });
});

describe('images/codec-headers: JPEG 2000 sizes', () => {
  const siz = (o: { x: number; y: number; x0?: number; y0?: number; comps?: number; ssiz?: number }) =>
    cat([0xff, 0x4f, 0xff, 0x51], be16(38 + 3 * (o.comps ?? 1)), [0, 0], be32(o.x), be32(o.y), be32(o.x0 ?? 0), be32(o.y0 ?? 0), be32(o.x), be32(o.y), be32(0), be32(0), be16(o.comps ?? 1), ...Array.from({ length: o.comps ?? 1 }, () => [o.ssiz ?? 7, 1, 1]));
  const box = (type: string, payload: Uint8Array = new Uint8Array(0)) => cat(be32(8 + payload.length), type, payload);
  const xlBox = (type: string, payload: Uint8Array = new Uint8Array(0)) => cat(be32(1), type, be32(0), be32(16 + payload.length), payload);
  const cs = siz({ x: 0x01020304, y: 0x00050607, x0: 4, y0: 7, comps: 0x0102, ssiz: 0x8b });
  const CS = { marker: 0x51, width: 0x01020300, height: 0x00050600, components: 0x0102, precision: 12 };
  const head = cat(box('jP  ', cat([0x0d, 0x0a, 0x87, 0x0a])), box('ftyp', cat('jp2 ', be32(0), 'jp2 ')), box('jp2h', box('ihdr', new Uint8Array(14))));

  it('a bare codestream: size less the origin, components, precision; the full 32-bit range; 44 bytes at least', () => {
    assert.deepEqual(j2kFrame(cs), CS);
    assert.deepEqual(j2kFrame(siz({ x: 64, y: 32, ssiz: 7 })), { marker: 0x51, width: 64, height: 32, components: 1, precision: 8 });
    assert.equal(j2kFrame(siz({ x: 0x80000010, y: 1 }))?.width, 0x80000010);
    assert.deepEqual([j2kFrame(cs.subarray(0, 44)), j2kFrame(cs.subarray(0, 43))], [CS, undefined]);
  });

  it('an origin at or past the size declares no image', () => {
    assert.deepEqual([j2kFrame(siz({ x: 10, y: 10, x0: 10 })), j2kFrame(siz({ x: 10, y: 10, x0: 9 }))?.width], [undefined, 1]);
    assert.deepEqual([j2kFrame(siz({ x: 10, y: 10, y0: 10 })), j2kFrame(siz({ x: 10, y: 10, y0: 9 }))?.height], [undefined, 1]);
  });

  it('inside a JP2 file: found in its jp2c box, plain or with a 64-bit length, or running to the end', () => {
    const files = [cat(head, box('jp2c', cs)), cat(head, xlBox('uuid', new Uint8Array(5)), xlBox('jp2c', cs)), cat(head, be32(0), 'jp2c', cs), cat(box('free'), xlBox('free'), box('jp2c', cs))];
    assert.deepEqual(files.map(j2kFrame), [CS, CS, CS, CS]);
    for (let i = 0; i < 4; i++) assert.equal(j2kFrame(cat(head, box('jp2c', cs.map((b, j) => (j === i ? b ^ 0x10 : b))))), undefined, `codestream byte ${i}`);
  });

  it('gives up on a box with no length, a length shorter than its header, or past 64 boxes', () => {
    for (const bad of [cat(be32(0), 'free'), cat(be32(7), 'free'), cat(be32(1), 'free', be32(0), be32(15))]) assert.equal(j2kFrame(cat(bad, box('jp2c', cs))), undefined);
    const empties = (n: number) => cat(...Array.from({ length: n }, () => box('free')));
    assert.deepEqual([j2kFrame(cat(empties(63), box('jp2c', cs))), j2kFrame(cat(empties(64), box('jp2c', cs)))], [CS, undefined]);
    assert.deepEqual([j2kFrame(Buffer.from('not a codestream')), j2kFrame(new Uint8Array(0))], [undefined, undefined]);
  });
});

// ---- errors.ts --------------------------------------------------------------------------------

describe('images/errors: one error type, readable words', () => {
  it('ImageError carries kind, message and detail; isImageError tells it apart', () => {
    const e = new ImageError('truncated', 'cut', 'zlib said so');
    assert.deepEqual([e.name, e.kind, e.message, e.detail, e instanceof Error, new ImageError('corrupt', 'm').detail], ['ImageError', 'truncated', 'cut', 'zlib said so', true, undefined]);
    assert.deepEqual([isImageError(e), isImageError(new Error('cut')), isImageError({ name: 'ImageError', kind: 'corrupt' }), isImageError(undefined)], [true, false, false, false]);
  });

  it('thrownText words whatever was thrown', () => {
    const thrown = [new RangeError('bad length'), 'plain words', { exception: 'dicom-parser: overrun' }, { exception: 42 }, { other: 1 }, 7, 0, null, undefined, false];
    assert.deepEqual(thrown.map(thrownText), ['RangeError: bad length', 'plain words', 'dicom-parser: overrun', '42', '[object Object]', 'code 7', 'code 0', 'null', 'undefined', 'false']);
  });

  it('asImageError: ours pass through, memory failures are too-large, the rest corrupt', () => {
    const ours = new ImageError('no-pixels', 'none');
    assert.equal(asImageError(ours, 'a.dcm'), ours);
    const big = (detail: string) => ({ kind: 'too-large', message: `a.jpg ${TOO_BIG_TO_DECODE}`, detail });
    const bad = (detail: string) => ({ kind: 'corrupt', message: 'a.jpg could not be decoded; it is damaged or uses an encoding the annotator does not read. Open the original file, or convert it to PNG first.', detail });
    const as = (e: unknown) => (({ kind, message, detail }) => ({ kind, message, detail }))(asImageError(e, 'a.jpg'));
    for (const t of ['Allocation failed - JavaScript heap', 'OUT OF MEMORY', 'maxmemoryusageinmb limit exceeded by 3MB', 'maxResolutionInMP limit exceeded by 1MP']) assert.deepEqual(as(t), big(t));
    for (const m of ['Invalid array length', 'Invalid typed array length: -1']) assert.deepEqual(as(new RangeError(m)), big(`RangeError: ${m}`));
    assert.deepEqual(as(new RangeError('Invalid typed  array length')), bad('RangeError: Invalid typed  array length'));
    assert.deepEqual([as(3), as({ exception: 'huffman table missing' })], [bad('code 3'), bad('huffman table missing')]);
  });
});

// ---- open.ts ----------------------------------------------------------------------------------

const rgba8x8 = Buffer.from(Array.from({ length: 64 }, (_, i) => [i * 4, 255 - i * 3, (i * 29) % 256, 255]).flat());
const realJpeg = jpegEncode({ data: rgba8x8, width: 8, height: 8 }, 90).data;
const photoInfo = { header: [], burnedInAnnotation: false, windows: [], invert: false, frames: 1, scale: 1, kind: 'other', notes: [] };
const withLimit = (l: Partial<ImageLimits>): ImageLimits => ({ ...DEFAULT_LIMITS, ...l });

describe('images/open: sniffing and names', () => {
  it('sniffs DICOM first, then PNG, JPEG and WebP by their first bytes, at their exact lengths', () => {
    const dicm = (n: number) => cat(PNG_SIG, new Uint8Array(120), 'DICM', new Uint8Array(n - 132));
    assert.deepEqual([sniff(makeDicom({ width: 2, height: 2 })), sniff(dicm(133)), sniff(dicm(132))], ['dicom', 'dicom', 'png']);
    assert.deepEqual([Uint8Array.from(PNG_SIG), Uint8Array.of(0xff, 0xd8, 0xff), cat('RIFF', [1, 2, 3, 4], 'WEBP'), Uint8Array.from(PNG_SIG.slice(0, 7))].map(sniff), ['png', 'jpeg', 'webp', undefined]);
    for (let i = 0; i < 8; i++) assert.equal(sniff(Uint8Array.from(PNG_SIG.map((b, j) => (j === i ? b ^ 1 : b)))), undefined, `PNG byte ${i}`);
    for (const b of [[0xff, 0xd8], [0xfe, 0xd8, 0xff], [0xff, 0xd9, 0xff], [0xff, 0xd8, 0xfe]]) assert.equal(sniff(Uint8Array.from(b)), undefined, String(b));
    for (const b of [cat('RIFF', [1, 2, 3, 4], 'WEB'), cat('RIFX', [1, 2, 3, 4], 'WEBP'), cat('RIFF', [1, 2, 3, 4], 'WAVE'), new Uint8Array(0)]) assert.equal(sniff(b), undefined);
  });

  it('guesses the kind of a photograph from its name, in order', () => {
    const cases = {
      cxr: ['cxr_01.png', 'CHEST.PNG', 'xray.jpg', 'x-ray.jpg', 'radiograph.png', 'chest_ct.png'], ct: ['head ct.png', 'ct.png', 'head.ct.png', 'abdct_1.png', 'abdct-1.png', 'CT_skin.png'],
      pathology: ['pathology.png', 'histo1.png', 'ihc.png', 'h&e.png', 'slide_skin.png'], dermatology: ['derm.jpg', 'isic_0001.jpg', 'skin_eye.jpg', 'lesion.jpg', 'nevus.jpg'],
      fundus: ['fundus.jpg', 'retina.png', 'left eye.png'], other: ['photo.jpg', 'x--ray.png', 'x_ray.png', 'ctscan.png', 'doctor.png', 'mrin.png', ''], mri: ['brain mri.png'],
    };
    for (const [kind, names] of Object.entries(cases)) assert.deepEqual(names.map(kindFromName), names.map(() => kind), kind);
  });

  // Was a bug: "contact-dermatitis.jpg" and "insect_bite_skin.jpg" got the CT prompt (`ct[-_]`
  // glued to any word); a "ct" glued to a word now counts only when nothing else matched.
  it('takes "ct" and "mri" as words, and a glued "ct" only when nothing else matched', () => {
    const kinds = (names: string[]) => names.map(kindFromName);
    assert.deepEqual(kinds(['contact dermatitis.jpg', 'contact-dermatitis.jpg', 'insect_bite_skin.jpg']), ['dermatology', 'dermatology', 'dermatology']);
    assert.deepEqual(kinds(['ct_head.png', 'head-ct.png', 'CT-abdomen.dcm', 'abdct_1.png', 'contact_sheet.png']), ['ct', 'ct', 'ct', 'ct', 'ct']);
    assert.deepEqual(kinds(['brain mri.png', 'MRI_knee.png', 'knee-mri-t2.jpg', 'mrin.png', 'smri.png']), ['mri', 'mri', 'mri', 'other', 'other']);
  });
});

describe('images/open: what is not an image, and every refusal', () => {
  const notImage = (name: string, what: string, says = false) => ({ kind: 'not-an-image', message: `${name} is ${what}, not a PNG, JPEG or DICOM image${says ? ' (its name says otherwise)' : ''}. Open the original image file.`, detail: undefined });
  const jpegTooBig = (name: string, size: string) => ({ kind: 'too-large', message: `${name} says it is ${size}, more than the annotator decodes at once. Downscale it first (e.g. to 4096 px on the long side), ${RAISE_FRAME_CAP}.`, detail: undefined });

  it('an empty file, a text file and other bytes, named as an image or not', async () => {
    assert.deepEqual(await openFailure(new Uint8Array(0), 'e.png'), notImage('e.png', 'an empty file', true));
    assert.deepEqual(await openFailure(Buffer.from('Findings: none.\r\n\tEnd'), 'n.txt'), notImage('n.txt', 'a text file'));
    for (const name of ['a.png', 'a.jpg', 'a.jpeg', 'a.dcm', 'a.webp', 'A.JPG']) assert.deepEqual(await openFailure(Buffer.from('plain text'), name), notImage(name, 'a text file', true));
    for (const name of ['a.png.txt', 'apng', 'a.jpgx', 'a.gif']) assert.deepEqual(await openFailure(Buffer.from('plain text'), name), notImage(name, 'a text file'));
    assert.deepEqual(await openFailure(cat(new Uint8Array(128), 'DICM'), 'x.dcm'), notImage('x.dcm', 'not an image the annotator reads', true));
  });

  it('a text file is more than 95% tab, newline, return or printable ASCII in its first 512 bytes', async () => {
    const what = async (b: Uint8Array) => (await openFailure(b, 'f')).message.replace(/^f is (.*), not a PNG.*$/, '$1');
    const fill = (n: number, b: number) => new Uint8Array(n).fill(b);
    for (const b of [9, 10, 13, 32, 126]) assert.equal(await what(fill(40, b)), 'a text file', String(b));
    for (const b of [0, 8, 11, 12, 14, 31, 127, 200]) assert.equal(await what(fill(40, b)), 'not an image the annotator reads', String(b));
    // Exactly 95% is not text, 97.5% is; only the first 512 bytes count.
    assert.deepEqual([await what(cat(fill(19, 65), [0])), await what(cat(fill(39, 65), [0])), await what(cat(fill(500, 65), fill(1000, 0)))], ['not an image the annotator reads', 'a text file', 'a text file']);
  });

  it('WebP and JPEGs without a usable header, word for word', async () => {
    assert.deepEqual(await openFailure(cat('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'w.webp'), { kind: 'unsupported', message: 'w.webp is a WebP image, which the annotator cannot decode yet. Convert it to PNG (e.g. "dwebp in.webp -o out.png") and open that.', detail: undefined });
    const files: [string, Buffer][] = [['j.jpg', cat([0xff, 0xd8, 0xff])], ['w0.jpg', cat(SOI, sof(0xc0, 0, 8))], ['h0.jpg', cat(SOI, sof(0xc0, 8, 0))]];
    for (const [name, bytes] of files) assert.deepEqual(await openFailure(bytes, name), { kind: 'corrupt', message: `${name} is a damaged JPEG: it has no readable image header. Re-save it as a baseline JPEG or PNG.`, detail: undefined });
  });

  it('a JPEG frame at the pixel cap goes on to be decoded; one pixel over is refused first', async () => {
    assert.deepEqual(await openFailure(cat(SOI, sof(0xc0, 10000, 5001)), 'b.jpg'), jpegTooBig('b.jpg', '10,000 x 5,001 pixels (50 megapixels)'));
    assert.equal((await openFailure(cat(SOI, sof(0xc0, 10000, 5000)), 'b.jpg')).kind, 'truncated');
    const [at, over] = [await openImage(realJpeg, 'r.jpg', withLimit({ maxFramePixels: 64 })), await openFailure(realJpeg, 'r.jpg', withLimit({ maxFramePixels: 63 }))];
    assert.deepEqual([at.info.width, over], [8, jpegTooBig('r.jpg', '8 x 8 pixels (0.0 megapixels)')]);
  });

  it('a JPEG one byte short of the least data its size needs is truncated; at it, the decoder is tried', async () => {
    // 3200 x 8 baseline: 400 blocks, at least 100 bytes. The file is 100 bytes: SOI, an 85-byte APP0, the frame header.
    const file = (w: number) => cat(SOI, seg(0xe0, new Array(81).fill(0)), sof(0xc0, w, 8));
    assert.equal(file(3200).length, 100);
    assert.deepEqual(await openFailure(file(3200), 'ok.jpg'), { kind: 'corrupt', message: 'ok.jpg is a damaged or unsupported JPEG. Re-save it as a baseline JPEG or PNG.', detail: 'Error: unknown JPEG marker 0' });
    assert.deepEqual(await openFailure(file(3232), 'cut.jpg'), { kind: 'truncated', message: 'cut.jpg says it is 3,232 x 8 pixels (0.0 megapixels) but holds far too little data for that; it is truncated or damaged. Re-export or copy the image again.', detail: undefined });
  });

  it("the decoder's memory refusals stay too-large; pixels that do not match the header are refused", async () => {
    // A second frame header, which the decoder reads and finds over its resolution cap.
    const twoFrames = cat(SOI, sof(0xc0, 8, 8), sof(0xc0, 2000, 1000), [0xff, 0xd9]);
    assert.deepEqual(await openFailure(twoFrames, 'two.jpg'), { kind: 'too-large', message: `two.jpg ${TOO_BIG_TO_DECODE}`, detail: 'Error: maxResolutionInMP limit exceeded by 1MP' });
    // A restart-interval segment longer than jpeg-js reads: it sees a comment over a 16 x 16 frame
    // header (the one the header check reads), then decodes the real 8 x 8 image.
    const hidden = cat(SOI, seg(0xdd, [0, 0, 0xff, 0xfe, 0, 17, 0, 0]), sof(0xc0, 16, 16), realJpeg.subarray(2));
    assert.equal(jpegFrame(hidden)?.width, 16);
    assert.deepEqual(await openFailure(hidden, 'm.jpg'), { kind: 'corrupt', message: 'm.jpg is a damaged JPEG (its pixel data does not match its header). Re-save it as a baseline JPEG or PNG.', detail: undefined });
  });

  it('any other failure while opening, or while decoding a frame, becomes an ImageError', async () => {
    const evil = Object.defineProperty(new Uint8Array(200), 'length', { get: () => { throw new RangeError('Invalid typed array length: -1'); } });
    assert.deepEqual(await openFailure(evil, 'e.png'), { kind: 'too-large', message: `e.png ${TOO_BIG_TO_DECODE}`, detail: 'RangeError: Invalid typed array length: -1' });
    const dcm = new Uint8Array(makeDicom({ width: 8, height: 8 }));
    const img = await openImage(dcm, 'f.dcm');
    Object.defineProperty(dcm, 'subarray', { value: () => { throw new RangeError('Invalid typed array length: 9'); } });
    assert.deepEqual(await failure(img.frame(0)), { kind: 'too-large', message: `f.dcm ${TOO_BIG_TO_DECODE}`, detail: 'RangeError: Invalid typed array length: 9' });
  });
});

describe('images/open: what each format opens to', () => {
  it('a JPEG: RGB as the decoder gives it, its size, the kind from its name, a note only past the side limit', async () => {
    const img = await openImage(realJpeg, 'skin.jpg', withLimit({ maxDecodedSide: 8 }));
    assert.deepEqual(img.info, { ...photoInfo, format: 'jpeg', width: 8, height: 8, kind: 'dermatology' });
    assert.deepEqual(await img.frame(0), { kind: 'rgb', width: 8, height: 8, data: jpegDecode(realJpeg, { useTArray: true, formatAsRGBA: false }).data });
    assert.deepEqual((await openImage(realJpeg, 'a.jpg', withLimit({ maxDecodedSide: 7 }))).info.notes, ['The image is very large; it is sent to the model reduced to 896 px.']);
    assert.deepEqual([await failure(img.frame(1)), await failure(img.frame(-1))], Array(2).fill({ kind: 'corrupt', message: 'this image has one frame', detail: undefined }));
  });

  it('a grey PNG: the window its bit depth spans, a reduced-size note past the side limit', async () => {
    const grey = new Uint8Array(9 * 5).map((_, i) => 10 + i);
    const png = encodePng(9, 5, grey, 1);
    const at = await openImage(png, 'fundus.png', withLimit({ maxDecodedSide: 9 }));
    assert.deepEqual(at.info, { ...photoInfo, format: 'png', width: 9, height: 5, kind: 'fundus', defaultWindow: { center: 128, width: 256 } });
    assert.deepEqual(Array.from((await at.frame(0)).data), Array.from(grey));
    const over = await openImage(png, 'p.png', withLimit({ maxDecodedSide: 8 }));
    assert.deepEqual(over.info, { ...photoInfo, format: 'png', width: 9, height: 5, scale: 2, notes: ['The image is 9 x 5 pixels; it is shown and sent reduced 2x (5 x 3).'], defaultWindow: { center: 128, width: 256 } });
    const deep = await openImage(grey16Png(3, 2, [0, 1000, 2000, 3000, 4000, 65535]), 'd.png');
    assert.deepEqual([deep.info.defaultWindow, Array.from((await deep.frame(0)).data)], [{ center: 32768, width: 65536 }, [0, 1000, 2000, 3000, 4000, 65535]]);
  });

  it('an RGB PNG has no window; a PNG inside a larger buffer opens from its own bytes', async () => {
    const rgb = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => i * 7);
    const png = encodePng(4, 3, rgb, 3);
    const host = new Uint8Array(png.length + 16).fill(0xee);
    host.set(png, 5);
    const img = await openImage(host.subarray(5, 5 + png.length), 'c.png');
    assert.deepEqual(img.info, { ...photoInfo, format: 'png', width: 4, height: 3, defaultWindow: undefined });
    assert.deepEqual(await img.frame(0), { kind: 'rgb', width: 4, height: 3, data: rgb });
  });

  it('PNG side and pixel limits: at them it opens, one over it is refused', async () => {
    const png = encodePng(10, 3, new Uint8Array(30), 1);
    const refused = { kind: 'too-large', message: 'p.png says it is 10 x 3 pixels (0.0 megapixels), more than the annotator reads. Downscale it first (e.g. to 4096 px on the long side).', detail: undefined };
    for (const [at, over] of [[{ maxDeclaredSide: 10 }, { maxDeclaredSide: 9 }], [{ maxStreamedPixels: 30 }, { maxStreamedPixels: 29 }]]) {
      assert.deepEqual([(await openImage(png, 'p.png', withLimit(at))).info.width, await openFailure(png, 'p.png', withLimit(over))], [10, refused]);
    }
  });

  it('a DICOM file goes to the DICOM decoder, with its frame cap at and one over', async () => {
    const dcm = makeDicom({ width: 8, height: 8 });
    const img = await openImage(dcm, 'mr.dcm', withLimit({ maxFramePixels: 64 }));
    assert.deepEqual([img.info.format, img.info.width, img.info.frames, (await img.frame(0)).kind], ['dicom', 8, 1, 'gray']);
    const message = `mr.dcm is 8 x 8 pixels, more than the annotator decodes at once. Downscale it first (e.g. with dcmtk's "dcmscale"), ${RAISE_FRAME_CAP}.`;
    assert.deepEqual(await openFailure(dcm, 'mr.dcm', withLimit({ maxFramePixels: 63 })), { kind: 'too-large', message, detail: undefined });
  });
});
