// A file replaced whole: written to a temp file beside it, then renamed over it, so a crash
// leaves the old or the new file, never half of one.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export async function writeAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    // A write that fails part-way (disk full) leaves no half temp file behind either.
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
