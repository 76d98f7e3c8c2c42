// POST /v1/embeddings, the OpenAI shape that vLLM (pooling models), Ollama and llama.cpp
// (--embeddings) serve: validation in each server's words, vectors from embeddings.ts, and the
// hostile answers of SimOptions.embeddingFault.

import { randomUUID } from 'node:crypto';
import { embedText } from './embeddings';
import { ApiError } from './errors';
import type { Exchange } from './exchange';
import { isVllm, notEmbeddingModel, pickModel, type ResolvedModel } from './profiles';
import type { SimState } from './state';
import { isObject } from './template';
import { textTokenIds } from './tokens';
import type { EmbeddingFault, SimOptions } from './types';

export const EMBEDDING_FAULTS: readonly EmbeddingFault[] = ['wrong-count', 'nan', 'ragged', 'huge-dims', 'not-json'];
/** Inputs one request may carry (OpenAI's limit). */
export const MAX_EMBEDDING_INPUTS = 2048;
/** Vector length of the huge-dims fault. */
export const HUGE_EMBEDDING_DIMS = 100_000;
/** The not-json fault's body: a web page where JSON was expected. */
export const EMBEDDING_HTML =
  '<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><h1>It works!</h1><p>This page is served in place of the API.</p></body></html>\n';

/** Throws a readable error for a bad embeddingFault or embedding model (setOptions, POST /__sim/options). */
export function validateEmbeddingOptions(o: Partial<SimOptions>): void {
  const f = o.embeddingFault;
  if (f !== undefined && f !== null && !EMBEDDING_FAULTS.includes(f)) {
    throw new Error(`unknown embeddingFault ${JSON.stringify(f)}; one of: ${EMBEDDING_FAULTS.join(', ')}`);
  }
  for (const m of o.models ?? []) {
    const dims = m.embedding?.dims;
    if (dims !== undefined && !(Number.isInteger(dims) && dims >= 1 && dims <= HUGE_EMBEDDING_DIMS)) {
      throw new Error(`models[${JSON.stringify(m.id)}].embedding.dims must be an integer from 1 to ${HUGE_EMBEDDING_DIMS}`);
    }
  }
}

/** {model, input: string | string[], encoding_format?} -> {object:'list', data:[{object:'embedding', index, embedding}], model, usage}. */
export function handleEmbeddings(ex: Exchange, s: SimState): void {
  const body: unknown = ex.record.body;
  if (!isObject(body)) throw new ApiError(400, 'The request body must be a JSON object.');
  const profile = s.profile;
  const model = embeddingModel(s, body.model);
  const dims = model.embeddingDims;
  if (dims === null) throw notEmbeddingModel(profile);
  const texts = readInput(body.input);
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') throw new ApiError(400, "`encoding_format` must be 'float' or 'base64'.");

  const L = model.maxModelLen;
  let promptTokens = 0;
  for (const text of texts) {
    const n = textTokenIds(text).length;
    if (n > L && isVllm(profile)) {
      throw new ApiError(400, `This model's maximum context length is ${L} tokens. However, you requested ${n} tokens in the input for embedding generation. Please reduce the length of the input.`);
    }
    if (n > L && profile === 'llamacpp') throw new ApiError(500, 'input is too large to process. increase the physical batch size');
    promptTokens += Math.min(n, L); // Ollama truncates an over-long input
  }

  const fault = s.opts.embeddingFault ?? undefined;
  if (fault === 'not-json') return ex.send(200, 'text/html; charset=utf-8', EMBEDDING_HTML);
  const vectors = brokenAsAsked(
    texts.map((t) => embedText(t, fault === 'huge-dims' ? HUGE_EMBEDDING_DIMS : dims)),
    fault,
  );
  const data = vectors.map((v, index) => ({ object: 'embedding', index, embedding: format === 'base64' ? toBase64(v) : v }));
  const name = typeof body.model === 'string' && body.model ? body.model : model.id;
  s.stats.promptTokens += promptTokens;
  s.stats.success += 1;
  // JSON.stringify writes the nan fault's NaN as null, as a JavaScript server would send it.
  if (isVllm(profile)) {
    ex.json(200, {
      id: `embd-${randomUUID().replace(/-/g, '')}`,
      object: 'list',
      created: Math.floor(Date.now() / 1000),
      model: name,
      data,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens, completion_tokens: 0, prompt_tokens_details: null },
    });
  } else {
    ex.json(200, { object: 'list', data, model: name, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } });
  }
}

/** The named model; with none named, the first embedding model (vLLM, llama.cpp serve their one model). */
function embeddingModel(s: SimState, requested: unknown): ResolvedModel {
  const unnamed = requested === undefined || requested === null || requested === '';
  const first = unnamed && s.profile !== 'ollama' ? s.models.find((m) => m.embeddingDims !== null) : undefined;
  return first ?? pickModel(s.profile, s.models, requested);
}

function readInput(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || !input.every((t) => typeof t === 'string')) {
    throw new ApiError(400, '`input` must be a string or a list of strings.');
  }
  if (input.length === 0) throw new ApiError(400, '`input` must not be an empty list.');
  if (input.length > MAX_EMBEDDING_INPUTS) throw new ApiError(400, `\`input\` may hold at most ${MAX_EMBEDDING_INPUTS} texts; got ${input.length}.`);
  return input as string[];
}

function brokenAsAsked(vectors: number[][], fault: EmbeddingFault | undefined): number[][] {
  const last = vectors.length - 1;
  switch (fault) {
    case 'wrong-count':
      return vectors.slice(0, -1);
    case 'nan':
      return vectors.map((v, i) => (i === last ? v.map((x, k) => (k === Math.floor(v.length / 2) ? NaN : x)) : v));
    case 'ragged':
      return vectors.map((v, i) => (i === last ? v.slice(0, Math.max(0, v.length - 1)) : v));
    default:
      return vectors;
  }
}

/** encoding_format base64: the float32 numbers, little-endian, base64. */
function toBase64(v: number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}
