// The batch throttle: how many requests go to the server, halved when it pushes back, grown
// back one at a time, lowered when vLLM queues. A fake clock decides when time passes.
import * as assert from 'node:assert/strict';
import { Throttle, throttled, type Timers } from '../../../src/core/batch/throttle';
import { MedGemmaError } from '../../../src/core/server/errors';
import type { ChatService, StreamOptions } from '../../../src/core/server/types';

function fakeTimers() {
  let now = 1000;
  const due: { at: number; fn: () => void }[] = [];
  const timers: Timers = {
    now: () => now,
    after(ms, fn) {
      const t = { at: now + ms, fn };
      due.push(t);
      return () => due.splice(due.indexOf(t), 1);
    },
  };
  return {
    timers,
    scheduled: () => due.map((d) => d.at - now),
    advance(ms: number) {
      now += ms;
      for (const t of due.filter((d) => d.at <= now)) {
        due.splice(due.indexOf(t), 1);
        t.fn();
      }
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('batch/throttle', () => {
  it('lets `max` requests go, the next waits for a release, in order', async () => {
    const t = new Throttle(2, fakeTimers().timers);
    const order: number[] = [];
    for (const i of [1, 2, 3, 4]) void t.acquire().then(() => order.push(i));
    await tick();
    assert.deepEqual(order, [1, 2]);
    assert.equal(t.inFlight, 2);
    t.release(true);
    await tick();
    assert.deepEqual(order, [1, 2, 3]);
    t.release(true);
    await tick();
    assert.deepEqual(order, [1, 2, 3, 4]);
  });

  it('halves once per pushback, waits out the delay, then grows back one slot per `limit` good releases', async () => {
    const clock = fakeTimers();
    const t = new Throttle(8, clock.timers);
    for (let i = 0; i < 8; i++) assert.equal(await t.acquire(), true);
    t.overloaded(2000);
    t.overloaded(2000); // refused together: one signal
    assert.equal(t.limit, 4);
    for (let i = 0; i < 8; i++) t.release(false);
    let started = 0;
    for (let i = 0; i < 6; i++) void t.acquire().then(() => started++);
    await tick();
    assert.equal(started, 0, 'nothing new before the delay');
    assert.deepEqual(clock.scheduled(), [2000]);
    clock.advance(1999);
    await tick();
    assert.equal(started, 0);
    clock.advance(1);
    await tick();
    assert.equal(started, 4, 'then up to the halved limit');
    for (let i = 0; i < 4; i++) t.release(true);
    await tick();
    assert.equal(t.limit, 5, 'four good releases at limit 4 add one');
    assert.equal(started, 6);
    t.overloaded(0);
    assert.equal(t.limit, 2, 'a later pushback halves again');
  });

  it('never grows past max nor shrinks below 1', async () => {
    const t = new Throttle(1, fakeTimers().timers);
    await t.acquire();
    t.release(true);
    assert.equal(t.limit, 1);
    t.overloaded(0);
    assert.equal(t.limit, 1);
  });

  it("the server's queue lowers the limit to what is running minus what waits, at least 1; 0 waiting changes nothing", async () => {
    const t = new Throttle(8, fakeTimers().timers);
    for (let i = 0; i < 6; i++) await t.acquire();
    t.queued(0);
    assert.equal(t.limit, 8);
    t.queued(2);
    assert.equal(t.limit, 4);
    t.queued(10);
    assert.equal(t.limit, 1);
  });

  it('an aborted wait resolves false and holds no slot', async () => {
    const t = new Throttle(1, fakeTimers().timers);
    await t.acquire();
    const stop = new AbortController();
    const waiting = t.acquire(stop.signal);
    stop.abort();
    assert.equal(await waiting, false);
    assert.equal(await t.acquire(AbortSignal.abort()), false);
    t.release(true);
    assert.equal(t.inFlight, 0);
  });

  it('refuses a concurrency that is not a whole number of at least 1', () => {
    assert.throws(() => new Throttle(0), /concurrency must be a whole number of at least 1, not 0/);
    assert.throws(() => new Throttle(1.5), /not 1\.5/);
  });

  describe('throttled()', () => {
    function fakeChat(behave: (opts: StreamOptions) => Promise<void>) {
      let calls = 0;
      const chat: ChatService = {
        countTokens: async () => ({ tokens: 1, exact: true }),
        contextLength: async () => 4096,
        async chat(_req, opts = {}) {
          calls++;
          await behave(opts);
          return { text: 'ok', finishReason: 'stop', model: 'm', promptTokens: 1, maxTokens: 1 };
        },
      };
      return { chat, calls: () => calls };
    }
    const req = { messages: [{ role: 'user' as const, content: 'x' }], maxTokens: 5, temperature: 0 };

    it('429 and 503 retries halve the limit and still reach the caller; a refused connection does not', async () => {
      const t = new Throttle(4, fakeTimers().timers);
      const heard: string[] = [];
      const f = fakeChat(async (o) => {
        o.onRetry?.(1, 0, 'connection refused');
        o.onRetry?.(1, 0, 'HTTP 429');
      });
      await throttled(f.chat, t).chat(req, { onRetry: (_a, _d, r) => heard.push(r) });
      assert.deepEqual(heard, ['connection refused', 'HTTP 429']);
      assert.equal(t.limit, 2);
      const g = fakeChat(async (o) => o.onRetry?.(1, 0, 'HTTP 503'));
      await throttled(g.chat, t).chat(req);
      assert.equal(t.limit, 1);
      const h = fakeChat(async (o) => o.onRetry?.(1, 0, 'connection refused'));
      const t2 = new Throttle(4, fakeTimers().timers);
      await throttled(h.chat, t2).chat(req);
      assert.equal(t2.limit, 4);
      assert.equal(t2.inFlight, 0);
    });

    it('a rate-limited failure counts as pushback: no growth from it, and the slot is freed', async () => {
      const t = new Throttle(2, fakeTimers().timers);
      t.overloaded(0);
      assert.equal(t.limit, 1);
      const f = fakeChat(async () => {
        throw new MedGemmaError('rate-limited', 'busy');
      });
      await assert.rejects(throttled(f.chat, t).chat(req), /busy/);
      assert.equal(t.limit, 1);
      assert.equal(t.inFlight, 0);
      const ok = fakeChat(async () => undefined);
      await throttled(ok.chat, t).chat(req);
      assert.equal(t.limit, 2, 'a good one grows it back');
    });

    it('a request stopped while waiting is "cancelled" and never reaches the server', async () => {
      const t = new Throttle(1, fakeTimers().timers);
      await t.acquire();
      const f = fakeChat(async () => undefined);
      const stop = new AbortController();
      const p = throttled(f.chat, t).chat(req, { signal: stop.signal });
      stop.abort();
      const r = await p;
      assert.equal(r.finishReason, 'cancelled');
      assert.equal(r.text, '');
      assert.equal(f.calls(), 0);
    });
  });
});
