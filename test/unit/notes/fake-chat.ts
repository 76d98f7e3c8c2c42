// A ChatService test double that behaves like a small, strict server: it really counts tokens
// (chars/4 per message, plus per-message overhead), rejects a request that does not fit its
// context like vLLM does, and answers deterministically with grounded bullets.
import { MedGemmaError } from '../../../src/core/server/errors';
import type { ChatMessage, ChatRequest, ChatResult, ChatService, StreamOptions, TokenCount } from '../../../src/core/server/types';

export function countText(text: string): number {
  return Math.ceil(text.length / 4);
}

export function countMessages(messages: ChatMessage[]): number {
  return messages.reduce((n, m) => n + 4 + countText(typeof m.content === 'string' ? m.content : ''), 2);
}

export interface FakeCall {
  kind: 'summary' | 'combine';
  promptTokens: number;
  maxTokens: number;
  /** Note lines (summary) or cited bullets (combine) the prompt carried. */
  inputLines: number;
  text: string;
}

export interface FakeOptions {
  /** Call index (0-based) that the user "cancels" after a few words. */
  cancelAt?: number;
  /** Call index that fails mid-stream with a MedGemmaError after a few words (or before any: failEmpty). */
  failAt?: number;
  failEmpty?: boolean;
  /** Call index whose answer is cut at max tokens. */
  cutAt?: number;
  /** Called before each call (e.g. to abort a signal). */
  beforeCall?(index: number): void;
}

const NOTE_LINE = /^L(\d+): (.*)$/;
const BULLET = /^- .*\[L\d+(?:-L\d+)?\]$/;

export class FakeChat implements ChatService {
  readonly calls: FakeCall[] = [];

  constructor(
    private readonly context: number,
    private readonly opts: FakeOptions = {},
  ) {}

  async contextLength(): Promise<number> {
    return this.context;
  }

  async countTokens(messages: ChatMessage[]): Promise<TokenCount> {
    return { tokens: countMessages(messages), exact: true };
  }

  async chat(req: ChatRequest, opts: StreamOptions = {}): Promise<ChatResult> {
    const index = this.calls.length;
    this.opts.beforeCall?.(index);
    const promptTokens = countMessages(req.messages);
    if (promptTokens + req.maxTokens > this.context) {
      throw new MedGemmaError('context-overflow', `request of ${promptTokens}+${req.maxTokens} tokens does not fit ${this.context}`);
    }
    const user = String(req.messages[req.messages.length - 1].content);
    const system = String(req.messages[0].content);
    const kind = system.startsWith('You combine') ? 'combine' : 'summary';
    const lines = user.split('\n');
    let bullets: string[];
    if (kind === 'summary') {
      // One bullet per numbered line that states something: its first words, cited.
      bullets = lines
        .map((l) => NOTE_LINE.exec(l))
        .filter((m): m is RegExpExecArray => !!m && /[a-z]{3}/.test(m[2]) && !m[2].trim().endsWith(':'))
        .map((m) => `- ${m[2].trim().split(/\s+/).slice(0, 8).join(' ')} [L${m[1]}]`);
    } else {
      bullets = [...new Set(lines.filter((l) => BULLET.test(l)))];
    }
    const call: FakeCall = { kind, promptTokens, maxTokens: req.maxTokens, inputLines: bullets.length, text: '' };
    this.calls.push(call);

    // Condense as a model would: keep an even sample of the bullets, sized to fit the max
    // tokens, so the whole input stays represented.
    if (bullets.length > 8) {
      const step = Math.max(kind === 'combine' ? 2 : 1, Math.ceil(countText(bullets.join('\n')) / (req.maxTokens * 0.9)));
      bullets = bullets.filter((_, i) => i % step === 0);
    }
    let text = '';
    let finishReason: ChatResult['finishReason'] = 'stop';
    for (const b of bullets) {
      const next = text ? `${text}\n${b}` : b;
      if (countText(next) > req.maxTokens || index === this.opts.cutAt) {
        finishReason = 'length';
        if (index === this.opts.cutAt && text === '') text = b;
        break;
      }
      text = next;
    }
    if (index === this.opts.cancelAt || index === this.opts.failAt) {
      const partial = this.opts.failEmpty ? '' : text.split('\n').slice(0, 2).join('\n');
      if (partial) opts.onDelta?.(partial);
      call.text = partial;
      if (index === this.opts.failAt) {
        throw new MedGemmaError('interrupted', 'The server closed the connection mid-answer.', { partial });
      }
      return { text: partial, finishReason: 'cancelled', model: 'fake-medgemma', promptTokens, maxTokens: req.maxTokens };
    }
    // Stream in small pieces, like a server.
    for (let i = 0; i < text.length; i += 17) opts.onDelta?.(text.slice(i, i + 17));
    call.text = text;
    return {
      text,
      finishReason,
      model: 'fake-medgemma',
      usage: { promptTokens, completionTokens: countText(text), totalTokens: promptTokens + countText(text) },
      promptTokens,
      maxTokens: req.maxTokens,
    };
  }
}
