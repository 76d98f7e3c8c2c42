// One streamed chat completion on the openai SDK, with what the SDK leaves to us:
// retries only before the first token, a headers timeout plus an idle-between-chunks
// timeout (a long prefill is not killed by a total cap), in-stream error events of both
// shapes, a dropped connection, and cancellation that closes the HTTP request.

import type OpenAI from 'openai';
import { isMedGemmaError, MedGemmaError } from './errors';
import { IdleWatchdog } from './idle-watchdog';
import { mapError, streamError } from './map-error';
import { openStream } from './open-stream';
import { ThoughtFilter } from './thinking';
import type { ChatMessage, FinishReason, JsonSchemaFormat, StreamOptions, Usage } from './types';

export interface StreamParams {
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  baseUrl: string;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  maxRetries: number;
  responseFormat?: JsonSchemaFormat;
}

export interface StreamOutcome {
  text: string;
  finishReason: FinishReason;
  model: string;
  usage?: Usage;
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
  // Until the first token the prefill may still be running: allow the longer of the two limits.
  const watchdog = new IdleWatchdog(
    () => (text ? p.idleTimeoutMs : Math.max(p.idleTimeoutMs, p.connectTimeoutMs)),
    Math.max(20, Math.min(1000, p.idleTimeoutMs / 5)),
    () => controller.abort(),
  );
  const cancelled = () => !!userSignal?.aborted;

  try {
    const stream = await openStream(sdk, p, controller.signal, cancelled, opts.onRetry);
    if (!stream) return { text, finishReason: 'cancelled', model };

    watchdog.alive();
    for await (const chunk of stream) {
      if (cancelled()) break; // chunks already buffered after a stop are not what the user saw
      watchdog.alive();
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
    if (!watchdog.stalledAfterMs) throw mapError(e, { baseUrl: p.baseUrl, model: p.model, partial: text });
  } finally {
    watchdog.stop();
    userSignal?.removeEventListener('abort', onUserAbort);
  }

  const rest = thoughts.flush();
  if (rest) {
    text += rest;
    opts.onDelta?.(rest);
  }
  if (cancelled()) return { text, finishReason: 'cancelled', model, usage };
  if (watchdog.stalledAfterMs) throw stalled(text, watchdog.stalledAfterMs);
  if (!finish) throw unfinished(text);
  return { text, finishReason: finish === 'length' ? 'length' : finish === 'abort' ? 'abort' : 'stop', model, usage };
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
  // Whole seconds as set; a limit under 10 s keeps one decimal (0.3 s is not "0 s").
  const s = afterMs >= 10_000 ? Math.round(afterMs / 1000) : Math.round(afterMs / 100) / 10;
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
