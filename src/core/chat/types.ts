// A chat conversation as it is kept: plain data, saved per workspace, never logged.

import type { FinishReason } from '../server/types';

/**
 * Context a user attaches to a question. Papers and annotated images (other features) add
 * their own variants here; everything that builds prompts switches on `kind`.
 */
export type Attachment =
  | { kind: 'selection'; id: string; name: string; text: string; uri?: string; lines?: [number, number] }
  | { kind: 'file'; id: string; name: string; text: string; uri?: string }
  | { kind: 'image'; id: string; name: string; dataUrl: string };

export interface ChatTurn {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  /** User turns only. */
  attachments?: Attachment[];
  /** Assistant turns: the model that answered and how the answer ended. */
  model?: string;
  finish?: FinishReason | 'error';
  /** Assistant turns that failed mid-answer: what happened (the partial text is kept). */
  error?: string;
  /**
   * Assistant turns answered from the attached papers (/papers): the host composed the text,
   * the model's own links already made inert, and its citation links are ours.
   */
  papersAnswer?: boolean;
  at: number;
}

export interface Conversation {
  id: string;
  title: string;
  created: number;
  updated: number;
  turns: ChatTurn[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  updated: number;
  turns: number;
}

export function summarize(c: Conversation): ConversationSummary {
  return { id: c.id, title: c.title, updated: c.updated, turns: c.turns.length };
}

/** A title from the first question: its first line, cut at a word near 60 characters. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0].replace(/\s+/g, ' ');
  if (line.length <= 60) return line || 'New chat';
  const cut = line.slice(0, 60);
  const sp = cut.lastIndexOf(' ');
  return `${sp > 30 ? cut.slice(0, sp) : cut}…`;
}
