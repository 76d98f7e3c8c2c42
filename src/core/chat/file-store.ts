// A KeyValueStore (history.ts) over JSON files in one folder: VS Code's per-workspace storage
// folder in the extension. Written by the extension host straight to disk (temp file + rename),
// so nothing is lost when the window reloads right after an answer, and large conversations
// (attachments, images) stay out of VS Code's state database. Reads are cached.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KeyValueStore } from './history';

export class JsonFileStore implements KeyValueStore {
  private readonly cache = new Map<string, unknown>();
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, `${key.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  }

  get<T>(key: string): T | undefined {
    if (this.cache.has(key)) return this.cache.get(key) as T | undefined;
    let value: T | undefined;
    try {
      value = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as T;
    } catch {
      value = undefined; // absent, or unreadable: treated as absent (never crash the view)
    }
    this.cache.set(key, value);
    return value;
  }

  /** Writes are serialized, so the last update of a key always wins on disk. */
  update(key: string, value: unknown): Promise<void> {
    this.cache.set(key, value);
    const file = this.file(key);
    const write = async () => {
      if (value === undefined) {
        await fs.promises.rm(file, { force: true });
        return;
      }
      await fs.promises.mkdir(this.dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.promises.writeFile(tmp, JSON.stringify(value), { encoding: 'utf8', mode: 0o600 });
      await fs.promises.rename(tmp, file);
    };
    const next = this.queue.then(write, write);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
