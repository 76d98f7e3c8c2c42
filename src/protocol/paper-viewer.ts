// Messages between the paper viewer webview (webview-ui/paper-viewer/) and the extension
// host (src/vscode/papers/viewer.ts). Kept in this one file so they can move onto the generic
// typed messenger (issue 4) later. What arrives from the webview is checked at run time.

/** Host -> webview. */
export type ToViewer =
  | { type: 'open'; name: string; data: Uint8Array; page: number; highlight?: string; password?: string }
  | { type: 'goto'; page: number; highlight?: string };

/** Webview -> host. */
export type FromViewer =
  | { type: 'ready' }
  | { type: 'rendered'; page: number; pages: number; highlighted: number }
  | { type: 'error'; message: string }
  /** The PDF is encrypted and the password is missing (wrong: false) or wrong. */
  | { type: 'needPassword'; wrong: boolean };

/** Runtime check of a message from the (untrusted) webview. */
export function parseFromViewer(m: unknown): FromViewer | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  const int = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e6;
  switch (o.type) {
    case 'ready':
      return { type: 'ready' };
    case 'rendered':
      return int(o.page) && int(o.pages) && int(o.highlighted) ? { type: 'rendered', page: o.page as number, pages: o.pages as number, highlighted: o.highlighted as number } : undefined;
    case 'needPassword':
      return { type: 'needPassword', wrong: o.wrong === true };
    case 'error':
      return typeof o.message === 'string' ? { type: 'error', message: o.message.slice(0, 500) } : undefined;
    default:
      return undefined;
  }
}
