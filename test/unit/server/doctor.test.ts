// The server check (`medgemma doctor`, "MedGemma: Check Server") in-process against the
// simulator's profiles: what it finds, and the report a user reads, line by line.
import * as assert from 'node:assert/strict';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import { diagnose, formatReport, type DoctorReport } from '../../../src/core/server/doctor';
import { MedGemmaClient } from '../../../src/core/server/service';
import { startSim, type Sim } from '../../sim';

describe('server/doctor', function () {
  this.timeout(30_000);
  let sim: Sim | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });
  const check = (s: Sim, model = '') => diagnose(new MedGemmaClient(makeConfig({ baseUrl: s.baseUrl, model }), noCredentials));

  it('vLLM: version, health, every model with weights, adapter, context and images; the 1-token answer', async () => {
    sim = await startSim({
      models: [
        { id: 'medgemma', root: 'google/medgemma-4b-it' },
        { id: 'notes-lora', root: '/adapters/notes', parent: 'medgemma', maxModelLen: 8192 },
        { id: 'google/medgemma-27b-text-it' },
      ],
      version: '0.11.2',
    });
    const r = await check(sim);
    assert.equal(r.reachable, true);
    assert.equal(r.healthy, true);
    assert.equal(r.version, '0.11.2');
    assert.equal(r.model, 'medgemma');
    assert.equal(r.contextLength, 32768);
    assert.equal(r.tokenCounting, 'exact');
    assert.deepEqual(r.problems, []);
    assert.ok(typeof r.pingMs === 'number' && r.pingMs >= 0);
    assert.equal(sim.requests.filter((q) => q.path === '/v1/chat/completions').at(-1)?.body.max_tokens, 1);
    const text = formatReport(r).replace(/1-token answer: \d+ ms/, '1-token answer: N ms');
    assert.equal(
      text,
      [
        `Server: ${sim.baseUrl}`,
        'Reachable: yes',
        'Version: 0.11.2',
        'Health: ok',
        'Models:',
        '  - medgemma (used): weights google/medgemma-4b-it, context 32768, images: yes',
        '  - notes-lora: weights /adapters/notes, adapter of medgemma, context 8192, images: yes',  // as its base model
        '  - google/medgemma-27b-text-it: context 32768, images: no',
        'Context used for budgeting: 32768 tokens (exact counts)',
        '1-token answer: N ms',
        'All good.',
      ].join('\n'),
    );
  });

  it('a pretrained (-pt) model is named as a problem', async () => {
    sim = await startSim({ models: [{ id: 'medgemma-pt', root: 'google/medgemma-4b-pt' }] });
    const r = await check(sim);
    assert.deepEqual(r.problems, ['"medgemma-pt" looks like a pretrained (-pt) model, not a chat model: serve a -it model for summaries and chat.']);
    assert.match(formatReport(r), /\nProblem: "medgemma-pt" looks like a pretrained \(-pt\) model/);
    assert.doesNotMatch(formatReport(r), /All good/);
  });

  it('Ollama: no health or version route, context not reported, estimated counts', async () => {
    sim = await startSim({ profile: 'ollama', models: [{ id: 'medgemma:4b' }] });
    const r = await check(sim);
    assert.equal(r.reachable, true);
    assert.equal(r.healthy, undefined);
    assert.equal(r.tokenCounting, 'estimated');
    assert.equal(r.contextLength, 4096);
    const text = formatReport(r);
    assert.doesNotMatch(text, /Health:|Version:/);
    assert.match(text, / {2}- medgemma:4b \(used\): context not reported, images: yes\n/);
    assert.match(text, /Context used for budgeting: 4096 tokens \(estimated counts\)/);
  });

  it('the configured model that the server lacks is a problem, with what it has', async () => {
    sim = await startSim({ models: [{ id: 'medgemma' }] });
    const r = await check(sim, 'medgemma-27b');
    assert.equal(r.reachable, true);
    assert.equal(r.model, undefined);
    assert.match(r.problems[0], /^The server has no model "medgemma-27b"\. It offers: medgemma\./);
  });

  it('nothing listening: unreachable, one problem, its kind, nothing else in the report', async () => {
    sim = await startSim();
    const url = sim.baseUrl;
    await sim.stop();
    sim = undefined;
    const r: DoctorReport = await diagnose(new MedGemmaClient(makeConfig({ baseUrl: url }), noCredentials));
    assert.equal(r.reachable, false);
    assert.equal(r.errorKind, 'unreachable');
    assert.equal(r.problems.length, 1);
    assert.equal(formatReport(r), `Server: ${url}\nReachable: no\nProblem: ${r.problems[0]}`);
  });

  it('an engine that is not healthy is named, and the check goes on', async () => {
    sim = await startSim();
    // The model list passes; the next request, /health, gets a 503.
    sim.setFault({ kind: 'unavailable-503', scope: 'all', skip: 1, count: 1 });
    const r = await check(sim);
    assert.equal(r.reachable, true);
    assert.equal(r.healthy, false);
    assert.equal(r.problems[0], 'The server answers but /health says its engine is not healthy. Check the server log and restart it.');
    assert.equal(r.model, 'medgemma');
    assert.match(formatReport(r), /\nHealth: NOT healthy\n/);
  });

  it('a failing model list: not reachable, the error and its kind', async () => {
    sim = await startSim();
    sim.setFault({ kind: 'unauthorized', scope: 'all' });
    const r = await check(sim);
    assert.equal(r.reachable, false);
    assert.equal(r.errorKind, 'unauthorized');
    assert.match(r.problems[0], /refused the API key \(HTTP 401\)/);
  });
});
