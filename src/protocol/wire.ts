// The envelope every protocol message travels in, both directions. Requests are numbered by
// the webview; the host answers with chunks (streaming), then exactly one `res` or `err`.
// `cancel` aborts a running request (its handler's AbortSignal fires: HTTP requests close).

import { number, object, string, union, literal } from './schema';

/** webview -> host. The payload is checked later, against the request type's own schema. */
export type ToHost =
  | { m: 'req'; id: number; type: string; payload?: unknown }
  | { m: 'cancel'; id: number };

/** host -> webview. */
export type ToWebview =
  | { m: 'res'; id: number; result: unknown }
  | { m: 'err'; id: number; error: WireError }
  | { m: 'chunk'; id: number; chunk: unknown }
  | { m: 'event'; type: string; payload: unknown };

export interface WireError {
  /** Says what happened and what to do; shown to the user as is. */
  message: string;
  /** A machine-readable kind (MedGemmaError kinds, 'invalid', 'unknown-type', 'cancelled'). */
  kind?: string;
}

const envelopeId = number({ integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });

// `payload` is checked per type; here only that the envelope is well formed.
const anyValue = { parse: (v: unknown) => v };
const toHostSchema = union('m', {
  req: object({ m: literal('req'), id: envelopeId, type: string({ max: 100 }), payload: anyValue }),
  cancel: object({ m: literal('cancel'), id: envelopeId }),
});

/** Throws a SchemaError for anything that is not a well-formed envelope. */
export function parseToHost(msg: unknown): ToHost {
  return toHostSchema.parse(msg) as ToHost;
}

/** Best effort: the request id of a message that failed validation, to answer it. */
export function idOf(msg: unknown): number | undefined {
  const id = typeof msg === 'object' && msg !== null ? (msg as { id?: unknown }).id : undefined;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : undefined;
}
