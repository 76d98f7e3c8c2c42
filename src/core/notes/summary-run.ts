// One summary's calls to the model: usage summed over them, the model that answered, and
// what the single, map and reduce steps share.

import { addUsage, type ChatMessage, type ChatResult, type ChatService, type FinishReason, type Usage } from '../server/types';
import type { SummarizeInput, SummarizeOptions, SummaryResult } from './summarize';

export class Run {
  usage?: Usage;
  model = '';
  constructor(
    private readonly chat: ChatService,
    private readonly input: SummarizeInput,
    private readonly signal?: AbortSignal,
  ) {
    this.model = input.model ?? '';
  }

  async call(messages: ChatMessage[], maxTokens: number, onDelta?: (t: string) => void): Promise<ChatResult> {
    if (this.signal?.aborted) {
      return { text: '', finishReason: 'cancelled', model: this.model, promptTokens: 0, maxTokens };
    }
    const r = await this.chat.chat(
      { messages, maxTokens, temperature: this.input.temperature, model: this.input.model, job: 'text', feature: 'summary', privacy: this.input.privacy },
      { signal: this.signal, onDelta },
    );
    if (r.model) this.model = r.model;
    if (r.usage) this.usage = addUsage(this.usage, r.usage);
    return r;
  }

  async tokens(messages: ChatMessage[]): Promise<{ tokens: number; exact: boolean }> {
    return this.chat.countTokens(messages, 'text', undefined, this.input.privacy);
  }

  /** Tokens of a bare text as a user message. */
  async textTokens(text: string): Promise<number> {
    return (await this.tokens([{ role: 'user', content: text }])).tokens;
  }
}

/** What the steps of one summary share. */
export interface SummaryJob {
  input: SummarizeInput;
  opts: SummarizeOptions;
  run: Run;
  /** The model's context and the headroom kept in it, in tokens. */
  context: number;
  margin: number;
  /** The result of stopping here with `summary`, checked against the note. */
  finish(summary: string, finishReason: FinishReason, parts: number, cutParts: number[], interrupted?: string): SummaryResult;
}

export const stoppedEarly = (r: ChatResult): boolean => r.finishReason === 'cancelled' || r.finishReason === 'abort';
