// The paper viewer panels: one webview per paper (viewer-panel.ts), reused when another citation
// of the same paper is opened. pdf.js renders inside the webview (webview-ui/paper-viewer/main.ts);
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
import { PaperPanel } from './viewer-panel';
import type { Place } from './viewer-place';

export interface ViewerState {
  paperId: string;
  page: number;
  pages: number;
  highlighted: number;
}

export class PaperViewers implements vscode.Disposable {
  private readonly panels = new Map<string, Promise<PaperPanel | undefined>>();
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

  /**
   * Opens chunkId's paper at page, highlighting the chunk's text (when highlight is not false).
   * Resolves once the viewer's page has started and was told the place (or the panel was closed).
   */
  async open(chunkId: string, page: number, highlight = true): Promise<void> {
    const paperId = String(chunkId).split('#')[0];
    const paper = await this.library.get(paperId);
    if (!paper) {
      // Also what a forged citation in model output meets: nothing opens.
      void vscode.window.showWarningMessage('That link is not a citation of a paper attached now (it may have been removed), so nothing was opened. Attach the paper again with "MedGemma: Attach Papers" to open its pages.');
      return;
    }
    const chunk = highlight ? await this.library.chunk(chunkId) : undefined;
    const at = { page: Math.max(1, Math.floor(Number(page) || 1)), highlight: chunk?.text };
    // Kept before the file is read: a second citation clicked meanwhile must not make a second panel.
    const existing = this.panels.get(paperId);
    if (existing) {
      await (await existing)?.show(at);
      return;
    }
    const made: Promise<PaperPanel | undefined> = this.create(paperId, paper.file, paper.meta?.title ?? path.basename(paper.file), at, () => this.forget(paperId, made));
    this.panels.set(paperId, made);
    const viewer = await made;
    if (!viewer) this.forget(paperId, made);
    await viewer?.started;
  }

  /** A panel for the paper, or undefined when its file cannot be read (the user is told). */
  private async create(paperId: string, file: string, title: string, at: Place, closed: () => void): Promise<PaperPanel | undefined> {
    let data: Uint8Array;
    try {
      data = new Uint8Array(await fs.readFile(file));
    } catch {
      void vscode.window.showErrorMessage(`${file} cannot be read any more (moved or deleted?). Attach it again from its new place.`);
      return undefined;
    }
    const rendered = (r: Omit<ViewerState, 'paperId'>) => {
      this.last = { paperId, ...r };
      this.rendered.fire(this.last);
    };
    const ctx = { extensionUri: this.extensionUri, log: this.log, passwords: this.passwords, rendered, closed };
    return new PaperPanel(ctx, { file, name: path.basename(file), title, data }, at);
  }

  private forget(paperId: string, viewer: Promise<PaperPanel | undefined>): void {
    if (this.panels.get(paperId) === viewer) this.panels.delete(paperId);
  }

  dispose(): void {
    for (const viewer of this.panels.values()) void viewer.then((v) => v?.dispose());
    this.rendered.dispose();
  }
}
