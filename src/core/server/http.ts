// The fetch every request uses: adds the Authorization header from the one credentials
// source and rewrites the servers' error dialects into one shape, so the SDK and our error
// mapping read the server's own words whatever server or vLLM version answered.

import type { Credentials } from './credentials';

export type Fetch = typeof fetch;

/** Error body shapes seen in the wild, reduced to `{error: {message, type, code}}`. */
export function normalizeErrorBody(body: unknown): { error: { message: string; type?: string; code?: unknown } } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const inner = b.error;
  if (typeof inner === 'string') return { error: { message: inner } }; // vLLM 401, LM Studio
  if (inner && typeof inner === 'object') {
    const e = inner as Record<string, unknown>;
    return { error: { message: String(e.message ?? ''), type: e.type as string | undefined, code: e.code } };
  }
  if (b.object === 'error' || typeof b.message === 'string') {
    // vLLM <= 0.10: {"object":"error","message":...,"type":...,"code":...}
    return { error: { message: String(b.message ?? ''), type: b.type as string | undefined, code: b.code } };
  }
  return undefined;
}

export function makeFetch(credentials: Credentials, base: Fetch = fetch): Fetch {
  const wrapped = async (input: Parameters<Fetch>[0], init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const auth = await credentials.authorization();
    if (auth) headers.set('authorization', auth);
    else headers.delete('authorization');
    // The SDK's own telemetry headers say nothing useful to a self-hosted server.
    for (const h of [...headers.keys()]) if (h.startsWith('x-stainless')) headers.delete(h);
    const res = await base(input, { ...init, headers });
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text ? { error: { message: text.slice(0, 500) } } : undefined;
    }
    const normalized = normalizeErrorBody(parsed) ?? { error: { message: res.statusText || `HTTP ${res.status}` } };
    return new Response(JSON.stringify(normalized), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
  return wrapped as Fetch;
}

/** GET/POST JSON with a timeout; resolves to undefined on 404 (route absent on this server). */
export async function requestJson<T>(
  f: Fetch,
  url: string,
  opts: { method?: 'GET' | 'POST'; body?: unknown; timeoutMs: number; signal?: AbortSignal },
): Promise<{ status: number; json?: T; text: string }> {
  const signals = [AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])];
  const res = await f(url, {
    method: opts.method ?? 'GET',
    headers: opts.body === undefined ? undefined : { 'content-type': 'application/json' },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.any(signals),
  });
  const text = await res.text();
  let json: T | undefined;
  try {
    json = text ? (JSON.parse(text) as T) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
