// Search by meaning against the simulator's embedding model: vectors made once per paper and
// kept, fused with the words index, the question through the privacy gate, and every way an
// embedding server can fail leaving the question answered by words.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { askPapers } from '../../../src/core/papers/ask';
import { DenseIndex, modelFolder, VECTORS } from '../../../src/core/papers/dense/dense-index';
import { retrieve } from '../../../src/core/papers/dense/hybrid';
import { PaperLibrary } from '../../../src/core/papers/library';
import { readPdf } from '../../../src/core/papers/pdf-read';
import { renderAnswerBody } from '../../../src/core/papers/render';
import type { AuditEntry } from '../../../src/core/privacy/audit';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import type { MedGemmaError } from '../../../src/core/server/errors';
import { MedGemmaClient } from '../../../src/core/server/service';
import { papersCli } from '../../cli-process';
import { type EmbeddingFault, startSim, type Sim } from '../../sim';
import { makePdf, tmpDir } from './make-pdf';

const EMBED = 'sim-embed';

async function library(): Promise<{ lib: PaperLibrary; files: string[] }> {
  const dir = tmpDir('medgemma-dense-');
  const papers: Record<string, string[]> = {
    'metformin.pdf': ['Metformin trial in type 2 diabetes.', 'Metformin lowered HbA1c by 1.2 percent over 24 weeks in 310 adults.'],
    'heparin.pdf': ['Heparin bridging before surgery increased bleeding in 12 of 950 patients.'],
    'walking.pdf': ['Brisk walking programmes for older adults improved gait speed and balance.'],
  };
  const files = Object.entries(papers).map(([name, lines]) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, makePdf(lines.map((l) => ({ lines: [l] }))));
    return f;
  });
  const lib = new PaperLibrary(path.join(dir, 'index'), { inProcess: readPdf });
  await lib.add(files);
  return { lib, files };
}

