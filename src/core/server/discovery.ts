// What the server offers: models (with context length and image support), health, version.
// Cached per server; `refresh()` forgets it (the user restarted the server, changed models).

import { APIError } from 'openai';
import { normalizeBaseUrl } from './config';
import { MedGemmaError } from './errors';
import type { Fetch } from './http';
import { requestJson } from './http';
import { mapError, unknownModel } from './map-error';
import { VERTEX_CONTEXT_LENGTH, vertexEndpoint, vertexLabel, type VertexEndpoint } from './vertex';

export interface ModelInfo {
  /** What requests name; "" for a Vertex AI endpoint's one model. */
  id: string;
  /** What to show when the id says nothing ("Vertex AI endpoint 123 (project, region)"). */
  label?: string;
  /** The weights (vLLM `root`), e.g. google/medgemma-4b-it. */
  root?: string;
  /** Base model id when this entry is a LoRA adapter. */
  parent?: string;
  /** Context length the server reports (vLLM max_model_len, llama.cpp n_ctx). */
  maxModelLen?: number;
  /** true/false when known from the model name; undefined when the server must decide. */
  vision?: boolean;
  ownedBy?: string;
}

/** Used when a server does not say (Ollama): small enough that nothing is silently cut. */
export const UNKNOWN_CONTEXT_LENGTH = 4096;

interface ModelsBody {
  data?: Array<{ id: string; root?: string; parent?: string | null; max_model_len?: number; owned_by?: string; meta?: { n_ctx_train?: number } }>;
}

/** MedGemma's names tell image support: `*-text-*` is text only; the other MedGemmas see images. */
export function visionFromName(name: string): boolean | undefined {
  const n = name.toLowerCase();
  if (/-text-|text-it|embed/.test(n)) return false;
  if (/medgemma|gemma-?3|llava|vision|-vl|qwen2\.5-vl|pixtral|llama-?3\.2.*vision/.test(n)) {
    return !/gemma-?3-?1b|270m/.test(n);
  }
  return undefined;
}

export class Discovery {
  readonly url: string;
  readonly root: string;
  private cache?: Promise<ModelInfo[]>;
  private propsCtx?: Promise<number | undefined>;

  /** Set for a Vertex AI endpoint: nothing to discover, one model. */
  readonly vertex?: VertexEndpoint;

  /** `contextLengthSetting`: the user's, for a server that reports none. */
  constructor(baseUrl: string, private readonly fetchFn: Fetch, private readonly timeoutMs = 10_000, private readonly contextLengthSetting?: number) {
    const n = normalizeBaseUrl(baseUrl);
    this.vertex = vertexEndpoint(n.url);
    this.url = n.url;
    this.root = n.root;
  }

  refresh(): void {
    this.cache = undefined;
    this.propsCtx = undefined;
  }

  models(signal?: AbortSignal): Promise<ModelInfo[]> {
    if (!this.cache) {
      this.cache = this.loadModels(signal);
      this.cache.catch(() => (this.cache = undefined));
    }
    return this.cache;
  }

  private async loadModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    if (this.vertex) return [{ id: '', label: vertexLabel(this.vertex), maxModelLen: this.contextLengthSetting ?? VERTEX_CONTEXT_LENGTH }];
    let res;
    try {
      res = await requestJson<ModelsBody>(this.fetchFn, `${this.url}/models`, { timeoutMs: this.timeoutMs, signal });
    } catch (e) {
      if ((e as Error)?.name === 'TimeoutError') {
        throw new MedGemmaError(
          'timeout',
          `The server at ${this.url} did not answer within ${Math.round(this.timeoutMs / 1000)} s. Check that it is running and not overloaded.`,
          { cause: e },
        );
      }
      throw mapError(e, { baseUrl: this.url });
    }
    if (res.status === 401 || res.status === 403) throw mapError(statusError(res.status, res.text), { baseUrl: this.url });
    if (res.status === 404) {
      // Vertex AI endpoints do not list models; the chat route still works.
      return [];
    }
    if (res.status >= 400 || !res.json) throw mapError(statusError(res.status, res.text), { baseUrl: this.url });
    const models: ModelInfo[] = (res.json.data ?? []).map((m) => ({
      id: m.id,
      root: m.root ?? undefined,
      parent: m.parent ?? undefined,
      maxModelLen: m.max_model_len ?? m.meta?.n_ctx_train ?? undefined,
      vision: visionFromName(`${m.root ?? ''} ${m.id}`),
      ownedBy: m.owned_by,
    }));
    // A LoRA adapter's name says nothing about images: it sees what its base model sees.
    for (const m of models) if (m.parent && m.vision === undefined) m.vision = models.find((b) => b.id === m.parent)?.vision;
    return models;
  }

  /** The configured model, checked against the list; or the first listed base model. */
  async resolve(configured: string, signal?: AbortSignal): Promise<ModelInfo> {
    const models = await this.models(signal);
    if (this.vertex) return { ...models[0], id: configured };
    if (configured) {
      const found = models.find((m) => m.id === configured);
      if (found) return found;
      if (models.length === 0) return { id: configured, vision: visionFromName(configured) };
      throw unknownModel(configured, models.map((m) => m.id));
    }
    const first = models.find((m) => !m.parent) ?? models[0];
    if (!first) {
      throw new MedGemmaError(
        'bad-config',
        `The server at ${this.url} lists no models. Set "medgemma.server.model" (CLI: --model) to the model id it serves.`,
      );
    }
    return first;
  }

  /** Context length of a model: reported, llama.cpp's /props, or a conservative default. */
  async contextLength(model: ModelInfo): Promise<number> {
    if (model.maxModelLen) return model.maxModelLen;
    if (this.vertex) return this.contextLengthSetting ?? VERTEX_CONTEXT_LENGTH;
    this.propsCtx ??= requestJson<{ default_generation_settings?: { n_ctx?: number } }>(this.fetchFn, `${this.root}/props`, {
      timeoutMs: this.timeoutMs,
    })
      .then((r) => (r.status === 200 ? r.json?.default_generation_settings?.n_ctx : undefined))
      .catch(() => undefined);
    return (await this.propsCtx) ?? this.contextLengthSetting ?? UNKNOWN_CONTEXT_LENGTH;
  }

  /** undefined: the server has no such route (Vertex AI has none of these). */
  async health(): Promise<boolean | undefined> {
    if (this.vertex) return undefined;
    try {
      const r = await requestJson(this.fetchFn, `${this.root}/health`, { timeoutMs: this.timeoutMs });
      return r.status === 404 ? undefined : r.status === 200;
    } catch {
      return false;
    }
  }

  async version(): Promise<string | undefined> {
    if (this.vertex) return undefined;
    try {
      const r = await requestJson<{ version?: string }>(this.fetchFn, `${this.root}/version`, { timeoutMs: this.timeoutMs });
      return r.status === 200 ? r.json?.version : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The same error type the SDK throws for a chat request, so one mapping serves both. */
function statusError(status: number, text: string): APIError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { error: { message: text } };
  }
  return APIError.generate(status, body as object, undefined, new Headers());
}
