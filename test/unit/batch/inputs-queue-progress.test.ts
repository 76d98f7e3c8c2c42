// The small parts of a batch: which files a folder holds, what vLLM's /metrics says about its
// queue, and the progress line.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isBatchInputError, listInputs } from '../../../src/core/batch/inputs';
import { progressLine } from '../../../src/core/batch/progress';
import { requestsWaiting, watchQueue } from '../../../src/core/batch/queue';
import { Throttle, type Timers } from '../../../src/core/batch/throttle';

describe('batch/inputs', () => {
  let dir: string;
  const put = (rel: string, data: string | Buffer = 'x') => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
  };
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-inputs-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('walks folders in name order; skips hidden, node_modules and README-like files; keeps what is named', async () => {
    for (const f of ['b.txt', 'a.MD', 'sub/c.note', 'sub/d.pdf', '.hidden/e.txt', '.f.txt', 'node_modules/g.txt', 'README.md', 'LICENSE', 'CHANGELOG.txt']) put(f);
    const found = await listInputs([dir], 'notes');
    assert.deepEqual(found.map((f) => path.relative(dir, f)), ['a.MD', 'b.txt', path.join('sub', 'c.note')]);
    const named = await listInputs([path.join(dir, 'README.md'), dir, path.join(dir, 'b.txt')], 'notes', path.join(dir, 'a.MD'));
    assert.deepEqual(named.map((f) => path.relative(dir, f)), ['README.md', 'b.txt', path.join('sub', 'c.note')], 'each once, the results file never');
  });

  it('images: by extension, and DICOM without one by its preamble; a folder link loop is skipped', async () => {
    const dicom = Buffer.alloc(132);
    dicom.write('DICM', 128, 'latin1');
    put('IM0001', dicom);
    put('notdicom', Buffer.alloc(200));
    put('x.PNG');
    put('y.jpeg');
    put('z.txt');
    fs.symlinkSync(dir, path.join(dir, 'loop'));
    fs.symlinkSync(path.join(dir, 'x.PNG'), path.join(dir, 'w-link.png'));
    const found = await listInputs([dir], 'images');
    assert.deepEqual(found.map((f) => path.basename(f)), ['IM0001', 'w-link.png', 'x.PNG', 'y.jpeg']);
  });

  it('a path that does not exist is an error naming it', async () => {
    const e = await listInputs([path.join(dir, 'gone')], 'images').then(() => assert.fail('listed'), (x: unknown) => x);
    assert.ok(isBatchInputError(e));
    assert.match((e as Error).message, /gone does not exist\. Give image files or folders that hold them$/);
  });
});

describe('batch/queue', () => {
  it("reads vLLM's waiting requests, summed over engines and models", () => {
    const text = [
      '# HELP vllm:num_requests_waiting Number of requests waiting to be processed.',
      '# TYPE vllm:num_requests_waiting gauge',
      'vllm:num_requests_waiting{engine="0",model_name="medgemma"} 3.0',
      'vllm:num_requests_waiting{engine="1",model_name="medgemma"} 2 1733400000000',
      'vllm:num_requests_running{engine="0",model_name="medgemma"} 8.0',
      'vllm:num_requests_waiting_total{engine="0"} 99',
      'vllm:num_requests_waiting{engine="2"} NaN',
      'vllm:num_requests_waiting{engine="3"} -1',
    ].join('\n');
    assert.equal(requestsWaiting(text), 5);
    assert.equal(requestsWaiting('vllm:num_requests_waiting 0'), 0);
    assert.equal(requestsWaiting('vllm:num_requests_running 4\n'), undefined);
  });

  it('watchQueue tells the throttle each tick, goes on after an unreadable answer, stops at "not told" and on abort', async () => {
    const ticks: (() => void)[] = [];
    const timers: Timers = { now: () => 0, after: (_ms, fn) => (ticks.push(fn), () => undefined) };
    const answers: (number | null | undefined)[] = [0, undefined, 3, null];
    const t = new Throttle(8, timers);
    for (let i = 0; i < 6; i++) await t.acquire();
    const stop = new AbortController();
    let read = 0;
    const done = watchQueue(async () => answers[read++], t, stop.signal, timers, 1000);
    const settle = () => new Promise((r) => setImmediate(r));
    await settle();
    assert.equal(t.limit, 8);
    ticks.shift()!();
    await settle();
    assert.equal(t.limit, 8, 'an unreadable answer changes nothing');
    ticks.shift()!();
    await settle();
    assert.equal(t.limit, 3, '6 running, 3 waiting');
    ticks.shift()!();
    await done;
    assert.equal(read, 4);
    assert.equal(ticks.length, 0, 'no more reads after "not told"');
    const stopped = new AbortController();
    stopped.abort();
    await watchQueue(async () => assert.fail('read after abort'), t, stopped.signal, timers);
  });
});

describe('batch/progress', () => {
  const p = (o: Partial<Parameters<typeof progressLine>[0]>) => ({ total: 10_000, skipped: 0, ok: 0, failed: 0, inFlight: 0, completionTokens: 0, ...o });
  it('says how far, how fast and how long, with thousands separators', () => {
    assert.equal(progressLine(p({}), 0), '0 of 10,000');
    assert.equal(progressLine(p({ ok: 100, completionTokens: 5000 }), 500), '100 of 10,000', 'no rate before a second');
    assert.equal(progressLine(p({ ok: 1200, failed: 3, skipped: 2000, completionTokens: 81_200 }), 100_000), '3,203 of 10,000 · 3 failed · 2,000 done before · 812 tokens/s · about 9 min left');
    assert.equal(progressLine(p({ total: 10, ok: 5 }), 5000), '5 of 10 · about 5 s left');
    assert.equal(progressLine(p({ ok: 100 }), 60_000), '100 of 10,000 · about 1 h 39 min left');
    assert.equal(progressLine(p({ total: 3, ok: 3, completionTokens: 30 }), 3000), '3 of 3 · 10 tokens/s');
  });
});
