// Ask MedGemma about an image or a region: the one request shape used by the panel and the CLI.
// Goes through the one road to the server (ChatService.chat with job 'vision').

import { dataUrl, modelImages, type Box } from './model-image';
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

export function buildImageRequest(input: AskInput): { request: ChatRequest; bytesSent: number } {
  const imgs = modelImages(input.frame, input.view, input.region, input.scale ?? 1);
  const parts: ContentPart[] = [
    ...imgs.pngs.map((p): ContentPart => ({ type: 'image_url', image_url: { url: dataUrl(p) } })),
    { type: 'text', text: input.prompt },
  ];
  const bytesSent = imgs.pngs.reduce((n, p) => n + Math.ceil(p.length / 3) * 4 + 22, 0);
  return {
    request: {
      job: 'vision',
      messages: [
        { role: 'system', content: input.system },
        { role: 'user', content: parts },
      ],
      maxTokens: input.maxTokens ?? 500,
      temperature: input.temperature ?? 0,
    },
    bytesSent,
  };
}

export async function askAboutImage(chat: ChatService, input: AskInput, opts: StreamOptions = {}): Promise<ChatResult & { bytesSent: number }> {
  const { request, bytesSent } = buildImageRequest(input);
  const result = await chat.chat(request, opts);
  return { ...result, bytesSent };
}
