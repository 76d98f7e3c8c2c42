// Text embeddings from the user's server (POST /v1/embeddings, the OpenAI shape that vLLM,
// Ollama and llama.cpp serve), for search by meaning over papers. A server can send anything:
// the body is bounded before it is read, and every vector is checked (count, order, one
// length, finite numbers) before it is used. Vectors come back L2-normalised.

import { MedGemmaError } from './errors';
import { type Fetch, originOf } from './http';
import { fromStatus, UNKNOWN_MODEL_RE } from './map-error';

/** Longest vector taken (today's text-embedding models use 384 to 4,096). */
export const MAX_DIMS = 8192;
/** Texts per request: small enough for any server's batch, large enough to keep round trips few. */
export const EMBED_BATCH = 64;
/** A JSON number as servers print it (~20 characters) plus separators, with room to spare. */
const BYTES_PER_NUMBER = 32;

export interface EmbeddingsTarget {
  fetch: Fetch;
  /** The OpenAI base URL, ending in /v1. */
  url: string;
  model: string;
  timeoutMs: number;
}

/** Where a user fixes the embedding server, for messages. */
export const EMBEDDING_SETTINGS = '"medgemma.papers.embeddingModel" / "medgemma.papers.embeddingUrl" (CLI: --embedding-model, --embedding-url)';

/** One vector per text, in order; at most EMBED_BATCH texts per call. */
export async function requestEmbeddings(t: EmbeddingsTarget, texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
  if (!texts.length) return [];
  if (texts.length > EMBED_BATCH) throw new RangeError(`at most ${EMBED_BATCH} texts per request`);
  const server = originOf(t.url);
  const request = JSON.stringify({ model: t.model, input: texts, encoding_format: 'float' });
  let res: Response | undefined;
  // Once more when the connection failed before any answer: a kept-alive socket the server had
  // just closed (uvicorn closes idle ones after 5 s) fails the first send, and embedding is
  // idempotent, unlike a chat whose answer may have started.
  for (let attempt = 1; !res; attempt++) {
    try {
      res = await t.fetch(`${t.url}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: request,
        signal: AbortSignal.any([AbortSignal.timeout(t.timeoutMs), ...(signal ? [signal] : [])]),
      });
    } catch (e) {
      const error = connectionError(e, server, signal);
      if (attempt >= 2 || error.kind !== 'unreachable' || e instanceof MedGemmaError) throw error;
    }
  }
  const limit = texts.length * MAX_DIMS * BYTES_PER_NUMBER + 65_536;
  const text = await readBounded(res, limit, server, texts.length, signal);
  if (!res.ok) throw statusError(res.status, text, t, server);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw malformed(server, 'its answer is not JSON');
  }
  return vectorsOf(body, texts.length, server);
}

function connectionError(e: unknown, server: string, signal?: AbortSignal): MedGemmaError {
  if (e instanceof MedGemmaError) return e; // a refused redirect or origin (http.ts)
  if (signal?.aborted) return new MedGemmaError('interrupted', 'Stopped before the embedding server answered.', { cause: e });
  if ((e as Error)?.name === 'TimeoutError') {
    return new MedGemmaError('timeout', `The embedding server at ${server} did not answer in time. Check that it is running and not overloaded.`, { cause: e });
  }
  return new MedGemmaError('unreachable', `Cannot reach the embedding server at ${server} (nothing answered). Start it, or fix ${EMBEDDING_SETTINGS}.`, { cause: e });
}

/** The body as text, refused past `limit` bytes without reading the rest. */
async function readBounded(res: Response, limit: number, server: string, count: number, signal?: AbortSignal): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge(server, count, limit);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(server, count, limit);
      }
      parts.push(value);
    }
  } catch (e) {
    if (e instanceof MedGemmaError) throw e;
    throw signal?.aborted
      ? new MedGemmaError('interrupted', 'Stopped while the embedding server answered.', { cause: e })
      : new MedGemmaError('interrupted', `The connection to the embedding server at ${server} was lost mid-answer. Try again.`, { cause: e });
  }
  return Buffer.concat(parts).toString('utf8');
}

function tooLarge(server: string, count: number, limit: number): MedGemmaError {
  const size = limit >= 1_048_576 ? `${Math.round(limit / 1_048_576)} MB` : `${Math.round(limit / 1024)} KB`;
  return malformed(server, `it sent more than ${size} for ${count} text(s), more than vectors of ${MAX_DIMS} numbers take`);
}

function malformed(server: string, why: string): MedGemmaError {
  return new MedGemmaError('server-error', `The embedding server at ${server} sent an answer that cannot be used: ${why}. Check that ${EMBEDDING_SETTINGS} name a text-embedding model it serves.`);
}

function statusError(status: number, text: string, t: EmbeddingsTarget, server: string): MedGemmaError {
  let msg: string;
  try {
    const b = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof b.error === 'string' ? b.error : (b.error?.message ?? b.message);
    msg = typeof m === 'string' ? m : '';
  } catch {
    msg = text.slice(0, 300);
  }
  const detail = { status, serverMessage: msg };
  if (status === 404 && UNKNOWN_MODEL_RE.test(msg)) {
    return new MedGemmaError('unknown-model', `The embedding server at ${server} has no model "${t.model}". Set ${EMBEDDING_SETTINGS} to a model it serves.`, detail);
  }
  if (status === 404 || status === 405) {
    return new MedGemmaError('bad-config', `The server at ${server} offers no embeddings (HTTP ${status} for /v1/embeddings). Serve a text-embedding model there, or fix ${EMBEDDING_SETTINGS}.`, detail);
  }
  if ((status === 400 || status === 501) && /embedding|pooling|does not support|not support/i.test(msg)) {
    return new MedGemmaError('bad-config', `"${t.model}" at ${server} is not an embedding model ("${msg.slice(0, 160)}"). Set ${EMBEDDING_SETTINGS} to a text-embedding model the server serves.`, detail);
  }
  return fromStatus(status, msg, { baseUrl: t.url, model: t.model }, detail);
}

/** The answer's vectors, checked and normalised, in input order. */
function vectorsOf(body: unknown, count: number, server: string): Float32Array[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw malformed(server, 'it has no "data" list');
  if (data.length !== count) throw malformed(server, `it returned ${data.length} vector(s) for ${count} text(s)`);
  const out: Float32Array[] = new Array(count);
  let dims = 0;
  data.forEach((item: unknown, position) => {
    const o = item as { index?: unknown; embedding?: unknown } | null;
    const index = typeof o?.index === 'number' ? o.index : position;
    if (!Number.isInteger(index) || index < 0 || index >= count || out[index]) throw malformed(server, `vector ${position + 1} has index ${String(o?.index)}`);
    const e = o?.embedding;
    if (!Array.isArray(e) || e.length === 0 || e.length > MAX_DIMS) throw malformed(server, `vector ${position + 1} is not a list of 1 to ${MAX_DIMS} numbers`);
    if (dims && e.length !== dims) throw malformed(server, `its vectors differ in length (${dims} and ${e.length})`);
    dims = e.length;
    const v = new Float32Array(dims);
    let norm = 0;
    for (let i = 0; i < dims; i++) {
      const x = e[i] as unknown;
      if (typeof x !== 'number' || !Number.isFinite(x)) throw malformed(server, `vector ${position + 1} holds ${JSON.stringify(x)?.slice(0, 20)}, not a number`);
      v[i] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < dims; i++) v[i] /= norm;
    out[index] = v;
  });
  return out;
}
