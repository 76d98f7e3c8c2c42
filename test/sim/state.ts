// What the route handlers share: the options in force, the fault, Vertex tokens, counters for /metrics.

import { AccessTokens } from './access-tokens';
import { validateEmbeddingOptions } from './embeddings-route';
import { FaultState } from './faults';
import { resolveModels, type ResolvedModel } from './profiles';
import type { SimOptions, SimProfile } from './types';
import { validateVertex } from './vertex';

export class SimState {
  opts: SimOptions & { profile: SimProfile };
  readonly faults = new FaultState();
  readonly tokens = new AccessTokens();
  readonly stats = { running: 0, waiting: 0, success: 0, promptTokens: 0, generationTokens: 0 };
  private completions = 0;

  constructor(opts: SimOptions) {
    validateVertex(opts.vertex);
    validateEmbeddingOptions(opts);
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
    validateVertex(rest.vertex);
    validateEmbeddingOptions(rest);
    this.opts = { ...this.opts, ...rest, profile: rest.profile ?? this.opts.profile };
  }

  /** A deterministic completion id: chatcmpl- and 32 hex digits from a counter. */
  nextCompletionId(): string {
    this.completions += 1;
    return `chatcmpl-${this.completions.toString(16).padStart(32, '0')}`;
  }
}
