// The papers library's writer lock (core/papers/writer-lock.ts): the lock file it creates, waiting
// for a live holder and giving up at the deadline (exact message), when a lock is stale (dead
// pid on this host, no refresh for staleMs, unreadable for 5 s) and how it is taken over
// (putting back a live lock swapped in meanwhile), the heartbeat, and release.
// Time is Date.now replaced by hand; the heartbeat's timer is captured, never waited for.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireLock, isStale, LockTimeoutError, STALE_MS } from '../../../src/core/papers/writer-lock';

const HOST = os.hostname();
const T0 = 1_700_000_000_000; // 2023-11-14T22:13:20.000Z

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A pid that belonged to a process that has exited (one child, run once per file). */
let dead: number | undefined;
function deadPid(): number {
  if (dead === undefined) {
    const r = spawnSync(process.execPath, ['-e', '']);
    assert.equal(typeof r.pid, 'number');
    dead = r.pid;
  }
  assert.throws(() => process.kill(dead!, 0), { code: 'ESRCH' });
  return dead;
}

/** Date.now answers `clock.now` until restored. */
function fakeClock(now: number): { now: number; restore(): void } {
  const real = Date.now;
  const clock = {
    now,
    restore: () => {
      Date.now = real;
    },
  };
  Date.now = () => clock.now;
  return clock;
}

/** Whether the promise settles within ms: 'resolved', 'rejected' or 'pending'. */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<string> {
  let state = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  await sleep(ms);
  return state;
}

