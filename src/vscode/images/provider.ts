// The "MedGemma Image Annotator" custom editor (read-only document: the image is never
// modified; annotations live in the sidecar file).

import * as vscode from 'vscode';
import type { Services } from '../services';
import { webviewHtml, webviewOptions } from '../webview/html';
import type { AttachmentOptions, ImageAttachment } from './attachment';
import { images } from './lazy';
import type { AnnotatorSession } from './session';
import { AnnotatorStarts } from './start-recovery';

export const VIEW_TYPE = 'medgemma.imageAnnotator';

export class AnnotatorProvider implements vscode.CustomReadonlyEditorProvider, vscode.Disposable {
  /** Reopens an editor whose page never starts (code-server's shared-origin webviews). */
  readonly starts: AnnotatorStarts;
  /** The open annotators, by image (the test API sends one to the chat). */
  private readonly sessions = new Map<string, AnnotatorSession>();

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
    const key = document.uri.toString();
    this.sessions.set(key, session);
    panel.onDidDispose(() => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
      session.dispose();
    });
    // Decoding runs in the extension host: the page needs no WebAssembly, so the shared strict CSP applies unchanged.
    panel.webview.html = webviewHtml(panel.webview, root, { title: 'MedGemma Image Annotator', script: 'dist/webview/image.js', styles: ['media/markdown.css', 'media/image-annotator.css'] });
  }

  /** What the open annotator's "Send to Chat" button does, for the test API. */
  sendToChat(uri: vscode.Uri, view: AttachmentOptions = {}): Promise<ImageAttachment | undefined> {
    const session = this.sessions.get(uri.toString());
    if (!session) throw new Error(`No annotator is open on ${uri.toString()}.`);
    return session.attachToChat({ frame: view.frame ?? 0, window: view.window, ctThreeWindows: view.ctThreeWindows ?? false });
  }

  dispose(): void {
    this.starts.dispose();
  }
}
