import * as assert from 'node:assert/strict';
import { exec } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { NOT_FOUND_MESSAGE, UNAUTHENTICATED_MESSAGE, startSim, type Sim, type SimProfile } from './index';
import { chat, readEvents, streamedText, userMessage } from './test-helpers';

const BASE = '/v1beta1/projects/p/locations/us-central1/endpoints/123';
const ask = { model: '', messages: userMessage('one two three'), max_tokens: 50 };
const SCRIPT = path.join(__dirname, 'token-command.mjs');

/** The token command as product tests run it: a real process, through a shell (async: the sim answers it from this process). */
async function tokenCommand(arg: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(exec)(`"${process.execPath}" "${SCRIPT}" ${arg}`);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('sim: Vertex AI endpoint profile', function () {
  this.timeout(20_000);
  let sim: Sim;
  let token: string;
  const auth = (t = token): Record<string, string> => ({ authorization: `Bearer ${t}` });
  const google = async (res: Response, code: number, status: string): Promise<string> => {
    assert.equal(res.status, code);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = await res.json();
    assert.deepEqual(Object.keys(body.error), ['code', 'message', 'status']);
    assert.equal(body.error.code, code);
    assert.equal(body.error.status, status);
    return body.error.message;
  };

  before(async () => {
    sim = await startSim({ vertex: { project: 'p', region: 'us-central1', endpoint: '123' } });
  });
  after(() => sim.stop());
  beforeEach(() => {
    token = sim.issueToken();
  });
  afterEach(() => {
    sim.setFault(undefined);
    sim.setOptions({ vertex: { project: 'p', region: 'us-central1', endpoint: '123' } });
  });

  describe('routes', () => {
    it('baseUrl is the endpoint resource path; chat answers there, streamed or whole, with usage', async () => {
      assert.equal(sim.baseUrl, `${sim.url}${BASE}`);
      const whole = await chat(sim, ask, auth());
      assert.equal(whole.status, 200);
      const body = await whole.json();
      assert.equal(body.choices[0].message.content, 'Received: one two three');
      assert.equal(body.model, 'medgemma', 'the served model, not the empty name');
      assert.ok(body.usage.prompt_tokens > 0);
      const events = await readEvents(await chat(sim, { ...ask, stream: true, stream_options: { include_usage: true } }, auth()));
      assert.equal(streamedText(events), 'Received: one two three');
      assert.equal(events.at(-2).usage.completion_tokens, body.usage.completion_tokens);
      assert.equal(sim.requests.at(-1)?.path, `${BASE}/chat/completions`);
      assert.equal(sim.requests.at(-1)?.headers.authorization, `Bearer ${token}`, 'the header is in the log');
    });

    it('another project, region or endpoint id: 404 NOT_FOUND naming it', async () => {
      for (const [from, to] of [
        ['/endpoints/123', '/endpoints/999'],
        ['/projects/p/', '/projects/q/'],
        ['/locations/us-central1/', '/locations/europe-west4/'],
      ]) {
        const url = `${sim.baseUrl.replace(from, to)}/chat/completions`;
        const res = await fetch(url, { method: 'POST', headers: auth(), body: JSON.stringify(ask) });
        const name = new URL(url).pathname.replace(/^\/v1beta1\//, '').replace(/\/chat\/completions$/, '');
        assert.equal(await google(res, 404, 'NOT_FOUND'), `Endpoint ${name} not found.`);
      }
    });

    it('no OpenAI or vLLM routes: /v1/*, /tokenize, /health, /version, /metrics, <base>/models are 404 in Google\'s shape', async () => {
      for (const [method, p] of [
        ['GET', '/v1/models'],
        ['POST', '/v1/chat/completions'],
        ['POST', '/tokenize'],
        ['GET', '/health'],
        ['GET', '/version'],
        ['GET', '/metrics'],
        ['GET', `${BASE}/models`],
        ['GET', `${BASE}/chat/completions`],
      ]) {
        const res = await fetch(sim.url + p, { method, headers: auth(), body: method === 'POST' ? JSON.stringify(ask) : undefined });
        assert.equal(await google(res, 404, 'NOT_FOUND'), NOT_FOUND_MESSAGE, `${method} ${p}`);
      }
    });

    it('a fault does not reach a refused request, nor use up its count', async () => {
      sim.setFault({ kind: 'server-error-500', count: 1 });
      assert.equal((await fetch(`${sim.url}/v1/models`)).status, 404);
      assert.equal((await chat(sim, ask)).status, 401);
      assert.equal((await chat(sim, ask, auth())).status, 500);
    });
  });

  describe('tokens', () => {
    it('missing, not a bearer, or never issued: 401 UNAUTHENTICATED', async () => {
      for (const headers of [{}, { authorization: token }, auth('ya29.sim-forged')]) {
        assert.equal(await google(await chat(sim, ask, headers), 401, 'UNAUTHENTICATED'), UNAUTHENTICATED_MESSAGE);
      }
    });

    it('each token is good for tokenUses requests, then refused; a new one works', async () => {
      sim.setOptions({ vertex: { project: 'p', region: 'us-central1', endpoint: '123', tokenUses: 2 } });
      const first = sim.issueToken();
      assert.match(first, /^ya29\.sim-[\w-]+$/);
      assert.deepEqual([(await chat(sim, ask, auth(first))).status, (await chat(sim, ask, auth(first))).status], [200, 200]);
      await google(await chat(sim, ask, auth(first)), 401, 'UNAUTHENTICATED');
      const second = sim.issueToken();
      assert.notEqual(second, first);
      assert.equal((await chat(sim, ask, auth(second))).status, 200);
    });

    it('tokenUses 0: every token is refused at once (refused again after refreshing)', async () => {
      sim.setOptions({ vertex: { project: 'p', region: 'us-central1', endpoint: '123', tokenUses: 0 } });
      await google(await chat(sim, ask, auth(sim.issueToken())), 401, 'UNAUTHENTICATED');
    });

    it('POST /__sim/token issues one over HTTP', async () => {
      const res = await fetch(`${sim.url}/__sim/token`, { method: 'POST' });
      const { token: t } = await res.json();
      assert.equal((await chat(sim, ask, auth(t))).status, 200);
    });

    it('a bad vertex option is refused when set', () => {
      assert.throws(() => sim.setOptions({ vertex: { project: 'p', region: 'us-central1', endpoint: '' } }), /vertex\.endpoint/);
      assert.throws(() => sim.setOptions({ vertex: { project: 'a/b', region: 'r', endpoint: '1' } }), /vertex\.project/);
    });
  });

  describe('token-command.mjs', () => {
    it('prints a token and a newline that the endpoint takes (any URL on the simulator)', async () => {
      for (const url of [sim.url, sim.baseUrl]) {
        const r = await tokenCommand(`"${url}"`);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^ya29\.sim-[\w-]+\n$/);
        assert.equal((await chat(sim, ask, auth(r.stdout.trim()))).status, 200);
      }
    });

    it('--fail exits 1 with a message on stderr; --empty prints nothing', async () => {
      const failed = await tokenCommand(`"${sim.url}" --fail`);
      assert.equal(failed.code, 1);
      assert.equal(failed.stdout, '');
      assert.match(failed.stderr, /not signed in/);
      const empty = await tokenCommand(`"${sim.url}" --empty`);
      assert.deepEqual(empty, { code: 0, stdout: '', stderr: '' });
    });

    it('no simulator there: exit 1', async () => {
      const stopped = await startSim();
      const url = stopped.url;
      await stopped.stop();
      const r = await tokenCommand(`"${url}"`);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /no token from the simulator/);
    });
  });

  describe('faults in Google\'s shape', () => {
    it('unauthorized, rate-limit (with Retry-After), 500, 502, 503', async () => {
      const cases = [
        ['unauthorized', 401, 'UNAUTHENTICATED'],
        ['rate-limit', 429, 'RESOURCE_EXHAUSTED'],
        ['server-error-500', 500, 'INTERNAL'],
        ['bad-gateway-502', 502, 'UNAVAILABLE'],
        ['unavailable-503', 503, 'UNAVAILABLE'],
      ] as const;
      for (const [kind, code, status] of cases) {
        sim.setFault({ kind, count: 1, retryAfter: 4 });
        const res = await chat(sim, ask, auth());
        await google(res, code, status);
        if (kind === 'rate-limit') assert.equal(res.headers.get('retry-after'), '4');
      }
      assert.equal((await chat(sim, ask, auth())).status, 200);
    });

    it('permission-denied: 403 PERMISSION_DENIED naming the permission and the endpoint', async () => {
      sim.setFault({ kind: 'permission-denied' });
      assert.equal(
        await google(await chat(sim, ask, auth()), 403, 'PERMISSION_DENIED'),
        "Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/p/locations/us-central1/endpoints/123' (or it may not exist).",
      );
    });

    it('mid-stream faults are unchanged (vLLM behind Vertex)', async () => {
      sim.setFault({ kind: 'error-event-nested', afterChunks: 1 });
      const events = await readEvents(await chat(sim, { ...ask, stream: true }, auth()));
      assert.equal(events.at(-2).error.type, 'InternalServerError');
      assert.equal(events.at(-1), '[DONE]');
    });

    it('model errors keep vLLM\'s words: a context overflow is vLLM\'s 400', async () => {
      sim.setFault({ kind: 'context-overflow' });
      const body = await (await chat(sim, ask, auth())).json();
      assert.equal(body.error.type, 'BadRequestError');
      assert.match(body.error.message, /maximum context length/);
    });
  });

  describe('outside the vertex profile', () => {
    it('permission-denied is a 403 in the profile\'s own shape', async () => {
      const plain = await startSim();
      try {
        plain.setFault({ kind: 'permission-denied' });
        for (const profile of ['vllm', 'llamacpp'] as const) {
          plain.setOptions({ profile });
          const res = await chat(plain, ask);
          assert.equal(res.status, 403);
          const body = await res.json();
          assert.equal(body.error.code, 403);
          assert.equal(body.error.type, profile === 'vllm' ? 'PermissionDeniedError' : 'permission_error');
        }
      } finally {
        await plain.stop();
      }
    });

    it('"model": "" means the served model in vLLM and llama.cpp (Ollama requires a name)', async () => {
      const plain = await startSim({ models: [{ id: 'google/medgemma-27b-text-it' }] });
      try {
        for (const profile of ['vllm', 'vllm-0.10', 'llamacpp', 'ollama'] as SimProfile[]) {
          plain.setOptions({ profile });
          const res = await chat(plain, ask);
          if (profile === 'ollama') {
            assert.equal(res.status, 400);
            continue;
          }
          assert.equal(res.status, 200, profile);
          assert.equal((await res.json()).model, 'google/medgemma-27b-text-it', profile);
        }
      } finally {
        await plain.stop();
      }
    });
  });
});