describe('papers: search by meaning (embeddings) against the simulator', function () {
  this.timeout(60_000);
  let sim: Sim;
  let audit: AuditEntry[];

  function client(opts: { model?: string; baseUrl?: string; privacy?: 'off' | 'pseudonymize' } = {}): MedGemmaClient {
    const c = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl, privacy: opts.privacy ?? 'off', embeddings: { model: opts.model ?? EMBED, baseUrl: opts.baseUrl } }), noCredentials);
    c.audit = async (e) => void audit.push(e);
    return c;
  }
  const embedRequests = () => sim.requests.filter((q) => q.path === '/v1/embeddings');

  beforeEach(async () => {
    sim = await startSim({ models: [{ id: 'medgemma', root: 'google/medgemma-4b-it' }, { id: EMBED, embedding: { dims: 128 } }] });
    audit = [];
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('embeds each paper once, keeps the vectors beside the library, and a new index reads them without asking again', async () => {
    const { lib } = await library();
    const dense = new DenseIndex(lib, client(), EMBED);
    assert.deepEqual(await dense.missing(), { papers: 3, passages: 3 });
    const progress: [number, number][] = [];
    assert.deepEqual(await dense.prepare({ onProgress: (d, t) => progress.push([d, t]) }), { embedded: 3 });
    assert.deepEqual(progress, [[0, 3], [1, 3], [2, 3], [3, 3]]);
    const folder = path.join(lib.dir, VECTORS, modelFolder(EMBED));
    assert.equal(fs.readdirSync(folder).filter((f) => f.endsWith('.vec')).length, 3);
    const sent = embedRequests().length;
    assert.equal(sent, 3, 'one request per paper');

    const again = new DenseIndex(lib, client(), EMBED);
    assert.deepEqual(await again.missing(), { papers: 0, passages: 0 });
    assert.deepEqual(await again.prepare(), { embedded: 0 });
    const hits = await again.search('How much did metformin lower HbA1c?', 2);
    assert.equal(embedRequests().length, sent + 1, 'only the question was embedded');
    assert.match(hits[0].id, /#0$/);
    assert.equal((await lib.get(hits[0].paperId))?.file.endsWith('metformin.pdf'), true);
    assert.ok(hits[0].score > hits[1].score);
  });

  it('embeds only stored, indexed papers; nothing to do reports no progress; one paper can be searched alone', async () => {
    const { lib } = await library();
    const bad = path.join(path.dirname(lib.dir), 'bad.pdf');
    fs.writeFileSync(bad, 'not a pdf');
    await lib.add([bad]);
    assert.equal((await lib.findByFile(bad))?.state, 'failed');
    const dense = new DenseIndex(lib, client(), EMBED);
    assert.deepEqual(await dense.missing(), { papers: 3, passages: 3 }, 'the failed paper has nothing to embed');
    await dense.prepare();
    const calls: number[] = [];
    assert.deepEqual(await dense.prepare({ onProgress: (d) => calls.push(d) }), { embedded: 0 });
    assert.deepEqual(calls, [], 'no progress for nothing to do');
    const heparin = (await lib.list()).find((r) => r.file.endsWith('heparin.pdf'))!;
    const only = await dense.search('How much did metformin lower HbA1c?', 5, [heparin.id]);
    assert.deepEqual(only.map((h) => h.paperId), [heparin.id]);
    assert.deepEqual(await dense.search('anything', 5, ['no-such-paper']), [], 'no vectors to search: no request');
  });

  it('clears what a crash left: temp files over an hour old go, newer ones and other files stay', async () => {
    const { lib } = await library();
    await new DenseIndex(lib, client(), EMBED).prepare();
    const folder = path.join(lib.dir, VECTORS, modelFolder(EMBED));
    const old = path.join(folder, 'x.vec.1.aaaa.tmp');
    const fresh = path.join(folder, 'y.vec.1.bbbb.tmp');
    const other = path.join(folder, 'README.txt');
    for (const f of [old, fresh, other]) fs.writeFileSync(f, 'x');
    const twoHours = (Date.now() - 2 * 3_600_000) / 1000;
    fs.utimesSync(old, twoHours, twoHours);
    fs.utimesSync(other, twoHours, twoHours);
    // A paper removed: its vectors go with the next preparation.
    const [first] = await lib.list();
    await lib.remove(first.id);
    await new DenseIndex(lib, client(), EMBED).prepare();
    assert.ok(!fs.existsSync(old), 'the old temp file is gone');
    assert.ok(fs.existsSync(fresh), 'a temp file another writer may be writing stays');
    assert.ok(fs.existsSync(other), 'not ours: left alone');
    assert.equal(fs.readdirSync(folder).filter((f) => f.endsWith('.vec')).length, 2);
  });

  it('re-embeds a damaged vector file, and drops the vectors of a removed paper', async () => {
    const { lib, files } = await library();
    await new DenseIndex(lib, client(), EMBED).prepare();
    const folder = path.join(lib.dir, VECTORS, modelFolder(EMBED));
    const [first] = fs.readdirSync(folder);
    fs.writeFileSync(path.join(folder, first), 'not vectors');
    const rec = (await lib.findByFile(files[1]))!;
    await lib.remove(rec.id);
    const dense = new DenseIndex(lib, client(), EMBED);
    const before = embedRequests().length;
    const { embedded } = await dense.prepare();
    assert.equal(embedded, first.startsWith(rec.id) ? 0 : 1, 'the damaged file is made again (unless it was the removed paper\'s)');
    assert.equal(embedRequests().length - before, embedded);
    const left = fs.readdirSync(folder);
    assert.equal(left.length, 2);
    assert.ok(!left.some((f) => f.startsWith(rec.id)), 'the removed paper\'s vectors are gone');
  });

  it('fuses words and meaning: a passage sharing no word with the question comes by meaning alone, and is given to the model', async () => {
    const { lib } = await library();
    const c = client();
    const dense = new DenseIndex(lib, c, EMBED);
    await dense.prepare();
    const r = await retrieve(lib, 'metformin HbA1c', { k: 8, dense });
    assert.equal(r.method, 'words+meaning');
    assert.equal(r.covered, true);
    assert.equal(r.hits[0].via, 'both');
    assert.ok(r.hits.some((h) => h.via === 'meaning' && h.coverage === 0), JSON.stringify(r.hits.map((h) => [h.chunk.id, h.via])));
    const one = await retrieve(lib, 'metformin HbA1c', { k: 1, dense });
    assert.deepEqual(one.hits.map((h) => [h.chunk.id, h.via]), [[r.hits[0].chunk.id, 'both']], 'k passages, no more');
    const ask = await askPapers(c, lib, 'metformin HbA1c', { dense });
    assert.equal(ask.retrieval.method, 'words+meaning');
    assert.equal(ask.sources.length, 3, 'all three passages fit and go to the model');
  });

  it('a question the papers do not cover is refused by words, before any embedding request', async () => {
    const { lib } = await library();
    const c = client();
    const dense = new DenseIndex(lib, c, EMBED);
    await dense.prepare();
    const before = sim.requests.length;
    const r = await askPapers(c, lib, 'What is the capital of Mongolia?', { dense });
    assert.equal(r.covered, false);
    assert.equal(sim.requests.length, before, 'nothing was sent: no embedding, no chat');
  });

  it('the question passes the privacy gate and the audit log; the passages go as written', async () => {
    const { lib } = await library();
    const c = client({ privacy: 'pseudonymize' });
    const dense = new DenseIndex(lib, c, EMBED);
    await dense.prepare();
    assert.equal(audit.length, 0, 'published passages are not patient text: no audit line');
    assert.ok(embedRequests().some((q) => JSON.stringify(q.body.input).includes('Heparin bridging')), 'passages as written');
    const r = await askPapers(c, lib, 'Mrs. Eleanor Vandersloot takes metformin: did metformin lower HbA1c by 1.2 percent?', { dense });
    assert.equal(r.retrieval.method, 'words+meaning');
    const question = embedRequests().at(-1)!.body.input as string[];
    assert.equal(question.length, 1);
    assert.ok(question[0].includes('metformin') && !question[0].includes('Vandersloot') && !question[0].includes('Eleanor'), question[0]);
    assert.deepEqual(audit.map((a) => [a.feature, a.model, a.action]), [['papers', EMBED, 'pseudonymized'], ['papers', 'medgemma', 'pseudonymized']]);
    // One scope: the embedding request and the answer's question carry the same stand-in.
    const chat = JSON.stringify(sim.requests.filter((q) => q.path === '/v1/chat/completions').at(-1)!.body.messages);
    const standIn = /Mrs\. (\S+ \S+) takes/.exec(question[0])![1];
    assert.ok(chat.includes(standIn), `${standIn} not in ${chat}`);
  });

  it('"do not send" at the privacy question for the embedding ends the question: no answer is asked for', async () => {
    const { lib } = await library();
    const c = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl, privacy: 'warn', embeddings: { model: EMBED } }), noCredentials);
    let asked = 0;
    c.confirmPrivacy = async () => (asked++, 'cancel');
    const dense = new DenseIndex(lib, c, EMBED);
    await dense.prepare();
    const err = (await askPapers(c, lib, 'Mrs. Eleanor Vandersloot takes metformin: did metformin lower HbA1c by 1.2 percent?', { dense }).catch((e: unknown) => e)) as MedGemmaError;
    assert.equal(err.kind, 'declined');
    assert.equal(asked, 1);
    assert.equal(sim.requests.filter((q) => q.path === '/v1/chat/completions').length, 0);
  });

  for (const [fault, words] of [
    ['wrong-count', /returned 0 vector\(s\) for 1 text/],
    ['nan', /holds null, not a number/],
    ['huge-dims', /more than \d+ MB for 1 text|not a list of 1 to 8192 numbers/],
    ['not-json', /not JSON/],
  ] as [EmbeddingFault, RegExp][]) {
    it(`a hostile embedding server (${fault}) is named, and the question is answered by words`, async () => {
      const { lib } = await library();
      const c = client();
      const dense = new DenseIndex(lib, c, EMBED);
      await dense.prepare();
      sim.setOptions({ embeddingFault: fault });
      const r = await askPapers(c, lib, 'How much did metformin lower HbA1c?', { dense });
      assert.equal(r.covered, true);
      assert.equal(r.retrieval.method, 'words');
      assert.match(r.retrieval.denseFailure ?? '', words);
      assert.ok(r.answer.length > 0, 'answered');
      assert.equal(r.retrieval.denseFailureKind, 'server-error');
      assert.match(renderAnswerBody(r), /Search by meaning was skipped this time: the embedding server's answer could not be used\. The passages were found by their words\./);
    });
  }

  it('vectors of two lengths in one answer are refused', async () => {
    const c = client();
    sim.setOptions({ embeddingFault: 'ragged' });
    assert.equal((await c.embed(['one text'])).length, 1, 'one vector cannot differ from itself');
    const err = (await c.embed(['one text', 'another text']).catch((e: unknown) => e)) as MedGemmaError;
    assert.equal(err.kind, 'server-error');
    assert.match(err.message, /its vectors differ in length \(128 and 127\)/);
  });

  it('a chat model named as the embedding model, an unknown model, or no server: one sentence naming the setting', async () => {
    const { lib } = await library();
    const notEmbedding = (await new DenseIndex(lib, client({ model: 'medgemma' }), 'medgemma').prepare().catch((e: unknown) => e)) as MedGemmaError;
    assert.equal(notEmbedding.kind, 'bad-config');
    assert.match(notEmbedding.message, /"medgemma" at http:\/\/127\.0\.0\.1:\d+ is not an embedding model \("The model does not support Embeddings API"\)\. Set "medgemma\.papers\.embeddingModel"/);
    const unknown = (await client({ model: 'nope' }).embed(['x']).catch((e: unknown) => e)) as MedGemmaError;
    assert.equal(unknown.kind, 'unknown-model');
    assert.match(unknown.message, /has no model "nope"/);
    const down = (await client({ baseUrl: 'http://127.0.0.1:9/v1' }).embed(['x']).catch((e: unknown) => e)) as MedGemmaError;
    assert.equal(down.kind, 'unreachable');
    assert.match(down.message, /Cannot reach the embedding server at http:\/\/127\.0\.0\.1:9/);
  });

  it('a stop while embedding keeps the papers finished; the next run embeds only the rest', async () => {
    const { lib } = await library();
    const controller = new AbortController();
    const dense = new DenseIndex(lib, client(), EMBED);
    const r = await dense.prepare({ signal: controller.signal, onProgress: (done) => done === 1 && controller.abort() });
    assert.deepEqual(r, { embedded: 1 });
    assert.deepEqual(await new DenseIndex(lib, client(), EMBED).missing(), { papers: 2, passages: 2 });
  });

  it('medgemma papers search|ask --embedding-model: embeds once, says so, fuses; a bad server still answers by words', async () => {
    const { lib } = await library();
    const env = { MEDGEMMA_PAPERS_DIR: lib.dir, MEDGEMMA_BASE_URL: sim.baseUrl };
    const s = await papersCli(['search', 'metformin HbA1c', '--json', '--embedding-model', EMBED], { env });
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, /embedded 3 passages with sim-embed for search by meaning/);
    const { hits } = JSON.parse(s.stdout) as { hits: { via: string; file: string }[] };
    assert.equal(hits[0].via, 'both');
    assert.ok(hits[0].file.endsWith('metformin.pdf'));
    assert.ok(hits.some((h) => h.via === 'meaning'));
    const a = await papersCli(['ask', 'How much did metformin lower HbA1c?', '--json'], { env: { ...env, MEDGEMMA_EMBEDDING_MODEL: EMBED } });
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stderr, '', 'nothing left to embed, nothing to say');
    assert.deepEqual(JSON.parse(a.stdout).retrieval, { method: 'words+meaning' });
    const words = await papersCli(['search', 'metformin HbA1c', '--json'], { env: { MEDGEMMA_PAPERS_DIR: lib.dir } });
    assert.ok((JSON.parse(words.stdout) as { hits: { via: string }[] }).hits.every((h) => h.via === 'words'), 'no model: words only, no server needed');
    const down = await papersCli(['ask', 'How much did metformin lower HbA1c?', '--json', '--embedding-model', EMBED, '--embedding-url', 'http://127.0.0.1:9'], { env });
    assert.equal(down.code, 0, down.stderr);
    assert.match(JSON.parse(down.stdout).retrieval.denseFailure, /Cannot reach the embedding server at http:\/\/127\.0\.0\.1:9/);
    const usage = await papersCli(['search', 'x', '--embedding-url', 'http://127.0.0.1:9'], { env });
    assert.equal(usage.code, 2, usage.stderr);
    assert.match(usage.stderr, /--embedding-url needs --embedding-model/);
  });

  it('a connection dropped before any answer is tried once more (a kept-alive socket the server just closed); twice is an error', async () => {
    let requests = 0;
    let dropEvery = 2;
    const server = http.createServer((req, res) => {
      requests++;
      if (requests % dropEvery === 1 || dropEvery === 1) return req.socket.destroy();
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ data: [{ index: 0, embedding: [3, 4] }] })));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
      const c = client({ baseUrl: url });
      const [v] = await c.embed(['x']);
      assert.deepEqual([...v].map((x) => x.toFixed(6)), ['0.600000', '0.800000'], 'normalised');
      assert.equal(requests, 2);
      dropEvery = 1;
      const err = (await c.embed(['x']).catch((e: unknown) => e)) as MedGemmaError;
      assert.equal(err.kind, 'unreachable');
      assert.equal(requests, 4, 'two tries, no more');
    } finally {
      server.close();
    }
  });

  it('the embedding server elsewhere gets no API key', async () => {
    const other = await startSim({ models: [{ id: EMBED, embedding: {} }] });
    try {
      const c = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl, embeddings: { model: EMBED, baseUrl: other.baseUrl } }), { authorization: async () => 'Bearer main-secret' });
      await c.embed(['hello']);
      const [q] = other.requests.filter((x) => x.path === '/v1/embeddings');
      assert.equal(q.headers.authorization, undefined);
      assert.deepEqual(c.embeddingModel, { model: EMBED, server: new URL(other.baseUrl).origin });
    } finally {
      await other.stop();
    }
  });
});
