// What is checked before an export: an example with nothing to learn, the same example twice,
// an image that is gone, an example longer than the model's context. Each is left out of the
// export with its reason; the dataset itself is never changed by a check.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { IMAGE_TOKENS } from '../server/budget';
import type { ChatMessage, TokenCount } from '../server/types';
import { type Example, imagesOf, promptText } from './example';
import { sha256 } from './store';

export interface Excluded {
  id: string;
  why: string;
}

export interface ValidateOptions {
  /** The dataset folder (image paths are relative to it). */
  dir: string;
  /** The model's context length in tokens; no length check without it. */
  contextLength?: number;
  /** Counts a text conversation's tokens (the server's /tokenize, or an estimate). */
  count?: (messages: ChatMessage[]) => Promise<TokenCount>;
}

export interface Validated {
  valid: Example[];
  excluded: Excluded[];
  /** Whether every length was counted by the server (false: some were estimated). */
  exactCounts: boolean;
}

/** The example as text turns (images as a placeholder), for counting. */
export function asTextMessages(e: Example): ChatMessage[] {
  const turns = e.messages.map((m): ChatMessage => ({ role: m.role, content: m.content.map((p) => (p.type === 'text' ? p.text : '')).join('\n') }));
  return [...turns, { role: 'assistant', content: e.chosen }];
}

export async function validate(examples: readonly Example[], o: ValidateOptions): Promise<Validated> {
  const valid: Example[] = [];
  const excluded: Excluded[] = [];
  const seen = new Map<string, string>();
  let exactCounts = true;
  for (const e of examples) {
    const why = await problemOf(e);
    if (why) {
      excluded.push({ id: e.id, why });
      continue;
    }
    valid.push(e);
  }
  return { valid, excluded, exactCounts };

  async function problemOf(e: Example): Promise<string | undefined> {
    if (!e.chosen.trim()) return 'the answer is empty';
    if (!promptText(e).trim()) return 'the question is empty';
    const key = sha256(`${promptText(e)}\u0000${e.chosen.trim()}`);
    const first = seen.get(key);
    if (first) return `the same question and answer as example ${first}`;
    seen.set(key, e.id);
    for (const img of imagesOf(e)) {
      if (!(await fs.stat(path.join(o.dir, img)).catch(() => undefined))?.isFile()) return `its image ${img} is missing`;
    }
    if (o.contextLength && o.count) {
      const counted = await o.count(asTextMessages(e));
      if (!counted.exact) exactCounts = false;
      const tokens = counted.tokens + imagesOf(e).length * IMAGE_TOKENS;
      if (tokens > o.contextLength) return `${tokens} tokens${counted.exact ? '' : ' (estimated)'}, more than the model's context of ${o.contextLength}`;
    }
    return undefined;
  }
}
