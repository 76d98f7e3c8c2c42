// The `medgemma` command as a user runs it (a real process) against the simulator under
// every fault: the right exit code, one clear line on stderr, partial output kept, no hang.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSim, type Fault, type Sim } from '../../sim';

const ROOT = path.resolve(__dirname, '../../..');
const NOTE = [
  'ED NOTE',
  'Chest pressure for 3 hours, radiating to the left arm.',
  'Troponin 0.08 ng/mL, rising to 0.31 ng/mL.',
  'CT angiogram: no evidence of pulmonary embolism.',
  'Family history: father had MI at 52.',
  'Started heparin drip and aspirin 324 mg.',
  '',
].join('\n');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { env?: Record<string, string>; stdin?: string; onStdout?: (all: string, child: ReturnType<typeof spawn>) => void; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      opts.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`medgemma ${args.join(' ')} hung; stderr: ${stderr}`));
    }, opts.timeoutMs ?? 15000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** Exactly one `error: ...` line, no stack trace. */
function oneErrorLine(r: Run): string {
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  assert.equal(lines.length, 1, `stderr: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return lines[0];
}

describe('medgemma CLI', function () {
  this.timeout(30000);
  let sim: Sim;
  let dir: string;
  let file: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-cli-'));
    file = path.join(dir, 'note.txt');
    fs.writeFileSync(file, NOTE);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => (sim = await startSim()));
  afterEach(async () => sim.stop());
  const env = () => ({ MEDGEMMA_BASE_URL: sim.baseUrl });

  it('summarize streams a grounded, checked summary (exit 0)', async () => {
    const r = await cli(['summarize', file], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# Brief clinical summary/);
    assert.match(r.stdout, /Troponin 0\.08 ng\/mL, rising to 0\.31 ng\/mL \[L3\]/);
    assert.match(r.stdout, /### Pertinent negatives\n- CT angiogram: no evidence of pulmonary embolism \[L4\]/);
    assert.match(r.stdout, /Grounding check: \d+ of \d+ statements verified/);
    assert.match(r.stdout, /Not a medical device/);
    assert.equal(r.stderr, '');
  });

  it('--json prints one object with checked statements; --lines and stdin work', async () => {
    const r = await cli(['summarize', '-', '--json', '--lines', '3-4', '--template', 'problems'], { env: env(), stdin: NOTE });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j).filter((k) => ['summary', 'statements', 'model', 'usage', 'parts'].includes(k)).sort(), ['model', 'parts', 'statements', 'summary', 'usage']);
    assert.equal(j.parts, 1);
    assert.equal(j.model, 'medgemma');
    assert.ok(j.statements.length >= 2);
    for (const s of j.statements) {
      assert.equal(typeof s.supported, 'boolean');
      for (const [a, b] of s.lines) assert.ok(a >= 3 && b <= 4, `citation ${a}-${b} outside --lines 3-4`);
    }
    assert.ok(j.usage.completionTokens > 0);
  });

  it('a flipped negation is flagged as unsupported', async () => {
    sim.setFault({ kind: 'flip-negation' });
    const r = await cli(['summarize', file, '--json'], { env: env() });
    const j = JSON.parse(r.stdout);
    const pe = j.statements.find((s: { text: string }) => /pulmonary embolism/i.test(s.text));
    assert.ok(pe, r.stdout);
    assert.equal(pe.supported, false);
  });

  const PARAPHRASE = '- Chest pressure for 3 hours, spreading to the left arm [L2]\n- Troponin 0.08 ng/mL, rising to 0.31 ng/mL [L3]\n';

  it('--verify rules+model: the model flags what the rules passed, and the footer gives the count and cost', async () => {
    sim.setOptions({ answerText: PARAPHRASE });
    const r = await cli(['summarize', file, '--verify', 'rules+model'], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Grounding check: 1 of 2 statements verified against the cited lines; flagged: 1 not in cited lines \(model\)\./);
    assert.match(r.stdout, /Model check: The model checked 2 of the 2 statements the rules passed and flagged 1 \(2 requests, \d+ tokens\)\./);
    assert.match(r.stdout, /- ⚠ unsupported \(model: not in the cited lines \("spreading"\)\): Chest pressure/);
    const j = JSON.parse((await cli(['summarize', file, '--verify', 'rules+model', '--json'], { env: env() })).stdout);
    assert.equal(j.modelCheck.flagged, 1);
    assert.deepEqual(j.statements.map((s: { kind?: string; model?: string }) => [s.kind, s.model]), [['model-not-in-lines', 'not-in-lines'], [undefined, 'supported']]);
    const plain = JSON.parse((await cli(['summarize', file, '--json'], { env: env() })).stdout);
    assert.equal(plain.modelCheck, null, 'rules only by default');
    assert.ok(plain.statements.every((s: { supported: boolean }) => s.supported));
  });

  it('--verify: a server that fails after the summary exits 5 with the summary and rule checks printed', async () => {
    sim.setOptions({ answerText: PARAPHRASE });
    sim.setFault({ kind: 'server-error-500', skip: 1 });
    const r = await cli(['summarize', file, '--verify', 'rules+model'], { env: env() });
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stdout, /Troponin 0\.08 ng\/mL[\s\S]*Grounding check: 2 of 2[\s\S]*Model check: The model checked 0 of the 2 statements the rules passed and flagged 0; 2 requests failed \(2 requests, tokens not reported by the server\)\./);
    assert.match(r.stderr, /the model check did not reach every statement/);
  });

  it('bad usage and unreadable input exit 2 with one line', async () => {
    for (const args of [['summarize', file, '--verify', 'model'], ['summarize'], ['summarize', path.join(dir, 'missing.txt')], ['summarize', file, '--lines', 'x'], ['summarize', file, '--template', 'nope'], ['frobnicate'], ['summarize', file, '--bogus']]) {
      const r = await cli(args, { env: env() });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      oneErrorLine(r);
    }
  });

  const cases: Array<[string, Fault | 'stopped' | 'key' | 'model', number, RegExp]> = [
    ['server unreachable', 'stopped', 3, /Cannot reach the MedGemma server/],
    ['unauthorized', 'key', 3, /refused the API key \(HTTP 401\): none is set, or it is not the one the server was started with/],
    ['unknown model', 'model', 3, /has no model "nope".*offers: medgemma/],
    ['context overflow', { kind: 'context-overflow', wording: 3 }, 4, /too long for the model's context/],
    ['server error 500', { kind: 'server-error-500' }, 4, /HTTP 500/],
    ['503 after retries', { kind: 'unavailable-503' }, 4, /HTTP 503/],
    ['429 after retries', { kind: 'rate-limit', retryAfter: 0 }, 4, /busy/],
    ['stall before headers', { kind: 'stall-before-headers', ms: 4000 }, 3, /did not start answering in time/],
  ];
  for (const [name, fault, code, message] of cases) {
    it(`${name}: exit ${code}`, async () => {
      const args = ['summarize', file, '--timeout', '1'];
      const e: Record<string, string> = env();
      if (fault === 'stopped') await sim.stop();
      else if (fault === 'key') sim.setOptions({ apiKey: 'sekret' });
      else if (fault === 'model') args.push('--model', 'nope');
      else sim.setFault(fault);
      const r = await cli(args, { env: e });
      assert.equal(r.code, code, r.stderr);
      assert.match(oneErrorLine(r), message);
    });
  }

  for (const kind of ['stall-mid-stream', 'disconnect-mid-stream', 'error-event-nested', 'error-event-flat', 'malformed-chunk'] as const) {
    it(`${kind}: exit 5, partial output kept`, async () => {
      sim.setFault({ kind, afterChunks: 8, ms: 5000 });
      const r = await cli(['summarize', file, '--timeout', '1'], { env: env() });
      assert.equal(r.code, 5, r.stderr);
      oneErrorLine(r);
      assert.match(r.stdout, /# Brief clinical summary[\s\S]*### Findings/, 'partial summary printed');
      assert.match(r.stdout, /Partial summary/);
      assert.match(r.stderr, /partial summary above was kept/);
    });
  }

  it('finish_reason length: exit 0, marked as cut', async () => {
    sim.setFault({ kind: 'finish-length', afterChunks: 10 });
    const r = await cli(['summarize', file], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /cut at the token limit/);
    assert.match(r.stderr, /raise --max-tokens/);
  });

  it('Ctrl-C stops the request, keeps the partial summary, exits 130', async () => {
    sim.setOptions({ tokensPerSecond: 40 });
    let sent = false;
    const r = await cli(['summarize', file], {
      env: env(),
      onStdout: (all, child) => {
        if (!sent && /\[L\d+\]/.test(all)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stdout, /Partial summary: stopped by you/);
    await sim.waitForClose().catch(() => undefined);
    assert.equal(sim.requests.filter((q) => q.path === '/v1/chat/completions').at(-1)!.closedEarly, true);
  });

  it('doctor: report and exit 0; unreachable exit 3; --json', async () => {
    const ok = await cli(['doctor'], { env: env() });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /medgemma \(used\): weights google\/medgemma-4b-it, context 32768, images: yes/);
    assert.match(ok.stdout, /1-token answer: \d+ ms/);
    const j = JSON.parse((await cli(['doctor', '--json'], { env: env() })).stdout);
    assert.equal(j.reachable, true);
    assert.equal(j.models[0].maxModelLen, 32768);
    await sim.stop();
    const down = await cli(['doctor', '--base-url', sim.url], {});
    assert.equal(down.code, 3);
    assert.match(down.stdout, /Reachable: no/);
    assert.match(down.stderr, /Using http:\/\/127\.0\.0\.1:\d+\/v1/);
  });
});
