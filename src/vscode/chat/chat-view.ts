// The MedGemma chat as a webview view in the MedGemma activity-bar container. The view is only
// a face: conversations live in ChatEngine (JSON files in the workspace storage), so a reload or a hidden view
// loses nothing.

import * as vscode from 'vscode';
import type { Attachment } from '../../core/chat/types';
import { chatProtocol, type ChatProtocol } from '../../protocol/chat';
import { HostMessenger } from '../../protocol/host-messenger';
import { webviewHtml, webviewOptions } from '../webview/html';
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
  /** Attachments added while the view was not open yet; handed over when it is. */
  private readonly queued: Attachment[] = [];
  private ready = false;

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

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, {
      title: 'MedGemma Chat',
      script: 'dist/webview/chat.js',
      styles: ['media/chat.css'],
      imgSrc: ['data:'],
    });
    const m = new HostMessenger(chatProtocol, webviewTransport(view.webview), {
      onInvalid: (reason) => this.services.log.warn(`Chat view: ${reason}`),
      onHandlerError: (type, e) => this.services.log.error(`Chat view: ${type} failed: ${(e as Error)?.name ?? 'error'}`),
    });
    this.messenger = m;
    const deps: ChatDeps = { m, engine: this.engine, services: this.services, refreshServer: () => this.refreshServer() };
    registerConversationHandlers(deps);
    registerHistoryHandlers(deps);
    registerModelHandlers(deps);
    registerAttachHandlers(deps);
    registerActionHandlers(deps);
    // The first request means the page script runs: hand over what waited for it.
    const first = view.webview.onDidReceiveMessage(() => {
      first.dispose();
      this.ready = true;
      setTimeout(() => {
        for (const a of this.queued.splice(0)) m.emit('chat/attach', a);
        void this.refreshServer();
      }, 0);
    });
    // Shown again: the server may have changed meanwhile (models loaded, server stopped).
    const shown = view.onDidChangeVisibility(() => {
      if (view.visible && this.ready) void this.refreshServer();
    });
    view.onDidDispose(() => {
      shown.dispose();
      first.dispose();
      m.dispose();
      if (this.messenger === m) {
        this.messenger = undefined;
        this.view = undefined;
        this.ready = false;
      }
    });
  }

  async refreshServer(): Promise<void> {
    const m = this.messenger;
    if (!m) return;
    if (vscode.workspace.isTrusted) m.emit('server/state', { state: 'checking' });
    m.emit('server/state', await probeServer(this.services, this.engine.selectedModel));
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
    if (this.messenger && this.ready) this.messenger.emit('chat/attach', a);
    else this.queued.push(a);
    await this.reveal();
  }

  stop(): void {
    this.messenger?.emit('chat/stop', undefined);
  }

  dispose(): void {
    this.messenger?.dispose();
    for (const s of this.subs) s.dispose();
  }
}
