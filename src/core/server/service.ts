// The one road to the server. Every feature calls `chat()`: resolve endpoint and model for
// the job -> shape messages for Gemma -> count tokens and cap max_tokens -> stream -> map
// errors. The privacy gate and the audit log sit here, once, for every feature: the text is
// pseudonymized (by mode) before anything is counted or sent, and the answer restored as it streams.

import OpenAI from 'openai';
import type { AuditSink } from '../privacy/audit';
import { type Confirm, gate, type Gated, PrivacyDeclined, PrivacyScope } from '../privacy/gate';
import { isLoopback, resolveMode } from '../privacy/mode';
import { answerTokens, estimateTokens, safetyMargin, TokenCounter } from './budget';
import type { ServerConfig } from './config';
import { type Credentials, noCredentials } from './credentials';
import { Discovery, type ModelInfo } from './discovery';
import { type ErrorKind, isMedGemmaError, MedGemmaError } from './errors';
import { type Fetch, makeFetch, originOf } from './http';
import { notImageCapable, unknownModel } from './map-error';
import { countImages, shapeMessages } from './messages';
import { streamChat } from './stream';
import { type RunCommand, tokenCommandCredentials, type TokenCredentials } from './token-command';
import { DEFAULT_TOKEN_COMMAND, vertexEndpoint } from './vertex';
import { EMBED_BATCH, EMBEDDING_SETTINGS, requestEmbeddings } from './embeddings';
import type { ChatMessage, ChatRequest, ChatResult, ChatService, Job, StreamOptions, TokenCount } from './types';

interface Endpoint {
  baseUrl: string;
  /** What signs its requests (the doctor names the source, never the secret). */
  credentials: Credentials;
  configuredModel: string;
  discovery: Discovery;
  counter: TokenCounter;
  sdk: OpenAI;
  /** Signed, bound to this server's origin, no redirects (http.ts). */
  fetch: Fetch;
}

function insecureToken(baseUrl: string): MedGemmaError {
  return new MedGemmaError(
    'bad-config',
    `The server address ${originOf(baseUrl)} is plain http, and an access token would cross the network unencrypted: nothing was sent. Use its https:// address.`,
  );
}

/** Credentials that refuse: the request fails before anything is sent. */
function refuse(e: MedGemmaError): Credentials {
  return { authorization: () => Promise.reject(e) };
}

/** How a request ended, for front ends that show server state (never carries content). */
export interface Outcome {
  ok: boolean;
  kind?: ErrorKind;
}

export class MedGemmaClient implements ChatService {
  private readonly endpoints = new Map<Job, Endpoint>();
  /** The embedding model's server, when one is set (config.embeddings). */
  private readonly embeddingEndpoint?: Endpoint;
  /** Told after every chat request. */
  onOutcome?: (o: Outcome) => void;
  /** Asks the user in the privacy mode `warn` (editor: a dialog; CLI: the terminal). */
  confirmPrivacy?: Confirm;
  /** Hears one entry per request before it is sent; when it fails, nothing is sent. */
  audit?: AuditSink;

