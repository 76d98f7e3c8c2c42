// Every note through every model, in process against the simulator (a base model and an adapter
// that flips negations), and the Markdown report read line by line: the numbers add up, progress
// counts to the total, failures are listed and escaped, a stop is said.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareModels, type EvalNote } from '../../../src/core/eval/compare-models';
import { renderComparison } from '../../../src/core/eval/report';
import { findTemplate } from '../../../src/core/notes/templates';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import { MedGemmaClient } from '../../../src/core/server/service';
import { startSim, type Sim } from '../../sim';

const NOTES = path.resolve(__dirname, '../../fixtures/notes');
const note = (file: string, reference?: string): EvalNote => ({ file, text: fs.readFileSync(path.join(NOTES, file), 'utf8'), reference });

describe('eval: compareModels and its report', function () {
  this.timeout(60_000);
  let sim: Sim;
  let client: MedGemmaClient;
  const template = findTemplate('brief')!;

  before(async () => {
    sim = await startSim({
      maxModelLen: 16384,
      models: [
        { id: 'base', root: 'google/medgemma-4b-it' },
        { id: 'lora|x', root: '/a', parent: 'base', flipNegation: true },
      ],
    });
    client = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl }), noCredentials);
  });
  after(async () => sim.stop());

  it('runs notes × models, reports progress to the total, times each with the clock given, and scores each model', async () => {
    const progress: [number, number][] = [];
    let clock = 0;
    const c = await compareModels(client, [note('ed-chest-pain.txt', '- Chest pain\n- Troponin negative\n'), note('radiology-cxr-report.txt')], {
      models: ['base', 'lora|x'],
      template,
      maxTokens: 2048,
      temperature: 0,
      concurrency: 2,
      onProgress: (d, t) => progress.push([d, t]),
      now: () => (clock += 500),
    });
    assert.deepEqual(progress.map(([d]) => d), [1, 2, 3, 4]);
    assert.ok(progress.every(([, t]) => t === 4));
    assert.equal(c.stopped, false);
    assert.deepEqual(Object.keys(c.runs), ['base', 'lora|x']);
    assert.deepEqual(c.runs.base.map((r) => r.note), ['ed-chest-pain.txt', 'radiology-cxr-report.txt']);
    for (const runs of Object.values(c.runs)) for (const r of runs) assert.ok(r.result && !r.error && r.seconds > 0 && r.seconds % 0.5 === 0, JSON.stringify(r.seconds));
    const bodies = sim.requests.filter((q) => q.path === '/v1/chat/completions').map((q) => q.body);
    assert.equal(bodies.filter((b) => b.model === 'lora|x').length, 2);
    assert.ok(bodies.every((b) => b.max_tokens === undefined || (b.max_tokens as number) <= 2048) && bodies.every((b) => b.temperature === 0));
    const [base, lora] = c.scores;
    assert.equal(base.byReason.negation ?? 0, 0);
    assert.ok((lora.byReason.negation ?? 0) > 0);
    assert.deepEqual(base.reference && [base.reference.statements], [2]);

    const md = renderComparison(c, { template: 'brief', notes: 2 }).split('\n');
    assert.equal(md[0], '# Summaries compared: 2 notes, template brief');
    assert.equal(md[2], "| measure | **base** | **lora\\|x** |");
    assert.equal(md[3], '|---|---:|---:|');
    assert.equal(md[4], '| notes summarized | 2 of 2 | 2 of 2 |');
    assert.equal(md[5], `| statements | ${base.statements} | ${lora.statements} |`);
    const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)} %`;
    assert.equal(md[6], `| cite note lines | ${pct(base.cited, base.statements)} | ${pct(lora.cited, lora.statements)} |`);
    assert.equal(md[7], `| verified by the checks | ${pct(base.verified, base.statements)} | ${pct(lora.verified, lora.statements)} |`);
    assert.equal(md[8], `| unsupported | ${base.unsupported} | ${lora.unsupported} |`);
    // Reasons follow, the most frequent first.
    const reasonRows = md.slice(9).filter((l) => l.startsWith('| — '));
    assert.equal(reasonRows[0], `| — negation | ${base.byReason.negation ?? 0} | ${lora.byReason.negation} |`);
    const ref = md.find((l) => l.startsWith('| reference statements covered'))!;
    assert.match(ref, /^\| reference statements covered \| \d+\.\d % \(\d of 2\) \| \d+\.\d % \(\d of 2\) \|$/);
    assert.ok(md.includes(`| tokens | ${base.tokens.toLocaleString('en-US')} | ${lora.tokens.toLocaleString('en-US')} |`));
    assert.ok(md.includes(`| time, summed over notes | ${base.seconds.toFixed(1)} s | ${lora.seconds.toFixed(1)} s |`));
    assert.ok(md.some((l) => l.includes('at least 60 % of its content words')));
    assert.ok(!md.includes('## Not summarized') && !md.some((l) => l.startsWith('> Stopped')));
    assert.equal(md.at(-2), 'AI-generated summaries checked by rules; a clinician reviews them before any use.');
  });

  it('a failure is the note\'s, listed and escaped; one note; no reference rows; a stop is said', async () => {
    sim.setFault({ kind: 'server-error-500', count: 50 });
    const controller = new AbortController();
    let c;
    try {
      c = await compareModels(client, [note('ed-chest-pain.txt')], { models: ['base'], template, maxTokens: 500, temperature: 0, concurrency: 1 });
    } finally {
      sim.setFault(undefined);
    }
    assert.equal(c.runs.base[0].result, undefined);
    assert.match(c.runs.base[0].error!, /server/i);
    c.runs.base[0].note = '[x](command:evil) | pipe.txt';
    c.runs.base[0].error = 'Bad *thing*\nhappened';
    const md = renderComparison({ ...c, stopped: true }, { template: 'soap', notes: 1 });
    assert.match(md, /^# Summaries compared: 1 note, template soap\n\n> Stopped before every summary finished: the counts cover the summaries that did\.\n/);
    assert.match(md, /\n\| notes summarized \| 0 of 1 \|\n\| statements \| 0 \|\n\| cite note lines \| — \|\n/);
    assert.ok(!md.includes('reference statements covered') && !md.includes('content words'));
    assert.match(md, /\n## Not summarized\n\n- \*\*base\*\*, \\\[x\\\]\(command:evil\) \\\| pipe\.txt: Bad \\\*thing\\\* happened\n/);
    controller.abort();
    const stopped = await compareModels(client, [note('ed-chest-pain.txt')], { models: ['base'], template, maxTokens: 500, temperature: 0, concurrency: 1, signal: controller.signal });
    assert.equal(stopped.stopped, true);
    assert.equal(stopped.runs.base[0].error, 'stopped');
  });
});
