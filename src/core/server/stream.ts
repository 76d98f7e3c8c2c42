// One streamed chat completion on the openai SDK, with what the SDK leaves to us:
// retries only before the first token, a headers timeout plus an idle-between-chunks
// timeout (a long prefill is not killed by a total cap), in-stream error events of both
// shapes, a dropped connection, and cancellation that closes the HTTP request.

import type OpenAI from 'openai';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { isMedGemmaError, MedGemmaError } from './errors';
import { mapError, RETRY_STATUSES, streamError } from './map-error';
import { ThoughtFilter } from './thinking';
import type { ChatMessage, FinishReason, StreamOptions, Usage } from './types';

export interface StreamParams {
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  baseUrl: string;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  maxRetries: number;
}

export interface StreamOutcome {
  text: string;
  finishReason: FinishReason;
  model: string;
  usage?: Usage;
}

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

export async function streamChat(sdk: OpenAI, p: StreamParams, opts: StreamOptions = {}): Promise<StreamOutcome> {
  const controller = new AbortController();
  const userSignal = opts.signal;
  const onUserAbort = () => controller.abort();
  userSignal?.addEventListener('abort', onUserAbort, { once: true });
  if (userSignal?.aborted) controller.abort();

  let text = '';
  const thoughts = new ThoughtFilter();
  let finish: string | undefined;
  let usage: Usage | undefined;
  let model = p.model;
  let stalledAfterMs = 0;
  // Idle watchdog: one coarse interval reading a timestamp, not a timer reset per chunk
  // (2,000 clearTimeout/setTimeout pairs cost more than the rest of the per-chunk work).
  // Until the first token the prefill may still be running: allow the longer of the two limits.
  let lastChunkAt = 0;
  let watchdog: NodeJS.Timeout | undefined;
  const arm = () => {
    lastChunkAt = performance.now();
    if (watchdog) return;
    const tick = Math.max(20, Math.min(1000, p.idleTimeoutMs / 5));
    watchdog = setInterval(() => {
      const limit = text ? p.idleTimeoutMs : Math.max(p.idleTimeoutMs, p.connectTimeoutMs);
      if (performance.now() - lastChunkAt >= limit) {
        stalledAfterMs = limit;
        clearInterval(watchdog);
        controller.abort();
      }
    }, tick);
    watchdog.unref?.();
  };
  const cancelled = () => !!userSignal?.aborted;

  try {
    const stream = await connect(sdk, p, controller.signal, cancelled, opts.onRetry);
    if (!stream) return { text, finishReason: 'cancelled', model };

    arm();
    for await (const chunk of stream) {
      if (cancelled()) break; // chunks already buffered after a stop are not what the user saw
      arm();
      const c = chunk as unknown as Record<string, unknown>;
      // Flat error event (vLLM <= 0.10): no choices, object "error". The nested one the SDK throws.
      if (!Array.isArray(c.choices)) {
        const msg = flatErrorMessage(c);
        if (msg !== undefined) throw streamError(msg, { baseUrl: p.baseUrl, partial: text });
        continue;
      }
      if (chunk.model) model = chunk.model;
      if (chunk.usage) usage = usageOf(chunk.usage);
      const choice = chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta?.content && thoughts.push(choice.delta.content);
      if (delta) {
        text += delta;
        opts.onDelta?.(delta);
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  } catch (e) {
    if (cancelled()) return { text, finishReason: 'cancelled', model };
    if (isMedGemmaError(e)) throw e;
    if (e instanceof SyntaxError) throw malformedChunk(text, e);
    if (!stalledAfterMs) throw mapError(e, { baseUrl: p.baseUrl, model: p.model, partial: text });
  } finally {
    clearInterval(watchdog);
    userSignal?.removeEventListener('abort', onUserAbort);
  }

  const rest = thoughts.flush();
  if (rest) {
    text += rest;
    opts.onDelta?.(rest);
  }
  if (cancelled()) return { text, finishReason: 'cancelled', model, usage };
  if (stalledAfterMs) throw stalled(text, stalledAfterMs);
  if (!finish) throw unfinished(text);
  return { text, finishReason: finish === 'length' ? 'length' : finish === 'abort' ? 'abort' : 'stop', model, usage };
}

/** Opens the stream, retrying only while no token has come; undefined when cancelled meanwhile. */
async function connect(
  sdk: OpenAI,
  p: StreamParams,
  signal: AbortSignal,
  cancelled: () => boolean,
  onRetry: StreamOptions['onRetry'],
): Promise<AsyncIterable<OpenAI.Chat.ChatCompletionChunk> | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await sdk.chat.completions.create(
        {
          model: p.model,
          messages: p.messages as OpenAI.Chat.ChatCompletionMessageParam[],
          max_tokens: p.maxTokens,
          temperature: p.temperature,
          stream: true,
          stream_options: { include_usage: true },
        },
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

/** The message of a flat error event (vLLM <= 0.10: no choices, object "error"), if it is one. */
function flatErrorMessage(c: Record<string, unknown>): string | undefined {
  if (c.object !== 'error' && typeof c.message !== 'string' && !c.error) return undefined;
  return String((c.error as { message?: string })?.message ?? c.message ?? 'unknown error');
}

function usageOf(u: OpenAI.CompletionUsage): Usage {
  return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens, totalTokens: u.total_tokens };
}

function malformedChunk(text: string, cause: SyntaxError): MedGemmaError {
  return new MedGemmaError(
    'interrupted',
    'The server sent a malformed chunk mid-answer; the text received so far is kept. Try again, and check the server version if it repeats.',
    { partial: text, cause },
  );
}

function stalled(text: string, afterMs: number): MedGemmaError {
  const s = Math.round(afterMs / 1000);
  return new MedGemmaError(
    text ? 'interrupted' : 'timeout',
    text
      ? `The server stopped sending for ${s} s mid-answer; the text received so far is kept. Check the server's load, or raise "medgemma.server.idleTimeoutSeconds" (CLI: --timeout).`
      : `The server accepted the request but sent nothing for ${s} s. Check the server's load, or raise "medgemma.server.connectTimeoutSeconds" (CLI: --timeout).`,
    { partial: text },
  );
}

function unfinished(text: string): MedGemmaError {
  return new MedGemmaError(
    'interrupted',
    'The answer stopped before the server said it was finished; the text received so far is kept. Try again, and check the server\'s log if it repeats.',
    { partial: text },
  );
}
