// `medgemma batch` as a user runs it: the bundled CLI as its own process against the simulator.
// The results file is read back line by line after every run: valid JSON Lines, one record per
// input, nothing lost on Ctrl-C, a dead server or a cut-off last line, and a re-run that does
// only what is left.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, type CliRun } from '../../cli-process';
import { startSim, type Sim } from '../../sim';

const ROOT = path.resolve(__dirname, '../../..');
const NOTES = path.join(ROOT, 'test/fixtures/notes');
const IMAGES = path.join(ROOT, 'test/fixtures/images');
const TOKEN_COMMAND = path.join(ROOT, 'test/sim/token-command.mjs');

interface Line {
  file: string;
  sha256: string;
  status: 'ok' | 'error';
  template?: string;
  model: string;
  summary?: string;
  statements?: { text: string; lines: [number, number][]; supported: boolean }[];
  unsupported?: number;
  answer?: string;
  usage?: { completionTokens: number } | null;
  error: string | null;
  errorKind: string | null;
}

/** Every line of the results file, each parsed: a line that is not JSON fails the test. */
function lines(file: string): Line[] {
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'the file ends with a whole line');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as Line;
      } catch {
        throw new assert.AssertionError({ message: `line ${i + 1} is not JSON: ${l.slice(0, 200)}` });
      }
    });
}

const okFiles = (ls: Line[]) => ls.filter((l) => l.status === 'ok').map((l) => path.basename(l.file));

