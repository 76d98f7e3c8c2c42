// One paper's viewer panel. Its page may never start in code-server (webviews share one origin
// there: see start-watchdog.ts); then the panel is replaced by a new one in the same place, and
// the new page opens the paper where the viewer should be by then (viewer-place.ts).

import * as vscode from 'vscode';
import { HostMessenger } from '../../protocol/host-messenger';
import { paperViewerProtocol } from '../../protocol/paper-viewer';
import { webviewHtml, webviewOptions } from '../webview/html';
import { StartWatchdog } from '../webview/start-watchdog';
import { webviewTransport } from '../webview/transport';
import { type Place, ViewerPlace } from './viewer-place';

export interface PaperPanelContext {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** Passwords of encrypted papers given this session (memory only, never stored). */
  passwords: Map<string, string>;
  rendered(r: { page: number; pages: number; highlighted: number }): void;
  closed(): void;
}

export interface PaperFile {
  file: string;
  name: string;
  title: string;
  /** Kept while the panel is open: a replacement page needs the bytes again. */
  data: Uint8Array;
}

/**
 * Where a new viewer opens: a page needs room to be read. With one editor group, beside it;
 * with more, in the group next to the active one (where the citation was clicked, usually the
 * answer's), never in a new third column.
 */
export function viewerColumn(): vscode.ViewColumn {
  const groups = vscode.window.tabGroups.all;
  const active = vscode.window.tabGroups.activeTabGroup;
  if (groups.length < 2) return vscode.ViewColumn.Beside;
  const others = groups.filter((g) => g !== active);
  const left = others.filter((g) => g.viewColumn < active.viewColumn).pop();
  return (left ?? others[0]).viewColumn;
}

export class PaperPanel {
  private panel: vscode.WebviewPanel;
  private messenger!: HostMessenger<typeof paperViewerProtocol>;
  private readonly place: ViewerPlace;
  private readonly watchdog = new StartWatchdog({
    reopen: async () => this.recreate(),
    warn: (message) => this.ctx.log.warn(`Paper viewer: ${message}`),
  });

  constructor(
    private readonly ctx: PaperPanelContext,
    private readonly paper: PaperFile,
    at: Place,
  ) {
    const { name, data, file } = paper;
    this.place = new ViewerPlace(at, {
      open: (p) => this.messenger.emit('viewer/open', { name, data, ...p, password: ctx.passwords.get(file) }),
      goto: (p) => this.messenger.emit('viewer/goto', p),
    });
    this.panel = this.create(viewerColumn(), false);
  }

  /** true once a page of this viewer has started; false if it was closed before. */
  get started(): Promise<boolean> {
    return this.place.started;
  }

  /** Shows the paper at p; resolves once a page of this viewer has started (false: closed first). */
  show(p: Place): Promise<boolean> {
    // Where it is: a panel just made may not know its column yet, and Beside would copy it.
    this.panel.reveal(this.panel.viewColumn);
    return this.place.goto(p);
  }

  dispose(): void {
    this.panel.dispose();
  }

  private create(viewColumn: vscode.ViewColumn, preserveFocus: boolean): vscode.WebviewPanel {
    const { extensionUri, log, passwords } = this.ctx;
    const { name, file } = this.paper;
    const panel = vscode.window.createWebviewPanel('medgemma.paperViewer', this.paper.title, { viewColumn, preserveFocus }, {
      ...webviewOptions(extensionUri),
      retainContextWhenHidden: true,
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'medgemma.svg');
    const messenger = new HostMessenger(paperViewerProtocol, webviewTransport(panel.webview), {
      onInvalid: (reason) => log.warn(`Paper viewer sent an invalid message: ${reason}`),
    });
    this.messenger = messenger;
    this.place.loading();
    let started = false;
    let visible = panel.visible;
    const current = () => this.panel === panel;
    // Retained when hidden: only a page that has not started yet is waited for, and only while shown.
    const shown = panel.onDidChangeViewState(() => {
      if (!current() || started || panel.visible === visible) return;
      visible = panel.visible;
      if (visible) this.watchdog.expect();
      else this.watchdog.cancel();
    });
    panel.onDidDispose(() => {
      shown.dispose();
      messenger.dispose();
      if (!current()) return; // replaced by recreate()
      this.watchdog.cancel();
      this.place.closed();
      this.ctx.closed();
    });
    messenger
      .handle('viewer/ready', () => {
        if (!current()) return;
        started = true;
        this.watchdog.started();
        this.place.pageStarted();
      })
      .handle('viewer/rendered', (r) => this.ctx.rendered(r))
      .handle('viewer/password', async ({ wrong }) => {
        const password = await vscode.window.showInputBox({
          title: `${name} is encrypted`,
          prompt: wrong ? 'That password is wrong. Enter the password to show it.' : 'Enter the password to show it.',
          password: true,
          ignoreFocusOut: true,
        });
        if (password !== undefined) passwords.set(file, password);
        return { password: password ?? null };
      })
      .handle('viewer/failed', ({ message }) => {
        log.warn(`Paper viewer: ${message}`);
        void vscode.window.showErrorMessage(`The paper viewer cannot show ${name} (${message}). Open the file in another PDF reader.`);
      });
    // pdf.js may hand decoded images to the page as data: URLs (never remote).
    panel.webview.html = webviewHtml(panel.webview, extensionUri, { title: name, script: 'dist/paper-viewer.js', styles: ['media/paper-viewer.css'], imgSrc: ['data:'] });
    if (visible) this.watchdog.expect();
    return panel;
  }

  /** A new panel beside the blank one (same group, so the group stays), then the blank one goes. */
  private recreate(): void {
    const old = this.panel;
    this.panel = this.create(old.viewColumn ?? vscode.ViewColumn.Beside, !old.active);
    old.dispose();
  }
}
