// The whole road to a Vertex AI endpoint over real HTTP and a real token command: the
// simulator's Vertex profile (the endpoint's resource path, bearer tokens that expire after a
// few uses, Google's error bodies, no model list) and test/sim/token-command.mjs, a process that
// asks the simulator for a new token each time it runs, as `gcloud auth print-access-token` would.
import * as assert from 'node:assert/strict';
import { makeConfig } from '../../../src/core/server/config';
import { apiKeyCredentials } from '../../../src/core/server/credentials';
import { diagnose, formatReport } from '../../../src/core/server/doctor';
import { isMedGemmaError, type MedGemmaError } from '../../../src/core/server/errors';
import { MedGemmaClient } from '../../../src/core/server/service';
import { startSim, type Sim } from '../../sim';
import { bearers, simTokenCommand, tokensUsed, VERTEX } from '../../sim/vertex-access';

describe('server: a Vertex AI endpoint end to end', function () {
  this.timeout(30_000);
  let sim: Sim;
  const client = (over: Parameters<typeof makeConfig>[0] = {}) =>
    new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl, tokenCommand: simTokenCommand(sim), ...over }), apiKeyCredentials(() => 'the-main-api-key'));
  const ask = (c: MedGemmaClient) => c.chat({ messages: [{ role: 'user', content: 'Hello' }], maxTokens: 50, temperature: 0 });
  const start = async (tokenUses?: number) => {
    sim = await startSim({ vertex: { ...VERTEX, tokenUses } });
  };

  afterEach(async () => {
    await sim?.stop();
  });

  it('sends model "" to <base>/chat/completions with a token; nothing else is asked for', async () => {
    await start();
    const c = client();
    const r = await ask(c);
    assert.ok(r.text.length > 0);
    assert.equal(r.finishReason, 'stop');
    assert.deepEqual(sim.requests.map((s) => `${s.method} ${s.path}`), [`POST ${new URL(sim.baseUrl).pathname}/chat/completions`], 'no /models, /tokenize, /health or /props');
    assert.equal(sim.requests[0].body?.model, '');
    assert.match(bearers(sim)[0], /^Bearer ya29\.sim-/, 'the token, never the API key');
    assert.equal(await c.contextLength(), 32768);
    assert.equal((await c.model()).label, 'Vertex AI endpoint 123 (p, us-central1)');
    assert.equal(await client({ contextLength: 8192 }).contextLength(), 8192);
  });

  it('a token that expires mid-run is fetched again once and the request sent again', async () => {
    await start(2);
    const c = client();
    for (let i = 0; i < 5; i++) assert.equal((await ask(c)).finishReason, 'stop');
    assert.equal(tokensUsed(sim), 3, 'the first and second tokens served two requests each, the third the fifth');
    const b = bearers(sim);
    // Each token: two good uses, then one refused (401) that sends the request again with the next.
    assert.deepEqual(sim.requests.map((q) => q.status), [200, 200, 401, 200, 200, 401, 200]);
    assert.deepEqual([b[0] === b[1] && b[1] === b[2], b[3] === b[4] && b[4] === b[5], b[2] !== b[3], b[5] !== b[6]], [true, true, true, true]);
  });

  it('a token refused again after refreshing: one sentence, no loop', async () => {
    await start(0);
    const e = (await ask(client()).then(() => assert.fail('no error'), (x: unknown) => x)) as MedGemmaError;
    assert.ok(isMedGemmaError(e));
    assert.equal(e.kind, 'unauthorized');
    assert.match(e.message, /refused the access token \(HTTP 401, UNAUTHENTICATED\), also after fetching a new one: sign in again \("gcloud auth login"\)/);
    assert.equal(sim.requests.length, 2, 'sent once, and once more with a new token');
    assert.equal(tokensUsed(sim), 2);
  });

  it('403 and 404 in Google\'s shape become the sentences a user can act on; a failing token command sends nothing', async () => {
    await start();
    sim.setFault({ kind: 'permission-denied' });
    assert.match(((await ask(client()).catch((e: unknown) => e)) as Error).message, /needs the permission aiplatform\.endpoints\.predict/);
    sim.setFault(undefined);
    const wrong = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl.replace('/endpoints/123', '/endpoints/999'), tokenCommand: simTokenCommand(sim) }), apiKeyCredentials(() => undefined));
    const e404 = (await ask(wrong).catch((e: unknown) => e)) as MedGemmaError;
    assert.equal(e404.kind, 'bad-config');
    assert.match(e404.message, /^No answer from the Vertex AI endpoint 999 \(project p, us-central1\) \(HTTP 404, NOT_FOUND\)/);
    const before = sim.requests.length;
    const broken = client({ tokenCommand: `"${process.execPath}" -e "process.exit(2)"` });
    const eCmd = (await ask(broken).catch((e: unknown) => e)) as MedGemmaError;
    assert.equal(eCmd.kind, 'unauthorized');
    assert.match(eCmd.message, /^The token command ".*" failed \(exit 2\)\./);
    assert.equal(sim.requests.length, before, 'nothing was sent without a token');
    const failing = await ask(client({ tokenCommand: simTokenCommand(sim, '--fail') })).catch((e: unknown) => e);
    assert.match((failing as Error).message, /^The token command ".*" failed \(exit 1: token-command: simulated failure: not signed in\)\. Run it in a terminal/);
    const empty = await ask(client({ tokenCommand: simTokenCommand(sim, '--empty') })).catch((e: unknown) => e);
    assert.match((empty as Error).message, /^The token command ".*" printed nothing\. Run it in a terminal/);
    assert.equal(sim.requests.length, before, 'nothing was sent without a token');
  });

  it('the doctor names the endpoint and the token source (never the token) and sends one request', async () => {
    await start();
    const r = await diagnose(client());
    assert.equal(r.reachable, true);
    assert.deepEqual(r.problems, []);
    const text = formatReport(r);
    assert.match(text, /^Server: http:\/\/127\.0\.0\.1:\d+\/v1beta1\/projects\/p\/locations\/us-central1\/endpoints\/123\nVertex AI endpoint: 123 \(project p, region us-central1\)\nAccess token: from the command ".*", refreshed when refused\nReachable: yes\nModel: \S+ \(as the endpoint names it\)\nContext used for budgeting: 32768 tokens \(not reported by the server/);
    assert.doesNotMatch(text, /ya29/);
    assert.equal(sim.requests.length, 1);
  });

  it('a token never goes over plain http to another machine', async () => {
    await start();
    const c = new MedGemmaClient(makeConfig({ baseUrl: 'http://203.0.113.9/v1beta1/projects/p/locations/r/endpoints/1', tokenCommand: simTokenCommand(sim) }), apiKeyCredentials(() => undefined));
    const e = (await ask(c).catch((x: unknown) => x)) as MedGemmaError;
    assert.equal(e.kind, 'bad-config');
    assert.match(e.message, /^The server address http:\/\/203\.0\.113\.9 is plain http, and an access token would cross the network unencrypted: nothing was sent\. Use its https:\/\/ address\.$/);
    assert.equal(sim.requests.length, 0);
    assert.equal(tokensUsed(sim), 0, 'the token command did not even run');
  });

  describe('faults in Google\'s shape, as the server tests meet them on vLLM', () => {
    const failure = (p: Promise<unknown>) => p.then(() => assert.fail('no error'), (e: unknown) => e as MedGemmaError);
    const chats = () => sim.requests.filter((q) => q.path.endsWith('/chat/completions'));

    it('429 (quota) waits out Retry-After and succeeds; 503 and 502 are retried; 500 is not', async () => {
      await start(3);
      const c = client(); // one client, one token cache: its tokens run out during the retries
      sim.setFault({ kind: 'rate-limit', count: 1, retryAfter: 1 });
      const t0 = Date.now();
      assert.equal((await ask(c)).finishReason, 'stop');
      assert.ok(Date.now() - t0 >= 900, 'waited for Retry-After');
      sim.setFault({ kind: 'unavailable-503', count: 2 });
      assert.equal((await ask(c)).finishReason, 'stop');
      sim.setFault({ kind: 'bad-gateway-502', count: 1 });
      assert.equal((await ask(c)).finishReason, 'stop');
      sim.setFault({ kind: 'server-error-500', count: 1 });
      const before = chats().length;
      const e = await failure(ask(c));
      assert.equal(e.kind, 'server-error');
      assert.match(e.message, /HTTP 500/);
      // The token ran out somewhere in these retries: a 401 is sent again, a 500 is not.
      assert.equal(chats().slice(before).filter((q) => q.status === 500).length, 1);
      assert.ok(sim.requests.some((q) => q.status === 401), 'no token expired during the retries');
    });

    it('a quota that persists: one sentence naming the quota, after the retries', async () => {
      await start();
      sim.setFault({ kind: 'rate-limit', retryAfter: 0 });
      const e = await failure(ask(client({ maxRetries: 1 })));
      assert.equal(e.kind, 'rate-limited');
      assert.match(e.message, /HTTP 429/);
    });

    it('mid-stream faults behind Vertex: interrupted, the partial text kept', async () => {
      await start();
      for (const kind of ['disconnect-mid-stream', 'error-event-nested', 'malformed-chunk'] as const) {
        sim.setFault({ kind, afterChunks: 3 });
        const e = await failure(client().chat({ messages: [{ role: 'user', content: 'Summarize the findings of the chest radiograph in detail.' }], maxTokens: 100, temperature: 0 }));
        assert.equal(e.kind, 'interrupted', kind);
        assert.ok(e.partial.length > 0, `${kind}: partial text lost`);
      }
    });

    it('a stall mid-stream ends after the idle limit and closes the connection', async () => {
      await start();
      sim.setFault({ kind: 'stall-mid-stream', afterChunks: 3, ms: 30_000 });
      const e = await failure(client({ idleTimeoutMs: 300, connectTimeoutMs: 5000 }).chat({ messages: [{ role: 'user', content: 'Describe the findings.' }], maxTokens: 100, temperature: 0 }));
      assert.equal(e.kind, 'interrupted');
      assert.match(e.message, /^The server stopped sending for 0\.3 s mid-answer/);
      await sim.waitForClose();
    });

    it('a context overflow keeps vLLM\'s words and becomes the usual sentence', async () => {
      await start();
      sim.setFault({ kind: 'context-overflow' });
      const e = await failure(ask(client()));
      assert.equal(e.kind, 'context-overflow');
    });
  });
});
