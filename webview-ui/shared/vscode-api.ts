// The webview's side of the channel to the extension host: VS Code's acquireVsCodeApi() (callable
// once per page) as a Transport, plus the per-view state that survives the view being hidden.

import type { Transport } from '../../src/protocol/transport';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

export function vscodeTransport(): Transport {
  const vs = vscodeApi();
  return {
    post: (m) => vs.postMessage(m),
    onMessage(listener) {
      const h = (e: MessageEvent) => listener(e.data);
      window.addEventListener('message', h);
      return { dispose: () => window.removeEventListener('message', h) };
    },
  };
}
