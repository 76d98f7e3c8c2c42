// The annotator webview's page: strict CSP (scripts by nonce only, no eval, no network).
// Decoding runs in the extension host, so the page needs no WebAssembly and no CSP relaxation.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function annotatorHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'image.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'image-annotator.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>MedGemma Image Annotator</title>
</head>
<body>
<div id="app"><div class="loading">Opening the image…</div></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
