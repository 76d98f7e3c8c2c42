// Exit codes and the one-line error format of the `medgemma` command.

import { type ErrorKind, forCli, isMedGemmaError } from '../core/server/errors';

export const EXIT = {
  ok: 0,
  usage: 2,
  server: 3,
  rejected: 4,
  interrupted: 5,
  sigint: 130,
} as const;

/** Bad flags or unreadable input: exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const BY_KIND: Record<ErrorKind, number> = {
  unreachable: EXIT.server,
  unauthorized: EXIT.server,
  'unknown-model': EXIT.server,
  'bad-config': EXIT.server,
  timeout: EXIT.server,
  'context-overflow': EXIT.rejected,
  'image-limit': EXIT.rejected,
  'not-image-capable': EXIT.rejected,
  'role-order': EXIT.rejected,
  'bad-request': EXIT.rejected,
  'rate-limited': EXIT.rejected,
  'server-error': EXIT.rejected,
  interrupted: EXIT.interrupted,
};

export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT.usage;
  if (isMedGemmaError(e)) return BY_KIND[e.kind];
  return 1;
}

/** `error: <what happened>. <what to do>` on one line; the stack only with --debug. */
export function formatError(e: unknown, debug: boolean): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = `error: ${forCli(msg).replace(/\s*\n\s*/g, ' ')}`;
  if (!debug) return line;
  const stack = e instanceof Error && e.stack ? `\n${e.stack}` : '';
  const cause = isMedGemmaError(e) && e.detail.cause instanceof Error ? `\ncaused by: ${e.detail.cause.stack}` : '';
  return line + stack + cause;
}
