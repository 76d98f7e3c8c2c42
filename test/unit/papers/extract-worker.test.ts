// The extraction worker's containment, with stand-in worker scripts: a file that stalls is
// stopped at its time limit, a stack overflow ends the worker, and in both cases the next file
// runs on a fresh worker thread. The pool: as many files at once as its size, each on its own
// thread, the rest waiting their turn (or their cancel).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractPdf } from '../../../src/core/papers/extract';
import { PdfError } from '../../../src/core/papers/pdf-errors';
import { defaultPoolSize, threadCount } from '../../../src/core/papers/worker-pool';
import { tmpDir } from './make-pdf';

/**
 * A stand-in for dist/pdf-worker.js: the first byte of each request says what to do
 * (0: answer with one page naming this thread, 1: never answer, 2: report a stack overflow,
 * 3: write a file "started-<byte 1>" into the folder GATE and answer only once GATE/open exists).
 */
const script = (gate: string) => `
const fs = require('node:fs');
const path = require('node:path');
const { parentPort, threadId } = require('node:worker_threads');
const answer = () => {
  parentPort.postMessage({ type: 'meta', pages: 1 });
  parentPort.postMessage({ type: 'page', page: 1, height: 800, lines: [{ text: 'Worker thread ' + threadId + ' read this page about heparin.', x: 72, y: 700, size: 11 }], ocr: false, broken: false });
  parentPort.postMessage({ type: 'done' });
};
parentPort.on('message', (req) => {
  const mode = req.data[0];
  if (mode === 1) return;
  if (mode === 2) return parentPort.postMessage({ type: 'error', name: 'RangeError', message: 'Maximum call stack size exceeded' });
  if (mode === 3) {
    const gate = ${JSON.stringify(gate)};
    fs.writeFileSync(path.join(gate, 'started-' + req.data[1]), String(threadId));
    const wait = setInterval(() => fs.existsSync(path.join(gate, 'open')) && (clearInterval(wait), answer()), 20);
    return;
  }
  answer();
});`;

describe('papers: extraction worker containment', function () {
  this.timeout(30_000);
  let workerFile: string;
  before(() => {
    workerFile = path.join(tmpDir('medgemma-fake-worker-'), 'worker.js');
    fs.writeFileSync(workerFile, script(path.dirname(workerFile)));
  });
  const run = (mode: number, timeLimitMs = 10_000) => extractPdf(Uint8Array.of(mode), `mode${mode}.pdf`, { workerFile, timeLimitMs });
  /** Which worker thread read the file. */
  const thread = async (mode: number) => (await run(mode)).paragraphs.map((p) => p.text).join(' ').match(/Worker thread (\d+)/)?.[1];

  it('keeps one worker across files while they succeed', async () => {
    const a = await thread(0);
    assert.ok(a);
    assert.equal(await thread(0), a);
  });

  it('stops a file that stalls at its time limit, and the next file gets a fresh worker', async () => {
    const before = await thread(0);
    const t0 = Date.now();
    await assert.rejects(run(1, 300), (e: unknown) => e instanceof PdfError && e.kind === 'too-slow' && /^mode1\.pdf took more than 0.3 s to read, so it was stopped/.test(e.message));
    assert.ok(Date.now() - t0 < 2000, `stopped after ${Date.now() - t0} ms`);
    const after = await thread(0);
    assert.ok(after);
    assert.notEqual(after, before);
  });

  it('a stack overflow fails that file alone with a sentence, and ends its worker', async () => {
    const before = await thread(0);
    await assert.rejects(run(2), (e: unknown) => e instanceof PdfError && /^mode2\.pdf is built in a way that exhausts the PDF reader/.test(e.message) && !/RangeError|stack/.test(e.message));
    const after = await thread(0);
    assert.ok(after);
    assert.notEqual(after, before);
  });
});

describe('papers: the extraction pool', function () {
  this.timeout(30_000);
  let gate: string;
  let workerFile: string;
  beforeEach(() => {
    gate = tmpDir('medgemma-pool-');
    workerFile = path.join(gate, 'worker.js');
    fs.writeFileSync(workerFile, script(gate));
  });
  const started = () => fs.readdirSync(gate).filter((f) => f.startsWith('started-')).sort();
  const waitFor = async (what: string, ok: () => boolean) => {
    for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(ok(), `never: ${what} (started: ${started().join(', ')})`);
  };
  const read = (n: number, poolSize: number, signal?: AbortSignal) => extractPdf(Uint8Array.of(3, n), `paper${n}.pdf`, { workerFile, poolSize, signal });
  const threadOf = (x: Awaited<ReturnType<typeof read>>) => x.paragraphs[0].text.match(/Worker thread (\d+)/)![1];

  it('reads as many files at once as its size, each on its own thread; the next waits for a free one and reuses it', async () => {
    const jobs = [1, 2, 3].map((n) => read(n, 2));
    await waitFor('two files started', () => started().length === 2);
    // Both are being read at once, neither has answered: the third has no thread yet.
    assert.deepEqual(started(), ['started-1', 'started-2']);
    assert.equal(threadCount(workerFile), 2);
    const [t1, t2] = started().map((f) => fs.readFileSync(path.join(gate, f), 'utf8'));
    assert.notEqual(t1, t2);
    fs.writeFileSync(path.join(gate, 'open'), '');
    const threads = (await Promise.all(jobs)).map(threadOf);
    assert.deepEqual(threads.slice(0, 2), [t1, t2]);
    assert.ok([t1, t2].includes(threads[2]), `the third file ran on a new thread ${threads[2]}`);
    assert.equal(threadCount(workerFile), 2);
  });

  it('a file cancelled while it waits for a thread is never sent; the others go on', async () => {
    const first = read(1, 1);
    const c = new AbortController();
    const second = read(2, 1, c.signal);
    await waitFor('the first file started', () => started().length === 1);
    c.abort();
    await assert.rejects(second, (e: unknown) => e instanceof PdfError && e.kind === 'cancelled' && e.message === 'Indexing paper2.pdf was cancelled.');
    const third = read(3, 1);
    fs.writeFileSync(path.join(gate, 'open'), '');
    await Promise.all([first, third]);
    assert.deepEqual(started(), ['started-1', 'started-3']);
  });

  it('a cancel while a file is read ends that thread alone', async () => {
    const c = new AbortController();
    const cancelled = read(1, 2, c.signal);
    const other = read(2, 2);
    await waitFor('both started', () => started().length === 2);
    c.abort();
    await assert.rejects(cancelled, (e: unknown) => e instanceof PdfError && e.kind === 'cancelled');
    await waitFor('the cancelled thread gone', () => threadCount(workerFile) === 1);
    fs.writeFileSync(path.join(gate, 'open'), '');
    assert.match((await other).paragraphs[0].text, /heparin/);
  });

  it('defaults to one thread per core but one, at least 1 and at most 4', () => {
    assert.deepEqual([1, 2, 3, 4, 8, 64].map(defaultPoolSize), [1, 1, 2, 3, 4, 4]);
  });
});
