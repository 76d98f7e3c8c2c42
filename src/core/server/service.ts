// The one road to the server. Every feature calls `chat()`: resolve endpoint and model for
// the job -> shape messages for Gemma -> count tokens and cap max_tokens -> stream -> map
// errors. A privacy gate and an audit log belong here, once, for every feature.

import OpenAI from 'openai';
import { estimateTokens, safetyMargin, TokenCounter } from './budget';
import type { ServerConfig } from './config';
import { type Credentials, noCredentials } from './credentials';
import { Discovery, type ModelInfo } from './discovery';
import { type ErrorKind, isMedGemmaError, MedGemmaError } from './errors';
import { type Fetch, makeFetch, originOf } from './http';
import { notImageCapable, unknownModel } from './map-error';
import { countImages, shapeMessages } from './messages';
import { streamChat } from './stream';
import type { ChatMessage, ChatRequest, ChatResult, ChatService, Job, StreamOptions, TokenCount } from './types';

/** Fewer tokens than this left for the answer is not worth sending. */
const MIN_ANSWER_TOKENS = 16;

interface Endpoint {
  baseUrl: string;
  configuredModel: string;
  discovery: Discovery;
  counter: TokenCounter;
  sdk: OpenAI;
}

/** How a request ended, for front ends that show server state (never carries content). */
export interface Outcome {
  ok: boolean;
  kind?: ErrorKind;
}

export class MedGemmaClient implements ChatService {
  private readonly endpoints = new Map<Job, Endpoint>();
  /** Told after every chat request; the seam for an audit log later. */
  onOutcome?: (o: Outcome) => void;

  /**
   * `credentials` belong to the server at `config.baseUrl`; a vision server at another origin
   * gets `visionCredentials` (its own key, or none), never the main server's key.
   */
  constructor(
    readonly config: ServerConfig,
    credentials: Credentials,
    fetchImpl: Fetch = fetch,
    visionCredentials: Credentials = noCredentials,
  ) {
    const mainOrigin = originOf(config.baseUrl);
    const make = (baseUrl: string, model: string): Endpoint => {
      const own = originOf(baseUrl) === mainOrigin ? credentials : visionCredentials;
      const f = makeFetch(own, baseUrl, fetchImpl);
      const discovery = new Discovery(baseUrl, f);
      return {
        baseUrl: discovery.url,
        configuredModel: model,
        discovery,
        counter: new TokenCounter(discovery.root, f),
        sdk: new OpenAI({
          baseURL: discovery.url,
          apiKey: 'unused', // the Authorization header comes from `credentials` in makeFetch
          fetch: f,
          maxRetries: 0,
          timeout: config.connectTimeoutMs,
          logLevel: 'off', // the SDK would otherwise print malformed chunks, i.e. model output
        }),
      };
    };
    const text = make(config.baseUrl, config.model);
    this.endpoints.set('text', text);
    const v = config.vision;
    const separate = v && ((v.baseUrl && v.baseUrl !== config.baseUrl) || (v.model && v.model !== config.model));
    this.endpoints.set('vision', separate ? make(v.baseUrl || config.baseUrl, v.model || config.model) : text);
  }

  endpoint(job: Job = 'text'): Endpoint {
    return this.endpoints.get(job)!;
  }

  /** Forget cached models and capabilities (server restarted, settings changed). */
  refresh(): void {
    for (const e of this.endpoints.values()) e.discovery.refresh();
  }

  async model(job: Job = 'text', signal?: AbortSignal): Promise<ModelInfo> {
    const ep = this.endpoint(job);
    return ep.discovery.resolve(ep.configuredModel, signal);
  }

  async contextLength(job: Job = 'text'): Promise<number> {
    const ep = this.endpoint(job);
    return ep.discovery.contextLength(await this.model(job));
  }

  async countTokens(messages: ChatMessage[], job: Job = 'text'): Promise<TokenCount> {
    const ep = this.endpoint(job);
    const model = await this.model(job);
    return ep.counter.count(shapeMessages(messages), model.id);
  }

  async chat(req: ChatRequest, opts: StreamOptions = {}): Promise<ChatResult> {
    try {
      const r = await this.send(req, opts);
      this.onOutcome?.({ ok: true });
      return r;
    } catch (e) {
      this.onOutcome?.({ ok: false, kind: isMedGemmaError(e) ? e.kind : undefined });
      throw e;
    }
  }

  private async send(req: ChatRequest, opts: StreamOptions): Promise<ChatResult> {
    const images = countImages(req.messages);
    const job: Job = req.job ?? (images ? 'vision' : 'text');
    const ep = this.endpoint(job);
    const model = req.model
      ? await ep.discovery.resolve(req.model, opts.signal)
      : await ep.discovery.resolve(ep.configuredModel, opts.signal);
    if (images && model.vision === false) throw notImageCapable(model.id);

    const messages = shapeMessages(req.messages);
    const contextLength = await ep.discovery.contextLength(model);
    // Ask the server for an exact count only when the (high) estimate comes near the limit:
    // a /tokenize round trip on every request would add to the time to first token.
    let count: TokenCount = { tokens: estimateTokens(messages), exact: false };
    if (count.tokens + req.maxTokens + safetyMargin(count, contextLength) > contextLength) {
      count = await ep.counter.count(messages, model.id, opts.signal);
    }
    const room = contextLength - count.tokens - safetyMargin(count, contextLength);
    if (room < MIN_ANSWER_TOKENS) {
      throw new MedGemmaError(
        'context-overflow',
        `The text is too long for the model's context (${count.exact ? '' : 'about '}${count.tokens} tokens of ${contextLength}). Select a shorter part, or serve the model with a larger --max-model-len.`,
      );
    }
    const maxTokens = Math.max(1, Math.min(req.maxTokens, room));

    try {
      const out = await streamChat(
        ep.sdk,
        {
          model: model.id,
          messages,
          maxTokens,
          temperature: req.temperature,
          baseUrl: ep.baseUrl,
          connectTimeoutMs: this.config.connectTimeoutMs,
          idleTimeoutMs: this.config.idleTimeoutMs,
          maxRetries: this.config.maxRetries,
          responseFormat: req.responseFormat,
        },
        opts,
      );
      return { ...out, promptTokens: count.tokens, maxTokens };
    } catch (e) {
      if (isMedGemmaError(e) && e.kind === 'unknown-model') {
        // The list may be stale (the server was restarted with another model): refresh and say what it has now.
        ep.discovery.refresh();
        const now = await ep.discovery.models().catch(() => []);
        if (now.length) throw unknownModel(model.id, now.map((m) => m.id), e.detail);
      }
      throw e;
    }
  }
}
