// Exit codes and the one-line error format of the `medgemma` command.

import { forCli, isMedGemmaError, isServerFault } from '../core/server/errors';

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

export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT.usage;
  if (isMedGemmaError(e)) return e.kind === 'interrupted' ? EXIT.interrupted : isServerFault(e.kind) ? EXIT.server : EXIT.rejected;
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
