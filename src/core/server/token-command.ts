// Credentials from a command that prints a short-lived access token (Vertex AI: `gcloud auth
// print-access-token`, about an hour). The token is kept until the server refuses it or it is
// 50 minutes old; then the command runs again. Requests that arrive while it runs wait for the
// same run. The command comes from the user's settings, a flag or the environment (never a
// workspace), like git's credential helpers, and runs through the shell.

import { exec } from 'node:child_process';
import type { Credentials } from './credentials';
import { MedGemmaError } from './errors';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The command did not finish in time. */
  timedOut?: boolean;
}

export type RunCommand = (command: string, timeoutMs: number) => Promise<CommandResult>;

const MAX_AGE_MS = 50 * 60_000;
const TIMEOUT_MS = 30_000;

export const runInShell: RunCommand = (command, timeoutMs) =>
  new Promise((resolve) => {
    exec(command, { timeout: timeoutMs, maxBuffer: 64 * 1024, windowsHide: true, encoding: 'utf8' }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; killed?: boolean; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: String(stdout), stderr: String(stderr), timedOut: !!e?.killed && !!e.signal });
    });
  });

/** The first line of a tool's complaint, printable and short. */
function firstLine(text: string): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l) ?? '';
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 200);
}

export interface TokenCredentials extends Credentials {
  /** Forget the token the server refused (all of them when none is named). */
  refresh(refused?: string): void;
  /** Where tokens come from, for the doctor: never the token. */
  readonly source: string;
}

export function tokenCommandCredentials(command: string, opts: { run?: RunCommand; timeoutMs?: number; now?: () => number } = {}): TokenCredentials {
  const run = opts.run ?? runInShell;
  const now = opts.now ?? Date.now;
  let cached: { token: string; at: number } | undefined;
  let pending: Promise<string> | undefined;
  const fail = (why: string) =>
    new MedGemmaError(
      'unauthorized',
      `The token command "${command}" ${why}. Run it in a terminal to see why (for gcloud: sign in with "gcloud auth login"), or set "medgemma.server.tokenCommand" (CLI: --token-command) to a command that prints an access token.`,
    );
  const fetchToken = async (): Promise<string> => {
    const r = await run(command, opts.timeoutMs ?? TIMEOUT_MS);
    const limit = opts.timeoutMs ?? TIMEOUT_MS;
    if (r.timedOut) throw fail(`did not finish within ${limit >= 1000 ? `${Math.round(limit / 1000)} s` : `${limit} ms`}`);
    if (r.code === 127 || (r.code !== 0 && /not found|not recognized/i.test(firstLine(r.stderr)))) throw fail(`could not be run (${firstLine(r.stderr) || 'command not found'})`);
    if (r.code !== 0) throw fail(`failed (exit ${r.code}${firstLine(r.stderr) ? `: ${firstLine(r.stderr)}` : ''})`);
    const token = r.stdout.trim().split(/\r?\n/)[0]?.trim() ?? '';
    if (!token) throw fail('printed nothing');
    if (!/^[\x21-\x7e]{1,8192}$/.test(token)) throw fail('printed something that is not an access token');
    return token;
  };
  return {
    source: `the command "${command}"`,
    refresh(refused) {
      if (refused === undefined || (cached && refused === `Bearer ${cached.token}`)) cached = undefined;
    },
    async authorization() {
      if (cached && now() - cached.at < MAX_AGE_MS) return `Bearer ${cached.token}`;
      if (!pending) {
        pending = fetchToken().finally(() => (pending = undefined));
      }
      const token = await pending;
      cached = { token, at: now() };
      return `Bearer ${token}`;
    },
  };
}
