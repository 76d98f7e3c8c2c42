// The extraction worker's containment, with stand-in worker scripts: a file that stalls is
// stopped at its time limit, a stack overflow ends the worker, and in both cases the next file
// runs on a fresh worker thread.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractPdf } from '../../../src/core/papers/extract';
import { PdfError } from '../../../src/core/papers/pdf-errors';
import { tmpDir } from './make-pdf';

/**
 * A stand-in for dist/pdf-worker.js: the first byte of each request says what to do
 * (0: answer with one page naming this thread, 1: never answer, 2: report a stack overflow).
 */
const SCRIPT = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', (req) => {
  const mode = req.data[0];
  if (mode === 1) return;
  if (mode === 2) return parentPort.postMessage({ type: 'error', name: 'RangeError', message: 'Maximum call stack size exceeded' });
  parentPort.postMessage({ type: 'meta', pages: 1 });
  parentPort.postMessage({ type: 'page', page: 1, height: 800, lines: [{ text: 'Worker thread ' + threadId + ' read this page about heparin.', x: 72, y: 700, size: 11 }], ocr: false, broken: false });
  parentPort.postMessage({ type: 'done' });
});`;

describe('papers: extraction worker containment', function () {
  this.timeout(30_000);
  let workerFile: string;
  before(() => {
    workerFile = path.join(tmpDir('medgemma-fake-worker-'), 'worker.js');
    fs.writeFileSync(workerFile, SCRIPT);
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
