// Writes that survive a crash or power loss: temp file, fsync, rename, fsync of the folder
// (without the last step a rename can be lost although the data reached the disk).

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const POSIX = process.platform !== 'win32';

/** Makes the data durable under its name: readers see the old or the new file, never a torn one. */
export async function writeDurable(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(file);
  const fh = await fs.open(tmp, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(path.dirname(file));
}

/** Temp files end in ".tmp"; a writer holding the library lock removes leftovers of a crash. */
export function tempName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Makes renames and creations in the folder durable (a no-op where folders cannot be opened: Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  if (!POSIX) return;
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
