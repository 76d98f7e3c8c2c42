// Flags and environment shared by every subcommand: where the server is and how long to wait.

import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { auditFile } from '../core/privacy/audit';
import { isPrivacySetting, resolveMode, type PrivacySetting } from '../core/privacy/mode';
import { makeConfig, normalizeBaseUrl, type ServerConfig } from '../core/server/config';
import { apiKeyCredentials } from '../core/server/credentials';
import { MedGemmaClient } from '../core/server/service';
import { UsageError } from './exit';
import { terminalConfirm } from './privacy-prompt';

export const SERVER_FLAGS = {
  'base-url': { type: 'string' },
  model: { type: 'string' },
  timeout: { type: 'string' },
  privacy: { type: 'string' },
  audit: { type: 'string' },
  'context-length': { type: 'string' },
  'token-command': { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...SERVER_FLAGS, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\.$/, '')}. Run "medgemma help" for the usage`);
  }
}

export function numberFlag(value: string | undefined, name: string, min: number, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a number between ${min} and ${max === Infinity ? 'any' : max}, not "${value}"`);
  }
  return n;
}

export interface ServerFlags {
  'base-url'?: string;
  model?: string;
  timeout?: string;
  privacy?: string;
  audit?: string;
  'context-length'?: string;
  'token-command'?: string;
  /** Papers only: search by meaning (`medgemma papers search|ask`). */
  'embedding-model'?: string;
  'embedding-url'?: string;
}

function privacySetting(flags: ServerFlags, env: NodeJS.ProcessEnv): PrivacySetting {
  const v = flags.privacy ?? env.MEDGEMMA_PRIVACY ?? 'auto';
  if (isPrivacySetting(v)) return v;
  throw new UsageError(`${flags.privacy !== undefined ? '--privacy' : '$MEDGEMMA_PRIVACY'} must be off, warn, pseudonymize or auto, not "${v}"`);
}

function embeddingConfig(flags: ServerFlags, env: NodeJS.ProcessEnv): ServerConfig['embeddings'] {
  const model = (flags['embedding-model'] ?? env.MEDGEMMA_EMBEDDING_MODEL)?.trim();
  const baseUrl = (flags['embedding-url'] ?? env.MEDGEMMA_EMBEDDING_URL)?.trim() || undefined;
  if (!model && flags['embedding-url']) throw new UsageError('--embedding-url needs --embedding-model: the embedding model that server serves');
  if (baseUrl) normalizeBaseUrl(baseUrl); // a bad address is named now, not at the first question
  return model ? { model, baseUrl } : undefined;
}

/** Flags win over MEDGEMMA_* environment variables, which win over the defaults. */
export function serverConfig(flags: ServerFlags, env: NodeJS.ProcessEnv = process.env): { config: ServerConfig; note?: string } {
  const raw = flags['base-url'] ?? env.MEDGEMMA_BASE_URL;
  const timeout = numberFlag(flags.timeout, 'timeout', 1);
  const note = raw ? normalizeBaseUrl(raw).note : undefined;
  const config = makeConfig({
    baseUrl: raw,
    model: flags.model ?? env.MEDGEMMA_MODEL,
    connectTimeoutMs: timeout !== undefined ? timeout * 1000 : undefined,
    idleTimeoutMs: timeout !== undefined ? timeout * 1000 : undefined,
    privacy: privacySetting(flags, env),
    contextLength: numberFlag(flags['context-length'] ?? env.MEDGEMMA_CONTEXT_LENGTH, 'context-length', 256, 10_000_000),
    tokenCommand: (flags['token-command'] ?? env.MEDGEMMA_TOKEN_COMMAND)?.trim() || undefined,
    embeddings: embeddingConfig(flags, env),
  });
  return { config, note };
}

/** `terminal`: where `--privacy warn` asks (standard input and error, when both are a terminal). */
export function makeClient(
  flags: ServerFlags,
  env: NodeJS.ProcessEnv = process.env,
  terminal: { input: NodeJS.ReadableStream & { isTTY?: boolean }; output: NodeJS.WritableStream & { isTTY?: boolean } } = { input: process.stdin, output: process.stderr },
) {
  const { config, note } = serverConfig(flags, env);
  const client = new MedGemmaClient(config, apiKeyCredentials(() => env.MEDGEMMA_API_KEY));
  const audit = flags.audit ?? env.MEDGEMMA_AUDIT;
  if (audit) client.audit = auditFile(path.resolve(audit));
  if (resolveMode(config.privacy, config.baseUrl) === 'warn') {
    if (!terminal.input.isTTY || !terminal.output.isTTY) {
      throw new UsageError('--privacy warn asks before sending identifiers, and there is no terminal to ask in (input or output is a pipe or a file). Use --privacy pseudonymize, or --privacy off to send the text as written');
    }
    client.confirmPrivacy = terminalConfirm(terminal.input, terminal.output);
  }
  return { client, note };
}