  /**
   * `credentials` belong to the server at `config.baseUrl`; a vision server at another origin
   * gets `visionCredentials` (its own key, or none), never the main server's key.
   */
  /**
   * `runCommand` runs `config.tokenCommand` (tests pass their own). A Vertex AI endpoint, or the
   * main server when a token command is set, gets tokens from it instead of the API key.
   */
  constructor(
    readonly config: ServerConfig,
    credentials: Credentials,
    fetchImpl: Fetch = fetch,
    visionCredentials: Credentials = noCredentials,
    runCommand?: RunCommand,
  ) {
    const mainOrigin = originOf(config.baseUrl);
    let tokens: TokenCredentials | undefined;
    const tokenSource = () => (tokens ??= tokenCommandCredentials(config.tokenCommand || DEFAULT_TOKEN_COMMAND, { run: runCommand }));
    const make = (baseUrl: string, model: string, otherCredentials = visionCredentials): Endpoint => {
      const main = originOf(baseUrl) === mainOrigin;
      let own = vertexEndpoint(baseUrl) || (main && config.tokenCommand) ? tokenSource() : main ? credentials : otherCredentials;
      // A cloud access token opens more than this endpoint: never over plain http to another machine.
      if (own === tokens && baseUrl.startsWith('http:') && !isLoopback(baseUrl)) own = refuse(insecureToken(baseUrl));
      const f = makeFetch(own, baseUrl, fetchImpl);
      const discovery = new Discovery(baseUrl, f, undefined, config.contextLength);
      return {
        baseUrl: discovery.url,
        configuredModel: model,
        discovery,
        credentials: own,
        fetch: f,
        counter: new TokenCounter(discovery.root, f, undefined, discovery.vertex ? false : undefined),
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
    // An embedding server elsewhere gets no key: neither the main server's nor the vision server's.
    const e = config.embeddings;
    if (e?.model) this.embeddingEndpoint = make(e.baseUrl || config.baseUrl, e.model, noCredentials);
  }

  /** The embedding model's name and server, for caches and messages; undefined when none is set. */
  get embeddingModel(): { model: string; server: string } | undefined {
    const ep = this.embeddingEndpoint;
    return ep && { model: ep.configuredModel, server: originOf(ep.baseUrl) };
  }

  /**
   * One L2-normalised vector per text, from the embedding model (config.embeddings). A question
   * (`query`) may hold patient text: it passes the privacy gate and the audit log like any
   * request. Paper passages (`query` false) are published text and go as written, unlogged,
   * as they go in a papers question's prompt.
   */
  async embed(texts: string[], opts: { query?: boolean; signal?: AbortSignal; privacy?: PrivacyScope } = {}): Promise<Float32Array[]> {
    const ep = this.embeddingEndpoint;
    if (!ep) throw new MedGemmaError('bad-config', `No embedding model is set: set ${EMBEDDING_SETTINGS}.`);
    let sent = texts;
    if (opts.query) {
      const messages: ChatMessage[] = texts.map((t) => ({ role: 'user', content: t }));
      const gated = await this.gate({ messages, feature: 'papers', privacy: opts.privacy }, ep.baseUrl, ep.configuredModel);
      if (gated.action === 'not-sent') throw new MedGemmaError('declined', `Nothing was sent to ${originOf(ep.baseUrl)}: you chose not to send the question with its identifiers.`);
      sent = gated.messages.map((m) => m.content as string);
    }
    const out: Float32Array[] = [];
    for (let i = 0; i < sent.length; i += EMBED_BATCH) {
      const batch = sent.slice(i, i + EMBED_BATCH);
      out.push(...(await requestEmbeddings({ fetch: ep.fetch, url: ep.baseUrl, model: ep.configuredModel, timeoutMs: this.config.connectTimeoutMs }, batch, opts.signal)));
    }
    return out;
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

  /**
   * Tokens of `messages` as this server counts them (/tokenize) or as estimated. A count sends the
   * text too: unless the privacy mode sends it as written, the server counts it pseudonymized
   * (nobody asked), so no identifier leaves for a count. With the scope of the request that
   * follows, it counts the very stand-ins that request will send (an exact count, and one
   * pseudonymized version of the note at the server, not two); else a throwaway scope.
   */
  async countTokens(messages: ChatMessage[], job: Job = 'text', signal?: AbortSignal, privacy?: PrivacyScope): Promise<TokenCount> {
    const ep = this.endpoint(job);
    const model = await this.model(job, signal);
    const mode = resolveMode(this.config.privacy, ep.baseUrl);
    const counted = mode === 'off' ? messages : (await gate(messages, { mode: 'pseudonymize', scope: privacy ?? new PrivacyScope(), feature: 'other', origin: originOf(ep.baseUrl) })).messages;
    return ep.counter.count(shapeMessages(counted), model.id, signal);
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

    const gated = await this.gate(req, ep.baseUrl, model.id);
    if (gated.action === 'not-sent') throw new MedGemmaError('declined', `Nothing was sent to ${originOf(ep.baseUrl)}: you chose not to send the text with its identifiers. Run it again to choose otherwise, or preview it with MedGemma: Preview What Will Be Sent.`);
    const messages = shapeMessages(gated.messages);
    const contextLength = await ep.discovery.contextLength(model);
    // Ask the server for an exact count only when the (high) estimate comes near the limit:
    // a /tokenize round trip on every request would add to the time to first token.
    let count: TokenCount = { tokens: estimateTokens(messages), exact: false };
    if (count.tokens + req.maxTokens + safetyMargin(count, contextLength) > contextLength) {
      count = await ep.counter.count(messages, model.id, opts.signal);
    }
    const maxTokens = answerTokens(count, contextLength, req.maxTokens);

    const restorer = gated.restorer;
    let deltas = opts;
    if (restorer) {
      deltas = { ...opts, onDelta: (t) => {
        const shown = restorer.push(t);
        if (shown) opts.onDelta?.(shown);
      } };
    }
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
        deltas,
      );
      if (!restorer) return { ...out, promptTokens: count.tokens, maxTokens };
      const tail = restorer.end();
      if (tail) opts.onDelta?.(tail);
      return { ...out, text: restorer.restore(out.text), promptTokens: count.tokens, maxTokens };
    } catch (e) {
      if (isMedGemmaError(e) && e.kind === 'unknown-model') {
        // The list may be stale (the server was restarted with another model): refresh and say what it has now.
        ep.discovery.refresh();
        const now = await ep.discovery.models().catch(() => []);
        if (now.length) throw unknownModel(model.id, now.map((m) => m.id), e.detail);
      }
      if (restorer && isMedGemmaError(e)) {
        // What streamed before the failure is kept by the caller: it must read the real names too.
        const tail = restorer.end();
        if (tail) opts.onDelta?.(tail);
        throw new MedGemmaError(e.kind, restorer.restore(e.message), { ...e.detail, partial: e.detail.partial && restorer.restore(e.detail.partial) });
      }
      throw e;
    }
  }

  /** The privacy gate, then one audit line: what is sent, and that it was. */
  private async gate(req: Pick<ChatRequest, 'messages' | 'feature' | 'privacy'>, baseUrl: string, model: string): Promise<Gated> {
    const mode = resolveMode(this.config.privacy, baseUrl);
    const origin = originOf(baseUrl);
    const feature = req.feature ?? 'other';
    let gated: Gated;
    try {
      gated = await gate(req.messages, { mode, scope: req.privacy ?? new PrivacyScope(), feature, origin, confirm: this.confirmPrivacy });
    } catch (e) {
      if (e instanceof PrivacyDeclined) {
        throw new MedGemmaError(
          'privacy',
          `The privacy mode is "warn" (ask before sending identifiers), and nothing here can ask. Nothing was sent. Choose "pseudonymize" or "off" (setting medgemma.privacy.mode; CLI --privacy).`,
        );
      }
      throw e;
    }
    if (this.audit) {
      const bytes = gated.action === 'not-sent' ? 0 : new TextEncoder().encode(JSON.stringify(shapeMessages(gated.messages))).length;
      try {
        await this.audit({ time: new Date().toISOString(), feature, server: origin, model, mode, action: gated.action, identifiers: gated.counts ?? null, bytes });
      } catch (e) {
        throw new MedGemmaError('privacy', `The audit log could not be written (${(e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? e}), so nothing was sent. Check that its folder is writable.`, { cause: e });
      }
    }
    return gated;
  }
}
