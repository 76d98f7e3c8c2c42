// summarizeNote end to end: the real server client against the vLLM simulator, whose "model"
// answers with grounded bullets citing the `L<n>:` lines it was sent.
import * as assert from 'node:assert/strict';
import { findTemplate } from '../../../src/core/notes/templates';
import { summarizeNote } from '../../../src/core/notes/summarize';
import { renderFinal } from '../../../src/core/notes/render';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import { MedGemmaClient } from '../../../src/core/server/service';
import { startSim, type Sim } from '../../sim';
import { fixtureNote } from './fixtures';

describe('notes/summarize against the simulator', function () {
  this.timeout(60_000);
  let sim: Sim;
  const client = () => new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl }), noCredentials);
  const template = findTemplate('brief')!;

  beforeEach(async () => {
    sim = await startSim({ maxModelLen: 8192 });
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('summarizes a short note in one streamed request, every statement grounded', async function () {
    const text = fixtureNote(this, 'ed-chest-pain.txt');
    let streamed = '';
    const r = await summarizeNote(client(), { text, template, maxTokens: 2048, temperature: 0 }, { onDelta: (t) => (streamed += t) });
    const chats = sim.requests.filter((q) => q.path === '/v1/chat/completions');
    assert.equal(chats.length, 1);
    assert.equal(chats[0].body.temperature, 0);
    assert.equal(r.parts, 1);
    assert.equal(r.model, 'medgemma');
    assert.equal(streamed, r.summary);
    assert.ok(r.statements.length > 30);
    const bad = r.statements.filter((s) => !s.supported);
    assert.ok(bad.length <= r.statements.length * 0.05, bad.map((s) => `${s.text}: ${s.reason}`).join('\n'));
  });

  it('flags the statements of a model that drops negations', async function () {
    const text = fixtureNote(this, 'ed-chest-pain.txt');
    sim.setFault({ kind: 'flip-negation' });
    const r = await summarizeNote(client(), { text, template, maxTokens: 2048, temperature: 0 });
    const negated = r.statements.filter((s) => s.reason === 'cited line negates it');
    assert.ok(negated.length >= 5, `${negated.length} flagged`);
    assert.ok(negated.some((s) => /syncope/i.test(s.text)));
    assert.match(renderFinal({ template }, r), /⚠ \*unsupported: cited line negates it\*/);
  });

  it('a summary cut mid-statement says so instead of "no citation"', async function () {
    const text = fixtureNote(this, 'ed-chest-pain.txt');
    const ac = new AbortController();
    let streamed = '';
    sim.setOptions({ tokensPerSecond: 400 });
    // Stop right after a bullet has started but before its citation arrived.
    const r = await summarizeNote(client(), { text, template, maxTokens: 2048, temperature: 0 }, {
      signal: ac.signal,
      onDelta: (t) => {
        streamed += t;
        if (/\]\n- \w+(?: [a-z]+){3}$/.test(streamed)) ac.abort();
      },
    });
    assert.equal(r.finishReason, 'cancelled');
    const last = r.statements[r.statements.length - 1];
    assert.equal(last.lines.length, 0);
    assert.equal(last.reason, 'cut off before its citation');
    assert.equal(last.kind, 'cut-off');
    assert.ok(r.statements.slice(0, -1).every((s) => s.reason !== 'cut off before its citation'));
  });

  it('map-reduces icu-course-long.txt within an 8k context', async function () {
    const text = fixtureNote(this, 'icu-course-long.txt');
    const progress: string[] = [];
    const r = await summarizeNote(client(), { text, template, maxTokens: 1024, temperature: 0 }, { onProgress: (p) => progress.push(`${p.phase} ${p.part}/${p.parts}`) });
    assert.ok(r.parts > 5, `${r.parts} parts`);
    const chats = sim.requests.filter((q) => q.path === '/v1/chat/completions');
    assert.ok(chats.every((q) => q.status === 200), 'no request overflowed the context');
    assert.ok(chats.length > r.parts);
    assert.ok(progress.includes(`summarize ${r.parts}/${r.parts}`) && progress[progress.length - 1] === 'combine 1/1');
    assert.ok(r.summary.length > 0 && r.statements.length > 10);
    assert.ok(r.statements.filter((s) => s.supported).length >= r.statements.length * 0.9);
  });
});
