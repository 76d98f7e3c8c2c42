// The webview end of a protocol (src/protocol/define.ts). Requests return promises; a request
// type that streams calls `onChunk` for each chunk before it resolves; aborting `signal` sends
// a cancel (the host's handler sees its AbortSignal fire).
//
//   const host = new Messenger(chatProtocol, vscodeTransport());   // `host` in every webview
//   const result = await host.request('chat/send', { text }, { onChunk: (c) => ..., signal });
//   host.on('server/state', (s) => ...);

import type { Chunk, EventPayload, EventType, Protocol, Req, RequestType, Res } from '../../src/protocol/define';
import type { Disposable, Transport } from '../../src/protocol/transport';
import type { ToHost, ToWebview, WireError } from '../../src/protocol/wire';

export class RequestError extends Error {
  override readonly name = 'RequestError';
  readonly kind?: string;
  constructor(error: WireError) {
    super(error.message);
    this.kind = error.kind;
  }
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onChunk?: (c: unknown) => void;
}

export interface RequestOptions<C> {
  onChunk?: (chunk: C) => void;
  signal?: AbortSignal;
}

export class Messenger<P extends Protocol> implements Disposable {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();
  private readonly sub: Disposable;

  constructor(
    readonly protocol: P,
    private readonly transport: Transport,
  ) {
    this.sub = transport.onMessage((m) => this.receive(m as ToWebview));
  }

  request<K extends RequestType<P>>(type: K, payload: Req<P, K>, opts: RequestOptions<Chunk<P, K>> = {}): Promise<Res<P, K>> {
    const id = this.nextId++;
    return new Promise<Res<P, K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onChunk: opts.onChunk as ((c: unknown) => void) | undefined });
      if (opts.signal) {
        if (opts.signal.aborted) this.post({ m: 'cancel', id });
        else opts.signal.addEventListener('abort', () => this.pending.has(id) && this.post({ m: 'cancel', id }), { once: true });
      }
      this.post({ m: 'req', id, type, payload });
    });
  }

  on<K extends EventType<P>>(type: K, listener: (payload: EventPayload<P, K>) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    const l = listener as (p: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  dispose(): void {
    this.sub.dispose();
    for (const p of this.pending.values()) p.reject(new RequestError({ kind: 'disposed', message: 'The view was closed.' }));
    this.pending.clear();
  }

  private post(msg: ToHost): void {
    this.transport.post(msg);
  }

  private receive(msg: ToWebview): void {
    if (typeof msg !== 'object' || msg === null) return;
    if (msg.m === 'event') {
      for (const l of this.listeners.get(msg.type) ?? []) l(msg.payload);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.m === 'chunk') p.onChunk?.(msg.chunk);
    else if (msg.m === 'res') {
      this.pending.delete(msg.id);
      p.resolve(msg.result);
    } else if (msg.m === 'err') {
      this.pending.delete(msg.id);
      p.reject(new RequestError(msg.error));
    }
  }
}
