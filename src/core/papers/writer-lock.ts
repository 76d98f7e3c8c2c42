// One writer at a time across processes (the CLI, every VS Code window on the same storage):
// a lock file created exclusively, holding {pid, host, time, token}. Held only while a commit
// is written (seconds), never while a PDF is extracted.
//
// A lock is stale when its process is gone (same host: the pid is dead) or when it has not
// been refreshed for STALE_MS (another host, or a pid reused by an unrelated process). The
// holder refreshes its mtime while it holds it. Takeover renames the stale file away first
// (atomic: of two processes taking over, one wins) and checks it renamed the file it judged,
// putting back a live lock it took by mistake.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { FILE_MODE } from './durable-file';

export const STALE_MS = 60_000;
const HEARTBEAT_MS = 10_000;
/** A lock file with no readable content is being written (or its writer crashed right then). */
const UNREADABLE_GRACE_MS = 5_000;

export interface LockOwner {
  pid: number;
  host: string;
  time: number;
  token: string;
}

export interface HeldLock {
  /** False when another process took the lock over (it judged this one stale). */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
}

export interface LockOptions {
  /** Give up after waiting this long for a live holder (default 5 minutes). */
  timeoutMs?: number;
  staleMs?: number;
}

export async function acquireLock(file: string, opts: LockOptions = {}): Promise<HeldLock> {
  const staleMs = opts.staleMs ?? STALE_MS;
  const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
  const me: LockOwner = { pid: process.pid, host: os.hostname(), time: Date.now(), token: randomBytes(8).toString('hex') };
  for (let wait = 10; ; wait = Math.min(wait * 2, 250)) {
    if (await tryCreate(file, me)) return held(file, me);
    const seen = await inspect(file);
    if (!seen) continue; // released meanwhile
    if (isStale(seen, staleMs)) {
      await takeOver(file, seen.ino);
      continue;
    }
    if (Date.now() > deadline) {
      const who = seen.owner ? `process ${seen.owner.pid} on ${seen.owner.host} since ${new Date(seen.owner.time).toISOString()}` : 'another process';
      throw new LockTimeoutError(`The papers index is being written by ${who} and stayed locked. If no MedGemma is running, delete ${file} and try again.`);
    }
    await new Promise((r) => setTimeout(r, wait + Math.random() * wait));
  }
}

async function tryCreate(file: string, me: LockOwner): Promise<boolean> {
  let fh;
  try {
    fh = await fs.open(file, 'wx', FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await fh.writeFile(JSON.stringify({ ...me, time: Date.now() }));
  } catch (e) {
    // A full disk, say: an empty lock left behind would make every other writer wait.
    await fh.close().catch(() => undefined);
    await fs.rm(file, { force: true }).catch(() => undefined);
    throw e;
  }
  await fh.close();
  return true;
}

interface Seen {
  owner?: LockOwner;
  ino: number;
  mtimeMs: number;
}

async function inspect(file: string): Promise<Seen | undefined> {
  try {
    const st = await fs.stat(file);
    let owner: LockOwner | undefined;
    try {
      const o = JSON.parse(await fs.readFile(file, 'utf8')) as LockOwner;
      if (typeof o.pid === 'number' && typeof o.host === 'string') owner = o;
    } catch {
      owner = undefined;
    }
    return { owner, ino: st.ino, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

export function isStale(seen: { owner?: Pick<LockOwner, 'pid' | 'host'>; mtimeMs: number }, staleMs = STALE_MS): boolean {
  const age = Date.now() - seen.mtimeMs;
  if (!seen.owner) return age > UNREADABLE_GRACE_MS;
  if (seen.owner.host === os.hostname() && !pidAlive(seen.owner.pid)) return true;
  return age > staleMs;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function takeOver(file: string, judgedIno: number): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(file, aside);
  } catch {
    return; // someone else took it over or released it
  }
  try {
    if ((await fs.stat(aside)).ino !== judgedIno) {
      // Between our look and the rename, another process replaced the stale lock with its own.
      await fs.link(aside, file).catch(() => undefined);
    }
  } finally {
    await fs.rm(aside, { force: true });
  }
}

function held(file: string, me: LockOwner): HeldLock {
  const mine = async () => {
    try {
      return (JSON.parse(await fs.readFile(file, 'utf8')) as LockOwner).token === me.token;
    } catch {
      return false;
    }
  };
  const beat = setInterval(() => {
    void mine().then((yes) => (yes ? fs.utimes(file, new Date(), new Date()).catch(() => undefined) : undefined));
  }, HEARTBEAT_MS);
  beat.unref();
  return {
    stillHeld: mine,
    async release() {
      clearInterval(beat);
      // A lock taken over from us is someone else's now: leave it.
      if (await mine()) await fs.rm(file, { force: true });
    },
  };
}
