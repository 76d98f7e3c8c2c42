// What the log may say about a failed request: what we did, the error kind, the HTTP status,
// and which known server message it was. Never the server's words: servers quote the input
// they reject (vLLM's request validation prints the offending message content), so any text
// a server sends back may hold the note, the question or a paper's passage.

import { isMedGemmaError } from './errors';
import { CONTEXT_RE, IMAGE_LIMIT_RE, NO_IMAGES_RE, ROLES_RE, UNKNOWN_MODEL_RE } from './map-error';

/** Known messages, by a fixed label: the label is logged, the message is not. */
const KNOWN: [RegExp, string][] = [
  [CONTEXT_RE, 'context length exceeded'],
  [IMAGE_LIMIT_RE, 'too many images'],
  [NO_IMAGES_RE, 'images not supported'],
  [ROLES_RE, 'roles must alternate'],
  [UNKNOWN_MODEL_RE, 'unknown model'],
  [/rate limit|too many requests/i, 'rate limited'],
  [/out of memory/i, 'out of memory'],
  [/internal server error/i, 'internal server error'],
  [/service unavailable|not ready/i, 'unavailable'],
  [/bad gateway/i, 'bad gateway'],
];

/** A fixed label for a known server message; otherwise only its length. */
export function serverMessageLabel(message: string | undefined): string | undefined {
  if (!message) return undefined;
  return KNOWN.find(([re]) => re.test(message))?.[1] ?? `${message.length} characters, not logged`;
}

/** The log line for an error shown to the user: no content of the request or of the server's reply. */
export function errorLogLine(what: string, e: unknown): string {
  if (!isMedGemmaError(e)) return `${what}: unexpected ${e instanceof Error ? e.name : typeof e}`;
  const label = serverMessageLabel(e.detail.serverMessage);
  return `${what}: ${e.kind}${e.detail.status ? ` HTTP ${e.detail.status}` : ''}${label ? ` (server message: ${label})` : ''}`;
}
