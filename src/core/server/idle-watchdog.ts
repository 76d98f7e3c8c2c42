// Aborts a stream that stops sending. One coarse interval reads a timestamp, rather than a
// timer reset per chunk (2,000 clearTimeout/setTimeout pairs cost more than the rest of the
// per-chunk work).

export class IdleWatchdog {
  private lastAliveAt = 0;
  private timer?: NodeJS.Timeout;
  /** The limit that ran out, in ms; 0 while none has. */
  stalledAfterMs = 0;

  constructor(
    /** The idle time allowed now, in ms (it may depend on what has arrived). */
    private readonly limitMs: () => number,
    private readonly tickMs: number,
    private readonly onStall: () => void,
  ) {}

  /** Something arrived (or the stream opened): the idle time starts again. */
  alive(): void {
    this.lastAliveAt = performance.now();
    if (this.timer) return;
    this.timer = setInterval(() => {
      const limit = this.limitMs();
      if (performance.now() - this.lastAliveAt >= limit) {
        this.stalledAfterMs = limit;
        clearInterval(this.timer);
        this.onStall();
      }
    }, this.tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
