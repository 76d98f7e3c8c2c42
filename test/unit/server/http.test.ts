// makeFetch, the fetch every request goes through, against a real HTTP server: bound to one
// origin, it sets the server's Authorization header and nothing of the SDK's, follows no
// redirect, fetches a refused token again once, and turns every error dialect into one shape.
// Also requestJson and the error-body shapes.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Credentials } from '../../../src/core/server/credentials';
import { isMedGemmaError, type MedGemmaError } from '../../../src/core/server/errors';
import { makeFetch, normalizeErrorBody, originOf, requestJson } from '../../../src/core/server/http';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('server/http', function () {
  this.timeout(10_000);
  let server: http.Server;
  let origin: string;
  let seen: Seen[];
  let reply: (res: http.ServerResponse, n: number, req: Seen) => void;

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        seen.push(s);
        reply(res, seen.length, s);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  beforeEach(() => {
    seen = [];
    reply = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });

  /** Credentials handing out "Bearer t1", "Bearer t2", ... and recording what refresh was told. */
  function tokens(): Credentials & { refreshed: (string | undefined)[] } {
    let n = 1;
    const refreshed: (string | undefined)[] = [];
    return {
      refreshed,
      authorization: async () => `Bearer t${n}`,
      refresh: (refused) => {
        refreshed.push(refused);
        n += 1;
      },
    };
  }
  const key = (k?: string): Credentials => ({ authorization: async () => k });
  const refused = (p: Promise<unknown>) => p.then(() => assert.fail('not refused'), (e: unknown) => (assert.ok(isMedGemmaError(e), String(e)), e as MedGemmaError));

  describe('makeFetch', () => {
    it('a request to another origin is refused before it leaves', async () => {
      const f = makeFetch(key('k'), `${origin}/v1`);
      const e = await refused(f('http://203.0.113.7:8000/v1/chat/completions', { method: 'POST', body: 'note text' }));
      assert.equal(e.kind, 'bad-config');
      assert.equal(e.message, `A request to http://203.0.113.7:8000 was refused: this connection may only reach the configured server at ${origin}.`);
      const port = Number(new URL(origin).port);
      await refused(f(`http://127.0.0.1:${port + 1}/v1/models`));
      await refused(f(`https://127.0.0.1:${port}/v1/models`));
      assert.equal(seen.length, 0);
      // A URL object and a Request are checked the same way.
      await refused(f(new URL('http://203.0.113.7/v1')));
      await refused(f(new Request('http://203.0.113.7/v1')));
      assert.equal((await f(new URL(`${origin}/v1/models`))).status, 200);
      assert.equal((await f(new Request(`${origin}/v1/models`))).status, 200);
    });

    it("sets the server's Authorization, removes one that came with the request when there is none, drops the SDK's x-stainless headers", async () => {
      await makeFetch(key('Bearer abc'), origin)(`${origin}/v1/models`, { headers: { 'x-stainless-os': 'Linux', 'x-stainless-lang': 'js', 'x-request-id': 'keep', authorization: 'Bearer from-the-caller' } });
      assert.equal(seen[0].headers.authorization, 'Bearer abc');
      assert.equal(seen[0].headers['x-request-id'], 'keep');
      assert.deepEqual(Object.keys(seen[0].headers).filter((h) => h.startsWith('x-stainless')), []);
      await makeFetch(key(undefined), origin)(`${origin}/v1/models`, { headers: { authorization: 'Bearer from-the-caller' } });
      assert.equal(seen[1].headers.authorization, undefined);
    });

    it('a refused token is fetched again once and the request sent again with its body; refused again, the 401 is the answer', async () => {
      const creds = tokens();
      reply = (res, n) => (n === 1 ? res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"expired"}') : res.writeHead(200).end('ok'));
      const f = makeFetch(creds, origin);
      const res = await f(`${origin}/v1/chat/completions`, { method: 'POST', body: '{"note":"L1: Cough."}' });
      assert.equal(res.status, 200);
      assert.deepEqual(seen.map((s) => [s.headers.authorization, s.body]), [['Bearer t1', '{"note":"L1: Cough."}'], ['Bearer t2', '{"note":"L1: Cough."}']]);
      assert.deepEqual(creds.refreshed, ['Bearer t1'], 'refresh is told which token was refused');

      seen = [];
      reply = (res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"still no"}');
      const again = await f(`${origin}/v1/chat/completions`, { method: 'POST', body: '{}' });
      assert.equal(again.status, 401);
      assert.deepEqual(await again.json(), { error: { message: 'still no' } });
      assert.equal(seen.length, 2, 'sent once more, not a third time');
    });

    it('not sent again: a key that cannot be refreshed, a body that cannot be sent twice, a status other than 401', async () => {
      reply = (res) => res.writeHead(401).end();
      await makeFetch(key('Bearer k'), origin)(`${origin}/v1/models`);
      assert.equal(seen.length, 1);
      seen = [];
      await makeFetch(tokens(), origin)(`${origin}/v1/x`, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
      assert.equal(seen.length, 1, 'a byte body was sent twice');
      seen = [];
      reply = (res) => res.writeHead(403).end();
      const creds = tokens();
      await makeFetch(creds, origin)(`${origin}/v1/models`);
      assert.deepEqual([seen.length, creds.refreshed], [1, []]);
    });

    it('follows no redirect: refused, naming only where it pointed (its origin), the status kept; 304 is not a redirect', async () => {
      for (const status of [301, 302, 303, 307, 308]) {
        seen = [];
        reply = (res) => res.writeHead(status, { location: 'https://elsewhere.example:8443/steal?note=1#x' }).end();
        const e = await refused(makeFetch(key('k'), origin)(`${origin}/v1/chat/completions`, { method: 'POST', body: 'note' }));
        assert.equal(e.kind, 'bad-config');
        assert.equal(e.detail.status, status);
        assert.equal(e.message, `The server at ${origin} redirected the request to https://elsewhere.example:8443. MedGemma follows no redirects, so nothing was sent there; if that address is your MedGemma server, set "medgemma.server.baseUrl" (CLI: --base-url) to it.`);
        assert.equal(seen.length, 1);
      }
      reply = (res) => res.writeHead(302, { location: '/relative/path' }).end();
      assert.match((await refused(makeFetch(key('k'), origin)(`${origin}/v1/models`))).message, new RegExp(`redirected the request to ${origin.replace(/[.]/g, '\\.')}\\. `));
      reply = (res) => res.writeHead(302, { location: 'http://[not a url' }).end();
      assert.match((await refused(makeFetch(key('k'), origin)(`${origin}/v1/models`))).message, /redirected the request to another address\./);
      reply = (res) => res.writeHead(307).end();
      assert.match((await refused(makeFetch(key('k'), origin)(`${origin}/v1/models`))).message, /redirected the request to another address\./);
      reply = (res) => res.writeHead(304).end();
      assert.equal((await makeFetch(key('k'), origin)(`${origin}/v1/models`)).status, 304);
    });

    it('error answers in one shape: JSON dialects normalized, plain text as the message (500 characters at most), an empty body by its status', async () => {
      const f = makeFetch(key('k'), origin);
      const cases: [(res: http.ServerResponse) => void, number, unknown][] = [
        [(res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"object":"error","message":"too long","type":"BadRequestError","code":400}'), 400, { error: { message: 'too long', type: 'BadRequestError', code: 400 } }],
        [(res) => res.writeHead(404, 'Not Found', { 'content-type': 'application/json' }).end('{"error":{"code":404,"message":"no endpoint","status":"NOT_FOUND"}}'), 404, { error: { message: 'no endpoint', type: 'NOT_FOUND', code: 404 } }],
        [(res) => res.writeHead(502).end(`<html>${'x'.repeat(600)}</html>`), 502, { error: { message: `<html>${'x'.repeat(494)}` } }],
        [(res) => res.writeHead(503, 'Service Unavailable').end(), 503, { error: { message: 'Service Unavailable' } }],
        [(res) => res.writeHead(500, '').end(), 500, { error: { message: 'HTTP 500' } }],
        [(res) => res.writeHead(500, 'Oops', { 'content-type': 'application/json' }).end('{"unrelated":true}'), 500, { error: { message: 'Oops' } }],
      ];
      for (const [send, status, body] of cases) {
        reply = (res) => send(res);
        const res = await f(`${origin}/v1/chat/completions`, { method: 'POST', body: '{}' });
        assert.equal(res.status, status);
        assert.deepEqual(await res.json(), body);
      }
      reply = (res) => res.writeHead(429, 'Too Many Requests', { 'retry-after': '7' }).end('slow down');
      const limited = await f(`${origin}/v1/chat/completions`, { method: 'POST', body: '{}' });
      assert.deepEqual([limited.status, limited.statusText, limited.headers.get('retry-after')], [429, 'Too Many Requests', '7'], 'status, text and headers kept');
    });

    it('a good answer passes through as it came', async () => {
      reply = (res) => res.writeHead(200, { 'content-type': 'text/event-stream', 'x-ours': '1' }).end('data: [DONE]\n\n');
      const res = await makeFetch(key('k'), origin)(`${origin}/v1/chat/completions`, { method: 'POST', body: '{}' });
      assert.deepEqual([res.status, res.headers.get('x-ours'), await res.text()], [200, '1', 'data: [DONE]\n\n']);
    });
  });

  describe('requestJson', () => {
    it('GET without a body or content type; POST with JSON; text that is not JSON, or none, gives no json', async () => {
      const f = makeFetch(key(undefined), origin);
      reply = (res) => res.writeHead(200).end('{"max_model_len":8192}');
      assert.deepEqual(await requestJson(f, `${origin}/v1/models`, { timeoutMs: 2000 }), { status: 200, json: { max_model_len: 8192 }, text: '{"max_model_len":8192}' });
      assert.deepEqual([seen[0].method, seen[0].headers['content-type'], seen[0].body], ['GET', undefined, '']);
      await requestJson(f, `${origin}/tokenize`, { method: 'POST', body: { prompt: 'x' }, timeoutMs: 2000 });
      assert.deepEqual([seen[1].method, seen[1].headers['content-type'], seen[1].body], ['POST', 'application/json', '{"prompt":"x"}']);
      reply = (res) => res.writeHead(404).end('not here');
      assert.deepEqual(await requestJson(f, `${origin}/tokenize`, { timeoutMs: 2000 }), { status: 404, json: { error: { message: 'not here' } }, text: '{"error":{"message":"not here"}}' });
      reply = (res) => res.writeHead(200).end('plain words');
      assert.deepEqual(await requestJson(f, `${origin}/version`, { timeoutMs: 2000 }), { status: 200, json: undefined, text: 'plain words' });
      reply = (res) => res.writeHead(200).end();
      assert.deepEqual(await requestJson(f, `${origin}/health`, { timeoutMs: 2000 }), { status: 200, json: undefined, text: '' });
    });

    it('gives up after its timeout, and at once when the caller stops', async () => {
      reply = () => undefined; // never answers
      const f = makeFetch(key(undefined), origin);
      let t0 = Date.now();
      await assert.rejects(requestJson(f, `${origin}/v1/models`, { timeoutMs: 200 }));
      assert.ok(Date.now() - t0 < 2000);
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 100);
      t0 = Date.now();
      await assert.rejects(requestJson(f, `${origin}/v1/models`, { timeoutMs: 10_000, signal: stop.signal }));
      assert.ok(Date.now() - t0 < 2000, 'the caller\'s stop was not heard');
      server.closeAllConnections();
    });
  });

  it('normalizeErrorBody: every dialect, and undefined for what is none', () => {
    assert.deepEqual(normalizeErrorBody({ error: 'Unauthorized' }), { error: { message: 'Unauthorized' } });
    assert.deepEqual(normalizeErrorBody({ error: { message: 'm', type: 't', code: 'c' } }), { error: { message: 'm', type: 't', code: 'c' } });
    assert.deepEqual(normalizeErrorBody({ error: { status: 'PERMISSION_DENIED', code: 403 } }), { error: { message: '', type: 'PERMISSION_DENIED', code: 403 } });
    assert.deepEqual(normalizeErrorBody({ error: { type: 'a', status: 'b', message: 'x' } })?.error.type, 'a', 'type wins over status');
    assert.deepEqual(normalizeErrorBody({ object: 'error', type: 'T', code: 5 }), { error: { message: '', type: 'T', code: 5 } });
    assert.deepEqual(normalizeErrorBody({ message: 'only a message' }), { error: { message: 'only a message', type: undefined, code: undefined } });
    for (const none of [null, undefined, 0, 'text', true, {}, { message: 42 }, { object: 'list' }]) assert.equal(normalizeErrorBody(none), undefined, JSON.stringify(none));
  });

  it('originOf: scheme, host and port of a URL; anything else as it is', () => {
    assert.equal(originOf('https://gpu.example.org:8443/v1/chat?x=1'), 'https://gpu.example.org:8443');
    assert.equal(originOf('http://localhost:8000'), 'http://localhost:8000');
    assert.equal(originOf('not a url'), 'not a url');
  });
});
