// Loads dist/images.js (see heavy.ts) the first time an image is opened.

import * as path from 'node:path';
import type * as Heavy from './heavy';

let heavy: typeof Heavy | undefined;

export function images(): typeof Heavy {
  // A computed path: esbuild leaves this require to run time instead of inlining the module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  heavy ??= require(path.join(__dirname, 'images.js')) as typeof Heavy;
  return heavy;
}
