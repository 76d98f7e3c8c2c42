// VS Code's chat messages (LanguageModelChatRequestMessage) as the messages our one road sends.
// No import of 'vscode': the parts are told apart by their shape, so this is unit-tested without
// an editor. Parts we cannot send become a short note in the text instead of vanishing silently.

import type { ChatMessage, ContentPart, Role } from '../../core/server/types';

/** The shape of a message VS Code hands a provider (roles: 1 user, 2 assistant, 3 system). */
export interface RequestMessage {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
}

/** One image may be this large; a bigger one is refused with a sentence rather than sent. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/** A tool call's input or a tool result is cut here: the model needs the gist, not megabytes. */
const MAX_TOOL_TEXT = 20_000;
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

export class UnsendablePart extends Error {
  override readonly name = 'UnsendablePart';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * A caller's system text (role 3) goes as user text: the privacy gate passes only our own system
 * prompts as written, and this one may quote a note. Gemma folds system text into the first
 * user turn anyway (core/server/messages.ts).
 */
function roleOf(role: number): Exclude<Role, 'system'> {
  return role === 2 ? 'assistant' : 'user';
}

function cut(text: string): string {
  return text.length > MAX_TOOL_TEXT ? `${text.slice(0, MAX_TOOL_TEXT)}… (cut at ${MAX_TOOL_TEXT} characters)` : text;
}

/** The text inside a tool result's parts (text parts, and data parts that hold text or JSON). */
function resultText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .map((p) => (isObject(p) && typeof p.value === 'string' ? p.value : isObject(p) && isTextData(p) ? decode(p.data as Uint8Array) : ''))
    .filter(Boolean)
    .join('\n');
}

function isTextData(p: Record<string, unknown>): boolean {
  return typeof p.mimeType === 'string' && p.data instanceof Uint8Array && (p.mimeType.startsWith('text/') || p.mimeType === 'application/json');
}

function decode(data: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(data);
}

/** One part as what we send: text, an image, or a note that says what was left out. */
function partOf(p: unknown): ContentPart | undefined {
  if (!isObject(p)) return undefined;
  // LanguageModelTextPart
  if (typeof p.value === 'string') return p.value ? { type: 'text', text: p.value } : undefined;
  // LanguageModelDataPart
  if (typeof p.mimeType === 'string' && p.data instanceof Uint8Array) {
    const mime = p.mimeType.toLowerCase();
    if (IMAGE_TYPES.has(mime)) {
      if (p.data.byteLength > MAX_IMAGE_BYTES) {
        throw new UnsendablePart(`An attached image is ${(p.data.byteLength / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_IMAGE_BYTES / 1024 / 1024} MB MedGemma is sent. Attach a smaller image (or a region of it).`);
      }
      return { type: 'image_url', image_url: { url: `data:${mime};base64,${Buffer.from(p.data).toString('base64')}` } };
    }
    if (isTextData(p)) return { type: 'text', text: decode(p.data) };
    // Cache hints and other markers VS Code adds (e.g. "cache_control") carry nothing to send.
    return undefined;
  }
  // LanguageModelToolCallPart: the model asked for a tool (in a conversation begun with another model).
  if (typeof p.callId === 'string' && typeof p.name === 'string' && 'input' in p) {
    return { type: 'text', text: `[Called the tool ${p.name} with ${cut(JSON.stringify(p.input) ?? '{}')}]` };
  }
  // LanguageModelToolResultPart
  if (typeof p.callId === 'string' && 'content' in p) {
    return { type: 'text', text: `[Tool result]\n${cut(resultText(p.content))}` };
  }
  return undefined;
}

/** The conversation as our ChatMessages; a message left with nothing to send is dropped. */
export function toChatMessages(messages: readonly RequestMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const parts = m.content.map(partOf).filter((p): p is ContentPart => p !== undefined);
    if (!parts.length) continue;
    const role = roleOf(m.role);
    const textOnly = parts.every((p) => p.type === 'text');
    out.push({ role, content: textOnly ? parts.map((p) => (p as { text: string }).text).join('\n') : parts });
  }
  return out;
}
