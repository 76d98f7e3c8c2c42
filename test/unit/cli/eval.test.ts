// `medgemma eval summaries` as a user runs it: the bundled CLI as its own process against the
// simulator serving a base model and a LoRA adapter that turns negated findings into present
// ones. The report must tell them apart: the same notes, the adapter's negation flags counted,
// its verified share lower; references add coverage; bad input is a sentence before anything is sent.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ModelScore } from '../../../src/core/eval/summary-scores';
import { runCli } from '../../cli-process';
import { startSim, type Sim } from '../../sim';

const ROOT = path.resolve(__dirname, '../../..');
const NOTES = path.join(ROOT, 'test/fixtures/notes');
const NOTE_FILES = ['ed-chest-pain.txt', 'progress-soap-diabetes.txt', 'radiology-cxr-report.txt'];


describe('medgemma eval summaries: a base model and its adapter compared', function () {
  this.timeout(120_000);
  let sim: Sim;
  let dir: string;
  const env = () => ({ MEDGEMMA_BASE_URL: sim.baseUrl });

  before(async () => {
    sim = await startSim({
      maxModelLen: 16384,
      models: [
        { id: 'medgemma-4b', root: 'google/medgemma-4b-it' },
        { id: 'notes-lora', root: '/adapters/notes-lora', parent: 'medgemma-4b', flipNegation: true },
      ],
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-eval-'));
    fs.mkdirSync(path.join(dir, 'notes'));
    for (const f of NOTE_FILES) fs.copyFileSync(path.join(NOTES, f), path.join(dir, 'notes', f));
  });
  after(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--json: every note through both models; the adapter\'s flipped negations are counted and its verified share is lower', async () => {
    const r = await runCli(['eval', 'summaries', path.join(dir, 'notes'), '--models', 'medgemma-4b,notes-lora', '--json', '--concurrency', '4'], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /medgemma: 6 of 6 summaries\n/);
    const { models } = JSON.parse(r.stdout) as { models: ModelScore[] };
    assert.deepEqual(models.map((m) => [m.model, m.notes, m.failed]), [['medgemma-4b', 3, 0], ['notes-lora', 3, 0]]);
    const [base, lora] = models;
    for (const m of models) {
      assert.ok(m.statements > 15, `${m.model}: ${m.statements} statements`);
      assert.equal(m.verified + m.unsupported, m.statements);
      assert.equal(Object.values(m.byReason).reduce((a, b) => a + b, 0), m.unsupported);
      assert.ok(m.tokens > 0 && m.seconds > 0);
    }
    assert.equal(base.byReason.negation ?? 0, 0, JSON.stringify(base.byReason));
    assert.ok((lora.byReason.negation ?? 0) >= 3, JSON.stringify(lora.byReason));
    assert.ok(lora.verified / lora.statements < base.verified / base.statements, `${lora.verified}/${lora.statements} vs ${base.verified}/${base.statements}`);
    const chats = sim.requests.filter((q) => q.path === '/v1/chat/completions');
    assert.equal(chats.filter((q) => q.body.model === 'medgemma-4b').length, 3);
    assert.equal(chats.filter((q) => q.body.model === 'notes-lora').length, 3);
  });

  it('the Markdown report with references: one column per model, coverage, file names escaped', async () => {
    const refs = path.join(dir, 'refs');
    fs.mkdirSync(refs, { recursive: true });
    fs.writeFileSync(path.join(refs, 'ed-chest-pain.md'), '- Chest pain\n- No shortness of breath\n- Troponin negative\n');
    const odd = path.join(dir, 'odd');
    fs.mkdirSync(odd, { recursive: true });
    fs.copyFileSync(path.join(NOTES, 'ed-chest-pain.txt'), path.join(odd, 'ed-chest-pain.txt'));
    fs.copyFileSync(path.join(NOTES, 'radiology-cxr-report.txt'), path.join(odd, '[x](command:evil).txt'));
    const out = path.join(dir, 'report.md');
    const r = await runCli(['eval', 'summaries', odd, '--models', 'medgemma-4b,notes-lora', '--reference', refs, '--out', out], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /medgemma: report in /);
    assert.equal(r.stdout, '');
    const md = fs.readFileSync(out, 'utf8');
    assert.match(md, /^# Summaries compared: 2 notes, template brief\n/);
    assert.match(md, /\n\| measure \| \*\*medgemma-4b\*\* \| \*\*notes-lora\*\* \|\n\|---\|---:\|---:\|\n\| notes summarized \| 2 of 2 \| 2 of 2 \|\n/);
    assert.match(md, /\n\| — negation \| 0 \| [1-9]\d* \|\n/);
    assert.match(md, /\n\| reference statements covered \| \d+\.\d % \(\d of 3\) \| \d+\.\d % \(\d of 3\) \|\n/);
    assert.doesNotMatch(md, /\]\(command:/, 'no file name becomes a link');
    assert.match(md, /A reference statement is covered when one of the model's statements holds at least 60 % of its content words/);
  });

  it('a model the server does not list, a missing --models, a bad reference folder: a sentence, exit 2, nothing sent', async () => {
    const before = sim.requests.filter((q) => q.path === '/v1/chat/completions').length;
    const unknown = await runCli(['eval', 'summaries', path.join(dir, 'notes'), '--models', 'medgemma-4b,nope'], { env: env() });
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr.trim(), 'error: the server has no model "nope"; it lists medgemma-4b, notes-lora');
    const none = await runCli(['eval', 'summaries', path.join(dir, 'notes')], { env: env() });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^error: give the models to compare with --models A,B/);
    const ref = await runCli(['eval', 'summaries', path.join(dir, 'notes'), '--models', 'medgemma-4b', '--reference', path.join(dir, 'no-such')], { env: env() });
    assert.equal(ref.code, 2);
    assert.match(ref.stderr, /--reference .*no-such is not a folder/);
    assert.equal(sim.requests.filter((q) => q.path === '/v1/chat/completions').length, before);
  });

  it('a model that fails on every note is counted as failed, the other still scores; exit 4', async () => {
    sim.setFault({ kind: 'server-error-500', count: 100 });
    try {
      const r = await runCli(['eval', 'summaries', path.join(dir, 'notes', 'ed-chest-pain.txt'), '--models', 'medgemma-4b', '--json'], { env: env() });
      assert.equal(r.code, 4, r.stderr);
      const { models } = JSON.parse(r.stdout) as { models: ModelScore[] };
      assert.deepEqual([models[0].notes, models[0].failed, models[0].statements], [1, 1, 0]);
    } finally {
      sim.setFault(undefined);
    }
  });
});
