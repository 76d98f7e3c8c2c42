// `batch describe`: each image through the same request as the annotator and `medgemma image
// describe` (the same 896 px PNG, the same prompts by kind), recorded as one JSON object. A
// multi-frame image is asked about its first frame; only pixels are sent, never the header.
// Images are decoded one at a time (a frame can take hundreds of MB); only the small PNG waits
// for the server.

import * as path from 'node:path';
import { buildImageRequest } from '../images/ask';
import { DEFAULT_LIMITS } from '../images/limits';
import { openImage } from '../images/open';
import { promptFor } from '../images/prompts';
import type { ImageKind } from '../images/types';
import type { ChatService } from '../server/types';
import type { BatchJob, ItemOutcome, Send } from './run';

export interface DescribeJobOptions {
  model: string;
  /** The question for every image; default: the preset question for each image's kind. */
  prompt?: string;
  /** The kind for every image; default: what each image says it is (modality, name). */
  kind?: ImageKind;
  maxTokens: number;
  temperature: number;
}

/** An image file in a batch: a whole multi-frame CT fits; it is read while no other is. */
const MAX_IMAGE_BYTES = 1024 * 1024 * 1024;

export function describeJob(chat: ChatService, o: DescribeJobOptions): BatchJob {
  return {
    fields: { kind: o.kind ?? null, prompt: o.prompt ?? null, model: o.model },
    keyFields: ['file', 'sha256', 'kind', 'prompt', 'model'],
    maxBytes: MAX_IMAGE_BYTES,
    prepareSlots: 1,
    noun: 'image',
    async prepare(file, bytes): Promise<Send> {
      const img = await openImage(bytes, path.basename(file), DEFAULT_LIMITS);
      const frame = await img.frame(0);
      const kind = o.kind ?? img.info.kind;
      const preset = promptFor(kind);
      const warnings = [...img.info.notes];
      if (img.info.burnedInAnnotation) {
        warnings.push('the DICOM says its pixels carry burned-in annotation (0028,0301 = YES): text in the image may identify the patient and was sent with it');
      }
      const { request, prompt } = buildImageRequest({
        frame,
        view: { window: img.info.defaultWindow, invert: img.info.invert },
        scale: img.info.scale,
        system: preset.system,
        prompt: o.prompt ?? preset.whole,
        maxTokens: o.maxTokens,
        temperature: o.temperature,
      });
      const about = { detectedKind: kind, frames: img.info.frames, frame: 1, warnings, sentPrompt: prompt };
      return async (signal): Promise<ItemOutcome> => {
        const r = await chat.chat(request, { signal });
        if (r.finishReason === 'cancelled') return { ok: false, record: {}, cancelled: true };
        const record = { ...about, answer: r.text, finishReason: r.finishReason, usage: r.usage ?? null };
        if (r.finishReason === 'length') return { ok: false, record, usage: r.usage, error: new Error('the answer was cut at the token limit; raise --max-tokens and run the batch again') };
        return { ok: true, record, usage: r.usage };
      };
    },
  };
}
