// Exit codes and the one-line error format of the `medgemma` command: the CLI's one error
// mapping. Every failure lands here, typed or not (libraries throw strings and numbers too).

import { ToolInputError } from '../core/agent-tools/tool-input';
import { DatasetError } from '../core/dataset/store';
import { ExampleError } from '../core/dataset/example';
import { isImageError } from '../core/images/errors';
import { isPdfError } from '../core/papers/pdf-errors';
import { forCli, isMedGemmaError, isServerFault } from '../core/server/errors';
import { terminalText } from '../core/terminal-text';

export const EXIT = {
  ok: 0,
  /** Not one of the failures we know: a bug. */
  internal: 1,
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
  if (e instanceof UsageError || e instanceof ToolInputError || e instanceof DatasetError || e instanceof ExampleError) return EXIT.usage;
  // A file we cannot read is bad input.
  if (isImageError(e)) return EXIT.usage;
  if (isPdfError(e)) return e.kind === 'cancelled' ? EXIT.sigint : EXIT.usage;
  // The privacy gate as set up cannot send (bad --audit path, warn without a terminal): usage; the user said no: as Ctrl-C.
  if (isMedGemmaError(e) && e.kind === 'privacy') return EXIT.usage;
  if (isMedGemmaError(e) && e.kind === 'declined') return EXIT.sigint;
  if (isMedGemmaError(e)) return e.kind === 'interrupted' ? EXIT.interrupted : isServerFault(e.kind) ? EXIT.server : EXIT.rejected;
  return EXIT.internal;
}

function message(e: unknown): string {
  // These end in a full stop; the line reads "error: <what happened>. <what to do>".
  if (isImageError(e) || isPdfError(e)) return e.message.replace(/\.$/, '');
  if (e instanceof UsageError || e instanceof ToolInputError || e instanceof DatasetError || e instanceof ExampleError || isMedGemmaError(e)) return e.message;
  const what = e instanceof Error ? e.name : typeof e;
  return `medgemma stopped on an unexpected error (${what}). This is a bug: run the command again with --debug and report what it prints`;
}

/** What happened and what to do, in the CLI's words (its flags), for any failure: what an MCP tool reports too. */
export function errorSentence(e: unknown): string {
  return forCli(message(e));
}

/** `error: <what happened>. <what to do>` on one line; the stack and raw details only with --debug. */
export function formatError(e: unknown, debug: boolean): string {
  const line = `error: ${terminalText(errorSentence(e)).replace(/\s*\n\s*/g, ' ')}`;
  if (!debug) return line;
  const raw = e instanceof Error ? '' : `\nthrown: ${String(e)}`;
  const stack = e instanceof Error && e.stack ? `\n${e.stack}` : '';
  const detail = (isImageError(e) || isPdfError(e)) && e.detail ? `\ndetail: ${e.detail}` : '';
  const cause = isMedGemmaError(e) && e.detail.cause instanceof Error ? `\ncaused by: ${e.detail.cause.stack}` : '';
  return line + terminalText(raw + stack + detail + cause);
}
