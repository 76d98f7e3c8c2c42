// The whole road to a Vertex AI endpoint over real HTTP and a real token command: a stand-in
// for the endpoint (path shape, bearer tokens that expire after a few uses, Google error
// bodies, no model list) and a shell command that prints a new token each time it runs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeConfig } from '../../../src/core/server/config';
import { apiKeyCredentials } from '../../../src/core/server/credentials';
import { diagnose, formatReport } from '../../../src/core/server/doctor';
import { isMedGemmaError, type MedGemmaError } from '../../../src/core/server/errors';
import { MedGemmaClient } from '../../../src/core/server/service';

interface Seen {
  method: string;
  path: string;
  authorization?: string;
  body?: { model?: string; max_tokens?: number; messages?: unknown[] };
}

/** A Vertex-shaped endpoint: tokens "tok-<n>" are good for `uses` chat requests each. */
async function vertexStandIn(opts: { uses: number; project?: string }) {
  const seen: Seen[] = [];
  const used = new Map<string, number>();
  let fault: { status: number; googleStatus: string; message: string } | undefined;
  const base = `/v1beta1/projects/${opts.project ?? 'p'}/locations/us-central1/endpoints/123`;
  const google = (res: http.ServerResponse, code: number, status: string, message: string) =>
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message, status } }));
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization };
      if (raw) s.body = JSON.parse(raw);
      seen.push(s);
      if (req.url !== `${base}/chat/completions` || req.method !== 'POST') return google(res, 404, 'NOT_FOUND', `The requested URL ${req.url} was not found.`);
      const token = /^Bearer (tok-\d+)$/.exec(req.headers.authorization ?? '')?.[1];
      const n = token ? (used.get(token) ?? 0) : Infinity;
      if (n >= opts.uses) return google(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
      used.set(token!, n + 1);
      if (fault) return google(res, fault.status, fault.googleStatus, fault.message);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: object, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'google/medgemma-4b-it', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.end(`${chunk({ role: 'assistant', content: 'OK from Vertex' }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${base}`,
    seen,
    setFault: (f: typeof fault) => (fault = f),
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

describe('server: a Vertex AI endpoint end to end', function () {
  this.timeout(30_000);
  let dir: string;
  let counter: string;
  let endpoint: Awaited<ReturnType<typeof vertexStandIn>>;
  /** Prints tok-<n>, n counting its runs (through a file: each run is its own process). */
  const tokenCommand = () =>
    `"${process.execPath}" -e "const f=process.argv[1];const n=(require('fs').existsSync(f)?+require('fs').readFileSync(f,'utf8'):0)+1;require('fs').writeFileSync(f,String(n));console.log('tok-'+n)" "${counter}"`;
  const runs = () => (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0);
  const client = (over: Parameters<typeof makeConfig>[0] = {}) =>
    new MedGemmaClient(makeConfig({ baseUrl: endpoint.baseUrl, tokenCommand: tokenCommand(), ...over }), apiKeyCredentials(() => 'the-main-api-key'));
  const ask = (c: MedGemmaClient) => c.chat({ messages: [{ role: 'user', content: 'Hello' }], maxTokens: 50, temperature: 0 });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-vertex-'));
    counter = path.join(dir, 'runs');
  });
  afterEach(async () => {
    await endpoint?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends model "" to <base>/chat/completions with a token; nothing else is asked for', async () => {
    endpoint = await vertexStandIn({ uses: 100 });
    const c = client();
    const r = await ask(c);
    assert.equal(r.text, 'OK from Vertex');
    assert.equal(r.model, 'google/medgemma-4b-it');
    assert.deepEqual(endpoint.seen.map((s) => `${s.method} ${s.path}`), [`POST ${new URL(endpoint.baseUrl).pathname}/chat/completions`], 'no /models, /tokenize, /health or /props');
    assert.equal(endpoint.seen[0].body?.model, '');
    assert.equal(endpoint.seen[0].authorization, 'Bearer tok-1', 'the token, never the API key');
    assert.equal(await c.contextLength(), 32768);
    assert.equal((await c.model()).label, 'Vertex AI endpoint 123 (p, us-central1)');
    assert.equal(await client({ contextLength: 8192 }).contextLength(), 8192);
  });

  it('a token that expires mid-run is fetched again once and the request sent again', async () => {
    endpoint = await vertexStandIn({ uses: 2 });
    const c = client();
    for (let i = 0; i < 5; i++) assert.equal((await ask(c)).text, 'OK from Vertex');
    assert.equal(runs(), 3, 'tok-1 and tok-2 served two requests each, tok-3 the fifth');
    const auths = endpoint.seen.map((s) => s.authorization);
    assert.deepEqual(auths, ['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2', 'Bearer tok-2', 'Bearer tok-2', 'Bearer tok-3']);
  });

  it('a token refused again after refreshing: one sentence, no loop', async () => {
    endpoint = await vertexStandIn({ uses: 0 });
    const e = (await ask(client()).then(() => assert.fail('no error'), (x: unknown) => x)) as MedGemmaError;
    assert.ok(isMedGemmaError(e));
    assert.equal(e.kind, 'unauthorized');
    assert.match(e.message, /refused the access token \(HTTP 401, UNAUTHENTICATED\), also after fetching a new one: sign in again \("gcloud auth login"\)/);
    assert.equal(endpoint.seen.length, 2, 'sent once, and once more with a new token');
  });

  it('403 and 404 in Google\'s shape become the sentences a user can act on; a failing token command sends nothing', async () => {
    endpoint = await vertexStandIn({ uses: 100 });
    endpoint.setFault({ status: 403, googleStatus: 'PERMISSION_DENIED', message: "Permission 'aiplatform.endpoints.predict' denied" });
    assert.match(((await ask(client()).catch((e: unknown) => e)) as Error).message, /needs the permission aiplatform\.endpoints\.predict/);
    endpoint.setFault(undefined);
    const wrong = new MedGemmaClient(makeConfig({ baseUrl: endpoint.baseUrl.replace('/endpoints/123', '/endpoints/999'), tokenCommand: tokenCommand() }), apiKeyCredentials(() => undefined));
    const e404 = (await ask(wrong).catch((e: unknown) => e)) as MedGemmaError;
    assert.equal(e404.kind, 'bad-config');
    assert.match(e404.message, /^No answer from the Vertex AI endpoint 999 \(project p, us-central1\) \(HTTP 404, NOT_FOUND\)/);
    const before = endpoint.seen.length;
    const broken = client({ tokenCommand: `"${process.execPath}" -e "process.exit(2)"` });
    const eCmd = (await ask(broken).catch((e: unknown) => e)) as MedGemmaError;
    assert.equal(eCmd.kind, 'unauthorized');
    assert.match(eCmd.message, /^The token command ".*" failed \(exit 2\)\./);
    assert.equal(endpoint.seen.length, before, 'nothing was sent without a token');
  });

  it('the doctor names the endpoint and the token source (never the token) and sends one request', async () => {
    endpoint = await vertexStandIn({ uses: 100 });
    const r = await diagnose(client());
    assert.equal(r.reachable, true);
    assert.deepEqual(r.problems, []);
    const text = formatReport(r);
    assert.match(text, /^Server: http:\/\/127\.0\.0\.1:\d+\/v1beta1\/projects\/p\/locations\/us-central1\/endpoints\/123\nVertex AI endpoint: 123 \(project p, region us-central1\)\nAccess token: from the command ".*", refreshed when refused\nReachable: yes\nModel: google\/medgemma-4b-it \(as the endpoint names it\)\nContext used for budgeting: 32768 tokens \(not reported by the server/);
    assert.doesNotMatch(text, /tok-1/);
    assert.equal(endpoint.seen.length, 1);
  });

  it('a token never goes over plain http to another machine', async () => {
    const c = new MedGemmaClient(makeConfig({ baseUrl: 'http://203.0.113.9/v1beta1/projects/p/locations/r/endpoints/1', tokenCommand: tokenCommand() }), apiKeyCredentials(() => undefined));
    const e = (await ask(c).catch((x: unknown) => x)) as MedGemmaError;
    assert.equal(e.kind, 'bad-config');
    assert.match(e.message, /^The server address http:\/\/203\.0\.113\.9 is plain http, and an access token would cross the network unencrypted: nothing was sent\. Use its https:\/\/ address\.$/);
    assert.equal(runs(), 0, 'the token command did not even run');
  });
});
