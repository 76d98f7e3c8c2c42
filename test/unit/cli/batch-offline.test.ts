// `medgemma batch prepare|collect` as a user runs them: the bundled CLI as its own process, and a
// stand-in for `vllm run-batch` (test/sim/run-batch.ts) answering each request line through the
// simulator in vLLM's output format. The round trip must give the records the online batch
// gives for the same notes, over as many rounds as a long note needs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, type CliRun } from '../../cli-process';
import { startSim, type Sim } from '../../sim';
import { runBatch } from '../../sim/run-batch';

const ROOT = path.resolve(__dirname, '../../..');
const NOTES = path.join(ROOT, 'test/fixtures/notes');

type Rec = Record<string, unknown> & { file: string; status: string; error: string | null; statements?: unknown[]; parts?: number; summary?: string };

const jsonl = <T = Rec>(file: string): T[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as T);

/**
 * A note too long for one request at a 32,768-token context (several parts), whose summary is
 * short: the simulator skips ALL-CAPS lines, so only the few findings come back and the
 * combine step fits.
 */
function longNote(): string {
  const lines: string[] = [];
  for (let i = 1; i <= 4000; i++) {
    lines.push(i % 800 === 0 ? `Day ${i / 800}: potassium ${3 + i / 1000} mmol/L, replaced orally.` : `NURSING CHECK ${i}: PATIENT RESTING COMFORTABLY:`);
  }
  return `${lines.join('\n')}\n`;
}

