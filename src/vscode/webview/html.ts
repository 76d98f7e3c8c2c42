// The HTML shell of every MedGemma webview: strict CSP (no default source, scripts only by
// nonce, no eval, no connect-src: the webview cannot reach the network), resources only from
// the extension's dist/ and media/.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Webview options every MedGemma webview uses. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export interface ShellOptions {
  title: string;
  /** Script bundle, relative to the extension root (e.g. 'dist/webview/chat.js'). */
  script: string;
  /** Style sheets, relative to the extension root. */
  styles?: string[];
  /** Extra img-src sources (e.g. 'data:' for pasted images). Never remote hosts. */
  imgSrc?: string[];
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, o: ShellOptions): string {
  const nonce = randomBytes(18).toString('base64');
  const uri = (p: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p.split('/'))).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${[webview.cspSource, ...(o.imgSrc ?? [])].join(' ')}`,
    `font-src ${webview.cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${(o.styles ?? []).map((s) => `<link rel="stylesheet" href="${esc(uri(s))}">`).join('\n')}
<title>${esc(o.title)}</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${esc(uri(o.script))}"></script>
</body>
</html>`;
}
