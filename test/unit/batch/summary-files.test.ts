// The files a folder summary leaves (core/batch/summary-files.ts, record-summary.ts): a summary
// per note made from its results record, rendered as the single-note document is; index.md
// from the results file, the latest record of a note winning; nothing written outside the
// output folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { placeStatements, recordMarkdown } from '../../../src/core/batch/record-summary';
import { openResults } from '../../../src/core/batch/results';
import { runBatch } from '../../../src/core/batch/run';
import { summarizeJob } from '../../../src/core/batch/summarize-job';
import { commonBase, INDEX_FILE, RESULTS_FILE, summaryPath, writeIndex, writeSummaryFile, type SummaryLayout } from '../../../src/core/batch/summary-files';
import { DISCLAIMER, renderFinal, type HeaderInfo } from '../../../src/core/notes/render';
import { summarizeNote } from '../../../src/core/notes/summarize';
import { findTemplate } from '../../../src/core/notes/templates';
import type { ChatRequest, ChatService, StreamOptions } from '../../../src/core/server/types';

const template = findTemplate('brief')!;
const D = new Date(2025, 0, 5, 14, 3);

/** Answers each note line "L<n>: text" with a cited bullet; "Potassium" gets a wrong number (flagged). */
const chat: ChatService = {
  contextLength: async () => 32768,
  countTokens: async () => ({ tokens: 200, exact: true }),
  async chat(req: ChatRequest, opts: StreamOptions = {}) {
    const user = String(req.messages.at(-1)!.content);
    const text = [...user.matchAll(/^L(\d+): (.+)$/gm)]
      .filter((m) => /[a-z]{3}/.test(m[2]))
      .map((m) => `- ${m[2].replace(/3\.1/, '4.1').replace(/[.]$/, '')} [L${m[1]}]`)
      .join('\n');
    opts.onDelta?.(text);
    return { text, finishReason: 'stop', model: 'medgemma-sim', usage: { promptTokens: 200, completionTokens: 20, totalTokens: 220 }, promptTokens: 200, maxTokens: req.maxTokens };
  },
};

