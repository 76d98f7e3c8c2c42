// One request/response pair: sending helpers that record what went out, and an abort signal
// that fires when the client goes away (so generation stops) or the simulator stops.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedRequest } from './types';

export class Exchange {
  /** We finished the response ourselves (res.end called). */
  private ended = false;
  /** The simulator cut the connection on purpose (a fault, or stop()). */
  private cutBySim = false;
  private readonly ac = new AbortController();
  /** Resolves once the response is over (whoever ended it). */
  readonly whenClosed: Promise<void>;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly record: RecordedRequest,
    onClose: (ex: Exchange) => void,
  ) {
    this.whenClosed = new Promise((resolve) => {
      res.on('close', () => {
        if (!this.ended && !this.cutBySim) record.closedEarly = true;
        record.done = true;
        this.ac.abort();
        onClose(this);
        resolve();
      });
    });
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }

  get closed(): boolean {
    return this.ac.signal.aborted;
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(status, 'application/json', JSON.stringify(body), headers);
  }

  send(status: number, contentType: string | undefined, body: string, headers: Record<string, string> = {}): void {
    if (this.closed || this.res.headersSent) return;
    this.record.status = status;
    const h: Record<string, string | number> = { ...headers, 'content-length': Buffer.byteLength(body) };
    if (contentType) h['content-type'] = contentType;
    this.res.writeHead(status, h);
    this.end(body);
  }

  startStream(): void {
    this.record.status = 200;
    this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    this.res.flushHeaders();
  }

  /** Writes and waits for the socket to drain; false once the client is gone. */
  async write(data: string): Promise<boolean> {
    if (this.closed) return false;
    if (!this.res.write(data)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.res.off('drain', done);
          this.signal.removeEventListener('abort', done);
          resolve();
        };
        this.res.on('drain', done);
        this.signal.addEventListener('abort', done);
      });
    }
    return !this.closed;
  }

  end(data?: string): void {
    if (this.closed) return;
    this.ended = true;
    this.res.end(data);
  }

  /** Destroys the connection mid-response (a fault, or the simulator stopping). */
  cut(): void {
    this.cutBySim = true;
    this.req.socket.destroy();
  }

  /** Waits ms; false when the exchange was closed meanwhile. */
  sleep(ms: number): Promise<boolean> {
    return abortableDelay(ms, this.signal);
  }
}

export function abortableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Lets the event loop run (so a client's close is seen) between fast chunks. */
export function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The whole request body as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

/** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
export function parseBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
