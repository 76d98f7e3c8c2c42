// The chat view's protocol: every message between webview-ui/chat and src/vscode/chat.

import type { Attachment, Conversation, ConversationSummary } from '../core/chat/types';
import { ERROR_ACTIONS, type ErrorAction } from '../core/server/errors';
import { defineProtocol, event, request } from './define';
import { array, literal, none, number, object, oneOf, optional, string, union, type Schema } from './schema';

const id = string({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/ });
const name = string({ max: 300 });
/** ~1 M characters: far beyond any model's context, so the budget (not the schema) decides. */
const longText = string({ max: 1_000_000 });

export const attachmentSchema: Schema<Attachment> = union('kind', {
  selection: object({
    kind: literal('selection'),
    id,
    name,
    text: longText,
    uri: optional(string({ max: 2000 })),
    lines: optional({ parse: (v, p) => array(number({ integer: true, min: 1 }), { max: 2 }).parse(v, p) as [number, number] }),
  }),
  file: object({ kind: literal('file'), id, name, text: longText, uri: optional(string({ max: 2000 })) }),
  image: object({
    kind: literal('image'),
    id,
    name,
    // Pasted or dropped images, as base64 data URLs (the only image form every server takes).
    dataUrl: string({ max: 30_000_000, pattern: /^data:image\/(?:png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+=*$/ }),
  }),
}) as Schema<Attachment>;

export type ServerState =
  | { state: 'checking' }
  | { state: 'ok'; model: string; baseUrl: string; contextLength: number; vision?: boolean }
  | { state: 'offline'; baseUrl?: string; message: string }
  | { state: 'untrusted' };

export interface ModelChoice {
  id: string;
  vision?: boolean;
  contextLength?: number;
  /** The base model, when this one is a LoRA adapter (vLLM's `parent`). */
  parent?: string;
}

/** How a send ended, for the view. Failures keep the question (and any partial answer). */
export interface SendResult {
  conversation: Conversation;
  /** The question was saved in the conversation; false: it was not sent (put it back in the input). */
  saved: boolean;
  /** Set when the answer failed or could not start: what happened and what to do. */
  error?: { message: string; kind: string; actions: ErrorAction[] };
  /** What was cut to fit the context (see core/chat/prompt.ts). */
  cuts: string[];
}

/** The fixes beside an error: one list for the editor, in ../core/server/errors.ts. */
export type { ErrorAction };

export interface BudgetInfo {
  /** Estimated prompt tokens of the history + draft question + attachments. */
  used: number;
  /** Tokens kept for the answer. */
  answer: number;
  contextLength?: number;
  cuts: string[];
  fits: boolean;
}

export interface InitState {
  conversation?: Conversation;
  conversations: ConversationSummary[];
  server: ServerState;
  trusted: boolean;
  /** Handed to the chat (Add Selection/File to Chat, the annotator's Send to Chat) and not taken yet. */
  attachments: Attachment[];
}

const draft = {
  conversationId: optional(id),
  text: longText,
  attachments: array(attachmentSchema, { max: 20 }),
};

export const chatProtocol = defineProtocol({
  requests: {
    /** The view (re)opened: the last conversation, the history list, the server. */
    'chat/init': request<InitState>()(none()),
    /**
     * Ask. `replaceFrom`: drop that turn and every later one first (edit-and-resend, regenerate).
     * Streams the answer's text pieces; cancel = stop (closes the HTTP request).
     */
    'chat/send': request<SendResult, string>()(object({ ...draft, replaceFrom: optional(id) })),
    /** Token budget of a draft (estimate; no request to the model). */
    'chat/budget': request<BudgetInfo>()(object({ ...draft, replaceFrom: optional(id) })),
    'history/list': request<ConversationSummary[]>()(none()),
    'history/open': request<Conversation | null>()(object({ id })),
    'history/delete': request<ConversationSummary[]>()(object({ id })),
    /** The models the server offers, and the one this chat uses. */
    'models/list': request<{ models: ModelChoice[]; current?: string }>()(none()),
    'models/select': request<ServerState>()(object({ id: string({ max: 300 }) })),
    'attach/activeFile': request<Attachment | null>()(none()),
    'attach/selection': request<Attachment | null>()(none()),
    /** The page holds these attachments now (composer and saved state): the host forgets them. */
    'attach/taken': request()(object({ ids: array(id, { max: 100 }) })),
    'action/copy': request()(object({ text: longText })),
    'action/insert': request<boolean>()(object({ text: longText })),
    /** A link in model output: the host decides (external links after confirmation). */
    'action/openLink': request<boolean>()(object({ href: string({ max: 4000 }), text: optional(string({ max: 500 })) })),
    'action/run': request()(object({ action: oneOf(ERROR_ACTIONS) })),
    /** An answer's Save Example button: the host asks (as it is, or correct a copy first) and saves. */
    'action/saveExample': request()(object({ conversationId: id, turnId: id })),
  },
  events: {
    'server/state': event<ServerState>(),
    /** An attachment added from the editor or the annotator; the page confirms with attach/taken. */
    'chat/attach': event<Attachment>(),
    /** Show this conversation (after a command asked a question, or New Chat). */
    'chat/show': event<{ conversation?: Conversation; conversations: ConversationSummary[] }>(),
    'chat/focus': event(),
    /** The view title's New Chat (+): start a new conversation as the view's own button would. */
    'chat/new': event(),
    /** The view title's Chat History: show the list of conversations. */
    'chat/history': event(),
    /** Stop the running answer (the Stop command). */
    'chat/stop': event(),
  },
});

export type ChatProtocol = typeof chatProtocol;
