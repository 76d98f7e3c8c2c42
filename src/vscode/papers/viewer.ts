// The paper viewer panel: one webview per paper, reused when another citation of the same
// paper is opened. pdf.js renders inside the webview (webview-ui/paper-viewer/main.ts);
// messages go through the generic messenger (src/protocol/paper-viewer.ts).
//
// CSP: the shared shell's (src/vscode/webview/html.ts: default-src 'none', scripts only by
// nonce, no eval, no network). pdf.js and its worker code are one bundled script running
// pdf.js's in-thread "fake worker": no worker-src, no blob:, no unsafe-eval. The one
// relaxation is img-src data: (pdf.js may hand decoded images to the page as data: URLs).
// Embedded fonts are loaded with the FontFace API from bytes, which font-src does not
// govern. The PDF bytes arrive by postMessage: no file access beyond dist/ and media/.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PaperLibrary } from '../../core/papers/library';
import { HostMessenger } from '../../protocol/host-messenger';
import { paperViewerProtocol } from '../../protocol/paper-viewer';
import { webviewHtml, webviewOptions } from '../webview/html';
import { webviewTransport } from '../webview/transport';

export interface ViewerState {
  paperId: string;
  page: number;
  pages: number;
  highlighted: number;
}

type ViewerMessenger = HostMessenger<typeof paperViewerProtocol>;

export class PaperViewers implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; messenger: ViewerMessenger; ready: Promise<void> }>();
  private readonly rendered = new vscode.EventEmitter<ViewerState>();
  /** Fires after the viewer has drawn a page (tests wait on it). */
  readonly onDidRender = this.rendered.event;
  last?: ViewerState;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly library: PaperLibrary,
    private readonly log: vscode.LogOutputChannel,
    /** Passwords of encrypted papers given this session (memory only, never stored). */
    private readonly passwords: Map<string, string>,
  ) {}

  /** Opens chunkId's paper at page, highlighting the chunk's text (when highlight is not false). */
  async open(chunkId: string, page: number, highlight = true): Promise<void> {
    const paperId = String(chunkId).split('#')[0];
    const paper = await this.library.get(paperId);
    if (!paper) {
      void vscode.window.showWarningMessage('That paper is no longer attached. Attach it again with "MedGemma: Attach Papers".');
      return;
    }
    const chunk = highlight ? await this.library.chunk(chunkId) : undefined;
    const at = { page: Math.max(1, Math.floor(Number(page) || 1)), highlight: chunk?.text };
    const existing = this.panels.get(paperId);
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside);
      await existing.ready;
      existing.messenger.emit('viewer/goto', at);
      return;
    }
    let data: Uint8Array;
    try {
      data = new Uint8Array(await fs.readFile(paper.file));
    } catch {
      void vscode.window.showErrorMessage(`${paper.file} cannot be read any more (moved or deleted?). Attach it again from its new place.`);
      return;
    }
    const name = path.basename(paper.file);
    const panel = vscode.window.createWebviewPanel('medgemma.paperViewer', paper.meta?.title ?? name, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      ...webviewOptions(this.extensionUri),
      retainContextWhenHidden: true,
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'medgemma.svg');
    const messenger: ViewerMessenger = new HostMessenger(paperViewerProtocol, webviewTransport(panel.webview), {
      onInvalid: (reason) => this.log.warn(`Paper viewer sent an invalid message: ${reason}`),
    });
    let markReady!: () => void;
    const ready = new Promise<void>((r) => (markReady = r));
    this.panels.set(paperId, { panel, messenger, ready });
    panel.onDidDispose(() => {
      messenger.dispose();
      this.panels.delete(paperId);
    });
    messenger
      .handle('viewer/ready', () => markReady())
      .handle('viewer/rendered', (r) => {
        this.last = { paperId, ...r };
        this.rendered.fire(this.last);
      })
      .handle('viewer/password', async ({ wrong }) => {
        const password = await vscode.window.showInputBox({
          title: `${name} is encrypted`,
          prompt: wrong ? 'That password is wrong. Enter the password to show it.' : 'Enter the password to show it.',
          password: true,
          ignoreFocusOut: true,
        });
        if (password !== undefined) this.passwords.set(paper.file, password);
        return { password: password ?? null };
      })
      .handle('viewer/failed', ({ message }) => {
        this.log.warn(`Paper viewer: ${message}`);
        void vscode.window.showErrorMessage(`The paper viewer cannot show ${name} (${message}). Open the file in another PDF reader.`);
      });
    // pdf.js may hand decoded images to the page as data: URLs (never remote).
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, { title: name, script: 'dist/paper-viewer.js', styles: ['media/paper-viewer.css'], imgSrc: ['data:'] });
    await ready;
    messenger.emit('viewer/open', { name, data, ...at, password: this.passwords.get(paper.file) });
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.rendered.dispose();
  }
}
