// `medgemma image render|describe <file>`: the same core as the annotator panel, so the PNG
// `render` writes is byte for byte what `describe` (and the panel) send to the model.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { askAboutImage } from '../core/images/ask';
import { type Box, modelImages } from '../core/images/model-image';
import { limitsFor } from '../core/images/limits';
import { type OpenedImage, openImage } from '../core/images/open';
import { KIND_LABELS, promptFor } from '../core/images/prompts';
import type { Frame, ImageKind, Window } from '../core/images/types';
import type { RenderView } from '../core/images/window';
import { isMedGemmaError } from '../core/server/errors';
import { jsonText } from '../core/terminal-text';
import { EXIT, UsageError } from './exit';
import { makeClient, numberFlag, parse } from './options';

export const IMAGE_USAGE = `medgemma image render <file> --out OUT.png [--window C,W] [--frame N] [--region x,y,w,h] [--ct-windows] [--max-megapixels N]
  Writes exactly the image(s) the model would get: padded to a square, 896 x 896, 8 bits a
  channel (a grey image as a 1-channel PNG, which decodes to the same RGB the model sees).
  With --region, OUT.png is the padded crop and OUT-context.png the whole image with the box.
medgemma image describe <file> [--region x,y,w,h] [--prompt TEXT] [--kind KIND] [--window C,W]
    [--frame N] [--ct-windows] [--max-megapixels N] [--json] [--max-tokens N] [--base-url URL] [--model ID]
  Asks MedGemma about a PNG, JPEG or DICOM image (or a region, in image pixels) and streams
  the answer. Kinds: ${Object.keys(KIND_LABELS).join(', ')}. Only pixels are sent, never the DICOM header.
  --max-megapixels: the largest frame decoded whole (default 50; a larger one is refused).`;

const FLAGS = {
  out: { type: 'string' },
  window: { type: 'string' },
  frame: { type: 'string' },
  region: { type: 'string' },
  'ct-windows': { type: 'boolean' },
  'max-megapixels': { type: 'string' },
  prompt: { type: 'string' },
  kind: { type: 'string' },
  json: { type: 'boolean' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
} as const;

function parseNumbers(v: string, n: number, flag: string, example: string): number[] {
  const parts = v.split(',').map((s) => Number(s.trim()));
  if (parts.length !== n || parts.some((x) => !Number.isFinite(x))) throw new UsageError(`--${flag} must look like ${example}, not "${v}"`);
  return parts;
}

async function load(file: string, maxMegapixels: number | undefined): Promise<OpenedImage> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file} ${code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code})`}. Give the path of a PNG, JPEG or DICOM image`);
  }
  // Failures are ImageErrors (exit 2), here and in img.frame() below: exit.ts maps them.
  return openImage(bytes, path.basename(file), limitsFor(maxMegapixels));
}

interface Prepared {
  img: OpenedImage;
  frame: Frame;
  frameIndex: number;
  view: RenderView;
  region?: Box;
}

async function prepare(values: Record<string, string | boolean | undefined>, file: string, err: NodeJS.WritableStream): Promise<Prepared> {
  const img = await load(file, numberFlag(values['max-megapixels'] as string | undefined, 'max-megapixels', 1, 1024));
  const frames = img.info.frames;
  const frameNo = numberFlag(values.frame as string | undefined, 'frame', 1) ?? 1;
  if (frameNo > frames) {
    throw new UsageError(`${path.basename(file)} has ${frames === 1 ? 'one frame' : `${frames} frames`}, so there is no frame ${frameNo}. Give --frame ${frames === 1 ? '1' : `1 to ${frames}`}, or leave it out`);
  }
  const frame = await img.frame(frameNo - 1);
  let window: Window | undefined = img.info.defaultWindow;
  if (values.window) {
    const [center, width] = parseNumbers(values.window as string, 2, 'window', '40,400 (centre,width)');
    if (width < 1) throw new UsageError('--window width must be at least 1');
    window = { center, width };
  }
  let region: Box | undefined;
  if (values.region) {
    const [x, y, w, h] = parseNumbers(values.region as string, 4, 'region', '100,120,200,150 (x,y,width,height in image pixels)');
    if (w <= 0 || h <= 0 || x < 0 || y < 0 || x + w > img.info.width || y + h > img.info.height) {
      throw new UsageError(`--region ${values.region} is not inside the ${img.info.width} x ${img.info.height} image`);
    }
    region = { x, y, w, h };
  }
  if (img.info.burnedInAnnotation) {
    err.write('medgemma: warning: this DICOM says its pixels carry burned-in annotation (0028,0301 = YES); text in the image may identify the patient and is sent with it.\n');
  }
  for (const n of img.info.notes) err.write(`medgemma: ${n}\n`);
  return { img, frame, frameIndex: frameNo - 1, view: { window, invert: img.info.invert, ctThreeWindows: !!values['ct-windows'] }, region };
}

