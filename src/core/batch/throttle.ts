// How many requests a batch keeps at the server. vLLM batches concurrent requests on the GPU,
// so a batch keeps up to `max` in flight; but a server that says it is overloaded (429/503,
// with or without Retry-After) or that queues requests (vLLM's num_requests_waiting) gets
// fewer: the limit halves and new requests wait out the server's delay, then the limit grows
// back by one for every `limit` requests that finish well (additive increase, multiplicative
// decrease, as TCP does). The clock is injected so tests decide when time passes.

import type { ChatRequest, ChatResult, ChatService, StreamOptions } from '../server/types';
import { waitInLine } from '../wait-in-line';

export interface Timers {
  now(): number;
  /** Calls fn after ms; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

export class Throttle {
  private current: number;
  private running = 0;
  private pausedUntil = 0;
  private successes = 0;
  private readonly waiting: Array<() => void> = [];
  private wake?: () => void;

  constructor(
    readonly max: number,
    private readonly timers: Timers = realTimers,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a whole number of at least 1, not ${max}`);
    this.current = max;
  }

  /** Requests allowed at the server now. */
  get limit(): number {
    return this.current;
  }

  get inFlight(): number {
    return this.running;
  }

  /** Resolves when a request may go; false when `signal` aborted first (no slot is held then). */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    const turn = waitInLine(this.waiting, signal);
    this.pump();
    return turn;
  }

  /** A request ended; `ok` when it finished without the server pushing back. */
  release(ok: boolean): void {
    this.running -= 1;
    if (ok && this.current < this.max && ++this.successes >= this.current) {
      this.current += 1;
      this.successes = 0;
    }
    this.pump();
  }

  /** The server asked to slow down: fewer requests, and none new before `delayMs` has passed. */
  overloaded(delayMs: number): void {
    const now = this.timers.now();
    // Requests refused together are one signal: halve once per pause.
    if (now >= this.pausedUntil) this.current = Math.max(1, Math.floor(this.current / 2));
    this.successes = 0;
    this.pausedUntil = Math.max(this.pausedUntil, now + Math.max(0, delayMs));
    this.pump();
  }

  /** The server's own queue (requests waiting for a GPU slot, ours or others'). */
  queued(waiting: number): void {
    if (!(waiting > 0)) return;
    this.current = Math.max(1, Math.min(this.current, this.running - waiting));
    this.successes = 0;
  }

  private pump(): void {
    const now = this.timers.now();
    if (now < this.pausedUntil) {
      if (!this.wake && this.waiting.length > 0) {
        this.wake = this.timers.after(this.pausedUntil - now, () => {
          this.wake = undefined;
          this.pump();
        });
      }
      return;
    }
    while (this.waiting.length > 0 && this.running < this.current) {
      this.running += 1;
      this.waiting.shift()!();
    }
  }
}

/** Statuses that mean "slow down" in a retry's reason (open-stream.ts names them `HTTP <status>`). */
const OVERLOAD = /^HTTP (429|503)$/;

/** The same ChatService, with every chat request passing the throttle and telling it about pushback. */
export function throttled(chat: ChatService, throttle: Throttle): ChatService {
  return {
    countTokens: (messages, job, signal, privacy) => chat.countTokens(messages, job, signal, privacy),
    contextLength: (job) => chat.contextLength(job),
    async chat(req: ChatRequest, opts: StreamOptions = {}): Promise<ChatResult> {
      // Stopped while waiting: nothing was sent (nor audited), as a stop before sending reads.
      if (!(await throttle.acquire(opts.signal))) return { text: '', finishReason: 'cancelled', model: req.model ?? '', promptTokens: 0, maxTokens: 0 };
      let pushedBack = false;
      try {
        return await chat.chat(req, {
          ...opts,
          onRetry: (attempt, delayMs, reason) => {
            if (OVERLOAD.test(reason)) {
              pushedBack = true;
              throttle.overloaded(delayMs);
            }
            opts.onRetry?.(attempt, delayMs, reason);
          },
        });
      } catch (e) {
        pushedBack ||= (e as { kind?: string }).kind === 'rate-limited';
        throw e;
      } finally {
        throttle.release(!pushedBack);
      }
    },
  };
}
