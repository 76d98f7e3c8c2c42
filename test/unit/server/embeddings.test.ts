// requestEmbeddings against a server written here to misbehave in each way a real one can:
// every refusal is one sentence of the right kind, the body is bounded before it is read,
// every vector is checked, and only a connection that failed before any answer is tried again.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { noCredentials } from '../../../src/core/server/credentials';
import { EMBED_BATCH, MAX_DIMS, requestEmbeddings, type EmbeddingsTarget } from '../../../src/core/server/embeddings';
import type { MedGemmaError } from '../../../src/core/server/errors';
import { makeFetch } from '../../../src/core/server/http';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

describe('embeddings: the request and what a server may answer', () => {
  let server: http.Server;
  let handler: Handler;
  let seen: { headers: http.IncomingHttpHeaders; body: string }[];
  let target: EmbeddingsTarget;

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        handler(req, body, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
    target = { fetch: makeFetch(noCredentials, url), url, model: 'bge', timeoutMs: 5000 };
  });
  after(() => server.close());
  beforeEach(() => {
    seen = [];
    handler = (_req, body, res) => {
      const n = (JSON.parse(body) as { input: string[] }).input.length;
      res.end(JSON.stringify({ data: Array.from({ length: n }, (_, i) => ({ index: i, embedding: [i + 1, 0] })) }));
    };
  });
  const fail = (texts: string[] = ['a'], t: EmbeddingsTarget = target, signal?: AbortSignal) => requestEmbeddings(t, texts, signal).then(() => assert.fail('no error'), (e: MedGemmaError) => e);
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_q, _b, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  it('sends the model, the texts and float vectors asked for as JSON; nothing for no texts; at most 64 texts a call', async () => {
    const v = await requestEmbeddings(target, ['x', 'y']);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(seen[0].body), { model: 'bge', input: ['x', 'y'], encoding_format: 'float' });
    assert.deepEqual(v.map((x) => [...x]), [[1, 0], [1, 0]], 'normalised');
    assert.deepEqual(await requestEmbeddings(target, []), []);
    assert.equal(seen.length, 1, 'no request for no texts');
    assert.equal((await requestEmbeddings(target, Array(EMBED_BATCH).fill('t'))).length, EMBED_BATCH);
    await assert.rejects(requestEmbeddings(target, Array(EMBED_BATCH + 1).fill('t')), /at most 64 texts/);
  });

  it('puts the vectors in the order of their index; without one, in the order given', async () => {
    handler = answer(200, { data: [{ index: 1, embedding: [0, 2] }, { index: 0, embedding: [3, 4] }] });
    const v = await requestEmbeddings(target, ['a', 'b']);
    assert.deepEqual([...v[0]].map((x) => x.toFixed(2)), ['0.60', '0.80']);
    assert.deepEqual([...v[1]], [0, 1]);
    handler = answer(200, { data: [{ embedding: [0, 0] }, { embedding: [5, 0] }] });
    const w = await requestEmbeddings(target, ['a', 'b']);
    assert.deepEqual([...w[0]], [0, 0], 'a zero vector stays zero, never NaN');
    assert.deepEqual([...w[1]], [1, 0]);
  });

  for (const [what, data, words] of [
    ['an index past the end', [{ index: 1, embedding: [1] }], /vector 1 has index 1/],
    ['a negative index', [{ index: -1, embedding: [1] }], /vector 1 has index -1/],
    ['a fractional index', [{ index: 0.5, embedding: [1] }], /vector 1 has index 0\.5/],
    ['an index twice', [{ index: 0, embedding: [1] }, { index: 0, embedding: [1] }], /vector 2 has index 0/],
    ['no vector', [{ index: 0 }], /vector 1 is not a list of 1 to 8192 numbers/],
    ['an empty vector', [{ index: 0, embedding: [] }], /vector 1 is not a list of 1 to 8192 numbers/],
    ['a vector too long', [{ index: 0, embedding: Array(MAX_DIMS + 1).fill(0) }], /vector 1 is not a list of 1 to 8192 numbers/],
    ['a string for a number', [{ index: 0, embedding: [1, '2'] }], /vector 1 holds "2", not a number/],
  ] as [string, unknown[], RegExp][]) {
    it(`refuses ${what}`, async () => {
      handler = answer(200, { data });
      const e = await fail(data.length === 2 ? ['a', 'b'] : ['a']);
      assert.equal(e.kind, 'server-error');
      assert.match(e.message, words);
      assert.match(e.message, /^The embedding server at http:\/\/127\.0\.0\.1:\d+ sent an answer that cannot be used: /);
    });
  }

  it('takes vectors of exactly 8,192 numbers', async () => {
    handler = answer(200, { data: [{ index: 0, embedding: Array(MAX_DIMS).fill(1) }] });
    assert.equal((await requestEmbeddings(target, ['a']))[0].length, MAX_DIMS);
  });

  it('reads no body past the bound: a declared length over it, or more bytes than declared none', async () => {
    const limit = MAX_DIMS * 32 + 65_536;
    handler = (_q, _b, res) => {
      res.writeHead(200, { 'content-length': String(limit + 1) });
      res.write('{"data":');
      setTimeout(() => res.destroy(), 200);
    };
    let e = await fail();
    assert.match(e.message, /it sent more than 320 KB for 1 text\(s\), more than vectors of 8192 numbers take/);
    handler = (_q, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"data":[{"index":0,"embedding":[${'0,'.repeat(2 * limit)}0]}]}`);
    };
    e = await fail(['a', 'b', 'c', 'd']);
    assert.equal(e.kind, 'server-error');
    assert.match(e.message, /it sent more than 1 MB for 4 text\(s\)/);
    // Just under the bound is read (and then judged by its content).
    handler = (_q, _b, res) => res.end(`{"data":[{"index":0,"embedding":[1]}]}${' '.repeat(limit - 40)}`);
    assert.equal((await requestEmbeddings(target, ['a'])).length, 1);
  });

  it('a connection lost mid-answer is "interrupted"; a stop is said to be one', async () => {
    handler = (_q, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":[');
      setTimeout(() => res.destroy(), 50);
    };
    let e = await fail();
    assert.equal(e.kind, 'interrupted');
    assert.match(e.message, /The connection to the embedding server at .* was lost mid-answer/);
    const stop = new AbortController();
    handler = (_q, _b, res) => {
      res.writeHead(200);
      res.write('{');
      setTimeout(() => stop.abort(), 50);
    };
    e = await fail(['a'], target, stop.signal);
    assert.equal(e.kind, 'interrupted');
    assert.equal(e.message, 'Stopped while the embedding server answered.');
    const early = new AbortController();
    early.abort();
    e = await fail(['a'], target, early.signal);
    assert.equal(e.kind, 'interrupted');
    assert.equal(e.message, 'Stopped before the embedding server answered.');
  });

  it('a server that says nothing in time: "timeout", not tried again', async () => {
    handler = () => undefined; // never answers
    const e = await fail(['a'], { ...target, timeoutMs: 300 });
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /did not answer in time/);
    assert.equal(seen.length, 1);
  });

  for (const [status, body, kind, words] of [
    [404, { error: { message: 'The model `bge` does not exist.' } }, 'unknown-model', /has no model "bge"/],
    [404, 'Not Found', 'bad-config', /offers no embeddings \(HTTP 404 for \/v1\/embeddings\)/],
    [405, { detail: 'Method Not Allowed' }, 'bad-config', /offers no embeddings \(HTTP 405/],
    [400, { object: 'error', message: 'The model does not support Embeddings API', type: 'BadRequestError', code: 400 }, 'bad-config', /"bge" at .* is not an embedding model \("The model does not support Embeddings API"\)/],
    [501, { error: { message: 'this model does not support embeddings' } }, 'bad-config', /is not an embedding model/],
    [400, { error: { message: 'input is too long' } }, 'bad-request', /rejected the request \(HTTP 400: "input is too long"\)/],
    [401, { error: 'Unauthorized' }, 'unauthorized', /refused the API key \(HTTP 401\)/],
    [500, '<html>oops</html>', 'server-error', /failed with HTTP 500 \("<html>oops<\/html>"\)/],
  ] as [number, unknown, string, RegExp][]) {
    it(`HTTP ${status} ${JSON.stringify(body).slice(0, 40)}: ${kind}`, async () => {
      handler = answer(status, body);
      const e = await fail();
      assert.equal(e.kind, kind);
      assert.match(e.message, words);
      assert.equal(e.detail.status, status);
      assert.equal(seen.length, 1, 'an answer is never asked again');
    });
  }

  it('a 200 that is not JSON, or has no data list, or the wrong count', async () => {
    handler = answer(200, '<html>login</html>');
    assert.match((await fail()).message, /its answer is not JSON/);
    handler = answer(200, { vectors: [] });
    assert.match((await fail()).message, /it has no "data" list/);
    handler = answer(200, { data: [] });
    assert.match((await fail()).message, /it returned 0 vector\(s\) for 1 text\(s\)/);
  });

  it('a redirect is refused by the connection and not tried again', async () => {
    handler = answer(307, '', { location: 'http://example.org/v1/embeddings' });
    const e = await fail();
    assert.equal(e.kind, 'bad-config');
    assert.match(e.message, /redirected the request to http:\/\/example\.org/);
    assert.equal(seen.length, 1);
  });
});
