// Access tokens from a command, as `gcloud auth print-access-token` gives them: real shell
// processes, counted through a file, so caching and refreshing are seen from the outside.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runInShell, tokenCommandCredentials, type CommandResult, type RunCommand } from '../../../src/core/server/token-command';

describe('server/token-command', function () {
  this.timeout(30_000);
  let dir: string;
  let counter: string;
  /** A command printing tok-<n>, n counting its runs. */
  const counting = () =>
    `"${process.execPath}" -e "const f=process.argv[1];const n=(require('fs').existsSync(f)?+require('fs').readFileSync(f,'utf8'):0)+1;require('fs').writeFileSync(f,String(n));console.log('tok-'+n)" "${counter}"`;
  const runs = () => (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-token-'));
    counter = path.join(dir, 'runs');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs the command once, keeps the token, runs it again after refresh()', async () => {
    const c = tokenCommandCredentials(counting());
    assert.equal(await c.authorization(), 'Bearer tok-1');
    assert.equal(await c.authorization(), 'Bearer tok-1');
    assert.equal(runs(), 1);
    c.refresh();
    assert.equal(await c.authorization(), 'Bearer tok-2');
    assert.equal(runs(), 2);
    assert.match(c.source, /^the command ".*node.*"$/);
  });

  it('requests that arrive together wait for one run', async () => {
    const c = tokenCommandCredentials(counting());
    const all = await Promise.all([1, 2, 3, 4].map(() => c.authorization()));
    assert.deepEqual(all, Array(4).fill('Bearer tok-1'));
    assert.equal(runs(), 1);
  });

  it('requests refused together run the command once: a token fetched since is kept', async () => {
    const c = tokenCommandCredentials(counting());
    const old = await c.authorization();
    c.refresh(old);
    assert.equal(await c.authorization(), 'Bearer tok-2');
    c.refresh(old); // a second request refused with the old token, answered after the refresh
    c.refresh('Bearer some-other');
    assert.equal(await c.authorization(), 'Bearer tok-2');
    assert.equal(runs(), 2);
    c.refresh('Bearer tok-2');
    assert.equal(await c.authorization(), 'Bearer tok-3');
  });

  it('a token older than 50 minutes is fetched again', async () => {
    let now = 1_000_000;
    const c = tokenCommandCredentials(counting(), { now: () => now });
    await c.authorization();
    now += 49 * 60_000;
    assert.equal(await c.authorization(), 'Bearer tok-1');
    now += 2 * 60_000;
    assert.equal(await c.authorization(), 'Bearer tok-2');
  });

  it('a failing, silent, missing, slow or babbling command is one sentence naming the command', async () => {
    const node = `"${process.execPath}"`;
    const cases: [string, RegExp][] = [
      [`${node} -e "console.error('ERROR: (gcloud.auth) You do not currently have an active account.');process.exit(1)"`, /The token command ".*" failed \(exit 1: ERROR: \(gcloud\.auth\) You do not currently have an active account\.\)\. Run it in a terminal .*gcloud auth login/],
      [`${node} -e ""`, /The token command ".*" printed nothing\./],
      ['medgemma-no-such-command-xyz', /The token command "medgemma-no-such-command-xyz" could not be run \(.*not found.*\)/],
      [`${node} -e "console.log('has a space\\tand tab')"`, /printed something that is not an access token/],
    ];
    for (const [cmd, re] of cases) {
      const c = tokenCommandCredentials(cmd);
      await assert.rejects(c.authorization(), (e: Error & { kind?: string }) => {
        assert.equal(e.kind, 'unauthorized');
        assert.match(e.message, re);
        return true;
      }, cmd);
    }
    const slow = tokenCommandCredentials(`${node} -e "setTimeout(()=>{},5000)"`, { timeoutMs: 300 });
    await assert.rejects(slow.authorization(), /The token command ".*" did not finish within 300 ms\./);
  });

  it('a failure is not cached: the next call runs the command again', async () => {
    const flag = path.join(dir, 'ok');
    const cmd = `"${process.execPath}" -e "if(!require('fs').existsSync(process.argv[1])){process.exit(3)};console.log('tok-ok')" "${flag}"`;
    const c = tokenCommandCredentials(cmd);
    await assert.rejects(c.authorization(), /failed \(exit 3\)/);
    fs.writeFileSync(flag, '');
    assert.equal(await c.authorization(), 'Bearer tok-ok');
  });

  describe('what the command printed, read exactly (its result given, as runInShell would give it)', () => {
    const result = (r: Partial<CommandResult>): RunCommand => async () => ({ code: 0, stdout: '', stderr: '', ...r });
    const refusal = async (r: Partial<CommandResult>, timeoutMs?: number) => {
      const e = await tokenCommandCredentials('get-token', { run: result(r), timeoutMs }).authorization().then(() => assert.fail('no error'), (x: Error) => x);
      return e.message.replace(/^The token command "get-token" /, '').replace(/\. Run it in a terminal to see why \(for gcloud: sign in with "gcloud auth login"\), or set "medgemma\.server\.tokenCommand" \(CLI: --token-command\) to a command that prints an access token\.$/, '');
    };

    it('the first non-empty line, trimmed; CRLF; the longest token a header takes', async () => {
      assert.equal(await tokenCommandCredentials('x', { run: result({ stdout: '\n  ya29.abc  \r\nsecond line\n' }) }).authorization(), 'Bearer ya29.abc');
      const long = 'a'.repeat(8192);
      assert.equal(await tokenCommandCredentials('x', { run: result({ stdout: `${long}\n` }) }).authorization(), `Bearer ${long}`);
      assert.equal(await refusal({ stdout: `${long}a` }), 'printed something that is not an access token');
      for (const bad of ['tok en', 'tök', 'tok\u0007', 'tok"x"'.replace(/"/g, '\u007f')]) assert.equal(await refusal({ stdout: bad }), 'printed something that is not an access token', JSON.stringify(bad));
      assert.equal(await tokenCommandCredentials('x', { run: result({ stdout: '!~' }) }).authorization(), 'Bearer !~', 'every printable ASCII character is allowed');
      assert.equal(await refusal({ stdout: ' \n\t\n' }), 'printed nothing');
    });

    it('failures name the exit code and the first line of what it said, printable and at most 200 characters', async () => {
      assert.equal(await refusal({ code: 2, stderr: '\n\n  first complaint \r\nsecond\n' }), 'failed (exit 2: first complaint)');
      assert.equal(await refusal({ code: 1 }), 'failed (exit 1)');
      assert.equal(await refusal({ code: 1, stderr: `\u001b[31m${'e'.repeat(300)}` }), `failed (exit 1: [31m${'e'.repeat(196)})`);
      assert.equal(await refusal({ code: 127, stderr: 'sh: 1: get-token: not found' }), 'could not be run (sh: 1: get-token: not found)');
      assert.equal(await refusal({ code: 127 }), 'could not be run (command not found)');
      assert.equal(await refusal({ code: 1, stderr: "'get-token' is not recognized as an internal or external command" }), "could not be run ('get-token' is not recognized as an internal or external command)");
      assert.equal(await refusal({ code: null, stderr: 'killed' }), 'failed (exit null: killed)');
    });

    it('too slow: the limit in seconds from one second up, in ms below', async () => {
      assert.equal(await refusal({ timedOut: true, code: null }, 2500), 'did not finish within 3 s');
      assert.equal(await refusal({ timedOut: true, code: null }, 1000), 'did not finish within 1 s');
      assert.equal(await refusal({ timedOut: true, code: null }, 999), 'did not finish within 999 ms');
      assert.equal(await refusal({ timedOut: true, code: null }), 'did not finish within 30 s', 'the default limit');
    });

    it('the command and its limit reach the runner; a token exactly 50 minutes old is fetched again', async () => {
      const calls: [string, number][] = [];
      let now = 0;
      const c = tokenCommandCredentials('gcloud auth print-access-token', { run: async (cmd, ms) => (calls.push([cmd, ms]), { code: 0, stdout: `t${calls.length}\n`, stderr: '' }), now: () => now });
      await c.authorization();
      now = 50 * 60_000 - 1;
      assert.equal(await c.authorization(), 'Bearer t1');
      now = 50 * 60_000;
      assert.equal(await c.authorization(), 'Bearer t2');
      assert.deepEqual(calls, [['gcloud auth print-access-token', 30_000], ['gcloud auth print-access-token', 30_000]]);
      assert.equal(c.source, 'the command "gcloud auth print-access-token"');
    });

    it('runInShell: exit codes, both streams, and a command killed at its limit', async () => {
      const node = `"${process.execPath}"`;
      assert.deepEqual(await runInShell(`${node} -e "process.stdout.write('out');process.stderr.write('err')"`, 5000), { code: 0, stdout: 'out', stderr: 'err', timedOut: false });
      const failed = await runInShell(`${node} -e "process.exit(4)"`, 5000);
      assert.deepEqual([failed.code, failed.timedOut], [4, false]);
      const slow = await runInShell(`${node} -e "setTimeout(()=>{},5000)"`, 200);
      assert.equal(slow.timedOut, true);
      assert.notEqual(slow.code, 0);
    });
  });
});
