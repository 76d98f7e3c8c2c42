// The two ends of a webview channel, without VS Code or DOM types: the host adapter
// (src/vscode/webview/transport.ts) and the webview adapter (webview-ui/shared/vscode-api.ts)
// implement it, and tests connect two in memory.

export interface Disposable {
  dispose(): void;
}

export interface Transport {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): Disposable;
}
