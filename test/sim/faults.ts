// The current fault: validated when set, handed out one request at a time, cleared after `count`.

import type { Fault, FaultKind } from './types';

export const FAULT_KINDS: readonly FaultKind[] = [
  'unauthorized',
  'permission-denied',
  'redirect',
  'echo-input',
  'unknown-model',
  'context-overflow',
  'rate-limit',
  'server-error-500',
  'unavailable-503',
  'bad-gateway-502',
  'stall-before-headers',
  'stall-mid-stream',
  'disconnect-mid-stream',
  'error-event-nested',
  'error-event-flat',
  'malformed-chunk',
  'finish-length',
  'flip-negation',
  'thinking',
];

/** Faults that act inside the stream (after `afterChunks` content chunks). */
export const MID_STREAM_FAULTS: readonly FaultKind[] = [
  'stall-mid-stream',
  'disconnect-mid-stream',
  'error-event-nested',
  'error-event-flat',
  'malformed-chunk',
  'finish-length',
];

export const DEFAULT_AFTER_CHUNKS = 1;
export const DEFAULT_STALL_MS = 2000;

/** Throws a readable error for anything that is not a Fault. */
export function validateFault(f: unknown): Fault {
  if (typeof f !== 'object' || f === null) throw new Error('a fault is an object like {"kind":"rate-limit"}');
  const o = f as Record<string, unknown>;
  if (!FAULT_KINDS.includes(o.kind as FaultKind)) {
    throw new Error(`unknown fault kind ${JSON.stringify(o.kind)}; one of: ${FAULT_KINDS.join(', ')}`);
  }
  for (const k of ['count', 'skip', 'afterChunks', 'ms', 'retryAfter'] as const) {
    if (o[k] !== undefined && o[k] !== null && !(typeof o[k] === 'number' && (o[k] as number) >= 0)) {
      throw new Error(`fault.${k} must be a number >= 0`);
    }
  }
  if (o.wording !== undefined && ![1, 2, 3, 4].includes(o.wording as number)) throw new Error('fault.wording must be 1, 2, 3 or 4');
  if (o.kind === 'redirect' && typeof o.location !== 'string') throw new Error('a redirect fault needs location (a URL)');
  if (o.status !== undefined && ![301, 302, 303, 307, 308].includes(o.status as number)) throw new Error('fault.status must be 301, 302, 303, 307 or 308');
  if (o.scope !== undefined && o.scope !== 'chat' && o.scope !== 'all') throw new Error("fault.scope must be 'chat' or 'all'");
  return { ...(o as unknown as Fault) };
}

export class FaultState {
  private fault: Fault | undefined;
  private left = Infinity;
  private skip = 0;

  set(f: Fault | undefined | null): void {
    this.fault = f ? validateFault(f) : undefined;
    this.left = this.fault?.count ?? Infinity;
    this.skip = this.fault?.skip ?? 0;
    if (this.left <= 0) this.fault = undefined;
  }

  get current(): Fault | undefined {
    return this.fault;
  }

  /** The fault for this request, if it applies; counts it. */
  take(isChat: boolean): Fault | undefined {
    const f = this.fault;
    if (!f || (!isChat && f.scope !== 'all')) return undefined;
    if (this.skip > 0) {
      this.skip -= 1;
      return undefined;
    }
    this.left -= 1;
    if (this.left <= 0) this.fault = undefined;
    return f;
  }
}
