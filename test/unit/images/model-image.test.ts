// What the model receives: 896 x 896, padded (not stretched), region = crop + context.
import * as assert from 'node:assert/strict';
import { askAboutImage, buildImageRequest } from '../../../src/core/images/ask';
import { MODEL_SIDE, modelImages, squareResize } from '../../../src/core/images/model-image';
import { decodePng } from '../../../src/core/images/png-decode';
import type { Frame } from '../../../src/core/images/types';
import { renderRgb, voi } from '../../../src/core/images/window';
import { MedGemmaError } from '../../../src/core/server/errors';
import type { ChatRequest, ChatResult, ChatService } from '../../../src/core/server/types';

const grey = (w: number, h: number, v: (x: number, y: number) => number): Frame => {
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = v(x, y);
  return { kind: 'gray', width: w, height: h, data };
};

describe('images: model input', () => {
  it('windowing follows the DICOM linear function and MONOCHROME1 inverts', () => {
    const f = voi({ center: 40, width: 400 }, false);
    assert.equal(f(-1000), 0);
    assert.equal(f(1000), 255);
    assert.ok(Math.abs(f(40) - 128) <= 1);
    const inv = voi({ center: 40, width: 400 }, true);
    assert.equal(inv(-1000), 255);
    assert.equal(inv(1000), 0);
  });

  it('a wide image is padded to a square and resized to 896, keeping its aspect ratio', async () => {
    const frame = grey(400, 100, () => 1000);
    const [png] = modelImages(frame, { window: { center: 500, width: 1000 } }).pngs;
    const back = await decodePng(png, 'm.png');
    assert.equal(back.width, MODEL_SIDE);
    assert.equal(back.height, MODEL_SIDE);
    assert.equal(back.frame.kind, 'gray', 'a grey image is sent as a 1-channel PNG');
    const d = back.frame.data;
    const at = (x: number, y: number) => d[y * MODEL_SIDE + x];
    assert.equal(at(448, 10), 0, 'top padding is black');
    assert.equal(at(448, 448), 255, 'the image is in the middle');
    assert.equal(at(448, 885), 0, 'bottom padding is black');
    // 100 of 400 rows -> 224 of 896 rows of image.
    let rows = 0;
    for (let y = 0; y < MODEL_SIDE; y++) if (at(448, y) > 128) rows++;
    assert.ok(Math.abs(rows - 224) <= 2, `${rows} image rows`);
  });

  it('area averaging keeps the mean brightness', () => {
    const img = { width: 1000, height: 1000, data: new Uint8Array(1000 * 1000 * 3).map((_, i) => (Math.floor(i / 3) % 2 ? 200 : 0)) };
    const out = squareResize(img);
    const mean = out.data.reduce((a, b) => a + b, 0) / out.data.length;
    assert.ok(Math.abs(mean - 100) < 2, `mean ${mean}`);
  });

  it('a region goes as a padded crop plus the whole image with the box drawn', async () => {
    const frame = grey(512, 512, (x) => x);
    const { pngs } = modelImages(frame, { window: { center: 256, width: 512 } }, { x: 100, y: 100, w: 50, h: 50 });
    assert.equal(pngs.length, 2);
    const context = (await decodePng(pngs[1], 'c.png')).frame.data;
    let yellow = 0;
    for (let i = 0; i < context.length; i += 3) if (context[i] > 200 && context[i + 1] > 180 && context[i + 2] < 60) yellow++;
    assert.ok(yellow > 500, 'the box is drawn in yellow on the context image');
    const crop = (await decodePng(pngs[0], 'r.png')).frame.data;
    // The crop covers x 92..158 of a ramp: all pixels are dark-ish (< 90) except padding (0).
    let max = 0;
    for (let i = 0; i < crop.length; i++) max = Math.max(max, crop[i]);
    assert.ok(max < 90, `crop max ${max}: the crop is not the region`);
  });

  it('the request carries only the image and the prompt (no header), job vision, temperature 0', () => {
    const frame = grey(64, 64, () => 5);
    const { request, bytesSent } = buildImageRequest({ frame, view: {}, system: 'You are an expert radiologist.', prompt: 'Describe this X-ray' });
    assert.equal(request.job, 'vision');
    assert.equal(request.temperature, 0);
    const user = request.messages[1].content as { type: string }[];
    assert.deepEqual(user.map((p) => p.type), ['image_url', 'text']);
    assert.ok(bytesSent > 100);
  });

  it('falls back to one image when the server takes one per prompt', async () => {
    const seen: number[] = [];
    const chat: ChatService = {
      async chat(req: ChatRequest): Promise<ChatResult> {
        const n = (req.messages[1].content as { type: string }[]).filter((p) => p.type === 'image_url').length;
        seen.push(n);
        if (n > 1) throw new MedGemmaError('image-limit', 'The server accepts at most 1 image(s) per request.');
        return { text: 'ok', finishReason: 'stop', model: 'm', promptTokens: 1, maxTokens: 1 };
      },
      countTokens: async () => ({ tokens: 1, exact: false }),
      contextLength: async () => 8192,
    };
    const texts: string[] = [];
    const heard: string[] = [];
    const wrapped: ChatService = { ...chat, chat: (req, o) => (texts.push((req.messages[1].content as { type: string; text?: string }[]).find((p) => p.type === 'text')!.text!), chat.chat(req, o)) };
    const r = await askAboutImage(wrapped, { frame: grey(64, 64, () => 1), view: {}, region: { x: 1, y: 1, w: 10, h: 10 }, system: 's', prompt: 'p' }, {}, (t) => heard.push(t));
    assert.deepEqual(seen, [2, 1]);
    assert.equal(r.images, 1);
    // What is kept with the answer is the one-image wording that was sent, not the question typed.
    assert.deepEqual(heard, texts);
    assert.equal(r.prompt, texts[1]);
    assert.notEqual(texts[1], texts[0]);
  });

  it('colour frames pass through unchanged', () => {
    const f: Frame = { kind: 'rgb', width: 2, height: 1, data: Uint8Array.of(1, 2, 3, 4, 5, 6) };
    assert.deepEqual(Array.from(renderRgb(f, {})), [1, 2, 3, 4, 5, 6]);
  });
});
