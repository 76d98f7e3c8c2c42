// Worker-thread entry (bundled to dist/pdf-worker.js): reads one PDF with pdf.js and posts its
// pages one at a time, so the extension host's main thread never runs pdf.js and memory stays
// bounded by one page. pdf.js gets this thread's own globals, not the extension host's
// (docs/papers.md). The thread stays up for the next file (pdf.js
// loads once); extract.ts sends one request at a time and ends the thread when idle.

import { parentPort } from 'node:worker_threads';
import { readPdf } from './pdf-read';
import type { WorkerMessage, WorkerRequest } from './worker-protocol';

const port = parentPort;
if (port) {
  // Whatever pdf.js (or a library under it) prints must not reach the user's terminal or log:
  // this thread's console is silent. Failures travel as messages.
  for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) console[k] = () => undefined;
  // pdf.js can leave a promise rejected with nobody waiting (a damaged cross-reference table
  // did, found by the fuzz tier). Unhandled, it kills this thread with an 'error' event. Here
  // it fails the file being read (extract.ts then starts a fresh thread for the next one), or,
  // between files, ends this thread quietly: its state cannot be trusted for another file.
  let busy = false;
  process.on('unhandledRejection', (e: { name?: string; message?: string } | undefined) => {
    if (busy) port.postMessage({ type: 'error', name: e?.name ?? 'Error', message: e?.message ?? String(e), retire: true } satisfies WorkerMessage);
    else process.exit(0);
  });
  port.on('message', (req: WorkerRequest) => {
    busy = true;
    const post = (m: WorkerMessage) => port.postMessage(m);
    const end = (m: WorkerMessage) => {
      busy = false;
      post(m);
    };
    readPdf(req, post).then(
      () => end({ type: 'done' }),
      (e: { name?: string; message?: string; code?: number }) =>
        end({ type: 'error', name: e?.name ?? 'Error', message: e?.message ?? String(e), code: typeof e?.code === 'number' ? e.code : undefined }),
    );
  });
}
