// Sidebar chat: the view, its commands, history per workspace.

import * as vscode from 'vscode';
import { JsonFileStore } from '../../core/chat/file-store';
import { ChatHistory } from '../../core/chat/history';
import { summarize } from '../../core/chat/types';
import type { Services } from '../services';
import type { ChatState } from '../test-api';
import { fileAttachment, imageAttachment, selectionAttachment } from './attachments';
import { ChatEngine, type PapersAsk } from './chat-engine';
import { CHAT_VIEW_ID, ChatViewProvider } from './chat-view';
import { saveChatExample } from './save-example';

/** Returns a reader of the chat's state, for the test API (test-api.ts). */
export function register(ctx: vscode.ExtensionContext, services: Services, papers?: PapersAsk): () => ChatState {
  // Per workspace: VS Code's storage folder for this workspace (or, with no folder open, a
  // folder in the global storage).
  const dir = ctx.storageUri ? vscode.Uri.joinPath(ctx.storageUri, 'chat') : vscode.Uri.joinPath(ctx.globalStorageUri, 'chat-no-workspace');
  const store = new JsonFileStore(dir.fsPath);
  const engine = new ChatEngine(services, new ChatHistory(store), store, papers);
  const view = new ChatViewProvider(ctx.extensionUri, services, engine);
  const attach = async (a: ReturnType<typeof fileAttachment>) => {
    if (typeof a === 'string') void vscode.window.showWarningMessage(a);
    else await view.attach(a);
  };
  ctx.subscriptions.push(
    engine,
    view,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view),
    vscode.commands.registerCommand('medgemma.focusChat', () => view.reveal()),
    vscode.commands.registerCommand('medgemma.newChat', () => view.newChat()),
    vscode.commands.registerCommand('medgemma.chatHistory', () => view.showHistory()),
    vscode.commands.registerCommand('medgemma.addSelectionToChat', () => attach(selectionAttachment())),
    vscode.commands.registerCommand('medgemma.addFileToChat', () => attach(fileAttachment())),
    // The image annotator's "Send to Chat": the exact 896 px PNG the model would get.
    vscode.commands.registerCommand('medgemma.chat.attachImage', async (a: unknown) => {
      const img = imageAttachment(a);
      if (!img) return false;
      await attach(img);
      return true;
    }),
    vscode.commands.registerCommand('medgemma.stopChat', () => {
      view.stop();
      return engine.stopAll();
    }),
    // The answers' Save Example button (and tests): conversation and answer ids, and optionally
    // "edit" or "save" for the question it asks. Not in the palette.
    vscode.commands.registerCommand('medgemma.chat.saveExample', (conversationId: unknown, turnId: unknown, choice?: unknown) => saveChatExample(services, engine, conversationId, turnId, choice)),
    // Programmatic: ask in the current conversation (keybindings, tests). Not in the palette.
    vscode.commands.registerCommand('medgemma.chat.ask', async (text: unknown) => {
      if (typeof text !== 'string' || !text.trim()) return undefined;
      const r = await engine.send({ conversationId: engine.currentId, text, attachments: [] }, { notify: true });
      const last = r.conversation.turns[r.conversation.turns.length - 1];
      return { conversationId: r.conversation.id, saved: r.saved, answer: last?.role === 'assistant' ? last.text : undefined, answerId: last?.role === 'assistant' ? last.id : undefined, finish: last?.finish, error: r.error?.message };
    }),
  );
  return () => {
    const current = engine.current();
    return {
      viewResolved: view.isResolved,
      attachmentsWaiting: view.attachmentsWaiting,
      answering: engine.answering,
      currentId: engine.currentId,
      conversations: engine.history.list(),
      current: current ? summarize(current) : undefined,
    };
  };
}
