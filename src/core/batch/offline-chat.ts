// A ChatService for batches run by an offline engine (`vllm run-batch`, Vertex AI batch
// prediction). The summary code runs unchanged over it: each request it makes is shaped and
// budgeted as the online road does (service.ts), then either answered from the engine's output
// or recorded for the next round. An unknown answer comes back as a placeholder, so every
// request that does not depend on another (all parts of a long note) is recorded in the same
// round; a request that would carry a placeholder (the combine step over parts not yet
// answered, the model check of a summary not yet written) is not recorded and stops that note
// for this round. Token counts are the estimate (no server needed), so `prepare` and `collect`
// split a note the same way on any machine.

import { createHash } from 'node:crypto';
import { answerTokens, estimateTokens } from '../server/budget';
import { MedGemmaError } from '../server/errors';
import { shapeMessages } from '../server/messages';
import { completionBody } from '../server/open-stream';
import { ThoughtFilter } from '../server/thinking';
import type { ChatMessage, ChatRequest, ChatResult, ChatService, FinishReason, TokenCount, Usage } from '../server/types';

export type RequestBody = ReturnType<typeof completionBody>;

/** An engine's answer to one request. */
export type EngineAnswer = { text: string; finishReason: FinishReason; usage?: Usage } | { error: string };

/** Stands for an answer not given yet; never sent (a request carrying it is not recorded). */
const PENDING = '@@medgemma-answer-pending@@';

/** Thrown for a request that needs an answer not given yet: the note waits for the next round. */
export class NotYetAnswered extends Error {
  override readonly name = 'NotYetAnswered';
}

/**
 * The id of a request: a hash of what decides its answer (messages, max_tokens, temperature,
 * response_format), not the model name (Vertex drops it), so an engine's echo of the request
 * finds its id again.
 */
export function requestId(body: Omit<RequestBody, 'model'> & { model?: unknown }): string {
  const { messages, max_tokens, temperature, response_format } = body;
  const canonical = JSON.stringify([messages, max_tokens, temperature ?? null, response_format ?? null]);
  return `medgemma-${createHash('sha256').update(canonical).digest('hex').slice(0, 40)}`;
}

export class OfflineChat implements ChatService {
  /** Requests this note needs answered next, by id. */
  readonly pending = new Map<string, RequestBody>();
  /** A request needed an answer that depends on another not given yet. */
  waiting = false;

  constructor(
    private readonly answers: ReadonlyMap<string, EngineAnswer>,
    private readonly o: { model: string; contextLength: number },
  ) {}

  async contextLength(): Promise<number> {
    return this.o.contextLength;
  }

  async countTokens(messages: ChatMessage[]): Promise<TokenCount> {
    return { tokens: estimateTokens(shapeMessages(messages)), exact: false };
  }

  async chat(req: ChatRequest, opts: { signal?: AbortSignal; onDelta?: (t: string) => void } = {}): Promise<ChatResult> {
    const messages = shapeMessages(req.messages);
    const count = await this.countTokens(messages);
    const maxTokens = answerTokens(count, this.o.contextLength, req.maxTokens);
    const body = completionBody({ model: this.o.model, messages, maxTokens, temperature: req.temperature, responseFormat: req.responseFormat });
    if (JSON.stringify(body.messages).includes(PENDING)) {
      this.waiting = true;
      throw new NotYetAnswered('this request needs answers from the round before');
    }
    const id = requestId(body);
    const answer = this.answers.get(id);
    const base = { model: this.o.model, promptTokens: count.tokens, maxTokens };
    if (!answer) {
      this.pending.set(id, body);
      return { ...base, text: PENDING, finishReason: 'stop' };
    }
    if ('error' in answer) {
      throw new MedGemmaError('server-error', `The batch engine failed this request (${answer.error.slice(0, 200)}). Run the requests again, or summarize the note online.`);
    }
    const thoughts = new ThoughtFilter();
    const text = thoughts.push(answer.text) + thoughts.flush();
    opts.onDelta?.(text);
    return { ...base, text, finishReason: answer.finishReason, usage: answer.usage };
  }
}
