// Shapes shared by every feature that talks to the server. Plain data, no behaviour.

import type { Feature, PrivacyScope } from '../privacy/gate';

export type Role = 'system' | 'user' | 'assistant';

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } };

export interface ChatMessage {
  role: Role;
  content: string | ContentPart[];
}

/** What kind of model a job needs; text and vision may be served by different endpoints. */
export type Job = 'text' | 'vision';

export interface ChatRequest {
  messages: ChatMessage[];
  /** Longest answer wanted; the pipeline caps it to what the context leaves. */
  maxTokens: number;
  /** Always sent: vLLM otherwise applies the model's own sampling defaults. */
  temperature: number;
  /** Overrides the model resolved for the job. */
  model?: string;
  job?: Job;
  /**
   * Ask for JSON that fits this schema (vLLM's structured output, sent as `response_format`
   * json_schema). A server may ignore it: the caller still parses the answer strictly.
   */
  responseFormat?: JsonSchemaFormat;
  /** What the request is for (the audit log's "feature"). */
  feature?: Feature;
  /**
   * The document or conversation the request belongs to: its identifiers keep the same
   * stand-ins in every request of the scope. Default: a scope of its own.
   */
  privacy?: PrivacyScope;
}

export interface JsonSchemaFormat {
  name: string;
  schema: Record<string, unknown>;
}

/**
 * How a stream ended. `length`: the answer was cut at max_tokens (tell the user).
 * `cancelled`: the user stopped it; the text so far is kept.
 */
export type FinishReason = 'stop' | 'length' | 'abort' | 'cancelled';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** Usage summed: `total` (or nothing yet) plus one more request's. */
export function addUsage(total: Usage | undefined, more: Usage): Usage {
  const u = total ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  return { promptTokens: u.promptTokens + more.promptTokens, completionTokens: u.completionTokens + more.completionTokens, totalTokens: u.totalTokens + more.totalTokens };
}

export interface ChatResult {
  text: string;
  finishReason: FinishReason;
  model: string;
  /** From the server's usage chunk when it sends one. */
  usage?: Usage;
  /** Prompt tokens counted (or estimated) before sending. */
  promptTokens: number;
  /** max_tokens actually sent, after capping. */
  maxTokens: number;
}

export interface StreamOptions {
  /** Aborting closes the HTTP connection so the server stops generating. */
  signal?: AbortSignal;
  /** Called with each new piece of answer text, in order. */
  onDelta?: (text: string) => void;
  /** Called before a retry (only ever before the first token). */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
}

export interface TokenCount {
  tokens: number;
  /** true when the server counted (vLLM /tokenize); false for a conservative estimate. */
  exact: boolean;
}

/**
 * The one road to the server: shape messages, budget, send, stream, map errors.
 * Every feature (summary, chat, papers, images, CLI) calls this and nothing lower.
 */
export interface ChatService {
  chat(req: ChatRequest, opts?: StreamOptions): Promise<ChatResult>;
  /** `privacy`: the scope of the request the count is for, so the server counts the very text it will get. */
  countTokens(messages: ChatMessage[], job?: Job, signal?: AbortSignal, privacy?: PrivacyScope): Promise<TokenCount>;
  /** The model's context length (max_model_len), or a safe default when the server hides it. */
  contextLength(job?: Job): Promise<number>;
}