describe('papers: writer lock', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-writer-lock-'));
    file = path.join(dir, 'library.lock');
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const readLock = () => JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number; host: string; time: number; token: string };
  const writeLock = (owner: unknown, mtimeMs?: number) => {
    fs.writeFileSync(file, typeof owner === 'string' ? owner : JSON.stringify(owner));
    if (mtimeMs !== undefined) fs.utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
  };
  const timeoutMessage = (who: string) => `The papers index is being written by ${who} and stayed locked. If no MedGemma is running, delete ${file} and try again.`;

  describe('taking and releasing', () => {
    it('creates a private lock file naming this process, its host, the time and a random token', async () => {
      const before = Date.now();
      const lock = await acquireLock(file);
      const after = Date.now();
      try {
        const owner = readLock();
        assert.deepEqual(Object.keys(owner).sort(), ['host', 'pid', 'time', 'token']);
        assert.equal(owner.pid, process.pid);
        assert.equal(owner.host, HOST);
        assert.match(owner.token, /^[0-9a-f]{16}$/);
        assert.ok(owner.time >= before && owner.time <= after, `time ${owner.time}`);
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.equal(await lock.stillHeld(), true);
      } finally {
        await lock.release();
      }
      assert.equal(fs.existsSync(file), false);
    });

    it('gives each holder its own token', async () => {
      const a = await acquireLock(file);
      const first = readLock().token;
      await a.release();
      const b = await acquireLock(file);
      assert.notEqual(readLock().token, first);
      await b.release();
    });

    it('releasing twice is harmless and removes nothing of a later holder', async () => {
      const a = await acquireLock(file);
      await a.release();
      const b = await acquireLock(file);
      const token = readLock().token;
      await a.release();
      assert.equal(readLock().token, token);
      assert.equal(await b.stillHeld(), true);
      await b.release();
      assert.equal(fs.existsSync(file), false);
    });

    it('knows when another process took the lock over, and then leaves that one’s lock alone', async () => {
      const lock = await acquireLock(file);
      const theirs = { pid: process.pid, host: HOST, time: Date.now(), token: 'theirs' };
      writeLock(theirs);
      assert.equal(await lock.stillHeld(), false);
      await lock.release();
      assert.deepEqual(readLock(), theirs);
    });

    it('leaves a lock file it cannot read on release (it is not provably its own)', async () => {
      const lock = await acquireLock(file);
      writeLock('{"pid":');
      assert.equal(await lock.stillHeld(), false);
      await lock.release();
      assert.equal(fs.readFileSync(file, 'utf8'), '{"pid":');
    });

    it('reports a lock that vanished as no longer held', async () => {
      const lock = await acquireLock(file);
      fs.rmSync(file);
      assert.equal(await lock.stillHeld(), false);
      await lock.release();
    });

    it('closes the lock file it wrote', async () => {
      const fsp = fs.promises as unknown as Record<string, unknown>;
      const realOpen = fs.promises.open;
      const log: string[] = [];
      fsp.open = async (...args: Parameters<typeof realOpen>) => {
        const fh = await realOpen(...args);
        log.push(`open ${args[1]}`);
        const close = fh.close.bind(fh);
        fh.close = () => {
          log.push('close');
          return close();
        };
        return fh;
      };
      let lock;
      try {
        lock = await acquireLock(file);
      } finally {
        fsp.open = realOpen;
      }
      await lock.release();
      assert.deepEqual(log, ['open wx', 'close']);
    });

    it('takes the lock when its holder released it between the attempt and the look', async () => {
      writeLock({ pid: process.pid, host: HOST, time: T0, token: 'leaving' });
      const fsp = fs.promises as unknown as Record<string, unknown>;
      const realStat = fs.promises.stat;
      let released = 0;
      fsp.stat = async (...args: Parameters<typeof realStat>) => {
        if (args[0] === file && !released++) fs.rmSync(file);
        return realStat(...args);
      };
      let lock;
      try {
        lock = await acquireLock(file, { timeoutMs: 0 });
      } finally {
        fsp.stat = realStat;
      }
      assert.equal(released, 1);
      assert.equal(readLock().pid, process.pid);
      await lock.release();
    });

    it('removes the lock file it created when writing its content fails (a full disk), and fails with that error', async () => {
      const fsp = fs.promises as unknown as Record<string, unknown>;
      const realOpen = fs.promises.open;
      let closed = 0;
      fsp.open = async (...args: Parameters<typeof realOpen>) => {
        const fh = await realOpen(...args);
        fh.writeFile = () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
        const close = fh.close.bind(fh);
        fh.close = () => (closed++, close());
        return fh;
      };
      await assert.rejects(acquireLock(file, { timeoutMs: 0 }), (e: NodeJS.ErrnoException) => e.code === 'ENOSPC').finally(() => (fsp.open = realOpen));
      assert.deepEqual([fs.existsSync(file), closed], [false, 1]);
      // The next writer takes it at once.
      const lock = await acquireLock(file, { timeoutMs: 0 });
      assert.equal(readLock().pid, process.pid);
      await lock.release();
    });

    it('fails with the file system’s error when the lock cannot be created (missing folder)', async () => {
      await assert.rejects(acquireLock(path.join(dir, 'missing', 'library.lock'), { timeoutMs: 0 }), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    });
  });

  describe('waiting for a live holder', () => {
    it('waits while another holder has the lock, and takes it once released', async () => {
      const first = await acquireLock(file);
      const firstToken = readLock().token;
      const second = acquireLock(file, { timeoutMs: 10_000 });
      assert.equal(await settledWithin(second, 60), 'pending');
      await first.release();
      const lock = await second;
      assert.notEqual(readLock().token, firstToken);
      assert.equal(await lock.stillHeld(), true);
      await lock.release();
    });

    it('gives up with LockTimeoutError naming the holder, its host and since when', async () => {
      const owner = { pid: process.pid, host: HOST, time: T0, token: 'live' };
      writeLock(owner);
      await assert.rejects(acquireLock(file, { timeoutMs: 0 }), (e: Error) => {
        assert.ok(e instanceof LockTimeoutError);
        assert.equal(e.name, 'LockTimeoutError');
        assert.equal(e.message, timeoutMessage(`process ${process.pid} on ${HOST} since 2023-11-14T22:13:20.000Z`));
        return true;
      });
      assert.deepEqual(readLock(), owner, 'the live lock is left as it was');
    });

    for (const [what, content] of [
      ['no readable content', '{"pid": 12'],
      ['a pid that is not a number', JSON.stringify({ pid: '12', host: HOST, time: T0, token: 't' })],
      ['a host that is not a string', JSON.stringify({ pid: 12, host: 7, time: T0, token: 't' })],
    ]) {
      it(`names "another process" for a fresh lock with ${what}`, async () => {
        writeLock(content);
        await assert.rejects(acquireLock(file, { timeoutMs: 0 }), (e: Error) => e instanceof LockTimeoutError && e.message === timeoutMessage('another process'));
        assert.equal(fs.readFileSync(file, 'utf8'), content);
      });
    }

    it('looks again after 10 ms, doubling up to 250 ms, each wait up to twice as long at random (timer captured)', async () => {
      writeLock({ pid: process.pid, host: HOST, time: T0, token: 'live' });
      const realTimeout = global.setTimeout;
      const realRandom = Math.random;
      const delays: (number | undefined)[] = [];
      Math.random = () => 0.5;
      global.setTimeout = ((fn: () => void, ms?: number) => {
        delays.push(ms);
        if (delays.length === 8) fs.rmSync(file); // the holder lets go during the 8th wait
        return realTimeout(fn, 0);
      }) as typeof setTimeout;
      let lock;
      try {
        lock = await acquireLock(file, { timeoutMs: 60_000 });
      } finally {
        global.setTimeout = realTimeout;
        Math.random = realRandom;
      }
      await lock.release();
      // wait × (1 + 0.5): 10, 20, 40, 80, 160, then 250 on.
      assert.deepEqual(delays, [15, 30, 60, 120, 240, 375, 375, 375]);
    });

    describe('the deadline (Date.now replaced)', () => {
      let clock: { now: number; restore(): void } | undefined;
      afterEach(() => clock?.restore());

      it('still waits when the clock is exactly at the deadline', async () => {
        writeLock({ pid: process.pid, host: HOST, time: T0, token: 'live' });
        clock = fakeClock(Date.now());
        const start = clock.now;
        const got = acquireLock(file, { timeoutMs: 1000 });
        clock.now = start + 1000;
        assert.equal(await settledWithin(got, 120), 'pending');
        fs.rmSync(file);
        const lock = await got;
        await lock.release();
      });

      it('gives up 1 ms past the deadline', async () => {
        writeLock({ pid: process.pid, host: HOST, time: T0, token: 'live' });
        clock = fakeClock(Date.now());
        const start = clock.now;
        const got = acquireLock(file, { timeoutMs: 1000 });
        clock.now = start + 1001;
        await assert.rejects(got, LockTimeoutError);
      });

      it('waits 5 minutes by default', async () => {
        writeLock({ pid: process.pid, host: HOST, time: T0, token: 'live' });
        clock = fakeClock(Date.now());
        const start = clock.now;
        // staleMs kept out of the way: the lock would be stale after a minute without a refresh.
        const got = acquireLock(file, { staleMs: 1e9 });
        clock.now = start + 300_000;
        assert.equal(await settledWithin(got, 120), 'pending');
        clock.now = start + 300_001;
        await assert.rejects(got, LockTimeoutError);
      });
    });
  });

  describe('stale locks', () => {
    it('takes over at once the lock of a dead process on this host, leaving no file aside', async () => {
      writeLock({ pid: deadPid(), host: HOST, time: Date.now(), token: 'dead' });
      const lock = await acquireLock(file, { timeoutMs: 0 });
      assert.equal(readLock().pid, process.pid);
      assert.notEqual(readLock().token, 'dead');
      assert.deepEqual(fs.readdirSync(dir), ['library.lock']);
      await lock.release();
    });

    it('does not take over a fresh lock of a dead pid on another host (its pids are not ours)', async () => {
      writeLock({ pid: deadPid(), host: `${HOST}-other`, time: Date.now(), token: 'remote' });
      await assert.rejects(acquireLock(file, { timeoutMs: 0 }), LockTimeoutError);
      assert.equal(readLock().token, 'remote');
    });

    it('takes over another host’s lock not refreshed for staleMs', async () => {
      writeLock({ pid: 1, host: `${HOST}-other`, time: T0, token: 'remote' }, Date.now() - 5000);
      const lock = await acquireLock(file, { timeoutMs: 0, staleMs: 1000 });
      assert.equal(readLock().pid, process.pid);
      assert.deepEqual(fs.readdirSync(dir), ['library.lock']);
      await lock.release();
    });

    it('keeps waiting on another host’s lock refreshed within staleMs', async () => {
      writeLock({ pid: 1, host: `${HOST}-other`, time: T0, token: 'remote' }, Date.now() - 5000);
      await assert.rejects(acquireLock(file, { timeoutMs: 0, staleMs: 60_000 }), LockTimeoutError);
      assert.equal(readLock().token, 'remote');
    });

    it('takes over an unreadable lock file older than 5 seconds', async () => {
      writeLock('', Date.now() - 10_000);
      const lock = await acquireLock(file, { timeoutMs: 0 });
      assert.equal(readLock().pid, process.pid);
      await lock.release();
    });

    it('tries again when another process moved the stale lock away first', async () => {
      writeLock({ pid: deadPid(), host: HOST, time: T0, token: 'dead' });
      const fsp = fs.promises as { rename: typeof fs.promises.rename };
      const realRename = fsp.rename;
      let raced = 0;
      fsp.rename = async (from, to) => {
        // The other process's takeover renames the stale file just before ours.
        if (from === file && !raced++) fs.renameSync(file, `${file}.stale-other`);
        return realRename(from, to);
      };
      let lock;
      try {
        lock = await acquireLock(file, { timeoutMs: 0 });
      } finally {
        fsp.rename = realRename;
      }
      assert.equal(raced, 1);
      assert.equal(readLock().pid, process.pid);
      await lock.release();
    });

    it('puts back a live lock another process put in place just before the takeover', async () => {
      writeLock({ pid: deadPid(), host: HOST, time: T0, token: 'dead' });
      const live = { pid: process.pid, host: HOST, time: T0, token: 'live' };
      const fsp = fs.promises as { rename: typeof fs.promises.rename };
      const realRename = fsp.rename;
      let swapped = 0;
      fsp.rename = async (from, to) => {
        if (from === file && !swapped++) {
          // Another process replaces the stale lock with its own (a new file, a new inode).
          fs.writeFileSync(`${file}.other`, JSON.stringify(live));
          fs.renameSync(`${file}.other`, file);
        }
        return realRename(from, to);
      };
      try {
        await assert.rejects(acquireLock(file, { timeoutMs: 0 }), (e: Error) => e instanceof LockTimeoutError && e.message.includes(`process ${process.pid} on ${HOST}`));
      } finally {
        fsp.rename = realRename;
      }
      assert.equal(swapped, 1);
      assert.deepEqual(readLock(), live);
      assert.deepEqual(fs.readdirSync(dir), ['library.lock']);
    });
  });

  describe('isStale (Date.now replaced)', () => {
    let clock: { now: number; restore(): void };
    beforeEach(() => {
      clock = fakeClock(T0);
    });
    afterEach(() => clock.restore());
    const aged = (ms: number) => T0 - ms;

    it('judges a lock without a readable owner stale after 5 seconds, not at 5 seconds', () => {
      assert.equal(isStale({ mtimeMs: aged(5000) }), false);
      assert.equal(isStale({ mtimeMs: aged(5001) }), true);
    });

    it('judges another host’s lock stale after STALE_MS (60 s) without a refresh, not at it', () => {
      assert.equal(STALE_MS, 60_000);
      const owner = { pid: 1, host: `${HOST}-other` };
      assert.equal(isStale({ owner, mtimeMs: aged(0) }), false);
      assert.equal(isStale({ owner, mtimeMs: aged(60_000) }), false);
      assert.equal(isStale({ owner, mtimeMs: aged(60_001) }), true);
    });

    it('uses the staleMs given', () => {
      const owner = { pid: 1, host: `${HOST}-other` };
      assert.equal(isStale({ owner, mtimeMs: aged(10) }, 10), false);
      assert.equal(isStale({ owner, mtimeMs: aged(11) }, 10), true);
    });

    it('judges a lock of a dead process on this host stale however fresh', () => {
      assert.equal(isStale({ owner: { pid: deadPid(), host: HOST }, mtimeMs: aged(0) }), true);
    });

    it('judges a live process’s lock on this host by its age (a pid may be reused)', () => {
      const owner = { pid: process.pid, host: HOST };
      assert.equal(isStale({ owner, mtimeMs: aged(60_000) }), false);
      assert.equal(isStale({ owner, mtimeMs: aged(60_001) }), true);
    });

    it('counts a process of another user (pid 1) as alive', () => {
      assert.equal(isStale({ owner: { pid: 1, host: HOST }, mtimeMs: aged(0) }), false);
    });

    for (const [code, stale] of [
      ['EPERM', false],
      ['ESRCH', true],
    ] as const) {
      it(`counts a process that cannot be signalled (${code}, injected) as ${stale ? 'dead' : 'alive'}`, () => {
        const realKill = process.kill;
        const asked: [number, string | number | undefined][] = [];
        process.kill = ((pid: number, signal?: string | number) => {
          asked.push([pid, signal]);
          throw Object.assign(new Error(code), { code });
        }) as typeof process.kill;
        try {
          assert.equal(isStale({ owner: { pid: 4321, host: HOST }, mtimeMs: aged(0) }), stale);
        } finally {
          process.kill = realKill;
        }
        assert.deepEqual(asked, [[4321, 0]], 'signal 0: a question, not a kill');
      });
    }
  });

  describe('heartbeat (timer captured)', () => {
    let realSet: typeof setInterval;
    let realClear: typeof clearInterval;
    let timer: { fn: () => void; ms: number | undefined; unrefd: boolean; cleared: boolean };
    beforeEach(() => {
      realSet = global.setInterval;
      realClear = global.clearInterval;
      const handle = {
        unref() {
          timer.unrefd = true;
          return handle;
        },
      };
      global.setInterval = ((fn: () => void, ms?: number) => {
        timer = { fn, ms, unrefd: false, cleared: false };
        return handle;
      }) as unknown as typeof setInterval;
      global.clearInterval = ((h: unknown) => {
        if (h === handle) timer.cleared = true;
      }) as typeof clearInterval;
    });
    afterEach(() => {
      global.setInterval = realSet;
      global.clearInterval = realClear;
    });

    const mtime = () => fs.statSync(file).mtimeMs;
    const untilChanged = async (from: number) => {
      for (let i = 0; i < 100 && mtime() === from; i++) await sleep(10);
    };

    it('refreshes the lock’s time every 10 seconds on a timer that never keeps the process alive', async () => {
      const lock = await acquireLock(file);
      assert.equal(timer.ms, 10_000);
      assert.equal(timer.unrefd, true);
      fs.utimesSync(file, T0 / 1000, T0 / 1000);
      timer.fn();
      await untilChanged(T0);
      assert.ok(mtime() > T0 + 1000, 'the refresh sets the modification time to now');
      await lock.release();
      assert.equal(timer.cleared, true);
    });

    it('does not refresh a lock another process took over', async () => {
      const lock = await acquireLock(file);
      writeLock({ pid: process.pid, host: HOST, time: T0, token: 'theirs' }, T0);
      timer.fn();
      await sleep(60);
      assert.equal(mtime(), T0);
      await lock.release();
      assert.equal(timer.cleared, true);
      assert.equal(readLock().token, 'theirs');
    });
  });
});
