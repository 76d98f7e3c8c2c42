// What a batch runs over: the files named, and the notes or images inside the folders named.
// Folders are walked in a fixed order (so a re-run meets the files in the same order), hidden
// entries and symbolic links to folders are skipped (a link loop cannot hang the walk), and a
// file named twice runs once.

import * as fs from 'node:fs';
import * as path from 'node:path';

export type InputKind = 'notes' | 'images';

const EXTENSIONS: Record<InputKind, readonly string[]> = {
  notes: ['.txt', '.md', '.markdown', '.text', '.note'],
  images: ['.png', '.jpg', '.jpeg', '.dcm', '.dicom'],
};

/** A folder's own documentation is not a note (a file named on the command line still runs). */
const SKIPPED_FILES = /^(readme|license|licence|changelog|contributing)(\.[a-z]+)?$/i;

/** A folder to walk or a file named does not exist or cannot be read: the batch has not started. */
export class BatchInputError extends Error {
  override readonly name = 'BatchInputError';
}

export function isBatchInputError(e: unknown): e is BatchInputError {
  return e instanceof BatchInputError;
}

/** DICOM files often have no extension (IM000001): they start with "DICM" after a 128-byte preamble. */
async function isDicom(file: string): Promise<boolean> {
  const fh = await fs.promises.open(file, 'r').catch(() => undefined);
  if (!fh) return false;
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 128);
    return bytesRead === 4 && buf.toString('latin1') === 'DICM';
  } finally {
    await fh.close();
  }
}

async function wanted(file: string, kind: InputKind): Promise<boolean> {
  const ext = path.extname(file).toLowerCase();
  if (EXTENSIONS[kind].includes(ext)) return true;
  return kind === 'images' && ext === '' && (await isDicom(file));
}

async function walk(dir: string, kind: InputKind, out: string[]): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new BatchInputError(`the folder ${dir} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || SKIPPED_FILES.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, kind, out);
    else if ((entry.isFile() || (entry.isSymbolicLink() && (await fs.promises.stat(full).catch(() => undefined))?.isFile())) && (await wanted(full, kind))) out.push(full);
  }
}

/**
 * The files to run, in order: each file named as given, each folder's matching files (notes:
 * .txt .md .markdown .text .note; images: .png .jpg .jpeg .dcm .dicom and extensionless DICOM;
 * not README, LICENSE, CHANGELOG or CONTRIBUTING).
 * `skip` (the results file) is never an input.
 */
export async function listInputs(paths: readonly string[], kind: InputKind, skip?: string): Promise<string[]> {
  const found: string[] = [];
  for (const p of paths) {
    const stat = await fs.promises.stat(p).catch((e: NodeJS.ErrnoException) => e);
    if (stat instanceof Error) {
      const why = stat.code === 'ENOENT' ? 'does not exist' : `cannot be read (${stat.code ?? stat.message})`;
      throw new BatchInputError(`${p} ${why}. Give ${kind === 'notes' ? 'note files' : 'image files'} or folders that hold them`);
    }
    if (stat.isDirectory()) await walk(p, kind, found);
    else found.push(p);
  }
  const seen = new Set<string>(skip ? [path.resolve(skip)] : []);
  return found.filter((f) => {
    const key = path.resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
