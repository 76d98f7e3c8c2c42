// A chat or image example: the messages exactly as they were (or would be) sent, images saved
// into the dataset as files (the very PNG or JPEG bytes the model saw), and the answer the
// clinician approved. One set of stand-ins across every text of the conversation and the answer.

import { Pseudonymizer } from '../privacy/pseudonymize';
import { detect } from '../privacy/detect';
import { shapeMessages } from '../server/messages';
import type { ChatMessage } from '../server/types';
import type { Example, ExamplePart, ExampleTurn } from './example';
import { DatasetError, newExampleId, sha256 } from './store';

export interface ConversationExampleInput {
  kind: 'chat' | 'image';
  /** The prompt: system and user/assistant turns, images as data URLs. */
  messages: ChatMessage[];
  /** The clinician's answer: the label. */
  chosen: string;
  /** The model's answer, when the clinician changed it. */
  draft?: string;
  model?: string;
  reviewer: string;
  pseudonymize: boolean;
  /** Where the question came from (the image file), when there is one. */
  source?: { file: string; bytes: Uint8Array };
  /** Stores image bytes in the dataset; returns the path an image part names. */
  saveImage(bytes: Uint8Array, ext: 'png' | 'jpg'): Promise<string>;
  now?: Date;
}

const DATA_URL = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/]+=*)$/;

function imageBytes(url: string): { bytes: Uint8Array; ext: 'png' | 'jpg' } {
  const m = DATA_URL.exec(url);
  if (!m) throw new DatasetError('An image of this conversation is not a PNG or JPEG (pasted WebP and GIF images cannot go into training data): save the example without it, or paste it as PNG.');
  return { bytes: Buffer.from(m[2], 'base64'), ext: m[1] === 'png' ? 'png' : 'jpg' };
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

export async function buildConversationExample(input: ConversationExampleInput): Promise<Example> {
  if (!input.chosen.trim()) throw new DatasetError('The answer is empty: write the answer the model should have given, then save it.');
  const p = input.pseudonymize ? new Pseudonymizer() : undefined;
  const clean = (t: string) => (p ? p.pseudonymize(t, p.recall(t, detect(t))).text : t);
  const turns: ExampleTurn[] = [];
  for (const m of shapeMessages(input.messages)) {
    const parts = typeof m.content === 'string' ? [{ type: 'text' as const, text: m.content }] : m.content;
    const content: ExamplePart[] = [];
    for (const part of parts) {
      if (part.type === 'text') content.push({ type: 'text', text: clean(part.text) });
      else {
        const img = imageBytes(part.image_url.url);
        content.push({ type: 'image', file: await input.saveImage(img.bytes, img.ext) });
      }
    }
    turns.push({ role: m.role === 'assistant' ? 'assistant' : 'user', content });
  }
  if (turns[turns.length - 1]?.role !== 'user') throw new DatasetError('The conversation does not end with a question, so there is no answer to learn.');
  const chosen = clean(input.chosen.trim());
  const draft = input.draft === undefined ? undefined : clean(input.draft.trim());
  const edited = draft !== undefined && normalize(draft) !== normalize(chosen);
  return {
    v: 1,
    id: newExampleId(input.now),
    kind: input.kind,
    split: 'train',
    created: (input.now ?? new Date()).toISOString(),
    ...(input.source ? { source: { file: input.source.file, sha256: sha256(input.source.bytes) } } : {}),
    ...(input.model ? { model: input.model } : {}),
    review: { by: input.reviewer, action: edited ? 'edited' : 'accepted' },
    deidentified: input.pseudonymize ? 'pseudonymized' : 'as-written',
    messages: turns,
    chosen,
    ...(edited ? { rejected: draft } : {}),
  };
}
