// An API failure as the simulator decides it, before a profile gives it its wire shape.

import type { ContextWording } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly opts: {
      /** Error type in the profile's own vocabulary, when it differs from the default for the status. */
      type?: string;
      headers?: Record<string, string>;
      /** Extra fields inside the error object (llama.cpp's n_prompt_tokens, n_ctx). */
      extra?: Record<string, unknown>;
      /** A non-JSON body (a reverse proxy's HTML page). */
      html?: string;
      /** Refused by Vertex AI's front end: sent in Google's shape (google-errors.ts), whatever the profile. */
      google?: boolean;
    } = {},
  ) {
    super(message);
  }
}

/** vLLM's error type for an HTTP status. */
export function vllmType(status: number): string {
  switch (status) {
    case 400:
      return 'BadRequestError';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'PermissionDeniedError'; // vLLM never sends 403 itself (a proxy would): the OpenAI SDK's name
    case 404:
      return 'NotFoundError';
    case 429:
      return 'RateLimitError';
    case 501:
      return 'NotImplementedError';
    case 503:
      return 'ServiceUnavailableError';
    default:
      return 'InternalServerError';
  }
}

/**
 * The four context-length messages of the doc, numbers filled in.
 * L = max_model_len, p = prompt tokens, m = requested completion tokens.
 */
export function contextLengthMessage(wording: ContextWording, L: number, p: number, m: number): string {
  switch (wording) {
    case 1:
      return `This model's maximum context length is ${L} tokens. However, you requested ${p + m} tokens (${p} in the messages, ${m} in the completion). Please reduce the length of the messages or completion.`;
    case 2:
      return `This model's maximum context length is ${L} tokens. However, your request has ${p} input tokens. Please reduce the length of the input messages.`;
    case 3:
      return `'max_tokens' or 'max_completion_tokens' is too large: ${m}. This model's maximum context length is ${L} tokens and your request has ${p} input tokens (${m} > ${L} - ${p}).`;
    case 4:
      return `You passed ${p} input tokens and requested ${m} output tokens. However, the model's context length is only ${L} tokens, resulting in a maximum input length of ${L - m} tokens. Please reduce the length of the input prompt.`;
  }
}

/** The regex the doc tells clients to use; exported so tests use the same one. */
export const CONTEXT_LENGTH_PATTERN = /maximum context length|context length is only|is too large/;

export const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
