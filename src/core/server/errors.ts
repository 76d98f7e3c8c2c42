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
  | 'bad-config'
  /** The privacy gate cannot send as set up (warn with nobody to ask, an audit log that cannot be written). */
  | 'privacy'
  /** The user chose not to send (the privacy gate's question): nothing left. */
  | 'declined';

// dist/images.js bundles its own copy of this class, so `instanceof` fails across bundles: every
// copy brands its errors with the same registered symbol (JSON from a server cannot carry one).
const BRAND = Symbol.for('medgemma.MedGemmaError');

export class MedGemmaError extends Error {
  override readonly name = 'MedGemmaError';
  readonly [BRAND] = true;
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

/** The one test for a MedGemmaError: true for errors from any bundle's copy of the class. */
export function isMedGemmaError(e: unknown): e is MedGemmaError {
  return typeof e === 'object' && e !== null && (e as { [BRAND]?: unknown })[BRAND] === true;
}

/** The fixes a front end can offer beside an error (the editor's buttons; the CLI offers none). */
export const ERROR_ACTIONS = ['checkServer', 'openSettings', 'setApiKey', 'showLog', 'manageTrust', 'retry', 'getStarted'] as const;
export type ErrorAction = (typeof ERROR_ACTIONS)[number];

export const ACTION_LABELS: Record<ErrorAction, string> = {
  retry: 'Retry',
  checkServer: 'Check Server',
  openSettings: 'Open Settings',
  setApiKey: 'Set API Key',
  showLog: 'Show Log',
  manageTrust: 'Manage Workspace Trust',
  getStarted: 'Get Started',
};

/**
 * Per kind: `serverFault` — the server as configured cannot be used (down, refuses the key, no
 * such model, bad URL), so its state is re-probed and the CLI exits with the server code; and
 * the fixes to offer, best first.
 */
const BY_KIND: Record<ErrorKind, { serverFault: boolean; actions: readonly ErrorAction[] }> = {
  unreachable: { serverFault: true, actions: ['retry', 'checkServer', 'openSettings'] },
  timeout: { serverFault: true, actions: ['retry', 'checkServer', 'openSettings'] },
  unauthorized: { serverFault: true, actions: ['setApiKey', 'retry'] },
  'unknown-model': { serverFault: true, actions: ['openSettings', 'checkServer'] },
  'bad-config': { serverFault: true, actions: ['openSettings', 'checkServer'] },
  'not-image-capable': { serverFault: false, actions: ['openSettings', 'checkServer'] },
  'image-limit': { serverFault: false, actions: ['openSettings', 'checkServer'] },
  // Retrying the same question cannot make it fit.
  'context-overflow': { serverFault: false, actions: [] },
  'role-order': { serverFault: false, actions: ['retry', 'showLog'] },
  'bad-request': { serverFault: false, actions: ['retry', 'showLog'] },
  'rate-limited': { serverFault: false, actions: ['retry', 'showLog'] },
  'server-error': { serverFault: false, actions: ['retry', 'showLog'] },
  interrupted: { serverFault: false, actions: ['retry', 'showLog'] },
  privacy: { serverFault: false, actions: ['openSettings'] },
  declined: { serverFault: false, actions: [] },
};

// Kinds arrive as strings from other bundles and the wire: an unknown one reads as 'server-error'.
function entry(kind: string): (typeof BY_KIND)[ErrorKind] {
  return Object.hasOwn(BY_KIND, kind) ? BY_KIND[kind as ErrorKind] : BY_KIND['server-error'];
}

export function isServerFault(kind: string): boolean {
  return entry(kind).serverFault;
}

export function suggestedActions(kind: string): ErrorAction[] {
  return [...entry(kind).actions];
}

/**
 * A notification's buttons: the suggested fixes it can run (it cannot resend a question), in
 * one fixed order so a button keeps its place, and always the log.
 */
export function notificationActions(kind: string): ErrorAction[] {
  const fixes = entry(kind).actions;
  return ERROR_ACTIONS.filter((a) => a === 'showLog' || (a !== 'retry' && fixes.includes(a)));
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

/** What went wrong, as text: an Error's message, or the thrown value itself. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
