// The MedGemma chat as a webview view in the MedGemma activity-bar container. The view is only
// a face: conversations live in ChatEngine (JSON files in the workspace storage), so a reload or a hidden view
// loses nothing.

import * as vscode from 'vscode';
import type { Attachment } from '../../core/chat/types';
import { chatProtocol, type ChatProtocol } from '../../protocol/chat';
import { HostMessenger } from '../../protocol/host-messenger';
import { webviewHtml, webviewOptions } from '../webview/html';
import { StartWatchdog } from '../webview/start-watchdog';
import { webviewTransport } from '../webview/transport';
import type { Services } from '../services';
import type { ChatEngine } from './chat-engine';
import { registerActionHandlers } from './handlers/actions';
import { registerAttachHandlers } from './handlers/attach';
import { registerConversationHandlers } from './handlers/conversation';
import type { ChatDeps } from './handlers/deps';
import { registerHistoryHandlers } from './handlers/history';
import { registerModelHandlers } from './handlers/models';
import { probeServer } from './server-state';

export const CHAT_VIEW_ID = 'medgemma.chat';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private messenger?: HostMessenger<ChatProtocol>;
  private readonly subs: vscode.Disposable[] = [];
  /**
   * Attachments handed to the chat that no page has confirmed yet. Kept until one does: a page
   * not started yet, or dropped because the view was hidden, gets them on its chat/init.
   */
  private waiting: Attachment[] = [];
  /** The page of this view has started (its chat/init arrived) and is not hidden since. */
  private ready = false;
  private readonly watchdog = new StartWatchdog({
    reopen: () => this.reopen(),
    warn: (message) => this.services.log.warn(`Chat view: ${message}`),
  });

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: Services,
    private readonly engine: ChatEngine,
  ) {
    this.subs.push(
      services.onDidChangeServer(() => void this.refreshServer()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refreshServer()),
      engine.onDidChange((c) => this.messenger?.emit('chat/show', { conversation: c, conversations: engine.history.list() })),
    );
  }

  get isResolved(): boolean {
    return !!this.view && this.ready;
  }

  get attachmentsWaiting(): number {
    return this.waiting.length;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    if (view.visible) this.watchdog.expect();
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, {
      title: 'MedGemma Chat',
      script: 'dist/webview/chat.js',
      styles: ['media/markdown.css', 'media/chat.css'],
      imgSrc: ['data:'],
    });
    const messenger = new HostMessenger(chatProtocol, webviewTransport(view.webview), {
      onInvalid: (reason) => this.services.log.warn(`Chat view: ${reason}`),
      onHandlerError: (type, e) => this.services.log.error(`Chat view: ${type} failed: ${(e as Error)?.name ?? 'error'}`),
    });
    this.messenger = messenger;
    const deps: ChatDeps = {
      messenger,
      engine: this.engine,
      services: this.services,
      refreshServer: () => this.refreshServer(),
      pageStarted: () => this.pageStarted(messenger),
      attachmentsWaiting: () => [...this.waiting],
      attachmentsTaken: (ids) => {
        this.waiting = this.waiting.filter((a) => !ids.includes(a.id));
      },
    };
    registerConversationHandlers(deps);
    registerHistoryHandlers(deps);
    registerModelHandlers(deps);
    registerAttachHandlers(deps);
    registerActionHandlers(deps);
    // Hidden, the page is dropped (no retainContextWhenHidden); shown, a new one loads, and its
    // chat/init re-probes the server (it may have changed meanwhile: models loaded, server stopped).
    const visibility = view.onDidChangeVisibility(() => {
      if (this.view !== view) return;
      this.ready = false;
      if (view.visible) this.watchdog.expect();
      else this.watchdog.cancel();
    });
    view.onDidDispose(() => {
      visibility.dispose();
      messenger.dispose();
      if (this.messenger === messenger) {
        this.watchdog.cancel();
        this.messenger = undefined;
        this.view = undefined;
        this.ready = false;
      }
    });
  }

  /** A page of this view sent chat/init (once per load); its answer carried the waiting attachments. */
  private pageStarted(messenger: HostMessenger<ChatProtocol>): void {
    if (this.messenger !== messenger) return;
    this.ready = true;
    this.watchdog.started();
    // After the chat/init answer: the page shows 'checking' until this arrives.
    setTimeout(() => void this.refreshServer(), 0);
  }

  /** Hiding the view disposes it and its frame; focusing it resolves a new one. */
  private async reopen(): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.removeView`);
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  async refreshServer(): Promise<void> {
    const messenger = this.messenger;
    if (!messenger) return;
    if (vscode.workspace.isTrusted) messenger.emit('server/state', { state: 'checking' });
    messenger.emit('server/state', await probeServer(this.services, this.engine.selectedModel));
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    this.messenger?.emit('chat/focus', undefined);
  }

  /** New Chat (view title, palette): a new conversation now; the view stops what runs and clears itself. */
  async newChat(): Promise<void> {
    this.engine.newChat();
    await this.reveal();
    this.messenger?.emit('chat/new', undefined);
  }

  async showHistory(): Promise<void> {
    await this.reveal();
    this.messenger?.emit('chat/history', undefined);
  }

  async attach(a: Attachment): Promise<void> {
    this.waiting.push(a);
    // A live page takes it now; otherwise the next page to start gets it with its chat/init.
    if (this.ready) this.messenger?.emit('chat/attach', a);
    await this.reveal();
  }

  stop(): void {
    this.messenger?.emit('chat/stop', undefined);
  }

  dispose(): void {
    this.watchdog.cancel();
    this.messenger?.dispose();
    for (const s of this.subs) s.dispose();
  }
}
