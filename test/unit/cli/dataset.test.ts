// `medgemma dataset` as a user runs it: the bundled CLI as its own process. A rendered summary
// document (as Save Summary As writes it) and a clinician's correction become an example with
// no identifier left; stats count it; export writes both formats, counting lengths with the
// simulator's /tokenize, leaving out what does not fit; bad input is one sentence.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkSummary } from '../../../src/core/notes/citations';
import { numberNote } from '../../../src/core/notes/numbering';
import { renderFinal } from '../../../src/core/notes/render';
import { findTemplate } from '../../../src/core/notes/templates';
import { runCli } from '../../cli-process';
import { startSim, type Sim } from '../../sim';

const NOTES = path.resolve(__dirname, '../../fixtures/notes');

function summaryDoc(note: string, summary: string, range?: [number, number]): string {
  return renderFinal(
    { template: findTemplate('discharge')!, model: 'medgemma-4b-it', source: 'deid-sample.txt', sourceUri: 'file:///x/deid-sample.txt', range },
    { summary, statements: checkSummary(summary, numberNote(note, range)), partial: false, finishReason: 'stop' },
  );
}

describe('medgemma dataset: add-summary, stats, export', function () {
  this.timeout(120_000);
  let sim: Sim;
  let dir: string;
  let note: string;
  const run = (args: string[], env: Record<string, string> = {}) => runCli(['dataset', ...args], { cwd: dir, env: { MEDGEMMA_BASE_URL: sim.baseUrl, ...env } });

  before(async () => {
    sim = await startSim({ maxModelLen: 1000 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-dataset-cli-'));
    note = fs.readFileSync(path.join(NOTES, 'deid-sample.txt'), 'utf8');
    fs.writeFileSync(path.join(dir, 'deid-sample.txt'), note);
    fs.copyFileSync(path.join(NOTES, 'ed-chest-pain.txt'), path.join(dir, 'ed.txt'));
    fs.writeFileSync(path.join(dir, 'draft.md'), summaryDoc(note, '- Eleanor Marguerite Vandersloot, 92, discharged [L3][L4]\n- Husband died at age 95 [L37]', [1, 40]));
    fs.writeFileSync(path.join(dir, 'corrected.md'), summaryDoc(note, '- Eleanor Marguerite Vandersloot, 92, discharged [L3][L4]\n- Widowed; husband Walter Vandersloot died in January 2021 at age 94 [L37]', [1, 40]));
    fs.writeFileSync(path.join(dir, 'ed-summary.md'), '- Chest pain [L1]\n');
  });
  after(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('add-summary: the header gives template, lines and model; the draft becomes the rejected answer; no identifier is saved', async () => {
    const r = await run(['add-summary', 'deid-sample.txt', 'corrected.md', '--draft', 'draft.md']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Saved example [0-9a-z]+-[0-9a-f]+ \(Discharge summary, lines 1–40, corrected, identifiers replaced\) to \.medgemma\/dataset\n$/);
    const text = fs.readFileSync(path.join(dir, '.medgemma/dataset/examples.jsonl'), 'utf8');
    for (const id of ['Vandersloot', 'Eleanor', 'Walter', 'Ostrowski', '00728814', '519-22-4078', '(717) 555', 'January 2021']) assert.ok(!text.includes(id), `${id} saved`);
    const e = JSON.parse(text);
    assert.deepEqual([e.kind, e.template.id, e.source.file, e.source.lines, e.model, e.review.action, e.deidentified], ['summary', 'discharge', 'deid-sample.txt', [1, 40], 'medgemma-4b-it', 'edited', 'pseudonymized']);
    assert.match(e.chosen, /^- \S.+, 92, discharged \[L3\]\[L4\]\n- Widowed; husband .+ died in .+ at age \d+ \[L37\]$/);
    assert.match(e.rejected, /died at age \d+ \[L37\]$/);
    assert.equal(sim.requests.length, 0, 'saving sends nothing');
  });

  it('add-summary --as-written --template --lines: a plain list for a selection; a citation the checks cannot verify is said', async () => {
    const r = await run(['add-summary', 'ed.txt', 'ed-summary.md', '--as-written', '--template', 'brief', '--lines', '1-10', '--model', 'notes-lora']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(Brief clinical summary, lines 1–10, accepted, text as written\)/);
    assert.match(r.stderr, /1 of 1 statement of the corrected summary cite lines the checks could not verify/);
  });

  it('stats: counts by kind, template, split, review and identifiers; --json', async () => {
    const r = await run(['stats']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^2 examples: summary 2\ntemplates: Discharge summary 1, Brief clinical summary 1\nsplit: train 2, validation 0\nreviewed: 1 corrected, 1 accepted as drafted\nidentifiers: 1 pseudonymized, 1 as written\n$/);
    const j = JSON.parse((await run(['stats', '--json'])).stdout);
    assert.deepEqual([j.examples, j.byKind, j.split, j.problems], [2, { summary: 2 }, { train: 2, validation: 0 }, []]);
  });

  it('export hf-chat: lengths counted by the server; the long example left out and named; the card written', async () => {
    const before = sim.requests.length;
    const r = await run(['export', '--format', 'hf-chat', '--out', 'out-hf', '--split', '1']);
    assert.equal(r.code, 0, r.stderr);
    const tokenize = sim.requests.slice(before).filter((q) => q.path === '/tokenize');
    assert.equal(tokenize.length, 2, 'each example counted by the server');
    // The 40-line discharge summary prompt is longer than the 1,000-token context; the ED one is not.
    assert.match(r.stderr, /example \S+ left out: \d+ tokens, more than the model's context of 1000/);
    assert.match(r.stdout, /^Exported 1 training and 0 validation examples as hf-chat to out-hf: train\.jsonl, README\.md\n$/);
    const rows = fs.readFileSync(path.join(dir, 'out-hf/train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(rows.length, 1);
    assert.equal(rows[0].messages[1].content[0].text, '- Chest pain [L1]');
    const card = fs.readFileSync(path.join(dir, 'out-hf/README.md'), 'utf8');
    assert.match(card, /\| .+ \| \d+ tokens, more than the model's context of 1000 \|/);
    assert.match(card, /counted by the server/);
    assert.match(card, /⚠ 1 example holds the text as written/);
  });

  it('export vertex with the server down: lengths estimated against --context-length, said so', async () => {
    const r = await run(['export', '--format', 'vertex', '--out', 'out-vx', '--context-length', '100000', '--base-url', 'http://127.0.0.1:9/v1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /the model's context could not be asked for \(.+\); lengths estimated against --context-length 100000/);
    assert.match(r.stdout, /^Exported \d training and \d validation examples as vertex/);
    const lines = fs.readFileSync(path.join(dir, 'out-vx/train.jsonl'), 'utf8').trim().split('\n');
    for (const l of lines) assert.deepEqual(Object.keys(JSON.parse(l)), ['messages']);
    assert.match(fs.readFileSync(path.join(dir, 'out-vx/README.md'), 'utf8'), /some lengths estimated/);
  });

  it('bad input: one sentence, exit 2, nothing written', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['export', '--out', 'x'], /give --format hf-chat or vertex/],
      [['export', '--format', 'csv', '--out', 'x'], /not "csv"/],
      [['export', '--format', 'vertex'], /give --out DIR/],
      [['export', '--format', 'vertex', '--out', 'out-hf'], /out-hf is not empty: give a new folder/],
      [['export', '--format', 'vertex', '--out', '.medgemma/dataset/inner'], /--out is inside the dataset folder/],
      [['export', '--format', 'vertex', '--out', 'y', '--dataset', 'nowhere'], /there is no dataset in nowhere/],
      [['export', '--format', 'vertex', '--out', 'y', '--split', '2'], /--split must be a number between 0.01 and 1/],
      [['add-summary', 'deid-sample.txt'], /give the note and the corrected summary/],
      [['add-summary', 'missing.txt', 'corrected.md'], /missing\.txt/],
      [['add-summary', 'deid-sample.txt', 'corrected.md', '--template', 'poem'], /unknown template "poem"/],
      [['add-summary', 'deid-sample.txt', 'corrected.md', '--lines', '900-950'], /starts after the end of the note/],
      [['frobnicate'], /unknown dataset command "frobnicate"/],
    ];
    const count = () => fs.readFileSync(path.join(dir, '.medgemma/dataset/examples.jsonl'), 'utf8');
    const was = count();
    for (const [args, want] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^error: /);
      assert.match(r.stderr, want, args.join(' '));
    }
    assert.equal(count(), was);
    assert.equal(fs.existsSync(path.join(dir, 'x')) || fs.existsSync(path.join(dir, 'y')), false);
  });

  it('a hand-edited line that is not an example is named by stats and export, and left in place', async () => {
    const file = path.join(dir, '.medgemma/dataset/examples.jsonl');
    fs.appendFileSync(file, '{"v":1,"id":"x","kind":"summary","messages":"<script>"}\n');
    const s = await run(['stats']);
    assert.match(s.stdout, /line 3 of examples\.jsonl is not an example: split is neither train nor validation/);
    const r = await run(['export', '--format', 'vertex', '--out', 'out-3', '--context-length', '100000', '--base-url', 'http://127.0.0.1:9/v1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /line 3 of examples\.jsonl is not an example \(split is neither train nor validation\); left out/);
    assert.ok(fs.readFileSync(file, 'utf8').includes('"<script>"'));
  });
});
