// The server's own queue, from vLLM's Prometheus metrics (`GET /metrics` at the server root,
// beside /v1): `vllm:num_requests_waiting` counts requests that wait for a place in the GPU
// batch. A batch reads it every second and sends no more while requests wait. Servers without
// the route (Ollama, llama.cpp, Vertex AI) are asked once and then left alone.

import type { MedGemmaClient } from '../server/service';
import type { Timers } from './throttle';
import type { Throttle } from './throttle';

/** More than vLLM sends for many models and engines; the rest of a longer answer is not read. */
const MAX_METRICS_BYTES = 1024 * 1024;

/** The sum of vllm:num_requests_waiting over its label sets; undefined when there is none. */
export function requestsWaiting(metrics: string): number | undefined {
  let total: number | undefined;
  for (const m of metrics.matchAll(/^vllm:num_requests_waiting(?:\{[^}\n]*\})?[ \t]+([0-9.eE+-]+)[ \t]*(?:[0-9]+)?[ \t]*$/gm)) {
    const v = Number(m[1]);
    if (Number.isFinite(v) && v >= 0) total = (total ?? 0) + v;
  }
  return total;
}

async function readCapped(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= limit) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/**
 * Requests waiting at the text server now; null when it does not tell (no such route, not
 * vLLM), undefined when it could not be read this time.
 */
export async function serverQueue(client: MedGemmaClient, signal?: AbortSignal): Promise<number | null | undefined> {
  const ep = client.endpoint('text');
  if (ep.discovery.vertex) return null;
  const timeout = AbortSignal.timeout(5000);
  try {
    const res = await ep.fetch(`${ep.discovery.root}/metrics`, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      return null;
    }
    return requestsWaiting(await readCapped(res, MAX_METRICS_BYTES)) ?? null;
  } catch {
    return undefined;
  }
}

/**
 * Tells the throttle the server's queue every `intervalMs` until `signal` aborts. Stops at the
 * first answer without the metric (null): this server does not tell.
 */
export function watchQueue(read: () => Promise<number | null | undefined>, throttle: Throttle, signal: AbortSignal, timers: Timers, intervalMs = 1000): Promise<void> {
  return new Promise((resolve) => {
    let cancelTimer: (() => void) | undefined;
    const stop = () => {
      cancelTimer?.();
      resolve();
    };
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', stop, { once: true });
    const tick = async () => {
      const waiting = await read();
      if (signal.aborted) return;
      if (waiting === null) {
        signal.removeEventListener('abort', stop);
        return resolve();
      }
      if (waiting !== undefined) throttle.queued(waiting);
      cancelTimer = timers.after(intervalMs, () => void tick());
    };
    void tick();
  });
}
