// Worker-thread entry (bundled to dist/zotero-worker.js): parses one Zotero database's bytes and
// posts its catalog, then the thread ends with the WebAssembly memory it used (read.ts).

import { parentPort, workerData } from 'node:worker_threads';
import { ZoteroError } from './catalog';
import { catalogFromBytes } from './parse';

const port = parentPort;
if (port) {
  for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) console[k] = () => undefined;
  port.once('message', (bytes: Uint8Array) => {
    catalogFromBytes(bytes, (workerData as { dataDir: string }).dataDir).then(
      (catalog) => port.postMessage({ catalog }),
      (e: unknown) => port.postMessage({ error: e instanceof Error ? e.message : String(e), zotero: e instanceof ZoteroError }),
    );
  });
}
