// Token counts: exact from vLLM's /tokenize when the server has it, otherwise a deliberately
// high estimate (chars/4 undercounts Gemma tokens by 5-18 %, so we divide by 3).

import type { Fetch } from './http';
import { requestJson } from './http';
import { countImages, textLength } from './messages';
import type { ChatMessage, TokenCount } from './types';

export const IMAGE_TOKENS = 256;
/** Chat-template tokens per turn (<start_of_turn>user\n ... <end_of_turn>\n). */
const PER_MESSAGE = 6;

export function estimateTokens(messages: ChatMessage[]): number {
  return Math.ceil(textLength(messages) / 3) + messages.length * PER_MESSAGE + countImages(messages) * IMAGE_TOKENS + 8;
}

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

/** Headroom kept free when the count is only estimated. */
export function safetyMargin(count: TokenCount, contextLength: number): number {
  return count.exact ? 0 : Math.ceil(contextLength * 0.03) + 32;
}

export class TokenCounter {
  /** undefined: not tried yet; false: the server has no /tokenize. */
  private supported: boolean | undefined;

  constructor(private readonly root: string, private readonly fetchFn: Fetch, private readonly timeoutMs = 10_000) {}

  async count(messages: ChatMessage[], model: string, signal?: AbortSignal): Promise<TokenCount> {
    if (this.supported !== false) {
      try {
        const r = await requestJson<{ count?: number }>(this.fetchFn, `${this.root}/tokenize`, {
          method: 'POST',
          body: { model, messages, add_generation_prompt: true },
          timeoutMs: this.timeoutMs,
          signal,
        });
        if (r.status === 200 && typeof r.json?.count === 'number') {
          this.supported = true;
          return { tokens: r.json.count, exact: true };
        }
        // 404/405: no such route (Ollama, LM Studio). 400: e.g. an image it cannot count; estimate this one.
        if (r.status === 404 || r.status === 405 || r.status === 501) this.supported = false;
      } catch (e) {
        if (signal?.aborted) throw e;
        // Unreachable here is reported by the chat request itself; estimate meanwhile.
      }
    }
    return { tokens: estimateTokens(messages), exact: false };
  }
}
