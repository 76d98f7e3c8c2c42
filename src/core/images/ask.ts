// Ask MedGemma about an image or a region: the one request shape used by the panel and the CLI.
// Goes through the one road to the server (ChatService.chat with job 'vision').

import { dataUrl, modelImages, type Box } from './model-image';
import { singleImageRegionPrompt } from './prompts';
import { isMedGemmaError } from '../server/errors';
import type { ChatRequest, ChatResult, ChatService, ContentPart, StreamOptions } from '../server/types';
import type { Frame } from './types';
import type { RenderView } from './window';

export interface AskInput {
  frame: Frame;
  view: RenderView;
  /** Stored-image pixels; none = the whole image. */
  region?: Box;
  scale?: number;
  system: string;
  prompt: string;
  maxTokens?: number;
  temperature?: number;
}

/**
 * The request for a question. `singleImage`: a region goes as the whole image with the box
 * only (for servers that take one image per prompt, vLLM's default for some models).
 */
export function buildImageRequest(input: AskInput, singleImage = false): { request: ChatRequest; bytesSent: number; images: number; prompt: string } {
  const imgs = modelImages(input.frame, input.view, input.region, input.scale ?? 1, singleImage);
  const prompt = singleImage && input.region ? singleImageRegionPrompt(input.prompt) : input.prompt;
  const parts: ContentPart[] = [
    ...imgs.pngs.map((p): ContentPart => ({ type: 'image_url', image_url: { url: dataUrl(p) } })),
    { type: 'text', text: prompt },
  ];
  const bytesSent = imgs.pngs.reduce((n, p) => n + Math.ceil(p.length / 3) * 4 + 22, 0);
  return {
    request: {
      job: 'vision',
      feature: 'image',
      messages: [
        { role: 'system', content: input.system },
        { role: 'user', content: parts },
      ],
      maxTokens: input.maxTokens ?? 500,
      temperature: input.temperature ?? 0,
    },
    bytesSent,
    images: imgs.pngs.length,
    prompt,
  };
}

/**
 * Asks, and once more with one image if the server takes fewer per prompt. `onSend` hears the
 * question text of each attempt: the one-image attempt words a region question differently,
 * and what is kept with the answer must be what was sent.
 */
export async function askAboutImage(
  chat: ChatService,
  input: AskInput,
  opts: StreamOptions = {},
  onSend?: (prompt: string) => void,
): Promise<ChatResult & { bytesSent: number; images: number; prompt: string; messages: ChatRequest['messages'] }> {
  const first = buildImageRequest(input);
  try {
    onSend?.(first.prompt);
    return { ...(await chat.chat(first.request, opts)), bytesSent: first.bytesSent, images: first.images, prompt: first.prompt, messages: first.request.messages };
  } catch (e) {
    // The server takes fewer images per prompt (rejected before any answer): send one.
    if (!(isMedGemmaError(e) && e.kind === 'image-limit' && first.images > 1)) throw e;
    const second = buildImageRequest(input, true);
    onSend?.(second.prompt);
    return { ...(await chat.chat(second.request, opts)), bytesSent: second.bytesSent, images: second.images, prompt: second.prompt, messages: second.request.messages };
  }
}
