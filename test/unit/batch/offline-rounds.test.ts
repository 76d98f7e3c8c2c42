// prepareOffline and collectOffline in this process, through the stand-in for `vllm run-batch`
// (test/sim/run-batch.ts) over the simulator: the manifest, the rounds a long note and the model
// check need, what collect records and skips, and the inputs it refuses. The same road as the
// CLI tests (test/unit/cli/batch-offline.test.ts), here where a changed line fails a test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isBatchInputError } from '../../../src/core/batch/inputs';
import { collectOffline, manifestPath, prepareOffline, readManifest, type OfflineSettings } from '../../../src/core/batch/offline';
import { openResults } from '../../../src/core/batch/results';
import { runBatch as runOnline } from '../../../src/core/batch/run';
import { SUMMARY_KEY_FIELDS, summarizeJob } from '../../../src/core/batch/summarize-job';
import { findTemplate } from '../../../src/core/notes/templates';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import { MedGemmaClient } from '../../../src/core/server/service';
import { fixture } from '../../fixtures';
import { startSim, type Sim } from '../../sim';
import { runBatch as engine } from '../../sim/run-batch';

type Rec = Record<string, unknown> & { file: string; status: string; error: string | null; summary?: string; statements?: { text: string; supported: boolean }[]; parts?: number };

