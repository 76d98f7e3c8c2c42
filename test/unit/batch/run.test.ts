// runBatch with jobs made for the test: what is recorded, skipped, stopped, and how many run at
// once. The real jobs (summary, image) are tested through the CLI in test/unit/cli/batch*.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openResults, type ResultsFile } from '../../../src/core/batch/results';
import { runBatch, type BatchJob, type ItemOutcome } from '../../../src/core/batch/run';
import { MedGemmaError } from '../../../src/core/server/errors';

type Line = Record<string, unknown> & { file: string; status: string; error: string | null; errorKind: string | null };

describe('batch/run', () => {
  let dir: string;
  let out: string;
  const files: string[] = [];
  const lines = (): Line[] =>
    fs
      .readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
  const open = (): Promise<ResultsFile> => openResults(out, ['file', 'sha256', 'v']);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-run-'));
    out = path.join(dir, 'out.jsonl');
    files.length = 0;
    for (let i = 0; i < 6; i++) {
      const f = path.join(dir, `n${i}.txt`);
      fs.writeFileSync(f, `note ${i}\n`);
      files.push(f);
    }
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A job whose sends answer per file name: `plan(name)` gives the outcome or throws. */
  function job(plan: (name: string, signal: AbortSignal) => Promise<ItemOutcome> | ItemOutcome, extra: Partial<BatchJob> = {}): BatchJob & { concurrent: number; maxConcurrent: number } {
    const j = {
      fields: { v: 1 },
      keyFields: ['file', 'sha256', 'v'],
      maxBytes: 1000,
      prepareSlots: Infinity,
      noun: 'note',
      concurrent: 0,
      maxConcurrent: 0,
      async prepare(file: string) {
        return async (signal: AbortSignal) => {
          j.concurrent++;
          j.maxConcurrent = Math.max(j.maxConcurrent, j.concurrent);
          try {
            await new Promise((r) => setImmediate(r));
            return await plan(path.basename(file), signal);
          } finally {
            j.concurrent--;
          }
        };
      },
      ...extra,
    };
    return j;
  }
  const ok = (name: string): ItemOutcome => ({ ok: true, record: { answer: name }, usage: { promptTokens: 1, completionTokens: 3, totalTokens: 4 } });

  /**
   * A plan whose sends each wait until another send starts beside them (or until no other can
   * start: every input's send has begun), so overlap is shown without timing. A runBatch that
   * sends one at a time never releases the first send, and the test times out.
   */
  function meeting(j: () => { concurrent: number }) {
    let started = 0;
    const waiting: (() => void)[] = [];
    return async (name: string): Promise<ItemOutcome> => {
      started++;
      for (const wake of waiting.splice(0)) wake();
      if (j().concurrent < 2 && started < files.length) await new Promise<void>((res) => waiting.push(res));
      return ok(name);
    };
  }

  it('records each input with its hash and the job fields; counts add up; concurrency is kept', async () => {
    const j = job(meeting(() => j));
    const results = await open();
    const seen: number[] = [];
    const s = await runBatch(files, j, results, { concurrency: 2, onProgress: (p) => seen.push(p.ok + p.failed + p.skipped) });
    results.close();
    assert.deepEqual([s.total, s.ok, s.failed, s.skipped, s.completionTokens, s.stopped], [6, 6, 0, 0, 18, undefined]);
    assert.equal(j.maxConcurrent, 2);
    // One report per input as it ends (two ending together both report the later count).
    assert.equal(seen.length, 6);
    assert.ok(seen.every((n, i) => n >= i + 1 && (i === 0 || n >= seen[i - 1])), JSON.stringify(seen));
    assert.equal(seen.at(-1), 6);
    const ls = lines();
    assert.deepEqual(ls.map((l) => path.basename(l.file)).sort(), files.map((f) => path.basename(f)));
    const first = ls.find((l) => l.file === files[0])!;
    // sha256 of "note 0\n"
    assert.deepEqual(first, { file: files[0], sha256: createHash('sha256').update('note 0\n').digest('hex'), status: 'ok', v: 1, answer: 'n0.txt', error: null, errorKind: null });
  });

  it('a re-run skips the ok ones and runs the failed ones again', async () => {
    let r = await open();
    await runBatch(files, job((n) => (n === 'n2.txt' ? { ok: false, record: {}, error: new Error('bad note') } : ok(n))), r, { concurrency: 3 });
    r.close();
    assert.equal(lines().find((l) => l.file.endsWith('n2.txt'))!.error, 'bad note');
    assert.equal(lines().find((l) => l.file.endsWith('n2.txt'))!.errorKind, 'input');
    const ran: string[] = [];
    r = await open();
    const s = await runBatch(files, job((n) => (ran.push(n), ok(n))), r, { concurrency: 3 });
    r.close();
    assert.deepEqual(ran, ['n2.txt']);
    assert.deepEqual([s.skipped, s.ok], [5, 1]);
  });

  it('a file that cannot be read, one too large and a prepare that throws are recorded; the batch goes on', async () => {
    fs.writeFileSync(files[1], 'x'.repeat(2 * 1024 * 1024));
    fs.rmSync(files[2]);
    const j = job(ok, { maxBytes: 1024 * 1024 });
    const prepare = j.prepare.bind(j);
    j.prepare = async (file, bytes) => {
      if (file.endsWith('n3.txt')) throw new Error('n3.txt is empty: there is nothing to summarize');
      return prepare(file, bytes);
    };
    const r = await open();
    const s = await runBatch(files, j, r, { concurrency: 2 });
    r.close();
    assert.deepEqual([s.ok, s.failed], [3, 3]);
    const byName = Object.fromEntries(lines().map((l) => [path.basename(l.file), l]));
    assert.equal(byName['n1.txt'].error, `${files[1]} is 2.0 MB, more than the 1 MB a note may have in a batch; it was skipped`);
    assert.equal(byName['n2.txt'].error, `${files[2]} no longer exists; it was skipped. Check the note and run the batch again`);
    assert.equal(byName['n2.txt'].sha256, '');
    assert.equal(byName['n3.txt'].error, 'n3.txt is empty: there is nothing to summarize');
  });

  it('an error every next input would meet stops the batch: that one recorded, the rest not started', async () => {
    const started: string[] = [];
    const r = await open();
    const s = await runBatch(
      files,
      job((n) => {
        started.push(n);
        if (n === 'n1.txt') throw new MedGemmaError('unreachable', 'Cannot reach the MedGemma server.');
        return ok(n);
      }),
      r,
      { concurrency: 1 },
    );
    r.close();
    assert.equal(s.stopped?.by, 'error');
    assert.deepEqual(started, ['n0.txt', 'n1.txt']);
    assert.deepEqual(lines().map((l) => [path.basename(l.file), l.status, l.errorKind]), [['n0.txt', 'ok', null], ['n1.txt', 'error', 'unreachable']]);
  });

  it('three timeouts in a row stop it; a success between resets the count', async () => {
    const timeout = () => ({ ok: false, record: {}, error: new MedGemmaError('timeout', 'slow') });
    let r = await open();
    const pattern = ['t', 't', 'o', 't', 't', 'o'];
    const s1 = await runBatch(files, job((n) => (pattern[Number(n[1])] === 't' ? timeout() : ok(n))), r, { concurrency: 1 });
    r.close();
    assert.equal(s1.stopped, undefined);
    assert.equal(s1.failed, 4);
    fs.rmSync(out);
    r = await open();
    const s2 = await runBatch(files, job(() => timeout()), r, { concurrency: 1 });
    r.close();
    assert.equal(s2.stopped?.by, 'error');
    assert.equal(lines().length, 3);
  });

  it('a stop by the user: finished ones kept, the ones it cut short not recorded', async () => {
    const stop = new AbortController();
    const r = await open();
    const s = await runBatch(
      files,
      job(async (n, signal) => {
        if (n === 'n2.txt') {
          stop.abort();
          await new Promise((res) => setImmediate(res));
        }
        return signal.aborted ? { ok: false, record: {}, cancelled: true } : ok(n);
      }),
      r,
      { concurrency: 1, signal: stop.signal },
    );
    r.close();
    assert.equal(s.stopped?.by, 'user');
    assert.deepEqual(lines().map((l) => path.basename(l.file)), ['n0.txt', 'n1.txt']);
  });

  it('prepareSlots 1: inputs are prepared one at a time while sends overlap', async () => {
    let preparing = 0;
    let most = 0;
    const j = job(meeting(() => j), { prepareSlots: 1 });
    const prepare = j.prepare.bind(j);
    j.prepare = async (file, bytes) => {
      preparing++;
      most = Math.max(most, preparing);
      await new Promise((res) => setImmediate(res));
      preparing--;
      return prepare(file, bytes);
    };
    const r = await open();
    await runBatch(files, j, r, { concurrency: 4 });
    r.close();
    assert.equal(most, 1);
    assert.ok(j.maxConcurrent > 1, 'sends still overlap');
  });
});
