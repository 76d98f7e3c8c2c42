// Opening a streamed chat completion: retried (with backoff, or the server's Retry-After) only
// while no token has come, so a retry never repeats text the user has seen.

import type OpenAI from 'openai';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { RETRY_STATUSES } from './map-error';
import type { StreamParams } from './stream';
import type { StreamOptions } from './types';

const MAX_RETRY_AFTER_MS = 60_000;

/** Delay before the next try, or undefined when this failure is not worth retrying. */
export function retryDelay(e: unknown, attempt: number): number | undefined {
  const backoff = Math.min(8000, 500 * 2 ** attempt) * (0.8 + Math.random() * 0.4);
  if (e instanceof APIConnectionTimeoutError) return undefined; // a slow prefill: do not double the load
  if (e instanceof APIConnectionError) {
    const code = (e.cause as { code?: string; cause?: { code?: string } } | undefined)?.cause?.code ?? (e.cause as { code?: string })?.code;
    return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' ? backoff : undefined;
  }
  if (e instanceof APIError && e.status !== undefined && RETRY_STATUSES.has(e.status)) {
    const after = e.headers?.get('retry-after');
    if (after) {
      const seconds = Number(after);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - Date.now();
      if (ms > MAX_RETRY_AFTER_MS) return undefined;
      if (ms >= 0) return ms;
    }
    return backoff;
  }
  return undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** The request body of a chat completion (streamed here; written to a file by `batch prepare`). */
export function completionBody(p: Pick<StreamParams, 'model' | 'messages' | 'maxTokens' | 'temperature' | 'responseFormat'>) {
  return {
    model: p.model,
    messages: p.messages as OpenAI.Chat.ChatCompletionMessageParam[],
    max_tokens: p.maxTokens,
    temperature: p.temperature,
    ...(p.responseFormat ? { response_format: { type: 'json_schema' as const, json_schema: { ...p.responseFormat, strict: true } } } : {}),
  };
}

/** Opens the stream, retrying only while no token has come; undefined when cancelled meanwhile. */
export async function openStream(
  sdk: OpenAI,
  p: StreamParams,
  signal: AbortSignal,
  cancelled: () => boolean,
  onRetry: StreamOptions['onRetry'],
): Promise<AsyncIterable<OpenAI.Chat.ChatCompletionChunk> | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await sdk.chat.completions.create(
        { ...completionBody(p), stream: true, stream_options: { include_usage: true } },
        { signal, timeout: p.connectTimeoutMs, maxRetries: 0 },
      );
    } catch (e) {
      if (cancelled() || e instanceof APIUserAbortError) return undefined;
      const delay = retryDelay(e, attempt);
      if (delay === undefined || attempt >= p.maxRetries) throw e;
      onRetry?.(attempt + 1, delay, e instanceof APIError && e.status ? `HTTP ${e.status}` : 'connection refused');
      await sleep(delay, signal);
      if (cancelled()) return undefined;
    }
  }
}
