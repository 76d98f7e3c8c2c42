// Gemma's chat template folds a system message into the first user turn and rejects any
// conversation whose roles do not strictly alternate user/assistant. Shape every request
// here so no feature can send one the server will refuse.

import type { ChatMessage, ContentPart } from './types';

function parts(c: ChatMessage['content']): ContentPart[] {
  return typeof c === 'string' ? [{ type: 'text', text: c }] : c;
}

function join(a: ChatMessage['content'], b: ChatMessage['content']): ChatMessage['content'] {
  if (typeof a === 'string' && typeof b === 'string') return a ? (b ? `${a}\n\n${b}` : a) : b;
  const out = [...parts(a)];
  for (const p of parts(b)) {
    const last = out[out.length - 1];
    if (p.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', text: `${last.text}\n\n${p.text}` };
    else out.push(p);
  }
  return out;
}

/** System text merged into the first user turn; same-role neighbours merged; starts with user. */
export function shapeMessages(messages: ChatMessage[]): ChatMessage[] {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const turns: ChatMessage[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    const last = turns[turns.length - 1];
    if (last && last.role === m.role) last.content = join(last.content, m.content);
    else turns.push({ role: m.role, content: m.content });
  }
  if (turns[0]?.role !== 'user') turns.unshift({ role: 'user', content: '' });
  if (system.length) {
    const sys = system.reduce((a, b) => join(a, b), '' as ChatMessage['content']);
    turns[0] = { role: 'user', content: join(sys, turns[0].content) };
  }
  return turns;
}

export function countImages(messages: ChatMessage[]): number {
  return messages.reduce((n, m) => n + (typeof m.content === 'string' ? 0 : m.content.filter((p) => p.type === 'image_url').length), 0);
}
