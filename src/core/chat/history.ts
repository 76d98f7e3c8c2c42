// Conversations saved per workspace in a key-value store (JSON files in VS Code's per-workspace
// storage folder in the extension, file-store.ts; a Map in tests). One key per conversation plus an index, so listing does not
// load every conversation. Never logged.

import type { Conversation, ConversationSummary } from './types';
import { summarize } from './types';

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const INDEX = 'medgemma.chat.index';
const KEY = (id: string) => `medgemma.chat.conversation.${id}`;
/** Oldest conversations beyond this are deleted. */
export const MAX_CONVERSATIONS = 200;

export class ChatHistory {
  constructor(private readonly store: KeyValueStore) {}

  list(): ConversationSummary[] {
    return [...(this.store.get<ConversationSummary[]>(INDEX) ?? [])].sort((a, b) => b.updated - a.updated);
  }

  get(id: string): Conversation | undefined {
    return this.store.get<Conversation>(KEY(id));
  }

  async save(c: Conversation): Promise<void> {
    await this.store.update(KEY(c.id), c);
    const index = this.list().filter((s) => s.id !== c.id);
    index.unshift(summarize(c));
    for (const old of index.splice(MAX_CONVERSATIONS)) await this.store.update(KEY(old.id), undefined);
    await this.store.update(INDEX, index);
  }

  async delete(id: string): Promise<boolean> {
    const index = this.list();
    const next = index.filter((s) => s.id !== id);
    await this.store.update(KEY(id), undefined);
    await this.store.update(INDEX, next);
    return next.length !== index.length;
  }
}
