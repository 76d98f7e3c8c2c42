// Turns whatever a request threw (SDK error, fetch failure, our own timers) into one
// MedGemmaError whose message says what happened and what to do.

import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { isMedGemmaError, MedGemmaError } from './errors';
import { vertexEndpoint } from './vertex';
import { vertexStatusError } from './vertex-errors';

/** Statuses retried before the first token (open-stream.ts); only these may say "after retrying". */
export const RETRY_STATUSES = new Set([429, 502, 503]);

export const SERVE_HINT = 'vllm serve google/medgemma-4b-it --dtype bfloat16 --max-model-len 32768';

export const CONTEXT_RE = /maximum context length|context length is only|is too large|exceed_context_size|exceeds the available context/i;
export const IMAGE_LIMIT_RE = /At most (\d+) image\(s\)/i;
export const NO_IMAGES_RE = /image input is not supported|does not support (image|vision)|multimodal.*not/i;
export const ROLES_RE = /roles must alternate/i;
export const UNKNOWN_MODEL_RE = /does not exist|model .*not found|unknown model/i;

export interface ErrorContext {
  baseUrl: string;
  model?: string;
  /** Answer text received before the failure. */
  partial?: string;
  /** Known model ids, to list when the model is unknown. */
  availableModels?: string[];
}

