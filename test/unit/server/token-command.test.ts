// Access tokens from a command, as `gcloud auth print-access-token` gives them: real shell
// processes, counted through a file, so caching and refreshing are seen from the outside.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tokenCommandCredentials } from '../../../src/core/server/token-command';

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
});
