// A vscode.Webview as a protocol Transport (src/protocol/transport.ts).

import type * as vscode from 'vscode';
import type { Transport } from '../../protocol/transport';

export function webviewTransport(webview: vscode.Webview): Transport {
  return {
    post: (m) => void webview.postMessage(m),
    onMessage: (listener) => webview.onDidReceiveMessage(listener),
  };
}