/** The connection-level cause code (ECONNREFUSED, ENOTFOUND, ...), if any. */
function causeCode(e: unknown): string | undefined {
  for (let c: unknown = e, i = 0; c && typeof c === 'object' && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export function serverMessageOf(e: unknown): string {
  if (e instanceof APIError) {
    const inner = (e as APIError).error as { message?: unknown } | undefined;
    if (inner && typeof inner.message === 'string') return inner.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Our own error, thrown inside fetch (a refused redirect) and wrapped by the SDK on the way up. */
function ownError(e: unknown): MedGemmaError | undefined {
  for (let c: unknown = e, i = 0; c && typeof c === 'object' && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    if (isMedGemmaError(c)) return c;
  }
  return undefined;
}

export function mapError(e: unknown, ctx: ErrorContext): MedGemmaError {
  const own = ownError(e);
  if (own) return ctx.partial && !own.partial ? new MedGemmaError(own.kind, own.message, { ...own.detail, partial: ctx.partial }) : own;
  const partial = ctx.partial;
  const detail = { partial, cause: e };
  const started = !!partial;

  if (e instanceof APIConnectionTimeoutError) {
    return new MedGemmaError(
      'timeout',
      `The server at ${ctx.baseUrl} did not start answering in time. Check that it is not overloaded, or raise "medgemma.server.connectTimeoutSeconds" (CLI: --timeout).`,
      detail,
    );
  }
  if (e instanceof APIError && e.status !== undefined && !(e instanceof APIConnectionError)) {
    return fromStatus(e.status, serverMessageOf(e), ctx, detail);
  }
  if (e instanceof APIError && e.status === undefined && !(e instanceof APIConnectionError)) {
    // An error event inside a 200 stream (the SDK throws these for the nested shape).
    return streamError(serverMessageOf(e), ctx, detail);
  }
  const code = causeCode(e);
  if (!started && (e instanceof APIConnectionError || code)) {
    const why = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'its host name does not resolve' : 'nothing answered';
    const serve = ctx.model?.includes('/') ? SERVE_HINT.replace('google/medgemma-4b-it', ctx.model) : SERVE_HINT;
    return new MedGemmaError(
      'unreachable',
      `Cannot reach the MedGemma server at ${ctx.baseUrl} (${why}). Start it (e.g. \`${serve}\`) or fix "medgemma.server.baseUrl" (CLI: --base-url).`,
      detail,
    );
  }
  if (started || code || /terminated|socket|ECONNRESET|aborted/i.test(String((e as Error)?.message))) {
    return new MedGemmaError(
      'interrupted',
      `The connection to the server was lost mid-answer; the text received so far is kept. Try again, and check the server's log if it repeats.`,
      detail,
    );
  }
  return new MedGemmaError(
    'server-error',
    `The request failed unexpectedly (${serverMessageOf(e).slice(0, 200)}). Try again; run "MedGemma: Check Server" (CLI: medgemma doctor) if it repeats.`,
    detail,
  );
}

/** An error reported inside the stream after a 200 (either body shape). */
export function streamError(serverMessage: string, ctx: ErrorContext, detail: MedGemmaError['detail'] = {}): MedGemmaError {
  return new MedGemmaError(
    'interrupted',
    `The server reported an error mid-answer ("${serverMessage.slice(0, 200)}"); the text received so far is kept. Try again, and check the server's log if it repeats.`,
    { ...detail, serverMessage, partial: ctx.partial },
  );
}

export function fromStatus(status: number, msg: string, ctx: ErrorContext, detail: MedGemmaError['detail']): MedGemmaError {
  const d = { ...detail, status, serverMessage: msg };
  const vertex = vertexEndpoint(ctx.baseUrl);
  const v = vertex && vertexStatusError(status, msg, ctx.baseUrl, vertex, d);
  if (v) return v;
  if (status === 401 || status === 403) {
    return new MedGemmaError(
      'unauthorized',
      `The server at ${ctx.baseUrl} refused the API key (HTTP ${status}): none is set, or it is not the one the server was started with (--api-key). Set it with "MedGemma: Set API Key" (CLI: the MEDGEMMA_API_KEY variable).`,
      d,
    );
  }
  if (status === 404 && UNKNOWN_MODEL_RE.test(msg)) return unknownModel(ctx.model ?? '?', ctx.availableModels, d);
  if (status === 404) {
    return new MedGemmaError(
      'bad-config',
      `The server at ${ctx.baseUrl} has no chat endpoint (HTTP 404). Check "medgemma.server.baseUrl": it usually ends in /v1.`,
      d,
    );
  }
  if (CONTEXT_RE.test(msg)) {
    return new MedGemmaError(
      'context-overflow',
      `The text is too long for the model's context ("${msg.slice(0, 160)}"). Select a shorter part, or serve the model with a larger --max-model-len.`,
      d,
    );
  }
  const images = IMAGE_LIMIT_RE.exec(msg);
  if (images && images[1] === '0') return notImageCapable(ctx.model, d);
  if (images) {
    return new MedGemmaError(
      'image-limit',
      `The server accepts at most ${images[1]} image(s) per request. Send fewer images, or restart it with --limit-mm-per-prompt '{"image":4}'.`,
      d,
    );
  }
  if (NO_IMAGES_RE.test(msg)) return notImageCapable(ctx.model, d);
  if (ROLES_RE.test(msg)) {
    return new MedGemmaError(
      'role-order',
      `The server rejected the conversation's turn order ("${msg.slice(0, 120)}"). Start a new conversation; please report this, as MedGemma for VS Code should have prevented it.`,
      d,
    );
  }
  if (status === 429) {
    return new MedGemmaError(
      'rate-limited',
      `The server is busy and asked to slow down (HTTP 429) and still was after retrying. Wait a minute and try again.`,
      d,
    );
  }
  if (status >= 500) {
    return new MedGemmaError(
      'server-error',
      `The server failed with HTTP ${status} ("${msg.slice(0, 160)}")${RETRY_STATUSES.has(status) ? ' and still did after retrying' : ''}. Check the server's log; restarting it often helps.`,
      d,
    );
  }
  return new MedGemmaError(
    'bad-request',
    `The server rejected the request (HTTP ${status}: "${msg.slice(0, 200)}"). Check the model and settings; run "MedGemma: Check Server" (CLI: medgemma doctor).`,
    d,
  );
}

export function unknownModel(model: string, available: string[] = [], detail: MedGemmaError['detail'] = {}): MedGemmaError {
  const list = available.length ? ` It offers: ${available.join(', ')}.` : '';
  return new MedGemmaError(
    'unknown-model',
    `The server has no model "${model}".${list} Set "medgemma.server.model" (CLI: --model) to ${available.length ? 'one of them' : 'a model it serves'}, or leave it empty to use the first.`,
    detail,
  );
}

export function notImageCapable(model: string | undefined, detail: MedGemmaError['detail'] = {}): MedGemmaError {
  return new MedGemmaError(
    'not-image-capable',
    `The model "${model ?? '?'}" does not take images. Serve an image model such as google/medgemma-4b-it, or set a vision model in "medgemma.vision.model".`,
    detail,
  );
}