const jsonl = <T = Rec>(file: string): T[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

/** Many lines the simulator leaves out of a summary (ALL CAPS) and a few findings: several parts, a short combine. */
function longNote(): string {
  const lines: string[] = [];
  for (let i = 1; i <= 1600; i++) lines.push(i % 400 === 0 ? `Day ${i / 400}: potassium ${3 + i / 1000} mmol/L, replaced orally.` : `NURSING CHECK ${i}: PATIENT RESTING COMFORTABLY:`);
  return `${lines.join('\n')}\n`;
}

describe('batch/offline: prepare and collect in rounds', function () {
  this.timeout(120_000);
  let sim: Sim;
  let dir: string;
  const at = (...p: string[]) => path.join(dir, ...p);
  const settings = (over: Partial<OfflineSettings> = {}): OfflineSettings => ({ format: 'openai', model: 'medgemma', contextLength: 8192, template: 'brief', maxTokens: 2048, temperature: 0, verify: 'rules', ...over });
  const notes = () => ['ed-chest-pain.txt', 'long.txt', 'empty.txt'].map((n) => at('notes', n));

  /** Every round through the engine until collect asks for no more; the summaries of each collect. */
  async function allRounds(requests: string, out: string, echo = false) {
    const summaries = [];
    let next: string | undefined = requests;
    for (let round = 1; next; round++) {
      assert.ok(round < 6, 'the rounds end');
      const output = at(`out-${round}.jsonl`);
      await engine(next, output, sim.baseUrl, echo);
      const results = await openResults(out, SUMMARY_KEY_FIELDS);
      try {
        const s = await collectOffline(requests, [output], results);
        summaries.push(s);
        next = s.next?.file;
      } finally {
        results.close();
      }
    }
    return summaries;
  }

  beforeEach(async () => {
    sim = await startSim({ maxModelLen: 8192 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-rounds-'));
    fs.mkdirSync(at('notes'));
    fs.copyFileSync(fixture('notes', 'ed-chest-pain.txt'), at('notes', 'ed-chest-pain.txt'));
    fs.writeFileSync(at('notes', 'long.txt'), longNote());
    fs.writeFileSync(at('notes', 'empty.txt'), '\n');
  });
  afterEach(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prepare: one request per short note, one per part of a long one, a manifest; an empty note is named, not sent', async () => {
    const requests = at('requests.jsonl');
    const p = await prepareOffline(notes(), settings(), requests);
    assert.equal(p.notes, 3);
    assert.deepEqual(p.failed.map((f) => path.basename(f.file)), ['empty.txt']);
    assert.match(p.failed[0].error, /empty\.txt is empty: there is nothing to summarize$/);
    const lines = jsonl<{ custom_id: string; method: string; url: string; body: { model: string; max_tokens: number; messages: { content: string }[] } }>(requests);
    assert.equal(lines.length, p.requests);
    assert.ok(p.requests >= 3, `${p.requests} requests: the long note was not split`);
    assert.equal(new Set(lines.map((l) => l.custom_id)).size, lines.length, 'a request written twice');
    for (const l of lines) {
      assert.deepEqual([l.method, l.url, l.body.model], ['POST', '/v1/chat/completions', 'medgemma']);
      assert.ok(l.body.max_tokens > 0 && l.body.max_tokens <= 2048);
    }
    assert.equal(lines.filter((l) => JSON.stringify(l.body.messages).includes('Harold J. Wexley')).length, 1, 'the short note is one request');
    const m = readManifest(requests);
    assert.deepEqual(
      { version: m.version, rounds: m.rounds, outputs: m.outputs, recorded: m.recorded, template: m.template, model: m.model, contextLength: m.contextLength, format: m.format },
      { version: 1, rounds: ['requests.jsonl'], outputs: [], recorded: [], template: 'brief', model: 'medgemma', contextLength: 8192, format: 'openai' },
    );
    assert.deepEqual(m.notes.map((n) => [path.basename(n.file), n.sha256.length]), [['ed-chest-pain.txt', 64], ['long.txt', 64], ['empty.txt', 64]]);
  });

  it('collect: the short note and the empty one at once, the long note after its combine round; the records are the online ones', async () => {
    const requests = at('requests.jsonl');
    const out = at('results.jsonl');
    await prepareOffline(notes(), settings(), requests);
    const [first, second, ...rest] = await allRounds(requests, out);
    assert.deepEqual(rest, [], 'more than two rounds');
    assert.deepEqual([first.notes, first.ok, first.failed, first.waiting, first.skipped, first.recordedBefore, first.unreadableLines], [3, 1, 1, 1, 0, 0, 0]);
    assert.deepEqual(first.next, { file: at('requests-2.jsonl'), requests: 1, round: 2 });
    assert.deepEqual([second.ok, second.failed, second.waiting, second.recordedBefore, second.next], [1, 0, 0, 2, undefined]);
    assert.equal(second.outputLines, first.outputLines + 1, 'the second collect reads the first round\'s output again, from the manifest');
    assert.deepEqual(readManifest(requests).rounds, ['requests.jsonl', 'requests-2.jsonl']);
    assert.deepEqual(readManifest(requests).recorded, [0, 1, 2]);

    const recs = new Map(jsonl(out).map((r) => [path.basename(r.file), r]));
    assert.equal(recs.get('empty.txt')?.status, 'error');
    const long = recs.get('long.txt')!;
    assert.equal(long.status, 'ok', long.error ?? '');
    assert.ok((long.parts ?? 0) > 1);
    assert.match(long.summary ?? '', /potassium/);

    // The same note through the online road: the same summary, the same checked statements.
    const online = at('online.jsonl');
    const results = await openResults(online, SUMMARY_KEY_FIELDS);
    const client = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl }), noCredentials);
    await runOnline([at('notes', 'ed-chest-pain.txt')], summarizeJob(client, { template: findTemplate('brief')!, model: 'medgemma', maxTokens: 2048, temperature: 0 }), results, { concurrency: 1 });
    results.close();
    const [viaServer] = jsonl(online);
    const offline = recs.get('ed-chest-pain.txt')!;
    for (const k of ['status', 'sha256', 'template', 'model', 'summary', 'statements', 'unsupported', 'parts', 'finishReason']) assert.deepEqual(offline[k], viaServer[k], k);

    // Collecting again records nothing twice.
    const again = await openResults(out, SUMMARY_KEY_FIELDS);
    const s = await collectOffline(requests, [], again);
    again.close();
    assert.deepEqual([s.ok, s.failed, s.waiting, s.recordedBefore, s.next], [0, 0, 0, 3, undefined]);
    assert.equal(jsonl(out).length, 3);
  });

  it('the model check is a round of its own; its verdicts reach the record', async () => {
    fs.rmSync(at('notes', 'long.txt'));
    const requests = at('requests.jsonl');
    const out = at('results.jsonl');
    await prepareOffline([at('notes', 'ed-chest-pain.txt')], settings({ verify: 'rules+model' }), requests);
    const rounds = await allRounds(requests, out);
    assert.equal(rounds.length, 2, 'summary, then the model check');
    assert.ok((rounds[0].next?.requests ?? 0) > 5, 'one check request per statement');
    const [r] = jsonl(out) as (Rec & { modelCheck: { checked: number; total: number; failed: number } })[];
    assert.equal(r.status, 'ok', r.error ?? '');
    assert.ok(r.modelCheck.checked > 0 && r.modelCheck.failed === 0, JSON.stringify(r.modelCheck));
  });

  it('Vertex format: bodies without a model; an engine that echoes the request is matched by it', async () => {
    fs.rmSync(at('notes', 'long.txt'));
    const requests = at('requests.jsonl');
    const out = at('results.jsonl');
    await prepareOffline([at('notes', 'ed-chest-pain.txt')], settings({ format: 'vertex' }), requests);
    const [line] = jsonl<Record<string, unknown> & { body: Record<string, unknown> }>(requests);
    assert.deepEqual(Object.keys(line).sort(), ['body', 'custom_id']);
    assert.equal('model' in line.body, false);
    const [s] = await allRounds(requests, out, true);
    assert.deepEqual([s.ok, s.failed, s.unreadableLines], [1, 0, 0]);
  });

  it('a note changed after prepare fails with the reason; one already in the results file is skipped', async () => {
    const requests = at('requests.jsonl');
    await prepareOffline(notes(), settings(), requests);
    await engine(requests, at('out-1.jsonl'), sim.baseUrl);
    fs.appendFileSync(at('notes', 'ed-chest-pain.txt'), 'Addendum: troponin repeat negative.\n');
    const results = await openResults(at('results.jsonl'), SUMMARY_KEY_FIELDS);
    const s = await collectOffline(requests, [at('out-1.jsonl')], results);
    results.close();
    assert.equal(s.failed, 2, 'the empty note and the changed one');
    const changed = jsonl(at('results.jsonl')).find((r) => r.file.endsWith('ed-chest-pain.txt'))!;
    assert.match(changed.error ?? '', /ed-chest-pain\.txt changed after "batch prepare": its requests no longer match it\. Run prepare again for it$/);

    // A fresh prepare of the notes as they are, collected onto a results file that has them: skipped.
    fs.writeFileSync(at('notes', 'ed-chest-pain.txt'), fs.readFileSync(fixture('notes', 'ed-chest-pain.txt')));
    const done = at('done.jsonl');
    const fresh = at('fresh.jsonl');
    await prepareOffline([at('notes', 'ed-chest-pain.txt')], settings(), fresh);
    await allRounds(fresh, done);
    fs.rmSync(manifestPath(fresh));
    await prepareOffline([at('notes', 'ed-chest-pain.txt')], settings(), fresh);
    const r2 = await openResults(done, SUMMARY_KEY_FIELDS);
    const s2 = await collectOffline(fresh, [at('out-1.jsonl')], r2);
    r2.close();
    assert.deepEqual([s2.skipped, s2.ok, s2.failed], [1, 0, 0]);
  });

  it('refuses what it cannot use: no manifest, a manifest of another version, an output that does not exist', async () => {
    const requests = at('requests.jsonl');
    const results = await openResults(at('results.jsonl'), SUMMARY_KEY_FIELDS);
    try {
      const noManifest = await collectOffline(requests, [], results).catch((e: unknown) => e);
      assert.ok(isBatchInputError(noManifest));
      assert.match((noManifest as Error).message, /requests\.jsonl\.medgemma\.json does not exist: --requests must name the file "medgemma batch prepare" wrote/);
      await prepareOffline([at('notes', 'ed-chest-pain.txt')], settings(), requests);
      const missing = await collectOffline(requests, [at('nowhere.jsonl')], results).catch((e: unknown) => e);
      assert.ok(isBatchInputError(missing));
      assert.match((missing as Error).message, /^the engine output .*nowhere\.jsonl does not exist$/);
      const m = JSON.parse(fs.readFileSync(manifestPath(requests), 'utf8'));
      fs.writeFileSync(manifestPath(requests), JSON.stringify({ ...m, version: 2 }));
      assert.throws(() => readManifest(requests), /is not a manifest this version of medgemma wrote: run "medgemma batch prepare" again/);
      fs.writeFileSync(manifestPath(requests), '{ not json');
      assert.throws(() => readManifest(requests), /cannot be read \(not valid JSON\): run "medgemma batch prepare" again/);
      fs.writeFileSync(manifestPath(requests), JSON.stringify({ ...m, template: 'no-such-template' }));
      assert.throws(() => readManifest(requests), /is not a manifest this version of medgemma wrote/);
    } finally {
      results.close();
    }
  });
});
