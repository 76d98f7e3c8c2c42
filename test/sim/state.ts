// What the route handlers share: the options in force, the fault, counters for /metrics.

import { FaultState } from './faults';
import { resolveModels, type ResolvedModel } from './profiles';
import type { SimOptions, SimProfile } from './types';

export class SimState {
  opts: SimOptions & { profile: SimProfile };
  readonly faults = new FaultState();
  readonly stats = { running: 0, success: 0, promptTokens: 0, generationTokens: 0 };
  private completions = 0;

  constructor(opts: SimOptions) {
    this.opts = { ...opts, profile: opts.profile ?? 'vllm' };
  }

  get profile(): SimProfile {
    return this.opts.profile;
  }

  get models(): ResolvedModel[] {
    return resolveModels(this.opts);
  }

  update(o: Partial<SimOptions>): void {
    const { port: _ignored, ...rest } = o;
    this.opts = { ...this.opts, ...rest, profile: rest.profile ?? this.opts.profile };
  }

  /** A deterministic completion id: chatcmpl- and 32 hex digits from a counter. */
  nextCompletionId(): string {
    this.completions += 1;
    return `chatcmpl-${this.completions.toString(16).padStart(32, '0')}`;
  }
}
