// The "MedGemma Image Annotator" custom editor (read-only document: the image is never
// modified; annotations live in the sidecar file).

import * as vscode from 'vscode';
import type { Services } from '../services';
import { webviewHtml, webviewOptions } from '../webview/html';
import { images } from './lazy';
import { AnnotatorStarts } from './start-recovery';

export const VIEW_TYPE = 'medgemma.imageAnnotator';

export class AnnotatorProvider implements vscode.CustomReadonlyEditorProvider, vscode.Disposable {
  /** Reopens an editor whose page never starts (code-server's shared-origin webviews). */
  readonly starts: AnnotatorStarts;

  constructor(
    private readonly ctx: vscode.ExtensionContext,
    private readonly services: Services,
  ) {
    this.starts = new AnnotatorStarts(services.log);
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const root = this.ctx.extensionUri;
    panel.webview.options = webviewOptions(root);
    // The messenger listens before the page loads, so the page's first request is not missed.
    const starting = this.starts.track(document.uri, panel);
    const session = new (images().AnnotatorSession)(document.uri, panel, this.services, starting);
    panel.onDidDispose(() => session.dispose());
    // Decoding runs in the extension host: the page needs no WebAssembly, so the shared strict CSP applies unchanged.
    panel.webview.html = webviewHtml(panel.webview, root, { title: 'MedGemma Image Annotator', script: 'dist/webview/image.js', styles: ['media/markdown.css', 'media/image-annotator.css'] });
  }

  dispose(): void {
    this.starts.dispose();
  }
}
