// Every failure a user can meet, as one typed error whose message says what happened and
// what to do, in one sentence each. Front ends show `message`; the CLI maps `kind` to exit codes.

export type ErrorKind =
  | 'unreachable'
  | 'unauthorized'
  | 'unknown-model'
  | 'context-overflow'
  | 'image-limit'
  | 'not-image-capable'
  | 'role-order'
  | 'bad-request'
  | 'timeout'
  | 'rate-limited'
  | 'server-error'
  | 'interrupted'
  | 'bad-config';

export class MedGemmaError extends Error {
  override readonly name = 'MedGemmaError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly detail: {
      /** HTTP status when the server answered. */
      status?: number;
      /** The server's own words. They may quote what was sent (vLLM's validation errors do): never logged (error-log.ts). */
      serverMessage?: string;
      /** Answer text received before the failure; callers keep it. */
      partial?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message);
  }

  get partial(): string {
    return this.detail.partial ?? '';
  }
}

export function isMedGemmaError(e: unknown): e is MedGemmaError {
  return e instanceof MedGemmaError;
}

// Messages name the editor's setting or command and, in brackets, the CLI's equivalent:
// `raise "medgemma.server.idleTimeoutSeconds" (CLI: --timeout)`. Each front end keeps its own.
const HINT = /"([^"]+)" \(CLI: ([^)]+)\)/g;

export function forEditor(message: string): string {
  return message.replace(HINT, '"$1"');
}

export function forCli(message: string): string {
  return message.replace(HINT, '$2');
}
