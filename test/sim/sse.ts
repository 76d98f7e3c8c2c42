// Chat completion bodies and server-sent events, in each profile's own shape.

import type { SimProfile } from './types';

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
  profile: SimProfile;
}

export interface UsageCounts {
  prompt: number;
  completion: number;
}

export type Finish = 'stop' | 'length';

const OLLAMA_FINGERPRINT = 'fp_ollama';
const LLAMACPP_FINGERPRINT = 'b6000-sim';

export function sseEvent(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export const DONE_EVENT = 'data: [DONE]\n\n';
export const MALFORMED_EVENT = 'data: {"id": broken\n\n';
export const ENGINE_ERROR = { message: 'Internal server error', type: 'InternalServerError', param: null, code: 500 };
export const NESTED_ERROR_EVENT = sseEvent({ error: ENGINE_ERROR });
export const FLAT_ERROR_EVENT = sseEvent({ object: 'error', ...ENGINE_ERROR });

function chunk(meta: CompletionMeta, choices: unknown[], extra: Record<string, unknown> = {}): unknown {
  switch (meta.profile) {
    case 'ollama':
      return { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, system_fingerprint: OLLAMA_FINGERPRINT, choices, ...extra };
    case 'llamacpp':
      return { choices, created: meta.created, id: meta.id, model: meta.model, system_fingerprint: LLAMACPP_FINGERPRINT, object: 'chat.completion.chunk', ...extra };
    default:
      return { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model, choices, ...extra };
  }
}

/** The first event (role, empty content); Ollama has none. */
export function roleChunk(meta: CompletionMeta): unknown | undefined {
  switch (meta.profile) {
    case 'ollama':
      return undefined;
    case 'llamacpp':
      return chunk(meta, [{ finish_reason: null, index: 0, delta: { role: 'assistant', content: null } }]);
    default:
      return chunk(meta, [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
  }
}

export function contentChunk(meta: CompletionMeta, content: string): unknown {
  switch (meta.profile) {
    case 'ollama':
      return chunk(meta, [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }]);
    case 'llamacpp':
      return chunk(meta, [{ finish_reason: null, index: 0, delta: { content } }]);
    default:
      return chunk(meta, [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }]);
  }
}

export function finishChunk(meta: CompletionMeta, finish: Finish, stopReason: string | null = null): unknown {
  switch (meta.profile) {
    case 'ollama':
      return chunk(meta, [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: finish }]);
    case 'llamacpp':
      return chunk(meta, [{ finish_reason: finish, index: 0, delta: {} }]);
    default:
      return chunk(meta, [{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: finish, stop_reason: stopReason }]);
  }
}

function usageObject(meta: CompletionMeta, u: UsageCounts): Record<string, number> {
  const total = u.prompt + u.completion;
  return meta.profile === 'ollama' || meta.profile === 'llamacpp'
    ? { prompt_tokens: u.prompt, completion_tokens: u.completion, total_tokens: total }
    : { prompt_tokens: u.prompt, total_tokens: total, completion_tokens: u.completion };
}

/** Sent after the finish chunk only with stream_options.include_usage. */
export function usageChunk(meta: CompletionMeta, u: UsageCounts): unknown {
  return chunk(meta, [], { usage: usageObject(meta, u) });
}

/** The non-streaming `chat.completion` body. */
export function completionBody(meta: CompletionMeta, content: string, finish: Finish, u: UsageCounts, stopReason: string | null = null): unknown {
  const usage = usageObject(meta, u);
  switch (meta.profile) {
    case 'ollama':
      return {
        id: meta.id,
        object: 'chat.completion',
        created: meta.created,
        model: meta.model,
        system_fingerprint: OLLAMA_FINGERPRINT,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
        usage,
      };
    case 'llamacpp':
      return {
        choices: [{ finish_reason: finish, index: 0, message: { role: 'assistant', content } }],
        created: meta.created,
        model: meta.model,
        system_fingerprint: LLAMACPP_FINGERPRINT,
        object: 'chat.completion',
        usage,
        id: meta.id,
      };
    default:
      return {
        id: meta.id,
        object: 'chat.completion',
        created: meta.created,
        model: meta.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: null, annotations: null, audio: null, function_call: null, tool_calls: [], reasoning_content: null },
            logprobs: null,
            finish_reason: finish,
            stop_reason: stopReason,
          },
        ],
        service_tier: null,
        system_fingerprint: null,
        usage: { ...usage, prompt_tokens_details: null },
        prompt_logprobs: null,
        kv_transfer_params: null,
      };
  }
}
