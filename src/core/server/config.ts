// Where requests go and how long to wait. Resolved once from settings or the environment.

import type { PrivacySetting } from '../privacy/mode';
import { MedGemmaError } from './errors';

const VERTEX_PATH = /\/projects\/[^/]+\/locations\/[^/]+\/endpoints\/[^/]+$/;

export interface ServerConfig {
  /** OpenAI-compatible base URL, ending in /v1 (or a Vertex AI endpoint path). */
  baseUrl: string;
  /** Model id; empty means "the first model the server lists". */
  model: string;
  /** Separate endpoint and model for image jobs; defaults to the text ones. */
  vision?: { baseUrl?: string; model?: string };
  /**
   * A text-embedding model for search by meaning over papers (unset: words only), and its
   * server when it is not the main one (vLLM serves one model per process).
   */
  embeddings?: { model: string; baseUrl?: string };
  /** Wait for the response headers (covers queueing and a long prompt prefill). */
  connectTimeoutMs: number;
  /** Longest silence between two streamed chunks before the stream counts as stalled. */
  idleTimeoutMs: number;
  /** Retries before the first token (refused connection, 429, 502/503). */
  maxRetries: number;
  /** The privacy gate's mode; `auto` (default): off for a server on this machine, else pseudonymize. */
  privacy?: PrivacySetting;
  /** The model's context length when the server does not report it (Vertex AI, Ollama); a reported one wins. */
  contextLength?: number;
  /**
   * A command that prints a short-lived access token (sent as "Bearer <token>"), run again when
   * the server refuses it. Default for a Vertex AI endpoint: `gcloud auth print-access-token`.
   */
  tokenCommand?: string;
}

export const DEFAULT_BASE_URL = 'http://localhost:8000/v1';

export const DEFAULTS: Omit<ServerConfig, 'baseUrl' | 'model'> = {
  connectTimeoutMs: 120_000,
  idleTimeoutMs: 60_000,
  maxRetries: 3,
};

export interface NormalizedUrl {
  /** The URL requests use. */
  url: string;
  /** Server root without /v1, for vLLM's /health, /version and /tokenize. */
  root: string;
  /** Set when the URL differs from what the user wrote: say what was used. */
  note?: string;
}

/** Accepts a URL with or without /v1 (or a pasted .../chat/completions) and says what it used. */
export function normalizeBaseUrl(raw: string): NormalizedUrl {
  const written = raw.trim();
  let text = written;
  if (!text) throw badUrl(raw);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw badUrl(raw);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw badUrl(raw);
  let path = u.pathname.replace(/\/+$/, '').replace(/\/chat\/completions$/, '');
  if (VERTEX_PATH.test(path)) {
    // Vertex's OpenAI route is under v1beta1 only: a pasted resource name or a v1 path gets it.
    const at = path.search(/\/projects\//);
    path = `${path.slice(0, at).replace(/\/v1(?:beta1)?$/, '')}/v1beta1${path.slice(at)}`;
  } else if (!/\/v1($|\/)|\/v1beta1\//.test(path)) {
    path = `${path}/v1`;
  }
  const url = `${u.protocol}//${u.host}${path}`;
  const root = `${u.protocol}//${u.host}${path.replace(/\/v1$/, '')}`;
  const note = url === written.replace(/\/+$/, '') ? undefined : `Using ${url}`;
  return { url, root, note };
}

function badUrl(raw: string): MedGemmaError {
  return new MedGemmaError(
    'bad-config',
    `The server address "${raw}" is not a valid http(s) URL. Set it to your server's address, e.g. ${DEFAULT_BASE_URL}.`,
  );
}

/** Build a config from a partial one (settings, CLI flags, environment) with safe defaults. */
export function makeConfig(partial: Partial<ServerConfig> & { baseUrl?: string }): ServerConfig {
  return {
    ...DEFAULTS,
    ...stripUndefined(partial),
    baseUrl: normalizeBaseUrl(partial.baseUrl || DEFAULT_BASE_URL).url,
    model: partial.model?.trim() ?? '',
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
