// The results file of a batch: one escaped JSON line per record, only the keys of ok records
// read back, and an incomplete last line (a machine that went down mid-write) cut off.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isBatchInputError } from '../../../src/core/batch/inputs';
import { openResults, recordKey } from '../../../src/core/batch/results';

const FIELDS = ['file', 'sha256', 'template', 'model'] as const;

describe('batch/results', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-results-'));
    file = path.join(dir, 'r.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appends one line per record, escaped; reopened, only ok records are done', async () => {
    const r = await openResults(file, FIELDS);
    assert.equal(r.repaired, 0);
    assert.deepEqual(r.found, { ok: 0, failed: 0 });
    r.append({ file: 'a.txt', sha256: '1', template: 'brief', model: 'm', status: 'ok', summary: 'line\u2028sep \u001b[2J \u202e' });
    r.append({ file: 'b.txt', sha256: '2', template: 'brief', model: 'm', status: 'error' });
    r.close();
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(text.split('\n').length, 3);
    assert.ok(!['\u2028', '\u001b', '\u202e'].some((c) => text.includes(c)), 'no raw separator, escape or bidi character');
    assert.ok(text.includes('\\u2028') && text.includes('\\u001b') && text.includes('\\u202e'));
    assert.equal(JSON.parse(text.split('\n')[0]).summary, 'line\u2028sep \u001b[2J \u202e');
    fs.appendFileSync(file, 'not json\n[1,2]\nnull\n{"status":"ok"}\n');
    const again = await openResults(file, FIELDS);
    assert.deepEqual(again.found, { ok: 2, failed: 1 });
    assert.ok(again.done.has(recordKey({ file: 'a.txt', sha256: '1', template: 'brief', model: 'm' }, FIELDS)));
    assert.ok(!again.done.has(recordKey({ file: 'b.txt', sha256: '2', template: 'brief', model: 'm' }, FIELDS)));
    assert.ok(again.done.has(JSON.stringify([null, null, null, null])), 'absent fields key as null');
    again.close();
  });

  it('cuts an incomplete last line and says how many bytes', async () => {
    fs.writeFileSync(file, '{"status":"ok","file":"a"}\n{"status":"o');
    const r = await openResults(file, FIELDS);
    r.close();
    assert.equal(r.repaired, 12);
    assert.equal(fs.readFileSync(file, 'utf8'), '{"status":"ok","file":"a"}\n');
    assert.equal(r.found.ok, 1);
  });

  it('a file that is one incomplete line is emptied; a tail longer than the 64 KiB read chunk is found', async () => {
    fs.writeFileSync(file, '{"status":"ok"');
    const one = await openResults(file, FIELDS);
    one.close();
    assert.equal(one.repaired, 14);
    assert.equal(fs.statSync(file).size, 0);
    const head = '{"status":"ok","file":"x"}\n';
    const tail = `{"summary":"${'y'.repeat(200_000)}`;
    fs.writeFileSync(file, head + tail);
    const long = await openResults(file, FIELDS);
    long.close();
    assert.equal(long.repaired, tail.length);
    assert.equal(fs.readFileSync(file, 'utf8'), head);
  });

  it('--resume with no file, a folder, or a missing folder: one sentence each', async () => {
    const errs: unknown[] = [];
    for (const [p, opts] of [[path.join(dir, 'none.jsonl'), { mustExist: true }], [dir, {}], [path.join(dir, 'no', 'r.jsonl'), {}]] as const) {
      errs.push(await openResults(p, FIELDS, opts).then(() => assert.fail('opened'), (e: unknown) => e));
    }
    assert.ok(errs.every(isBatchInputError));
    const msgs = errs.map((e) => (e as Error).message);
    assert.match(msgs[0], /^--resume was given but the results file .*none\.jsonl does not exist\. Check the path, or leave out --resume to start a new batch$/);
    assert.match(msgs[1], /^the results file .* is a folder\. Give --out a file path in a folder you can write to$/);
    assert.match(msgs[2], /is in a folder that does not exist\./);
  });
});