describe('medgemma batch', function () {
  this.timeout(120_000);
  let sim: Sim;
  let dir: string;
  let notes: string;
  let out: string;
  const chats = () => sim.requests.filter((q) => q.path.endsWith('/chat/completions'));
  const batch = (args: string[], opts: { env?: Record<string, string>; onSpawn?: (c: ChildProcess) => void; timeoutMs?: number } = {}): Promise<CliRun> =>
    runCli(['batch', ...args], { timeoutMs: 90_000, ...opts, env: { MEDGEMMA_BASE_URL: sim.baseUrl, ...opts.env } });

  beforeEach(async () => {
    sim = await startSim({ maxModelLen: 8192 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-batch-'));
    notes = path.join(dir, 'notes');
    fs.mkdirSync(path.join(notes, 'ward'), { recursive: true });
    for (const f of ['ed-chest-pain.txt', 'pathology-report.txt', 'radiology-cxr-report.txt']) fs.copyFileSync(path.join(NOTES, f), path.join(notes, f));
    fs.copyFileSync(path.join(NOTES, 'progress-soap-diabetes.txt'), path.join(notes, 'ward', 'soap.md'));
    fs.writeFileSync(path.join(notes, 'empty.txt'), '  \n');
    fs.writeFileSync(path.join(notes, 'README.md'), '# These are notes\n');
    fs.writeFileSync(path.join(notes, '.hidden.txt'), 'Patient seen.\n');
    out = path.join(dir, 'results.jsonl');
  });
  afterEach(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('summarize: one checked, cited record per note; a bad note is recorded and the batch goes on (exit 4)', async () => {
    const r = await batch(['summarize', notes, '--out', out, '--template', 'brief']);
    assert.equal(r.code, 4, r.stderr);
    const ls = lines(out);
    assert.deepEqual(ls.map((l) => path.relative(notes, l.file)).sort(), ['ed-chest-pain.txt', 'empty.txt', 'pathology-report.txt', 'radiology-cxr-report.txt', path.join('ward', 'soap.md')]);
    const ed = ls.find((l) => l.file.endsWith('ed-chest-pain.txt'))!;
    assert.equal(ed.status, 'ok');
    assert.equal(ed.template, 'brief');
    assert.equal(ed.model, 'medgemma');
    assert.equal(ed.sha256.length, 64);
    assert.ok(ed.statements!.length > 3);
    assert.ok(ed.statements!.every((s) => s.lines.length > 0 && s.supported));
    assert.equal(ed.unsupported, 0);
    assert.match(ed.summary!, /\[L\d+(-L\d+)?\]/);
    assert.ok(ed.usage!.completionTokens > 0);
    assert.equal(ed.error, null);
    const empty = ls.find((l) => l.file.endsWith('empty.txt'))!;
    assert.equal(empty.status, 'error');
    assert.match(empty.error!, /empty\.txt is empty: there is nothing to summarize$/);
    assert.match(r.stderr, /^medgemma: 1 of 5 failed; their lines in .*results\.jsonl have "status": "error" and say why\. Run the same command again to retry them\.$/m);
    assert.equal(r.stdout, '');
    assert.equal(chats().length, 4, 'the empty note was never sent');
  });

  it('a re-run skips what is done, retries what failed, and redoes a note whose content changed', async () => {
    await batch(['summarize', notes, '--out', out]);
    const before = chats().length;
    fs.writeFileSync(path.join(notes, 'empty.txt'), 'Chest pain resolved.\n');
    fs.appendFileSync(path.join(notes, 'pathology-report.txt'), 'ADDENDUM: margins re-reviewed, clear.\n');
    const r = await batch(['summarize', notes, '--out', out, '--resume']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /has 4 ok and 1 failed lines from earlier runs; inputs done before are skipped\./);
    assert.match(r.stderr, /^medgemma: 2 of 5 ok \(3 done before, skipped\); results in /m);
    assert.equal(chats().length - before, 2);
    const ls = lines(out);
    assert.equal(ls.length, 7);
    assert.deepEqual(ls.slice(5).map((l) => [path.basename(l.file), l.status]).sort(), [['empty.txt', 'ok'], ['pathology-report.txt', 'ok']]);
    // A different template is a different run of the same notes.
    const again = await batch(['summarize', notes, '--out', out, '--template', 'discharge']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(lines(out).length, 12);
  });

  it('--resume with a results file that does not exist is a usage error, and nothing is sent', async () => {
    const r = await batch(['summarize', notes, '--out', path.join(dir, 'typo.jsonl'), '--resume']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --resume was given but the results file .*typo\.jsonl does not exist\. Check the path, or leave out --resume to start a new batch$/m);
    assert.equal(chats().length, 0);
  });

  it('Ctrl-C: exit 130, every finished line kept and whole; running again finishes the rest, each note once', async () => {
    for (let i = 0; i < 10; i++) fs.copyFileSync(path.join(NOTES, 'ed-chest-pain.txt'), path.join(notes, `ed-${i}.txt`));
    fs.rmSync(path.join(notes, 'empty.txt'));
    sim.setOptions({ tokensPerSecond: 300 });
    const r = await batch(['summarize', notes, '--out', out, '--concurrency', '2'], {
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (fs.existsSync(out) && lines(out).length >= 2) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 20);
        child.on('close', () => clearInterval(poll));
      },
    });
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /medgemma: stopping; the lines written so far are kept/);
    assert.match(r.stderr, /^medgemma: stopped; \d+ finished and kept in .*\. Run the same command again to go on\.$/m);
    const kept = lines(out);
    assert.ok(kept.length >= 2 && kept.length < 14, `${kept.length} lines`);
    assert.ok(kept.every((l) => l.status === 'ok'), 'a note cut off by the stop is not recorded as failed');
    sim.setOptions({ tokensPerSecond: 0 });
    const rest = await batch(['summarize', notes, '--out', out]);
    assert.equal(rest.code, 0, rest.stderr);
    const all = lines(out);
    assert.equal(all.length, 14);
    assert.equal(new Set(okFiles(all)).size, 14, 'each note recorded once');
  });

  it('a server that goes away mid-batch: the batch stops with exit 3, what finished is kept', async () => {
    for (let i = 0; i < 8; i++) fs.copyFileSync(path.join(NOTES, 'ed-chest-pain.txt'), path.join(notes, `ed-${i}.txt`));
    sim.setOptions({ tokensPerSecond: 400 });
    let stopped = false;
    const r = await batch(['summarize', notes, '--out', out, '--concurrency', '1'], {
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (!stopped && fs.existsSync(out) && lines(out).length >= 2) {
            stopped = true;
            clearInterval(poll);
            void sim.stop();
          }
        }, 20);
        child.on('close', () => clearInterval(poll));
      },
    });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^medgemma: stopped after \d+ of 13; every finished line is in .*\. Fix the cause below and run the same command again to go on\.$/m);
    assert.match(r.stderr, /^error: (Cannot reach the MedGemma server|The connection to the server was lost)/m);
    const ls = lines(out);
    assert.ok(ls.filter((l) => l.status === 'ok').length >= 2);
    assert.ok(ls.length < 13, 'the batch did not go on failing note after note');
    sim = await startSim({ maxModelLen: 8192 }); // for afterEach
  });

  it('a server that is down before the start: exit 3, one error line, no results file', async () => {
    const url = sim.baseUrl;
    await sim.stop();
    const r = await batch(['summarize', notes, '--out', out], { env: { MEDGEMMA_BASE_URL: url } });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^error: Cannot reach the MedGemma server at http:\/\/127\.0\.0\.1:\d+\/v1 \(nothing answered\)/m);
    assert.ok(!fs.existsSync(out));
    sim = await startSim();
  });

  it('an incomplete last line from a run that was cut off is removed, and the file stays valid', async () => {
    fs.writeFileSync(out, '{"file":"x.txt","sha256":"00","status":"ok","template":"brief","model":"medgemma"}\n{"file":"y.txt","status":"o');
    const r = await batch(['summarize', path.join(notes, 'ed-chest-pain.txt'), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /ended in an incomplete line \(27 bytes, from a run that was cut off\); it was removed\./);
    assert.deepEqual(lines(out).map((l) => path.basename(l.file)), ['x.txt', 'ed-chest-pain.txt']);
  });

  it('a server that says slow down (429 with Retry-After) is waited for; every note ends ok', async () => {
    sim.setFault({ kind: 'rate-limit', count: 3, retryAfter: 1 });
    const r = await batch(['summarize', notes, '--out', out, '--concurrency', '4']);
    assert.equal(r.code, 4, r.stderr); // the empty note
    assert.equal(lines(out).filter((l) => l.status === 'ok').length, 4);
    assert.equal(chats().filter((q) => q.status === 429).length, 3);
  });

  it('a Vertex AI endpoint whose tokens expire mid-batch: fetched again, every note ok', async () => {
    await sim.stop();
    sim = await startSim({ maxModelLen: 8192, vertex: { project: 'p', region: 'us-central1', endpoint: '123', tokenUses: 3 } });
    fs.rmSync(path.join(notes, 'empty.txt'));
    for (let i = 0; i < 6; i++) fs.copyFileSync(path.join(NOTES, 'radiology-cxr-report.txt'), path.join(notes, `cxr-${i}.txt`));
    const r = await batch(['summarize', notes, '--out', out, '--concurrency', '4', '--token-command', `"${process.execPath}" "${TOKEN_COMMAND}" ${sim.url}`]);
    assert.equal(r.code, 0, r.stderr);
    const ls = lines(out);
    assert.equal(ls.length, 10);
    assert.ok(ls.every((l) => l.status === 'ok' && l.model === ''), 'a Vertex endpoint has one model, named by its URL');
    const issued = new Set(chats().map((q) => q.headers.authorization)).size;
    assert.ok(issued >= 4, `tokens were fetched again (${issued} used)`);
    assert.ok(issued <= 10, `one new token per expiry, not one per refused request (${issued} used)`);
    assert.ok(chats().some((q) => q.status === 401), 'tokens did expire mid-batch');
    assert.equal(sim.requests.filter((q) => q.path === '/metrics').length, 0, 'a Vertex endpoint is not asked for vLLM metrics');
  });

  it('--privacy pseudonymize: no identifier reaches the server, the records read with the real ones', async () => {
    const deid = path.join(NOTES, 'deid-sample.txt');
    const r = await batch(['summarize', deid, '--out', out, '--privacy', 'pseudonymize']);
    assert.equal(r.code, 0, r.stderr);
    const sent = chats().map((q) => JSON.stringify(q.body.messages)).join('\n');
    for (const id of ['Vandersloot', '519-22-4078', '(717) 555-0148']) assert.ok(!sent.includes(id), `${id} was sent`);
    assert.match(lines(out)[0].summary!, /Vandersloot/);
  });

  it('--privacy warn is refused: a batch cannot ask before each note', async () => {
    const r = await batch(['summarize', notes, '--out', out, '--privacy', 'warn']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --privacy warn asks before each note is sent, which a batch cannot do\. Use --privacy pseudonymize/m);
    assert.equal(chats().length, 0);
  });

  it('usage errors name the flag: no --out, a flag of the other command, a bad count, no inputs', async () => {
    const cases: [string[], RegExp][] = [
      [['summarize', notes], /give the results file with --out RESULTS\.jsonl/],
      [['summarize', notes, '--out', out, '--prompt', 'x'], /--prompt is for batch describe, not batch summarize/],
      [['describe', IMAGES, '--out', out, '--template', 'brief'], /--template is for batch summarize, not batch describe/],
      [['summarize', notes, '--out', out, '--concurrency', '0'], /--concurrency must be a number between 1 and 256, not "0"/],
      [['summarize', notes, '--out', out, '--concurrency', '2.5'], /--concurrency must be a whole number, not "2\.5"/],
      [['summarize', '--out', out], /give the notes \(files or folders\) to run/],
      [['summarize', path.join(dir, 'nowhere'), '--out', out], /nowhere does not exist\. Give note files or folders that hold them/],
      [['summarize', IMAGES, '--out', out], /no notes \(\.txt \.md \.markdown \.text \.note\) in /],
      [['describe', IMAGES, '--out', out, '--kind', 'xray'], /unknown --kind "xray"; use one of cxr, /],
      [['resize', notes], /unknown batch command "resize": use summarize, describe, prepare or collect/],
      [['summarize', notes, '--out', dir], /the results file .* is a folder\. Give --out a file path in a folder you can write to/],
    ];
    for (const [args, re] of cases) {
      const r = await batch(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^error: .*${re.source}`, 'm'), args.join(' '));
    }
    assert.equal(chats().length, 0);
  });

  it('describe: one answer per image, a damaged image recorded as failed with the reason', async () => {
    const imgs = path.join(dir, 'images');
    fs.mkdirSync(imgs);
    fs.copyFileSync(path.join(IMAGES, 'nih-cxr14-00000001_000.png'), path.join(imgs, 'cxr.png'));
    fs.copyFileSync(path.join(ROOT, 'test/fixtures/dicom/pydicom-CT_small.dcm'), path.join(imgs, 'IM000001'));
    fs.writeFileSync(path.join(imgs, 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\n this is not a PNG'));
    const r = await batch(['describe', imgs, '--out', out]);
    assert.equal(r.code, 4, r.stderr);
    const ls = lines(out);
    assert.equal(ls.length, 3);
    const byName = Object.fromEntries(ls.map((l) => [path.basename(l.file), l as Line & { detectedKind?: string; frames?: number }]));
    assert.equal(byName['cxr.png'].status, 'ok');
    assert.equal(byName['cxr.png'].detectedKind, 'cxr');
    assert.match(byName['cxr.png'].answer!, /^Received: /);
    assert.equal(byName.IM000001.status, 'ok', 'an extensionless DICOM file is found');
    assert.equal(byName.IM000001.detectedKind, 'ct');
    assert.equal(byName['broken.png'].status, 'error');
    assert.match(byName['broken.png'].error!, /broken\.png/);
    const sentImages = chats().map((q) => JSON.stringify(q.body.messages).match(/data:image\/png;base64,/g)?.length ?? 0);
    assert.deepEqual(sentImages, [1, 1]);
  });
});