async function render(values: Record<string, string | boolean | undefined>, file: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const target = values.out as string | undefined;
  if (!target) throw new UsageError('give the output file with --out OUT.png');
  const p = await prepare(values, file, err);
  const imgs = modelImages(p.frame, p.view, p.region, p.img.info.scale);
  const files = [target];
  if (imgs.pngs.length > 1) files.push(target.replace(/(\.png)?$/i, '-context.png'));
  imgs.pngs.forEach((png, i) => fs.writeFileSync(files[i], png));
  out.write(`${files.map((f, i) => `${f} (${imgs.pngs[i].length} bytes)`).join('\n')}\n`);
  return EXIT.ok;
}

async function describe(values: Record<string, string | boolean | undefined>, file: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const kindFlag = values.kind as string | undefined;
  if (kindFlag && !(kindFlag in KIND_LABELS)) throw new UsageError(`unknown --kind "${kindFlag}"; use one of ${Object.keys(KIND_LABELS).join(', ')}`);
  const maxTokens = numberFlag(values['max-tokens'] as string | undefined, 'max-tokens', 1) ?? 500;
  const temperature = numberFlag(values.temperature as string | undefined, 'temperature', 0, 2) ?? 0;
  const p = await prepare(values, file, err);
  const kind = (kindFlag as ImageKind | undefined) ?? p.img.info.kind;
  const preset = promptFor(kind);
  const prompt = (values.prompt as string | undefined) ?? (p.region ? preset.region : preset.whole);
  const { client, note } = makeClient(values as Record<string, string>);
  if (note) err.write(`medgemma: ${note}\n`);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  let streamed = '';
  try {
    const r = await askAboutImage(
      client,
      { frame: p.frame, view: p.view, region: p.region, scale: p.img.info.scale, system: preset.system, prompt, maxTokens, temperature },
      {
        signal: controller.signal,
        onDelta: values.json
          ? undefined
          : (t) => {
              streamed += t;
              out.write(t);
            },
      },
    );
    if (values.json) {
      out.write(
        `${jsonText({ answer: r.text, model: r.model, finishReason: r.finishReason, usage: r.usage, bytesSent: r.bytesSent, frame: p.frameIndex + 1, region: p.region ?? null, window: p.view.window ?? null, kind, prompt })}\n`,
      );
    } else out.write(streamed.endsWith('\n') ? '' : '\n');
    if (r.finishReason === 'length') err.write('medgemma: the answer was cut at the token limit; raise --max-tokens for a complete one.\n');
    if (r.finishReason === 'cancelled') return EXIT.sigint;
    return EXIT.ok;
  } catch (e) {
    if (isMedGemmaError(e) && e.partial && streamed) err.write('\nmedgemma: the partial answer above was kept.\n');
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export async function image(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, FLAGS);
  if (values.help || sub === undefined || sub === 'help') {
    out.write(`${IMAGE_USAGE}\n`);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one image file');
  const v = values as Record<string, string | boolean | undefined>;
  if (sub === 'render') return render(v, positionals[0], out, err);
  if (sub === 'describe') return describe(v, positionals[0], out, err);
  throw new UsageError(`unknown image command "${sub}": use render or describe`);
}
