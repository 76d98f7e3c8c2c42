// The "MedGemma Image Annotator" custom editor (read-only document: the image is never
// modified; annotations live in the sidecar file).

import * as vscode from 'vscode';
import type { Services } from '../services';
import { annotatorHtml } from './html';
import { images } from './lazy';

export const VIEW_TYPE = 'medgemma.imageAnnotator';

export class AnnotatorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(
    private readonly ctx: vscode.ExtensionContext,
    private readonly services: Services,
  ) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const root = this.ctx.extensionUri;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')],
    };
    const session = new (images().AnnotatorSession)(document.uri, panel, this.services);
    panel.onDidDispose(() => session.dispose());
    panel.webview.html = annotatorHtml(panel.webview, root);
  }
}
