// `--privacy` and `--audit` as a user runs them: the bundled CLI as its own process against the simulator.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { choiceOf } from '../../../src/cli/privacy-prompt';
import { spawn, spawnSync } from 'node:child_process';
import { builtCli, runCli } from '../../cli-process';
import { startSim, type Sim } from '../../sim';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'test/fixtures/notes/deid-sample.txt');

describe('medgemma --privacy and --audit', function () {
  this.timeout(60_000);
  let sim: Sim;
  let dir: string;
  const chats = () => sim.requests.filter((q) => q.path === '/v1/chat/completions');
  const sent = () => chats().map((q) => JSON.stringify(q.body.messages)).join('\n');

  beforeEach(async () => {
    sim = await startSim({ maxModelLen: 8192 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-privacy-'));
  });
  afterEach(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('summarize --privacy pseudonymize: stand-ins go out, the real names come back, one audit line', async () => {
    const audit = path.join(dir, 'logs', 'audit.jsonl');
    const r = await runCli(['summarize', SAMPLE, '--privacy', 'pseudonymize', '--audit', audit, '--base-url', sim.baseUrl], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    for (const id of ['Vandersloot', '519-22-4078', '(717) 555-0148', '10/27/2024', 'Quillfeather']) assert.ok(!sent().includes(id), `${id} was sent`);
    assert.match(r.stdout, /Vandersloot/);
    const lines = fs.readFileSync(audit, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0]);
    assert.deepEqual([entry.feature, entry.mode, entry.action, entry.server], ['summary', 'pseudonymize', 'pseudonymized', new URL(sim.baseUrl).origin]);
    assert.ok(entry.identifiers.NAME > 0 && entry.bytes > 1000);
    assert.ok(!lines[0].includes('Vandersloot'));
    if (process.platform !== 'win32') assert.equal(fs.statSync(audit).mode & 0o777, 0o600);
  });

  it('$MEDGEMMA_PRIVACY=warn without a terminal refuses with exit 2 and sends nothing', async () => {
    const r = await runCli(['summarize', SAMPLE, '--base-url', sim.baseUrl], { env: { MEDGEMMA_PRIVACY: 'warn' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --privacy warn asks before sending identifiers, and there is no terminal to ask in .*Use --privacy pseudonymize/);
    assert.equal(chats().length, 0);
  });

  it('a bad mode is a usage error naming the choices', async () => {
    const r = await runCli(['summarize', SAMPLE, '--privacy', 'strict', '--base-url', sim.baseUrl]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--privacy must be off, warn, pseudonymize or auto, not "strict"/);
  });

  it('an audit log that cannot be written stops the request before it leaves', async () => {
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, '');
    const r = await runCli(['summarize', SAMPLE, '--audit', path.join(blocker, 'audit.jsonl'), '--base-url', sim.baseUrl]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /The audit log could not be written \(\w+\), so nothing was sent/);
    assert.equal(chats().length, 0);
  });

  /** The CLI in a pseudo-terminal (util-linux `script`), answering the privacy question with `answer`. */
  function inTerminal(args: string[], answer: string): Promise<{ code: number | null; out: string }> {
    const cli = path.join(builtCli(), 'cli.js');
    const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
    const child = spawn('script', ['-qec', [process.execPath, cli, ...args].map(quote).join(' '), '/dev/null'], { env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), TERM: 'dumb' } });
    let out = '';
    let answered = false;
    return new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (!answered && /\[c\]ancel\? $/.test(out)) {
          answered = true;
          child.stdin.write(`${answer}\r`);
        }
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
  }

  it('--privacy warn in a terminal: says what was found, sends stand-ins on "p", nothing on "c"', async function () {
    if (spawnSync('script', ['--version']).status !== 0) {
      if (process.env.CI === 'true') throw new Error('util-linux `script` is missing (CI=true: a missing tool is a failure)');
      this.skip();
    }
    const yes = await inTerminal(['summarize', SAMPLE, '--privacy', 'warn', '--base-url', sim.baseUrl], 'p');
    assert.equal(yes.code, 0, yes.out);
    assert.match(yes.out, /medgemma: the note holds \d+ names, \d+ dates, .* and would go to http:\/\/127\.0\.0\.1:\d+\./);
    assert.match(yes.out, /Vandersloot/);
    assert.equal(chats().length, 1);
    assert.ok(!sent().includes('Vandersloot'));
    const no = await inTerminal(['summarize', SAMPLE, '--privacy', 'warn', '--base-url', sim.baseUrl], 'c');
    assert.equal(no.code, 130, no.out);
    assert.match(no.out, /error: Nothing was sent to http:\/\/127\.0\.0\.1:\d+: you chose not to send the text with its identifiers/);
    assert.equal(chats().length, 1);
  });

  it('the terminal answer: p, a, anything else cancels', () => {
    assert.equal(choiceOf(' P\n'), 'pseudonymize');
    assert.equal(choiceOf('a'), 'as-is');
    assert.equal(choiceOf(''), 'cancel');
    assert.equal(choiceOf('yes'), 'cancel');
  });
});