describe('medgemma batch prepare and collect', function () {
  this.timeout(180_000);
  let sim: Sim;
  let dir: string;
  let notes: string;
  const at = (f: string) => path.join(dir, f);
  const cli = (args: string[], env: Record<string, string> = {}): Promise<CliRun> => runCli(['batch', ...args], { cwd: dir, timeoutMs: 120_000, env });
  /** Runs prepare's rounds to the end through the stand-in (paths relative to `dir`); returns the collect runs. */
  async function rounds(requests: string, results: string, echo = false): Promise<CliRun[]> {
    const runs: CliRun[] = [];
    let next: string | undefined = requests;
    for (let round = 1; next; round++) {
      const output = `out-${round}.jsonl`;
      await runBatch(at(next), at(output), sim.baseUrl, echo);
      const r = await cli(['collect', output, '--requests', requests, '--out', results]);
      runs.push(r);
      next = /Run (\S+) through the engine/.exec(r.stderr)?.[1];
      assert.ok(round < 6, 'the rounds end');
    }
    return runs;
  }

  beforeEach(async () => {
    sim = await startSim({ maxModelLen: 32768 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-offline-'));
    notes = at('notes');
    fs.mkdirSync(notes);
    fs.copyFileSync(path.join(NOTES, 'ed-chest-pain.txt'), path.join(notes, 'ed-chest-pain.txt'));
    fs.writeFileSync(path.join(notes, 'long.txt'), longNote());
    fs.writeFileSync(path.join(notes, 'empty.txt'), '\n');
  });
  afterEach(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('round trip in rounds: the same checked, cited records as the online batch', async () => {
    const p = await cli(['prepare', 'notes', '--out', 'requests.jsonl', '--model', 'medgemma']);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stderr, /^medgemma: .*empty\.txt is empty: there is nothing to summarize$/m);
    assert.match(p.stderr, /^medgemma: (\d+) requests for 2 of 3 notes in requests\.jsonl \(round 1; they hold the notes' text as written\)\.$/m);
    assert.match(p.stderr, /next: vllm run-batch -i requests\.jsonl -o OUTPUTS\.jsonl --model medgemma --max-model-len 32768/);
    const requests = jsonl<{ custom_id: string; method: string; url: string; body: { model: string; messages: unknown[]; max_tokens: number } }>(at('requests.jsonl'));
    assert.ok(requests.length >= 3, 'the short note and each part of the long one');
    for (const q of requests) {
      assert.match(q.custom_id, /^medgemma-[0-9a-f]{40}$/);
      assert.deepEqual([q.method, q.url, q.body.model], ['POST', '/v1/chat/completions', 'medgemma']);
      assert.ok(q.body.max_tokens > 0 && q.body.messages.length >= 1);
    }
    assert.equal(new Set(requests.map((q) => q.custom_id)).size, requests.length, 'each request once');

    const runs = await rounds('requests.jsonl', 'results.jsonl');
    assert.equal(runs.length, 2, 'the long note needs its combine step in round 2');
    assert.match(runs[0].stderr, /^medgemma: 2 of 3 notes recorded in results\.jsonl: 1 ok, 1 failed\.$/m);
    assert.match(runs[0].stderr, /^medgemma: round 2: 1 note needs 1 more request \(the combine step of long notes, or the model check\)\. Run requests-2\.jsonl through the engine, then: medgemma batch collect OUTPUTS-2\.jsonl --requests requests\.jsonl --out results\.jsonl$/m);
    assert.match(runs[1].stderr, /^medgemma: 1 of 3 notes recorded in results\.jsonl \(besides 2 by an earlier collect\): 1 ok, 0 failed\.$/m);
    assert.equal(runs[1].code, 0);
    const offline = jsonl(at('results.jsonl'));
    assert.equal(offline.length, 3, 'each note recorded once');

    // The online batch on a server that counts tokens the same way (no /tokenize: the estimate).
    const ollama = await startSim({ profile: 'ollama', maxModelLen: 32768 });
    try {
      const online = await cli(['summarize', 'notes', '--out', 'online.jsonl', '--context-length', '32768', '--base-url', ollama.baseUrl]);
      assert.equal(online.code, 4, online.stderr);
    } finally {
      await ollama.stop();
    }
    const byFile = (rs: Rec[]) => Object.fromEntries(rs.map((r) => [path.basename(r.file), r]));
    const [off, on] = [byFile(offline), byFile(jsonl(at('online.jsonl')))];
    for (const f of ['ed-chest-pain.txt', 'long.txt', 'empty.txt']) {
      for (const k of ['status', 'summary', 'statements', 'unsupported', 'parts', 'finishReason', 'sha256', 'template', 'error']) assert.deepEqual(off[f][k], on[f][k], `${f}: ${k}`);
    }
    assert.equal(off['ed-chest-pain.txt'].status, 'ok');
    assert.equal(off['long.txt'].status, 'ok', String(off['long.txt'].error));
    assert.match(String(off['long.txt'].summary), /potassium 7 mmol\/L, replaced orally \[L4000\]/);
    assert.ok(Number(off['long.txt'].parts) > 1, 'the long note was summarized in parts');
    assert.ok((off['ed-chest-pain.txt'].statements as unknown[]).length > 3);
    assert.equal(off['empty.txt'].status, 'error');
    assert.match(String(off['empty.txt'].error), /is empty: there is nothing to summarize/);

    // Collecting again changes nothing.
    const again = await cli(['collect', 'out-2.jsonl', '--requests', 'requests.jsonl', '--out', 'results.jsonl']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(jsonl(at('results.jsonl')).length, 3);
  });

  it('--format vertex: bodies without a model; an engine that echoes the request instead of custom_id is matched', async () => {
    fs.rmSync(path.join(notes, 'long.txt'));
    const p = await cli(['prepare', 'notes', '--out', 'requests.jsonl', '--format', 'vertex']);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stderr, /next: upload requests\.jsonl to Cloud Storage, run a batch prediction job/);
    const requests = jsonl<{ custom_id: string; body: Record<string, unknown> }>(at('requests.jsonl'));
    assert.equal(requests.length, 1);
    assert.deepEqual(Object.keys(requests[0]).sort(), ['body', 'custom_id']);
    assert.ok(!('model' in requests[0].body));
    await rounds('requests.jsonl', 'results.jsonl', true);
    const rs = jsonl(at('results.jsonl'));
    assert.deepEqual(rs.map((r) => [path.basename(r.file), r.status]).sort(), [['ed-chest-pain.txt', 'ok'], ['empty.txt', 'error']]);
    assert.equal(rs.find((r) => r.file.endsWith('ed-chest-pain.txt'))!.model, '');
  });

  it('failed engine requests, a note changed since prepare and lines that are not answers each say what happened', async () => {
    fs.rmSync(path.join(notes, 'long.txt'));
    fs.copyFileSync(path.join(NOTES, 'pathology-report.txt'), path.join(notes, 'pathology.txt'));
    fs.copyFileSync(path.join(NOTES, 'radiology-cxr-report.txt'), path.join(notes, 'cxr.txt'));
    assert.equal((await cli(['prepare', 'notes', '--out', 'requests.jsonl', '--model', 'medgemma'])).code, 0);
    await runBatch(at('requests.jsonl'), at('out.jsonl'), sim.baseUrl);
    // The engine failed the pathology request; garbage and foreign lines were mixed in.
    const pathologyId = jsonl<{ custom_id: string; body: { messages: { content: string }[] } }>(at('requests.jsonl')).find((q) => JSON.stringify(q.body).includes('PATHOLOGY'))!.custom_id;
    const lines = fs.readFileSync(at('out.jsonl'), 'utf8').trimEnd().split('\n').map((l) => {
      const o = JSON.parse(l) as { custom_id: string };
      return o.custom_id === pathologyId ? JSON.stringify({ id: 'x', custom_id: pathologyId, response: { status_code: 400, body: null }, error: { message: 'CUDA out of memory' } }) : l;
    });
    fs.writeFileSync(at('out.jsonl'), [...lines, 'not json', '{"custom_id":"someone-else","response":{}}', ''].join('\n'));
    fs.appendFileSync(path.join(notes, 'cxr.txt'), 'Addendum.\n');
    const r = await cli(['collect', 'out.jsonl', '--requests', 'requests.jsonl', '--out', 'results.jsonl']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^medgemma: 2 of \d+ output lines were not answers to these requests and were ignored\.$/m);
    const byFile = Object.fromEntries(jsonl(at('results.jsonl')).map((x) => [path.basename(x.file), x]));
    assert.equal(byFile['ed-chest-pain.txt'].status, 'ok', String(byFile['ed-chest-pain.txt'].error));
    assert.equal(byFile['pathology.txt'].error, 'The batch engine failed this request (CUDA out of memory). Run the requests again, or summarize the note online.');
    assert.match(String(byFile['cxr.txt'].error), /cxr\.txt changed after "batch prepare": its requests no longer match it\. Run prepare again for it$/);
  });

  it('usage: prepare refuses to pseudonymize offline, collect needs the manifest, flags of the other command are named', async () => {
    const cases: [string[], RegExp][] = [
      [['prepare', 'notes', '--out', 'r.jsonl', '--privacy', 'pseudonymize'], /batch prepare writes the notes as written into r\.jsonl for the engine; replacing identifiers in an offline batch is not supported yet/],
      [['prepare', 'notes', '--out', 'r.jsonl', '--format', 'anthropic'], /--format must be openai or vertex, not "anthropic"/],
      [['prepare', 'notes'], /give the requests file with --out REQUESTS\.jsonl/],
      [['collect', 'out.jsonl', '--requests', 'nope.jsonl', '--out', 'r.jsonl'], /nope\.jsonl\.medgemma\.json does not exist: --requests must name the file "medgemma batch prepare" wrote/],
      [['collect', 'out.jsonl', '--out', 'r.jsonl'], /give the requests file batch prepare wrote with --requests REQUESTS\.jsonl/],
      [['collect', 'out.jsonl', '--requests', 'r.jsonl', '--out', 'x.jsonl', '--template', 'soap'], /--template is not an option of batch collect: the settings of batch prepare are used/],
      [['summarize', 'notes', '--out', 'x.jsonl', '--format', 'openai'], /--format is for batch prepare and collect, not batch summarize/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^error: .*${re.source}`, 'm'), args.join(' '));
    }
    assert.ok(!fs.existsSync(at('r.jsonl')), 'nothing was written');
  });
});
