// The sidecar `<image>.annotations.json`: atomic writes (temp file + rename, so a crash leaves
// the old or the new file, never half of one), a content hash to notice changes made on disk
// by someone else, and a backup instead of an overwrite when the file on disk cannot be read.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ImageError } from '../errors';
import { type AnnotationFile, checkFile, emptyFile } from './schema';

export function sidecarPath(imagePath: string): string {
  return `${imagePath}.annotations.json`;
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function serialize(file: AnnotationFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

export interface Loaded {
  file: AnnotationFile;
  /** Hash of the text on disk (undefined: no file yet). */
  hash?: string;
  /** Set when the file on disk was unusable and was moved aside. */
  movedAside?: string;
}

export async function writeAtomic(target: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  await fs.writeFile(tmp, text, 'utf8');
  try {
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

export async function readSidecar(imagePath: string, size: { width: number; height: number; frames: number }): Promise<Loaded> {
  const p = sidecarPath(imagePath);
  let text: string;
  try {
    text = await fs.readFile(p, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { file: emptyFile(path.basename(imagePath), size.width, size.height, size.frames) };
    throw new ImageError('corrupt', `The annotations file ${path.basename(p)} cannot be read (${(e as NodeJS.ErrnoException).code}). Check its permissions.`);
  }
  let parsed: unknown;
  let why: string | undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    why = 'it is not valid JSON';
  }
  const checked = why ? why : checkFile(parsed);
  if (typeof checked === 'string') {
    // Never overwrite what we cannot read: keep it beside, start afresh.
    const aside = `${p}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await fs.copyFile(p, aside);
    return { file: emptyFile(path.basename(imagePath), size.width, size.height, size.frames), hash: hashText(text), movedAside: `${path.basename(aside)} (${checked})` };
  }
  return { file: checked, hash: hashText(text) };
}

export type SaveOutcome = { saved: true; hash: string } | { saved: false; conflict: true; diskText: string };

/**
 * Saves unless the file on disk changed since `expectedHash` (another editor, a git pull):
 * then nothing is written and the caller decides (reload theirs / keep mine).
 */
export async function saveSidecar(imagePath: string, file: AnnotationFile, expectedHash: string | undefined, force = false): Promise<SaveOutcome> {
  const p = sidecarPath(imagePath);
  if (!force) {
    let disk: string | undefined;
    try {
      disk = await fs.readFile(p, 'utf8');
    } catch {
      disk = undefined;
    }
    const diskHash = disk === undefined ? undefined : hashText(disk);
    if (diskHash !== expectedHash && disk !== undefined) return { saved: false, conflict: true, diskText: disk };
  }
  const text = serialize(file);
  await writeAtomic(p, text);
  return { saved: true, hash: hashText(text) };
}
