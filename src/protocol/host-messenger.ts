// The extension-host end of a webview protocol. One small handler per request type:
//
//   const m = new HostMessenger(chatProtocol, webviewTransport(view.webview), { onInvalid });
//   m.handle('chat/send', async (req, { signal, emit }) => { ...; emit(chunk); return result; });
//   m.emit('server/state', state);
//
// Every request is validated against its schema before its handler runs; an invalid or unknown
// one is answered with an error and reported to `onInvalid` (never with its content). Streaming
// (`emit`) and cancellation (`signal`) are the same for every request type.

import type { Chunk, EventPayload, EventType, Protocol, Req, RequestType, Res } from './define';
import { SchemaError } from './schema';
import type { Disposable, Transport } from './transport';
import { idOf, parseToHost, type ToWebview, type WireError } from './wire';

export interface HandlerContext<C> {
  /** Aborted when the webview cancels the request or goes away. */
  signal: AbortSignal;
  /** Sends one stream chunk to the webview, before the response. */
  emit(chunk: C): void;
}

export type Handler<P extends Protocol, K extends RequestType<P>> = (
  request: Req<P, K>,
  ctx: HandlerContext<Chunk<P, K>>,
) => Res<P, K> | Promise<Res<P, K>>;

export interface HostMessengerOptions {
  /** A message failed validation or named no known type: log the reason (no content). */
  onInvalid?(reason: string): void;
  /** A handler threw something that is not meant for the user: log it. */
  onHandlerError?(type: string, error: unknown): void;
  /** Turns a handler's error into what the webview shows (default: its message). */
  toWireError?(error: unknown): WireError;
}

export class HostMessenger<P extends Protocol> implements Disposable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly handlers = new Map<string, Handler<P, any>>();
  private readonly running = new Map<number, AbortController>();
  private readonly sub: Disposable;
  private disposed = false;

  constructor(
    private readonly protocol: P,
    private readonly transport: Transport,
    private readonly opts: HostMessengerOptions = {},
  ) {
    this.sub = transport.onMessage((m) => void this.receive(m));
  }

  handle<K extends RequestType<P>>(type: K, handler: Handler<P, K>): this {
    if (!(type in this.protocol.requests)) throw new Error(`${type} is not a request of this protocol`);
    this.handlers.set(type, handler);
    return this;
  }

  emit<K extends EventType<P>>(type: K, payload: EventPayload<P, K>): void {
    this.send({ m: 'event', type, payload });
  }

  /** Requests still running (for tests and for stop-all). */
  get inFlight(): number {
    return this.running.size;
  }

  /** Aborts every running request. */
  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelAll();
    this.sub.dispose();
  }

  private send(msg: ToWebview): void {
    if (!this.disposed) this.transport.post(msg);
  }

  private async receive(raw: unknown): Promise<void> {
    let msg;
    try {
      msg = parseToHost(raw);
    } catch (e) {
      return this.reject(idOf(raw), 'invalid', `a malformed message: ${(e as Error).message}`);
    }
    if (msg.m === 'cancel') {
      this.running.get(msg.id)?.abort();
      return;
    }
    const spec = Object.prototype.hasOwnProperty.call(this.protocol.requests, msg.type) ? this.protocol.requests[msg.type] : undefined;
    const handler = this.handlers.get(msg.type);
    if (!spec || !handler) return this.reject(msg.id, 'unknown-type', `an unknown request type "${msg.type.slice(0, 60)}"`);
    let request: unknown;
    try {
      request = spec.schema.parse(msg.payload);
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      return this.reject(msg.id, 'invalid', `an invalid ${msg.type} request: ${e.message}`);
    }
    if (this.running.has(msg.id)) return this.reject(msg.id, 'invalid', `a duplicate request id ${msg.id}`);
    const controller = new AbortController();
    this.running.set(msg.id, controller);
    try {
      const result = await handler(request as never, {
        signal: controller.signal,
        emit: (chunk) => this.send({ m: 'chunk', id: msg.id, chunk }),
      });
      this.send({ m: 'res', id: msg.id, result });
    } catch (e) {
      this.opts.onHandlerError?.(msg.type, e);
      this.send({ m: 'err', id: msg.id, error: this.opts.toWireError?.(e) ?? { message: e instanceof Error ? e.message : String(e) } });
    } finally {
      this.running.delete(msg.id);
    }
  }

  private reject(id: number | undefined, kind: string, reason: string): void {
    this.opts.onInvalid?.(`The webview sent ${reason}`);
    if (id !== undefined) this.send({ m: 'err', id, error: { kind, message: `The view sent ${reason}. Reload the view (Developer: Reload Window) and try again.` } });
  }
}
