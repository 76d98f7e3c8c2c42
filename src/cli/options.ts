// Flags and environment shared by every subcommand: where the server is and how long to wait.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { makeConfig, normalizeBaseUrl, type ServerConfig } from '../core/server/config';
import { apiKeyCredentials } from '../core/server/credentials';
import { MedGemmaClient } from '../core/server/service';
import { UsageError } from './exit';

export const SERVER_FLAGS = {
  'base-url': { type: 'string' },
  model: { type: 'string' },
  timeout: { type: 'string' },
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
  });
  return { config, note };
}

export function makeClient(flags: ServerFlags, env: NodeJS.ProcessEnv = process.env) {
  const { config, note } = serverConfig(flags, env);
  const client = new MedGemmaClient(config, apiKeyCredentials(() => env.MEDGEMMA_API_KEY));
  return { client, note };
}
