// The fetch every request uses: bound to one server's origin, it adds that server's
// Authorization header, follows no redirect (a note must never go to a host the user did not
// configure), and rewrites the servers' error dialects into one shape, so the SDK and our
// error mapping read the server's own words whatever server or vLLM version answered.

import type { Credentials } from './credentials';
import { MedGemmaError } from './errors';

export type Fetch = typeof fetch;

/** Error body shapes seen in the wild, reduced to `{error: {message, type, code}}`. */
export function normalizeErrorBody(body: unknown): { error: { message: string; type?: string; code?: unknown } } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const inner = b.error;
  if (typeof inner === 'string') return { error: { message: inner } }; // vLLM 401, LM Studio
  if (inner && typeof inner === 'object') {
    const e = inner as Record<string, unknown>;
    // Google's shape (Vertex AI): {code: 401, message, status: "UNAUTHENTICATED"}.
    return { error: { message: String(e.message ?? ''), type: (e.type ?? e.status) as string | undefined, code: e.code } };
  }
  if (b.object === 'error' || typeof b.message === 'string') {
    // vLLM <= 0.10: {"object":"error","message":...,"type":...,"code":...}
    return { error: { message: String(b.message ?? ''), type: b.type as string | undefined, code: b.code } };
  }
  return undefined;
}

/** The origin (scheme, host, port) of a URL, or the text itself if it is not one. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function redirectRefused(res: Response, url: string): MedGemmaError {
  const location = res.headers.get('location');
  let target = 'another address';
  try {
    if (location) target = new URL(location, url).origin; // only the origin: never a path or query
  } catch {
    // an unparsable Location names no address
  }
  return new MedGemmaError(
    'bad-config',
    `The server at ${originOf(url)} redirected the request to ${target}. MedGemma follows no redirects, so nothing was sent there; if that address is your MedGemma server, set "medgemma.server.baseUrl" (CLI: --base-url) to it.`,
    { status: res.status },
  );
}

/**
 * A fetch for the server at `origin`: requests to any other origin are refused before they
 * leave, and so is every redirect (fetch would re-send the body of a 307/308 to wherever the
 * Location header points).
 */
export function makeFetch(credentials: Credentials, origin: string, base: Fetch = fetch): Fetch {
  const bound = originOf(origin);
  const wrapped = async (input: Parameters<Fetch>[0], init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (originOf(url) !== bound) {
      throw new MedGemmaError('bad-config', `A request to ${originOf(url)} was refused: this connection may only reach the configured server at ${bound}.`);
    }
    let auth: string | undefined;
    const send = async (): Promise<Response> => {
      const headers = new Headers(init?.headers);
      auth = await credentials.authorization();
      if (auth) headers.set('authorization', auth);
      else headers.delete('authorization');
      // The SDK's own telemetry headers say nothing useful to a self-hosted server.
      for (const h of [...headers.keys()]) if (h.startsWith('x-stainless')) headers.delete(h);
      return base(input, { ...init, headers, redirect: 'manual' });
    };
    let res = await send();
    // A short-lived token expired (mid-batch, after an hour): fetch a new one and send once more.
    // The SDK's bodies are strings, so the request can be sent again as it was.
    if (res.status === 401 && credentials.refresh && (init?.body === undefined || typeof init.body === 'string')) {
      await res.body?.cancel().catch(() => {});
      credentials.refresh(auth);
      res = await send();
    }
    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      await res.body?.cancel().catch(() => {});
      throw redirectRefused(res, url);
    }
    // 304 has no body to rewrite (and a Response cannot be made with one); a caller reads its status.
    if (res.ok || res.status === 304) return res;
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
