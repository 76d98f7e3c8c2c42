// The watchdog that reopens a webview view whose page never starts (src/vscode/webview/start-watchdog.ts).
// Its timers run on a fake clock: each wait is checked to the millisecond, and nothing depends
// on how busy the machine is.
import * as assert from 'assert';
import { StartWatchdog } from '../../../src/vscode/webview/start-watchdog';

/** Replaces the global setTimeout/clearTimeout while installed; time moves only with tick(). */
class FakeClock {
  private now = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private saved?: { set: typeof setTimeout; clear: typeof clearTimeout };

  install(): void {
    this.now = 0;
    this.timers.clear();
    this.saved = { set: globalThis.setTimeout, clear: globalThis.clearTimeout };
    globalThis.setTimeout = ((fn: () => void, ms = 0) => {
      const id = this.nextId++;
      this.timers.set(id, { at: this.now + Math.max(0, ms), fn });
      return id;
    }) as unknown as typeof setTimeout;
    globalThis.clearTimeout = ((id: number | undefined) => void (id !== undefined && this.timers.delete(id))) as typeof clearTimeout;
  }

  uninstall(): void {
    if (!this.saved) return;
    globalThis.setTimeout = this.saved.set;
    globalThis.clearTimeout = this.saved.clear;
    this.saved = undefined;
  }

  /** Moves time forward by `ms`, running each timer that falls due, in order. */
  tick(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const t of this.timers) if (t[1].at <= end && (!due || t[1].at < due[1].at)) due = t;
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }

  get pending(): number {
    return this.timers.size;
  }
}

describe('start watchdog', () => {
  const clock = new FakeClock();
  beforeEach(() => clock.install());
  afterEach(() => clock.uninstall());

  function watchdog(maxReopens = 2) {
    const calls = { reopens: 0, warnings: [] as string[] };
    const w = new StartWatchdog({
      reopen: async () => void calls.reopens++,
      warn: (m) => calls.warnings.push(m),
      firstWaitMs: 20,
      maxReopens,
    });
    return { w, calls };
  }

  it('a page that does not start in time gets its view reopened, with a warning', () => {
    const { w, calls } = watchdog();
    w.expect();
    clock.tick(19);
    assert.strictEqual(calls.reopens, 0, 'reopened before the wait was over');
    clock.tick(1);
    assert.strictEqual(calls.reopens, 1);
    assert.deepStrictEqual(calls.warnings, ["The view's page did not start within 0.02 s; reopening the view (1 of 2)."]);
  });

  it('a page that starts in time is left alone', () => {
    const { w, calls } = watchdog();
    w.expect();
    clock.tick(19);
    w.started();
    clock.tick(10_000);
    assert.strictEqual(calls.reopens, 0);
    assert.strictEqual(clock.pending, 0, 'a timer was left running');
  });

  it('a hidden view is not reopened', () => {
    const { w, calls } = watchdog();
    w.expect();
    w.cancel();
    clock.tick(10_000);
    assert.strictEqual(calls.reopens, 0);
    assert.strictEqual(clock.pending, 0, 'a timer was left running');
  });

  it('each reopen waits three times as long, and it gives up after maxReopens', () => {
    const { w, calls } = watchdog(2);
    w.expect(); // 20 ms
    clock.tick(20);
    assert.strictEqual(calls.reopens, 1);
    w.expect(); // 60 ms
    clock.tick(59);
    assert.strictEqual(calls.reopens, 1, 'the second wait is tripled');
    clock.tick(1);
    assert.strictEqual(calls.reopens, 2);
    assert.match(calls.warnings[1], /did not start within 0\.06 s; reopening the view \(2 of 2\)/);
    w.expect(); // no third reopen
    assert.strictEqual(clock.pending, 0, 'a third wait was started');
    clock.tick(10_000);
    assert.strictEqual(calls.reopens, 2);
  });

  it('a page that started resets the wait for the next load', () => {
    const { w, calls } = watchdog(2);
    w.expect();
    clock.tick(20);
    assert.strictEqual(calls.reopens, 1);
    w.started();
    w.expect(); // back to 20 ms
    clock.tick(19);
    assert.strictEqual(calls.reopens, 1);
    clock.tick(1);
    assert.strictEqual(calls.reopens, 2);
    assert.match(calls.warnings[1], /within 0\.02 s; reopening the view \(1 of 2\)/);
  });

  it('expecting again replaces the running wait instead of adding one', () => {
    const { w, calls } = watchdog(3);
    w.expect();
    clock.tick(15);
    w.expect(); // the page was loaded again: the wait starts over
    assert.strictEqual(clock.pending, 1);
    clock.tick(15);
    assert.strictEqual(calls.reopens, 0);
    clock.tick(5);
    assert.strictEqual(calls.reopens, 1);
  });
});
