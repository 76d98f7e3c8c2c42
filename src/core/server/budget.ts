// Token counts: exact from vLLM's /tokenize when the server has it, otherwise a deliberately
// high estimate. chars/4 undercounts Gemma by 5-18 %, and far more on clinical text, where
// Gemma's tokenizer splits every digit: "BP 168/94" is 9 tokens, not 3.

import { MedGemmaError } from './errors';
import type { Fetch } from './http';
import { requestJson } from './http';
import { countImages } from './messages';
import type { ChatMessage, TokenCount } from './types';

export const IMAGE_TOKENS = 256;
/** Chat-template tokens per turn (<start_of_turn>user\n ... <end_of_turn>\n). */
const PER_MESSAGE = 6;

/**
 * An over-estimate: one token per digit and per symbol, one per line break, ~3 letters per
 * token for words. A plain loop over char codes: it runs before every request, on prompts of
 * up to hundreds of kB, and must not show in the time to first token.
 */
export function estimateTextTokens(text: string): number {
  let n = 0;
  let letters = 0;
  let newline = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const isLetter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c > 127;
    if (isLetter) {
      letters++;
      newline = false;
      continue;
    }
    if (letters) {
      n += Math.ceil(letters / 3);
      letters = 0;
    }
    if (c === 10 || c === 13) {
      if (!newline) n++;
      newline = true;
    } else {
      newline = false;
      if (c !== 32 && c !== 9) n++;
    }
  }
  return n + Math.ceil(letters / 3);
}

export function estimateTokens(messages: ChatMessage[]): number {
  let n = 8 + messages.length * PER_MESSAGE + countImages(messages) * IMAGE_TOKENS;
  for (const m of messages) {
    if (typeof m.content === 'string') n += estimateTextTokens(m.content);
    else for (const p of m.content) if (p.type === 'text') n += estimateTextTokens(p.text);
  }
  return n;
}

/** Headroom kept free when the count is only estimated. */
export function safetyMargin(count: TokenCount, contextLength: number): number {
  return count.exact ? 0 : Math.ceil(contextLength * 0.03) + 32;
}

/** Fewer tokens than this left for the answer is not worth sending. */
const MIN_ANSWER_TOKENS = 16;

/** max_tokens for a request: what was asked, capped to what the context leaves after the prompt. */
export function answerTokens(count: TokenCount, contextLength: number, wanted: number): number {
  const room = contextLength - count.tokens - safetyMargin(count, contextLength);
  if (room < MIN_ANSWER_TOKENS) {
    throw new MedGemmaError(
      'context-overflow',
      `The text is too long for the model's context (${count.exact ? '' : 'about '}${count.tokens} tokens of ${contextLength}). Select a shorter part, or serve the model with a larger --max-model-len.`,
    );
  }
  return Math.max(1, Math.min(wanted, room));
}

export class TokenCounter {
  /** undefined: not tried yet; false: the server has no /tokenize. */
  private supported: boolean | undefined;

  /** `hasTokenize: false`: known to have none (Vertex AI): never asked. */
  constructor(private readonly root: string, private readonly fetchFn: Fetch, private readonly timeoutMs = 10_000, hasTokenize?: false) {
    this.supported = hasTokenize;
  }

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
