// What differs between the servers the simulator imitates: error bodies, /v1/models, and the
// rules a chat request meets. Stream chunk shapes are in sse.ts.

import { DEFAULT_EMBEDDING_DIMS } from './embeddings';
import { ApiError, vllmType } from './errors';
import type { SimModel, SimOptions, SimProfile } from './types';

export const PROFILES: readonly SimProfile[] = ['vllm', 'vllm-0.10', 'ollama', 'llamacpp'];

export const DEFAULT_MODELS: SimModel[] = [{ id: 'medgemma', root: 'google/medgemma-4b-it' }];
export const DEFAULT_MAX_MODEL_LEN = 32768;
/** A fixed `created` for /v1/models, so answers are byte-for-byte repeatable. */
export const MODELS_CREATED = 1769125171;
/** llama.cpp's meta.n_ctx_train for Gemma 3 (the training context, not the served one). */
export const LLAMACPP_N_CTX_TRAIN = 131072;

export interface ResolvedModel {
  id: string;
  root: string;
  parent: string | null;
  maxModelLen: number;
  maxImages: number;
  flipNegation: boolean;
  /** Vector length of an embedding model; null for a generative one. */
  embeddingDims: number | null;
}

export function resolveModels(o: SimOptions): ResolvedModel[] {
  return (o.models ?? DEFAULT_MODELS).map((m) => {
    const root = m.root ?? m.id;
    return {
      id: m.id,
      root,
      parent: m.parent ?? null,
      maxModelLen: m.maxModelLen ?? o.maxModelLen ?? DEFAULT_MAX_MODEL_LEN,
      maxImages: o.maxImages ?? (/-text-/.test(root) ? 0 : 1),
      flipNegation: m.flipNegation === true,
      embeddingDims: m.embedding ? (m.embedding.dims ?? DEFAULT_EMBEDDING_DIMS) : null,
    };
  });
}

/** The model a request names (the first one when it names none); 404 when unknown. */
export function pickModel(profile: SimProfile, models: ResolvedModel[], requested: unknown): ResolvedModel {
  if (requested === undefined || requested === null || requested === '') {
    if (profile === 'ollama') throw new ApiError(400, 'model is required');
    return models[0];
  }
  const found = models.find((m) => m.id === requested);
  if (found) return found;
  if (profile === 'llamacpp') return models[0]; // llama.cpp serves its one model whatever the name
  throw unknownModel(profile, String(requested));
}

export function unknownModel(profile: SimProfile, name: string): ApiError {
  return profile === 'ollama'
    ? new ApiError(404, `model "${name}" not found, try pulling it first`)
    : new ApiError(404, `The model \`${name}\` does not exist.`);
}

/** /v1/embeddings naming a generative model (llama.cpp: a server started without --embeddings). */
export function notEmbeddingModel(profile: SimProfile): ApiError {
  switch (profile) {
    case 'ollama':
      return new ApiError(501, 'this model does not support embeddings');
    case 'llamacpp':
      return new ApiError(501, 'This server does not support embeddings. Start it with `--embeddings`');
    default:
      return new ApiError(400, 'The model does not support Embeddings API');
  }
}

/** Chat completions naming an embedding model (llama.cpp: a server started with --embeddings). */
export function notChatModel(profile: SimProfile, name: string): ApiError {
  switch (profile) {
    case 'ollama':
      return new ApiError(400, `${JSON.stringify(name)} does not support chat`);
    case 'llamacpp':
      return new ApiError(501, 'This server does not support completions. Start it without `--embeddings`');
    default:
      return new ApiError(400, 'The model does not support Chat Completions API');
  }
}

export function defaultVersion(p: SimProfile): string {
  return p === 'vllm-0.10' ? '0.10.0' : p === 'ollama' ? '0.12.6' : '0.11.0';
}

export function isVllm(p: SimProfile): boolean {
  return p === 'vllm' || p === 'vllm-0.10';
}

/** The profile's error body for a status and message. */
export function errorBody(p: SimProfile, status: number, message: string, type?: string, extra: Record<string, unknown> = {}): unknown {
  switch (p) {
    case 'vllm':
      return { error: { message, type: type ?? vllmType(status), param: null, code: status } };
    case 'vllm-0.10':
      return { object: 'error', message, type: type ?? vllmType(status), param: null, code: status };
    case 'ollama':
      return { error: { message, type: type ?? ollamaType(status), param: null, code: null } };
    case 'llamacpp':
      return { error: { code: status, message, type: type ?? llamacppType(status), ...extra } };
  }
}

function ollamaType(status: number): string {
  return status === 400 ? 'invalid_request_error' : status === 404 ? 'not_found_error' : 'api_error';
}

function llamacppType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 501:
      return 'not_supported_error';
    case 503:
      return 'unavailable_error';
    default:
      return 'server_error';
  }
}

/** 401 for a missing or wrong API key. */
export function unauthorizedBody(p: SimProfile): unknown {
  return p === 'llamacpp' ? errorBody(p, 401, 'Invalid API Key') : { error: 'Unauthorized' };
}

/** 404 for a route the server does not have: [content-type, body]. */
export function notFoundRoute(p: SimProfile): [string, string] {
  switch (p) {
    case 'ollama':
      return ['text/plain', '404 page not found'];
    case 'llamacpp':
      return ['application/json', JSON.stringify(errorBody(p, 404, 'File Not Found'))];
    default:
      return ['application/json', JSON.stringify({ detail: 'Not Found' })];
  }
}

export function modelsBody(p: SimProfile, models: ResolvedModel[]): unknown {
  const data = models.map((m) => {
    switch (p) {
      case 'ollama':
        return { id: m.id, object: 'model', created: MODELS_CREATED, owned_by: 'library' };
      case 'llamacpp':
        return {
          id: m.id,
          object: 'model',
          created: MODELS_CREATED,
          owned_by: 'llamacpp',
          meta: { vocab_type: 2, n_vocab: 262144, n_ctx_train: LLAMACPP_N_CTX_TRAIN, n_embd: m.embeddingDims ?? 2560, n_params: 3880263168, size: 2489757856 },
        };
      default:
        return {
          id: m.id,
          object: 'model',
          created: MODELS_CREATED,
          owned_by: 'vllm',
          root: m.root,
          parent: m.parent,
          max_model_len: m.maxModelLen,
          permission: [
            {
              id: `modelperm-${m.id}`,
              object: 'model_permission',
              created: MODELS_CREATED,
              allow_create_engine: false,
              allow_sampling: true,
              allow_logprobs: true,
              allow_search_indices: false,
              allow_view: true,
              allow_fine_tuning: false,
              organization: '*',
              group: null,
              is_blocking: false,
            },
          ],
        };
    }
  });
  return { object: 'list', data };
}

/** llama.cpp's GET /props (the served context is n_ctx). */
export function llamacppProps(m: ResolvedModel): unknown {
  return {
    default_generation_settings: { n_ctx: m.maxModelLen, params: { n_predict: -1, temperature: 0.8 } },
    total_slots: 1,
    model_path: `/models/${m.root.replace(/.*\//, '')}.gguf`,
    modalities: { vision: false },
    build_info: 'b6000-sim',
  };
}
