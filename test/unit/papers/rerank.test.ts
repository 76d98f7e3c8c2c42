// The scoring step of `ask` against the simulator's scorer (test/sim/scorer.ts: a passage scores
// the question's long words it contains): the order it gives, the passages it leaves out, what
// it costs, and every way its answer can be wrong leaving the order found.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { askPapers } from '../../../src/core/papers/ask';
import { DenseIndex } from '../../../src/core/papers/dense/dense-index';
import { PaperLibrary } from '../../../src/core/papers/library';
import { readPdf } from '../../../src/core/papers/pdf-read';
import { renderAnswerBody } from '../../../src/core/papers/render';
import { PASSAGES_LABEL, parseScores, RERANK_FORMAT } from '../../../src/core/papers/rerank';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import { MedGemmaClient } from '../../../src/core/server/service';
import { papersCli } from '../../cli-process';
import { startSim, type Sim } from '../../sim';
import { PASSAGES_LABEL as SIM_LABEL } from '../../sim/scorer';
import { makePdf, tmpDir } from './make-pdf';

const EMBED = 'sim-embed';
const QUESTION = 'How much did metformin lower HbA1c?';

async function library(): Promise<PaperLibrary> {
  const dir = tmpDir('medgemma-rerank-');
  const papers: Record<string, string> = {
    'metformin.pdf': 'Metformin lowered HbA1c by 1.2 percent over 24 weeks in 310 adults.',
    'heparin.pdf': 'Heparin bridging before surgery increased bleeding in 12 of 950 patients.',
    'walking.pdf': 'Brisk walking programmes for older people improved gait speed and balance.',
  };
  const files = Object.entries(papers).map(([name, line]) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, makePdf([{ lines: [line] }]));
    return f;
  });
  const lib = new PaperLibrary(path.join(dir, 'index'), { inProcess: readPdf });
  await lib.add(files);
  return lib;
}

describe('papers: the scoring step (rerank)', function () {
  this.timeout(60_000);
  let sim: Sim;
  const client = () => new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl, privacy: 'off', embeddings: { model: EMBED } }), noCredentials);
  const chats = () => sim.requests.filter((q) => q.path === '/v1/chat/completions');

  beforeEach(async () => {
    sim = await startSim({ models: [{ id: 'medgemma', root: 'google/medgemma-4b-it' }, { id: EMBED, embedding: { dims: 128 } }] });
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('scores every passage found in one request, leaves out those scored 0, and reports the cost', async () => {
    const lib = await library();
    const c = client();
    const dense = new DenseIndex(lib, c, EMBED);
    await dense.prepare();
    const r = await askPapers(c, lib, QUESTION, { dense, rerank: true });
    const [scoring, answering] = chats();
    assert.equal(chats().length, 2, 'one scoring request, then the answer');
    assert.deepEqual(scoring.body.response_format, { type: 'json_schema', json_schema: { ...RERANK_FORMAT, strict: true } }, 'asked for the scores\' schema');
    const prompt = JSON.stringify(scoring.body.messages);
    for (const p of ['P1', 'P2', 'P3']) assert.ok(prompt.includes(`[${p}]`), `${p} shown`);
    assert.ok(!prompt.includes('[P4]'));
    assert.deepEqual(r.rerank && { ...r.rerank, usage: undefined }, { requests: 1, scored: 3, dropped: 2, usage: undefined });
    assert.ok(r.rerank!.usage!.totalTokens > 0);
    assert.equal(r.sources.length, 1, 'only the passage that helps goes to the answer');
    assert.match(r.sources[0].file, /metformin\.pdf$/);
    assert.ok(JSON.stringify(answering.body.messages).includes('Metformin lowered') && !JSON.stringify(answering.body.messages).includes('Heparin'));
    assert.match(renderAnswerBody(r), new RegExp(`MedGemma scored the 3 passages found before answering and left out 2 as not helping \\(1 request, ${r.rerank!.usage!.totalTokens} tokens\\)`));
  });

  it('all scored 0: the question is not answered, and says why', async () => {
    const lib = await library();
    sim.setOptions({ answerText: '{"scores": [{"passage": "P1", "score": 0}]}' });
    const r = await askPapers(client(), lib, QUESTION, { rerank: true });
    assert.equal(chats().length, 1, 'no answer was asked for');
    assert.equal(r.covered, false);
    assert.match(r.answer, /^MedGemma judged none of the 1 passages found to help answer this question, so it was not asked to answer it\./);
    assert.match(renderAnswerBody(r), /MedGemma judged none/);
  });

  it('an answer that is not the scores keeps the order found and says the step did not work', async () => {
    const lib = await library();
    sim.setOptions({ answerText: 'P1 looks best to me. [S1]' });
    const r = await askPapers(client(), lib, QUESTION, { rerank: true });
    assert.equal(r.rerank?.failure, 'its answer was not the scores asked for');
    assert.equal(r.covered, true);
    assert.equal(r.sources.length, 1);
    assert.match(renderAnswerBody(r), /The scoring step did not work this time \(1 request, \d+ tokens\); the passages are in the order found\./);
  });

  it('a server without structured output is asked again in words, once', async () => {
    const lib = await library();
    sim.setOptions({ structuredOutput: false });
    const r = await askPapers(client(), lib, QUESTION, { rerank: true });
    assert.equal(r.rerank?.requests, 2);
    assert.equal(r.rerank?.failure, undefined);
    assert.equal(chats()[1].body.response_format, undefined);
    assert.equal(chats().length, 3);
  });

  it('reads scores strictly: only the passages shown, whole numbers 0 to 3, a fence tolerated', () => {
    assert.deepEqual([...parseScores('```json\n{"scores":[{"passage":"P2","score":3},{"passage":"P1","score":0},{"passage":"P2","score":1}]}\n```', 2)!], [[1, 3], [0, 0]]);
    for (const bad of [
      '{"scores":[{"passage":"P3","score":1}]}',
      '{"scores":[{"passage":"P0","score":1}]}',
      '{"scores":[{"passage":"p1","score":1}]}',
      '{"scores":[{"passage":"P1","score":4}]}',
      '{"scores":[{"passage":"P1","score":-1}]}',
      '{"scores":[{"passage":"P1","score":1.5}]}',
      '{"scores":[{"passage":"P1","score":"3"}]}',
      '{"scores":[null]}',
      '{"scores":[]}',
      '{"scores":{}}',
      '[{"passage":"P1","score":1}]',
      `{"scores":[{"passage":"P1","score":1}]}${' '.repeat(4000)}`,
    ]) {
      assert.equal(parseScores(bad, 2), undefined, bad.slice(0, 60));
    }
  });

  it('the simulator finds the passages by the extension\'s own label', () => {
    assert.equal(SIM_LABEL, PASSAGES_LABEL);
  });

  it('medgemma papers ask --rerank --json reports the step', async () => {
    const lib = await library();
    const a = await papersCli(['ask', QUESTION, '--json', '--rerank'], { env: { MEDGEMMA_PAPERS_DIR: lib.dir, MEDGEMMA_BASE_URL: sim.baseUrl } });
    assert.equal(a.code, 0, a.stderr);
    const out = JSON.parse(a.stdout);
    assert.equal(out.rerank.requests, 1);
    assert.equal(out.rerank.scored, 1);
    const plain = await papersCli(['ask', QUESTION, '--json'], { env: { MEDGEMMA_PAPERS_DIR: lib.dir, MEDGEMMA_BASE_URL: sim.baseUrl } });
    assert.equal(JSON.parse(plain.stdout).rerank, null);
  });
});
