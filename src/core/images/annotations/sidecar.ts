// The sidecar `<image>.annotations.json`: atomic writes (temp file + rename, so a crash leaves
// the old or the new file, never half of one), a content hash to notice changes made on disk
// by someone else, and a backup instead of an overwrite when the file on disk cannot be read.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { plural } from '../../plural';
import { writeAtomic } from '../../write-atomic';
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
  /**
   * Set when the sidecar path exists but cannot be read (a folder of that name, no permission):
   * why, in words. Nothing may be saved over it.
   */
  unreadable?: string;
  /**
   * Set when the image is not the size the annotations were drawn on (replaced by a resized or
   * cropped copy): what changed, in words. The annotations are kept as they are; the recorded
   * size becomes the image's, so the next save and a COCO export tell the truth.
   */
  sizeChanged?: string;
}

type Size = { width: number; height: number; frames: number };

/** What differs between the size recorded in a sidecar and the image's, in words; undefined when nothing does. */
export function sizeChange(recorded: { width: number; height: number; frames?: number }, actual: Size, annotations: { frame: number }[]): string | undefined {
  const parts: string[] = [];
  if (recorded.width !== actual.width || recorded.height !== actual.height) {
    parts.push(`they were drawn on a ${recorded.width}×${recorded.height} image and this one is ${actual.width}×${actual.height}`);
  }
  // Older sidecars may not record a frame count.
  if (typeof recorded.frames === 'number' && recorded.frames !== actual.frames) {
    parts.push(`the image had ${plural(recorded.frames, 'frame')} and now has ${actual.frames}`);
  }
  const lost = annotations.filter((a) => a.frame >= actual.frames).length;
  if (lost) parts.push(`${plural(lost, 'annotation')} ${lost === 1 ? 'is' : 'are'} on a frame this image does not have (kept in the file, not shown)`);
  return parts.length ? parts.join('; ') : undefined;
}

function unreadableBecause(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? 'unknown error';
}

export async function readSidecar(imagePath: string, size: Size): Promise<Loaded> {
  const p = sidecarPath(imagePath);
  let text: string;
  const empty = () => emptyFile(path.basename(imagePath), size.width, size.height, size.frames);
  try {
    text = await fs.readFile(p, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { file: empty() };
    // The image still opens; what is there is left alone.
    return { file: empty(), unreadable: `${path.basename(p)} cannot be read (${unreadableBecause(e)})` };
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
    try {
      await fs.copyFile(p, aside);
    } catch (e) {
      // No copy could be kept (a read-only folder): then it must not be written over either.
      return { file: empty(), unreadable: `${path.basename(p)} is not usable (${checked}) and no copy of it could be kept (${unreadableBecause(e)})` };
    }
    return { file: empty(), hash: hashText(text), movedAside: `${path.basename(aside)} (${checked})` };
  }
  const changed = sizeChange(checked.image, size, checked.annotations);
  if (!changed) return { file: checked, hash: hashText(text) };
  return { file: { ...checked, image: { ...checked.image, ...size } }, hash: hashText(text), sizeChanged: changed };
}

export type SaveOutcome = { saved: true; hash: string } | { saved: false; conflict: true; diskText: string };

/**
 * Saves unless the file on disk changed since `expectedHash` (another editor, a git pull):
 * then nothing is written and the caller decides (reload theirs / keep mine).
 */
export async function saveSidecar(imagePath: string, file: AnnotationFile, expectedHash: string | undefined, force = false): Promise<SaveOutcome> {
  const p = sidecarPath(imagePath);
  if (!force) {
    const disk = await fs.readFile(p, 'utf8').catch(() => undefined);
    const diskHash = disk === undefined ? undefined : hashText(disk);
    if (diskHash !== expectedHash && disk !== undefined) return { saved: false, conflict: true, diskText: disk };
  }
  const text = serialize(file);
  await writeAtomic(p, text);
  return { saved: true, hash: hashText(text) };
}
