// The paper viewer panel: one webview per paper, reused when another citation of the same
// paper is opened. pdf.js renders inside the webview (webview-ui/paper-viewer/main.ts).
//
// CSP: default-src 'none'; scripts only by nonce (pdf.js and its worker code are one bundled
// script running pdf.js's in-thread "fake worker": no worker-src, no blob:, no unsafe-eval);
// style-src the extension's own CSS file; img-src/font-src data: because pdf.js draws
// embedded images and loads embedded fonts as data: URLs. The PDF bytes arrive by
// postMessage, so the webview needs no file access beyond dist/ and media/ and no network.

import * as crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PaperLibrary } from '../../core/papers/library';
import { parseFromViewer, type ToViewer } from '../../protocol/paper-viewer';

export interface ViewerState {
  paperId: string;
  page: number;
  pages: number;
  highlighted: number;
}

export class PaperViewers implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; ready: Promise<void> }>();
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
    const msg = { page: Math.max(1, Math.floor(Number(page) || 1)), highlight: chunk?.text };
    const existing = this.panels.get(paperId);
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside);
      await existing.ready;
      await existing.panel.webview.postMessage({ type: 'goto', ...msg } satisfies ToViewer);
      return;
    }
    let data: Uint8Array;
    try {
      data = new Uint8Array(await fs.readFile(paper.file));
    } catch {
      void vscode.window.showErrorMessage(`${paper.file} cannot be read any more (moved or deleted?). Attach it again from its new place.`);
      return;
    }
    const panel = vscode.window.createWebviewPanel('medgemma.paperViewer', paper.meta?.title ?? path.basename(paper.file), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'medgemma.svg');
    let markReady!: () => void;
    const ready = new Promise<void>((r) => (markReady = r));
    this.panels.set(paperId, { panel, ready });
    panel.onDidDispose(() => this.panels.delete(paperId));
    panel.webview.onDidReceiveMessage((raw) => {
      const m = parseFromViewer(raw);
      if (!m) return;
      if (m.type === 'ready') markReady();
      else if (m.type === 'needPassword') {
        void vscode.window
          .showInputBox({
            title: `${path.basename(paper.file)} is encrypted`,
            prompt: m.wrong ? 'That password is wrong. Enter the password to show it.' : 'Enter the password to show it.',
            password: true,
            ignoreFocusOut: true,
          })
          .then((password) => {
            if (password === undefined) return;
            this.passwords.set(paper.file, password);
            void panel.webview.postMessage({ type: 'open', name: path.basename(paper.file), data, ...msg, password } satisfies ToViewer);
          });
      }
      else if (m.type === 'rendered') {
        this.last = { paperId, page: m.page, pages: m.pages, highlighted: m.highlighted };
        this.rendered.fire(this.last);
      } else {
        this.log.warn(`Paper viewer: ${m.message}`);
        void vscode.window.showErrorMessage(`The paper viewer cannot show ${path.basename(paper.file)} (${m.message}). Open the file in another PDF reader.`);
      }
    });
    panel.webview.html = this.html(panel.webview);
    await ready;
    await panel.webview.postMessage({ type: 'open', name: path.basename(paper.file), data, ...msg, password: this.passwords.get(paper.file) } satisfies ToViewer);
  }

  private html(webview: vscode.Webview): string {
    const nonce = crypto.randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'paper-viewer.js'));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'paper-viewer.css'));
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource} data:`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css}">
</head><body>
<div id="bar"><button id="zoom-out" title="Zoom out">−</button><button id="zoom-in" title="Zoom in">+</button><span id="status">Loading…</span></div>
<div id="pages"></div>
<script nonce="${nonce}" src="${script}"></script>
</body></html>`;
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.rendered.dispose();
  }
}
