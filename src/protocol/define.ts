// How a webview protocol is declared: once, as a map `type -> [request, response, chunk]`,
// imported by the extension host and by the webview alike. Requests carry a run-time schema
// (the host validates every request a webview sends); responses, stream chunks and events go
// host -> webview and are typed only.
//
//   export const chatProtocol = defineProtocol({
//     requests: {
//       'chat/send': request<SendResult, string>()(object({ text: string({ max: 100_000 }) })),
//     },
//     events: { 'server/state': event<ServerState>() },
//   });

import type { Schema } from './schema';

export interface RequestSpec<Req, Res, Chunk> {
  readonly schema: Schema<Req>;
  /** Phantom: carries the response and chunk types; never set. */
  readonly types?: { res: Res; chunk: Chunk };
}

export interface EventSpec<T> {
  readonly types?: { payload: T };
}

/**
 * A request whose response is `Res` and which may stream `Chunk`s before it (default: none).
 * Curried so `Req` is inferred from the schema while `Res`/`Chunk` are written out.
 */
export function request<Res = void, Chunk = never>() {
  return <Req>(schema: Schema<Req>): RequestSpec<Req, Res, Chunk> => ({ schema });
}

/** A message the host pushes to the webview unasked. */
export function event<T = void>(): EventSpec<T> {
  return {};
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRequest = RequestSpec<any, any, any>;

export interface Protocol {
  readonly requests: Record<string, AnyRequest>;
  readonly events: Record<string, EventSpec<unknown>>;
}

export function defineProtocol<const P extends Protocol>(p: P): P {
  return p;
}

export type RequestType<P extends Protocol> = keyof P['requests'] & string;
export type EventType<P extends Protocol> = keyof P['events'] & string;
export type Req<P extends Protocol, K extends RequestType<P>> = P['requests'][K] extends RequestSpec<infer R, unknown, unknown> ? R : never;
export type Res<P extends Protocol, K extends RequestType<P>> = NonNullable<P['requests'][K]['types']>['res'];
export type Chunk<P extends Protocol, K extends RequestType<P>> = NonNullable<P['requests'][K]['types']>['chunk'];
export type EventPayload<P extends Protocol, K extends EventType<P>> = NonNullable<P['events'][K]['types']>['payload'];
