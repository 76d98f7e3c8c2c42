// The paper viewer's protocol (webview-ui/paper-viewer/ <-> src/vscode/papers/viewer.ts),
// on the generic messenger (define.ts). The host pushes the PDF and the page to show as
// events; the webview reports what it drew, asks for a password, or reports a failure.

import { defineProtocol, event, request } from './define';
import { boolean, none, number, object, string } from './schema';

export interface OpenPaper {
  name: string;
  /** The PDF's bytes (sent by postMessage: the webview reads no file and fetches nothing). */
  data: Uint8Array;
  page: number;
  /** The cited passage to mark on the page. */
  highlight?: string;
  password?: string;
}

const page = () => number({ min: 0, max: 1_000_000, integer: true });

export const paperViewerProtocol = defineProtocol({
  requests: {
    'viewer/ready': request<void>()(none()),
    /** After a page is drawn: which, of how many, how many text runs were marked. */
    'viewer/rendered': request<void>()(object({ page: page(), pages: page(), highlighted: page() })),
    /** The PDF is encrypted: the host asks the user; null = no password given. */
    'viewer/password': request<{ password: string | null }>()(object({ wrong: boolean() })),
    'viewer/failed': request<void>()(object({ message: string({ max: 500 }) })),
  },
  events: {
    'viewer/open': event<OpenPaper>(),
    'viewer/goto': event<{ page: number; highlight?: string }>(),
  },
});
