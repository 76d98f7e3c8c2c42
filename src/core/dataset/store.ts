// The dataset folder: examples.jsonl (one example per line, appended) and images/ (each image
// once, named by its SHA-256). Deleting or re-splitting rewrites the file atomically and keeps
// every line it could not read exactly as it was: a hand edit gone wrong is reported, not lost.

import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAtomic } from '../write-atomic';
import { type Example, ExampleError, imagesOf, parseExample, type Split } from './example';

export const EXAMPLES_FILE = 'examples.jsonl';
/** Larger than any dataset of text examples made by hand review; a bigger file is refused, not read. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

export interface Problem {
  /** 1-based line of examples.jsonl. */
  line: number;
  why: string;
}

interface Line {
  raw: string;
  example?: Example;
  /** Why a non-blank line is not an example. */
  why?: string;
}

export class DatasetError extends Error {}

/** The .gitignore written into a new folder of patient text (a dataset, a comparison). */
export const GITIGNORE = '# Patient text (pseudonymized or not), written by MedGemma for VS Code: kept out of git\n# by default. Delete this file to commit the folder on purpose.\n*\n';

/** Writes GITIGNORE into `dir` unless it has one: a workspace that is a git repository does not commit patient text by accident. */
export async function keepOutOfGit(dir: string): Promise<void> {
  await fs.writeFile(path.join(dir, '.gitignore'), GITIGNORE, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
}

export function newExampleId(now = new Date()): string {
  return `${now.getTime().toString(36)}-${randomBytes(5).toString('hex')}`;
}

/** Who reviewed an example: the account saving it (a clinician's login, not a patient's anything). */
export function reviewerName(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export class DatasetStore {
  constructor(readonly dir: string) {}

  get file(): string {
    return path.join(this.dir, EXAMPLES_FILE);
  }

  /** Stores image bytes once; returns the path an example's image part names. */
  async saveImage(bytes: Uint8Array, ext: 'png' | 'jpg'): Promise<string> {
    const rel = `images/${sha256(bytes)}.${ext}`;
    const target = path.join(this.dir, rel);
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (!(await fs.stat(target).catch(() => undefined))) await writeAtomic(target, bytes);
    return rel;
  }

  async add(example: Example): Promise<void> {
    // Checked as it will be read back: what cannot be read is never written.
    parseExample(JSON.parse(JSON.stringify(example)));
    for (const img of imagesOf(example)) {
      if (!(await fs.stat(path.join(this.dir, img)).catch(() => undefined))) throw new DatasetError(`the example's image ${img} is not in ${this.dir}`);
    }
    await fs.mkdir(this.dir, { recursive: true });
    await keepOutOfGit(this.dir);
    await fs.appendFile(this.file, `${JSON.stringify(example)}\n`, 'utf8');
  }

  private async lines(): Promise<Line[]> {
    let text: string;
    try {
      const st = await fs.stat(this.file);
      if (st.size > MAX_FILE_BYTES) throw new DatasetError(`${this.file} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; split it into several datasets`);
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const raw = text.split('\n');
    if (raw[raw.length - 1] === '') raw.pop();
    return raw.map(readLine);
  }

  /** Every example, and why each other non-blank line could not be read. */
  async read(): Promise<{ examples: Example[]; problems: Problem[] }> {
    const examples: Example[] = [];
    const problems: Problem[] = [];
    (await this.lines()).forEach((l, i) => {
      if (l.example) examples.push(l.example);
      else if (l.why) problems.push({ line: i + 1, why: l.why });
    });
    return { examples, problems };
  }

  /** Deletes examples and the images no remaining example uses; returns how many were deleted. */
  async remove(ids: readonly string[]): Promise<number> {
    const gone = new Set(ids);
    const lines = await this.lines();
    const kept = lines.filter((l) => !(l.example && gone.has(l.example.id)));
    const removed = lines.length - kept.length;
    if (!removed) return 0;
    await this.rewrite(kept);
    const used = new Set(kept.flatMap((l) => (l.example ? imagesOf(l.example) : [])));
    const dropped = lines.flatMap((l) => (l.example && gone.has(l.example.id) ? imagesOf(l.example) : []));
    for (const img of new Set(dropped)) if (!used.has(img)) await fs.rm(path.join(this.dir, img), { force: true });
    return removed;
  }

  /** Moves examples to the training or validation split; returns how many changed. */
  async setSplit(ids: readonly string[], split: Split): Promise<number> {
    const want = new Set(ids);
    let changed = 0;
    const lines = (await this.lines()).map((l): Line => {
      if (!l.example || !want.has(l.example.id) || l.example.split === split) return l;
      changed++;
      const example = { ...l.example, split };
      return { raw: JSON.stringify(example), example };
    });
    if (changed) await this.rewrite(lines);
    return changed;
  }

  private rewrite(lines: readonly Line[]): Promise<void> {
    return writeAtomic(this.file, lines.map((l) => `${l.raw}\n`).join(''));
  }
}

function readLine(raw: string): Line {
  if (!raw.trim()) return { raw };
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { raw, why: 'not valid JSON' };
  }
  try {
    return { raw, example: parseExample(v) };
  } catch (e) {
    if (e instanceof ExampleError) return { raw, why: e.message };
    throw e;
  }
}
