// Gemma 3 chat template, as far as a client can observe it: a leading system message is
// folded into the first user turn, then roles must alternate user/assistant/... from user.

import { ApiError } from './errors';

export interface Turn {
  /** 'user' or 'model' (Gemma's name for the assistant), or any other role as sent. */
  role: string;
  /** Text parts, trimmed (the template trims); the system text is folded into the first. */
  texts: string[];
  /** Image parts in this turn. */
  images: number;
}

export const ALTERNATION_MESSAGE = 'Conversation roles must alternate user/assistant/user/assistant/...';

/** Text parts of one message's content, and its image count. Throws a 400 on bad shapes. */
export function readContent(content: unknown): { texts: string[]; images: number } {
  if (content === null || content === undefined) return { texts: [], images: 0 };
  if (typeof content === 'string') return { texts: [content], images: 0 };
  if (!Array.isArray(content)) throw new ApiError(400, 'messages[].content must be a string or a list of content parts.');
  const texts: string[] = [];
  let images = 0;
  for (const part of content) {
    const type = isObject(part) ? part.type : undefined;
    if (type === 'text' && isObject(part) && typeof part.text === 'string') texts.push(part.text);
    else if (type === 'image_url' || type === 'image' || type === 'input_image') images++;
    else throw new ApiError(400, `Unknown content part type: ${JSON.stringify(type ?? null)}.`);
  }
  return { texts, images };
}

/** Image URLs in the messages, in order (for servers that check them). */
export function imageUrls(messages: unknown[]): string[] {
  const urls: string[] = [];
  for (const m of messages) {
    const content = isObject(m) ? m.content : undefined;
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      if (isObject(part) && part.type === 'image_url') {
        const iu = part.image_url;
        urls.push(typeof iu === 'string' ? iu : isObject(iu) && typeof iu.url === 'string' ? iu.url : '');
      }
    }
  }
  return urls;
}

/** Checks the message list's shape (400 when it is not a list of {role, content}). */
export function readMessages(messages: unknown): { role: string; content: unknown }[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new ApiError(400, '`messages` must be a non-empty list of chat messages.');
  }
  return messages.map((m, i) => {
    if (!isObject(m) || typeof m.role !== 'string') throw new ApiError(400, `messages[${i}].role is required.`);
    return { role: m.role, content: m.content };
  });
}

/** Applies the template's rules. `strict: false` (Ollama) folds and merges instead of failing. */
export function applyGemmaTemplate(messages: unknown, strict = true): Turn[] {
  const list = readMessages(messages);
  let prefix = '';
  let rest = list;
  if (list[0].role === 'system') {
    const sys = readContent(list[0].content).texts.map((t) => t.trim()).join('');
    prefix = sys + '\n\n';
    rest = list.slice(1);
  }
  const turns: Turn[] = [];
  rest.forEach((m, i) => {
    const role = m.role === 'assistant' ? 'model' : m.role;
    // Stricter than Gemma's own check ((role == 'user') != (index is even)), which lets
    // another role through at an odd position: here it must be exactly user, assistant, ...
    if (strict && m.role !== (i % 2 === 0 ? 'user' : 'assistant')) throw new ApiError(400, ALTERNATION_MESSAGE);
    const { texts, images } = readContent(m.content);
    const trimmed = texts.map((t) => t.trim());
    const last = turns[turns.length - 1];
    if (!strict && last && last.role === role) {
      last.texts.push(...trimmed);
      last.images += images;
    } else {
      turns.push({ role, texts: trimmed, images });
    }
  });
  if (prefix && turns.length > 0) {
    const first = turns[0];
    first.texts = first.texts.length > 0 ? [prefix + first.texts[0], ...first.texts.slice(1)] : [prefix.trimEnd()];
  }
  return turns;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
