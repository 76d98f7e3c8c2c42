// `describe_image`: MedGemma's answer about a PNG, JPEG or DICOM image on this machine, or a
// region of it. The same request as the annotator panel and `medgemma image describe`: the
// same 896 px PNG(s), the same prompts by kind; only pixels are sent, never the DICOM header.

import * as path from 'node:path';
import { askAboutImage } from '../images/ask';
import { DEFAULT_LIMITS } from '../images/limits';
import { openImage } from '../images/open';
import { KIND_LABELS, promptFor } from '../images/prompts';
import type { ImageKind, Window } from '../images/types';
import type { ChatService } from '../server/types';
import { readToolFile, resolvePath, ToolInputError, type ToolOutput } from './tool-input';

/** An image file: a whole multi-frame CT fits. */
export const MAX_IMAGE_BYTES = 1024 * 1024 * 1024;
export const IMAGE_KINDS = Object.keys(KIND_LABELS) as [ImageKind, ...ImageKind[]];

export interface DescribeImageArgs {
  path: string;
  prompt?: string;
  kind?: ImageKind;
  region?: { x: number; y: number; width: number; height: number };
  window?: { center: number; width: number };
  frame?: number;
  ct_windows?: boolean;
  max_tokens?: number;
}

export const DESCRIBE_IMAGE_DESCRIPTION =
  "Asks the user's own MedGemma server about a medical image on this machine (radiograph, CT or MR slice, pathology, dermatology or fundus photo; PNG, JPEG or DICOM), or about a region of it. " +
  'Only the pixels are sent, never the DICOM header; warnings say when the file declares burned-in text that may identify the patient.';

export async function describeImageTool(client: ChatService, args: DescribeImageArgs, opts: { signal: AbortSignal; cwd: string }): Promise<ToolOutput> {
  const file = resolvePath(args.path, opts.cwd);
  if (args.kind !== undefined && !IMAGE_KINDS.includes(args.kind)) throw new ToolInputError(`kind "${args.kind}" is not one of ${IMAGE_KINDS.join(', ')}`);
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
    { signal: opts.signal },
  );
  const cut = answer.finishReason === 'length' ? '\n\n(The answer was cut at the token limit; ask again with a larger max_tokens for a complete one.)' : '';
  const text = `${answer.text.trim()}${cut}${warnings.map((w) => `\n\nNote: ${w}`).join('')}`;
  return { text, structured: {
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
  } };
}
