// `describe_image`: MedGemma's answer about a PNG, JPEG or DICOM image on this machine, or a
// region of it. The same request as the annotator panel and `medgemma image describe`: the
// same 896 px PNG(s), the same prompts by kind; only pixels are sent, never the DICOM header.

import * as path from 'node:path';
import * as z from 'zod';
import { askAboutImage } from '../../core/images/ask';
import { DEFAULT_LIMITS } from '../../core/images/limits';
import { openImage } from '../../core/images/open';
import { KIND_LABELS, promptFor } from '../../core/images/prompts';
import type { ImageKind, Window } from '../../core/images/types';
import type { MedGemmaClient } from '../../core/server/service';
import { ok, readToolFile, ToolInputError } from './result';

/** An image file: a whole multi-frame CT fits. */
const MAX_IMAGE_BYTES = 1024 * 1024 * 1024;
const KINDS = Object.keys(KIND_LABELS) as [ImageKind, ...ImageKind[]];

export const describeImageInput = z.object({
  path: z.string().min(1).describe('Path of a PNG, JPEG or DICOM image on this machine (relative to the folder the server runs in).'),
  prompt: z.string().trim().min(1).max(4000).optional().describe('The question about the image. Default: the standard question for its kind.'),
  kind: z.enum(KINDS).optional().describe(`What the image is: ${KINDS.map((k) => `${k} (${KIND_LABELS[k]})`).join(', ')}. Default: what the file says (DICOM modality, name).`),
  region: z
    .object({ x: z.number().min(0), y: z.number().min(0), width: z.number().positive(), height: z.number().positive() })
    .optional()
    .describe('Ask about this rectangle only, in image pixels from the top left; the model also gets the whole image with the box drawn.'),
  window: z.object({ center: z.number(), width: z.number().min(1) }).optional().describe('Grey-level window for CT/MR (centre and width), e.g. {"center": 40, "width": 400} for soft tissue.'),
  frame: z.number().int().min(1).optional().describe('Which frame of a multi-frame image, 1-based (default 1).'),
  ct_windows: z.boolean().optional().describe('CT: send three windows (wide, soft tissue, brain) as the red, green and blue channels, as Google\'s CT recipe does.'),
  max_tokens: z.number().int().min(1).max(8192).optional().describe('Longest answer in tokens (default 500).'),
});

export const DESCRIBE_IMAGE_DESCRIPTION =
  "Asks the user's own MedGemma server about a medical image on this machine (radiograph, CT or MR slice, pathology, dermatology or fundus photo; PNG, JPEG or DICOM), or about a region of it. " +
  'Only the pixels are sent, never the DICOM header; warnings say when the file declares burned-in text that may identify the patient.';

export async function describeImageTool(client: MedGemmaClient, args: z.infer<typeof describeImageInput>, signal: AbortSignal) {
  const file = path.resolve(args.path);
  const img = await openImage(await readToolFile(file, MAX_IMAGE_BYTES, 'PNG, JPEG or DICOM image'), path.basename(file), DEFAULT_LIMITS);
  const frames = img.info.frames;
  const frameNo = args.frame ?? 1;
  if (frameNo > frames) throw new ToolInputError(`${path.basename(file)} has ${frames === 1 ? 'one frame' : `${frames} frames`}, so there is no frame ${frameNo}; give frame ${frames === 1 ? '1' : `1 to ${frames}`}, or leave it out`);
  const r = args.region;
  if (r && (r.x + r.width > img.info.width || r.y + r.height > img.info.height)) {
    throw new ToolInputError(`the region ${r.x},${r.y} ${r.width} x ${r.height} is not inside the ${img.info.width} x ${img.info.height} image`);
  }
  const region = r && { x: r.x, y: r.y, w: r.width, h: r.height };
  const window: Window | undefined = args.window ?? img.info.defaultWindow;
  const kind = args.kind ?? img.info.kind;
  const preset = promptFor(kind);
  const prompt = args.prompt ?? (region ? preset.region : preset.whole);
  const warnings = [...img.info.notes];
  if (img.info.burnedInAnnotation) warnings.push('The DICOM says its pixels carry burned-in annotation (0028,0301 = YES): text in the image may identify the patient, and it was sent with the image.');
  const frame = await img.frame(frameNo - 1);
  const answer = await askAboutImage(
    client,
    { frame, view: { window, invert: img.info.invert, ctThreeWindows: !!args.ct_windows }, region, scale: img.info.scale, system: preset.system, prompt, maxTokens: args.max_tokens ?? 500, temperature: 0 },
    { signal },
  );
  const cut = answer.finishReason === 'length' ? '\n\n(The answer was cut at the token limit; ask again with a larger max_tokens for a complete one.)' : '';
  return ok(`${answer.text.trim()}${cut}${warnings.map((w) => `\n\nNote: ${w}`).join('')}`, {
    answer: answer.text,
    model: answer.model,
    finishReason: answer.finishReason,
    kind,
    prompt: answer.prompt,
    frame: frameNo,
    frames,
    region: r ?? null,
    window: window ?? null,
    warnings,
  });
}
