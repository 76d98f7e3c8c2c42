// Writes that survive a crash or power loss: temp file, fsync, rename, fsync of the folder
// (without the last step a rename can be lost although the data reached the disk). Files
// are private (0600), folders too (0700): the papers library is patient-adjacent data.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
const POSIX = process.platform !== 'win32';

/** Creates the folder (and missing parents) private to the user. */
export async function mkdirPrivate(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
}

/** Makes the data durable under its name: readers see the old or the new file, never a torn one. */
export async function writeDurable(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(file);
  const fh = await fs.open(tmp, 'wx', FILE_MODE);
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

/**
 * Folders made by an older version were world-readable (0755, files 0644): tightens the folder
 * and every file in it once. Returns without touching anything when it is already private.
 */
export async function tightenFolder(dir: string): Promise<void> {
  if (!POSIX) return;
  let st;
  try {
    st = await fs.stat(dir);
  } catch {
    return;
  }
  if ((st.mode & 0o077) === 0) return;
  await fs.chmod(dir, DIR_MODE);
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await tightenFolder(p);
    else if (e.isFile()) await fs.chmod(p, FILE_MODE).catch(() => undefined);
  }
}
