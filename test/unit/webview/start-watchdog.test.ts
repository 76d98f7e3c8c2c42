// The watchdog that reopens a webview view whose page never starts (src/vscode/webview/start-watchdog.ts).
import * as assert from 'assert';
import { StartWatchdog } from '../../../src/vscode/webview/start-watchdog';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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

describe('start watchdog', () => {
  it('a page that does not start in time gets its view reopened, with a warning', async () => {
    const { w, calls } = watchdog();
    w.expect();
    await sleep(60);
    assert.strictEqual(calls.reopens, 1);
    assert.match(calls.warnings[0], /did not start within 0\.02 s; reopening the view \(1 of 2\)/);
  });

  it('a page that starts in time is left alone', async () => {
    const { w, calls } = watchdog();
    w.expect();
    w.started();
    await sleep(60);
    assert.strictEqual(calls.reopens, 0);
  });

  it('a hidden view is not reopened', async () => {
    const { w, calls } = watchdog();
    w.expect();
    w.cancel();
    await sleep(60);
    assert.strictEqual(calls.reopens, 0);
  });

  it('each reopen waits three times as long, and it gives up after maxReopens', async () => {
    const { w, calls } = watchdog(2);
    w.expect(); // 20 ms
    await sleep(35);
    assert.strictEqual(calls.reopens, 1);
    w.expect(); // 60 ms
    await sleep(35);
    assert.strictEqual(calls.reopens, 1, 'the second wait is tripled');
    await sleep(60);
    assert.strictEqual(calls.reopens, 2);
    w.expect(); // no third reopen
    await sleep(120);
    assert.strictEqual(calls.reopens, 2);
  });

  it('a page that started resets the wait for the next load', async () => {
    const { w, calls } = watchdog(2);
    w.expect();
    await sleep(35);
    assert.strictEqual(calls.reopens, 1);
    w.started();
    w.expect(); // back to 20 ms
    await sleep(35);
    assert.strictEqual(calls.reopens, 2);
  });
});