describe('batch/summary-files', () => {
  let dir: string;
  let notes: string;
  let out: string;
  let layout: SummaryLayout;
  const header = (file: string, record: Record<string, unknown>): HeaderInfo => ({
    template: { label: record.template === 'brief' ? template.label : String(record.template) },
    model: String(record.model),
    source: path.relative(notes, file),
    sourceUri: `file://${file}`,
  });
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(notes, rel)), { recursive: true });
    fs.writeFileSync(path.join(notes, rel), text);
  };
  const run = async (files = [path.join(notes, 'a.txt'), path.join(notes, 'sub', 'b.txt'), path.join(notes, 'empty.txt')]) => {
    const job = summarizeJob(chat, { template, model: 'medgemma-sim', maxTokens: 512, temperature: 0 });
    const results = await openResults(path.join(out, RESULTS_FILE), job.keyFields);
    try {
      return await runBatch(files, job, results, { concurrency: 2 });
    } finally {
      results.close();
    }
  };
  const records = () => fs.readFileSync(path.join(out, RESULTS_FILE), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const index = () => fs.readFileSync(path.join(out, INDEX_FILE), 'utf8');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-summary-files-'));
    notes = path.join(dir, 'notes');
    out = path.join(dir, 'notes-summaries');
    fs.mkdirSync(out, { recursive: true });
    write('a.txt', 'LABS\nPotassium 3.1 mmol/L.\nNo chest pain.\n');
    write('sub/b.txt', 'Left wrist fracture, distal radius.\n');
    write('empty.txt', '  \n');
    layout = { outDir: out, base: notes, header, now: () => D };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a summary per note, the same document as Summarize Note, its unsupported statement marked', async () => {
    const s = await run();
    assert.deepEqual([s.ok, s.failed], [2, 1]);
    const written = await writeIndex(layout, { source: 'notes' });
    assert.deepEqual([written.rows, written.failed, written.updated], [3, 1, 2]);

    const file = path.join(out, 'a.txt.summary.md');
    const text = fs.readFileSync(file, 'utf8');
    const single = await summarizeNote(chat, { text: fs.readFileSync(path.join(notes, 'a.txt'), 'utf8'), template, maxTokens: 512, temperature: 0 });
    assert.equal(text, renderFinal({ ...header(path.join(notes, 'a.txt'), { template: 'brief', model: 'medgemma-sim' }), date: D }, single));
    assert.match(text, /^- Potassium 4\.1 mmol\/L \[L2\] ⚠ \*unsupported: [^*]+\*$/m);
    assert.match(text, /^> ⚠ 1 of 2 statements could not be verified/m);
    assert.match(text, /^\*\*Source:\*\* \[a\.txt\]\(file:\/\/.+\/notes\/a\.txt\)/m, 'the source link the editor resolves citations through');
    assert.ok(text.trimEnd().endsWith(DISCLAIMER));
    assert.ok(fs.existsSync(path.join(out, 'sub', 'b.txt.summary.md')), 'the input tree is mirrored');
    assert.ok(!fs.existsSync(path.join(out, 'empty.txt.summary.md')), 'no document for a note without a summary');

    const md = index();
    assert.match(md, /^\| a\.txt \| ok \| 2 \| ⚠ 1 \| \[summary\]\(\.\/a\.txt\.summary\.md\) \|$/m);
    assert.match(md, /^\| empty\.txt \| failed \| — \| — \| — \|$/m);
    assert.match(md, /^\| sub\/b\.txt \| ok \| 1 \| 0 \| \[summary\]\(\.\/sub\/b\.txt\.summary\.md\) \|$/m);
    assert.match(md, /^- \*\*empty\.txt\*\*: empty\.txt is empty: there is nothing to summarize$/m, 'the reason names the note as the row does, not by its full path');
    assert.ok(md.indexOf('| a.txt') < md.indexOf('| empty.txt') && md.indexOf('| empty.txt') < md.indexOf('| sub/b.txt'), 'in name order');
  });

  it('the latest record of a note wins; a failure without text removes its stale summary; an unchanged summary keeps its file', async () => {
    await run();
    await writeIndex(layout, { source: 'notes' });
    const a = path.join(out, 'a.txt.summary.md');
    for (const f of [a, path.join(out, 'sub', 'b.txt.summary.md')]) fs.utimesSync(f, D, D); // written at the fixed clock's time
    const again = await writeIndex(layout, { source: 'notes' });
    assert.equal(again.updated, 0, 'nothing changed: nothing rewritten');

    // The note changed and its re-run failed: the old summary would describe another text.
    const first = records().find((r) => String(r.file).endsWith('a.txt'))!;
    write('a.txt', 'LABS\nPotassium 3.1 mmol/L.\nNo chest pain today.\n');
    fs.appendFileSync(path.join(out, RESULTS_FILE), `${JSON.stringify({ file: first.file, sha256: 'x', status: 'error', template: 'brief', model: 'medgemma-sim', error: 'The server at http://127.0.0.1:9 cannot be reached.', errorKind: 'unreachable' })}\n`);
    const failed = await writeIndex(layout, { source: 'notes', stopped: 'error' });
    assert.equal(failed.failed, 2);
    assert.ok(!fs.existsSync(a), 'the stale summary is gone');
    assert.match(index(), /^\| a\.txt \| failed \| — \| — \| — \|$/m);
    assert.match(index(), /an error stopped it/);

    // Run again: a.txt is done again (its failed line is retried), the index follows.
    const s = await run();
    assert.deepEqual([s.ok, s.skipped, s.failed], [1, 1, 1], 'b.txt skipped, a.txt retried, empty.txt fails again');
    await writeIndex(layout, { source: 'notes' });
    assert.ok(fs.existsSync(a));
    assert.match(index(), /^\| a\.txt \| ok \|/m);
    assert.match(index(), /^3 notes: 2 summarized, 1 failed/m);
  });

  it('a failed record with a partial summary keeps it, the reason first', async () => {
    const file = path.join(notes, 'a.txt');
    const record = { file, sha256: 'x', status: 'error', template: 'brief', model: 'm', summary: '- Potassium 3.1 mmol/L [L2]\n- No chest', statements: [{ text: 'Potassium 3.1 mmol/L', lines: [[2, 2]], supported: true }, { text: 'No chest', lines: [], supported: false, reason: 'cut off', kind: 'cut-off' }], unsupported: 1, finishReason: 'length', error: 'the summary was cut at the token limit; raise --max-tokens and run the batch again' };
    assert.equal(writeSummaryFile(layout, record), 'written');
    const text = fs.readFileSync(summaryPath(layout, file)!, 'utf8');
    assert.match(text, /^> ⚠ Not finished: the summary was cut at the token limit/m);
    assert.match(text, /^> ⚠ Partial summary: cut at the token limit/m);
    assert.match(text, /^- No chest ⚠ \*unsupported: cut off\*$/m);
  });

  it('writes nothing outside the output folder; notes outside the folder are listed without a link', async () => {
    const outside = { file: path.join(dir, 'elsewhere', 'c.txt'), sha256: 'x', status: 'ok', template: 'brief', model: 'm', summary: '- A [L1]', statements: [{ text: 'A', lines: [[1, 1]], supported: true }], unsupported: 0 };
    const relative = { ...outside, file: 'notes/../../d.txt' };
    const climbing = { ...outside, file: path.join(notes, '..', '..', 'e.txt') };
    for (const r of [outside, relative, climbing]) assert.equal(writeSummaryFile(layout, r), 'none');
    fs.writeFileSync(path.join(out, RESULTS_FILE), [outside, relative].map((r) => JSON.stringify(r)).join('\n') + '\n{"damaged\n');
    const w = await writeIndex(layout, { source: 'notes' });
    assert.equal(w.rows, 2);
    assert.deepEqual(fs.readdirSync(out).sort(), [INDEX_FILE, RESULTS_FILE]);
    assert.match(index(), /^\| notes\/\.\.\/\.\.\/d\.txt \| ok \| 1 \| 0 \| — \|$/m);
  });

  it('a record from another version: statements not found in the text are listed, their flags kept', () => {
    const placed = placeStatements('- A [L1]\n- B [L2]', [
      { text: 'A', lines: [[1, 1]], supported: true },
      { text: 'Gone', lines: [[3, 3]], supported: false, reason: 'number' },
    ]);
    assert.match(placed.summary, /### Statements not found in the summary text\n\n- Gone\n$/);
    const gone = placed.statements.find((s) => s.text === 'Gone')!;
    assert.equal(placed.summary.slice(gone.span[0], gone.span[1]), 'Gone');
    // Malformed fields are not trusted and do not throw.
    const text = recordMarkdown({ status: 'ok', summary: '- A [L1]', statements: 'x', modelCheck: { total: 'many' }, finishReason: 'weird' }, { template: { label: 'T' }, date: D })!;
    assert.match(text, /^- A \[L1\]$/m);
    assert.equal(recordMarkdown({ status: 'error', summary: '' }, { template: { label: 'T' } }), undefined);
    const unmarked = recordMarkdown({ status: 'ok', summary: '- A [L1]', statements: [{ text: 'A', supported: 'yes' }] }, { template: { label: 'T' }, date: D })!;
    assert.match(unmarked, /- A \[L1\] ⚠ \*unsupported: not verified\*/, 'only an explicit true counts as supported');
  });

  it('the base of a selection: a folder alone, or the deepest folder holding every item', () => {
    const isFolder = (p: string) => !path.extname(p);
    const r = (...p: string[]) => path.join(path.sep, ...p);
    assert.equal(commonBase([r('w', 'notes')], isFolder), r('w', 'notes'));
    assert.equal(commonBase([r('w', 'notes', 'a.txt'), r('w', 'notes', 'b.txt')], isFolder), r('w', 'notes'));
    assert.equal(commonBase([r('w', 'notes', 'x', 'a.txt'), r('w', 'notes', 'y')], isFolder), r('w', 'notes'));
    assert.equal(commonBase([r('w', 'a'), r('w', 'b')], isFolder), r('w'));
    assert.equal(commonBase([r('w', 'n', 'a.txt'), r('v', 'b.txt')], isFolder), r());
  });
});
