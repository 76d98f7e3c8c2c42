// A summary example: read back from the document the editor shows (or a clinician's own file),
// asked exactly as Summarize Note asks, with one set of stand-ins across note, summary and draft.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseExample } from '../../../src/core/dataset/example';
import { DatasetError } from '../../../src/core/dataset/store';
import { buildSummaryExample, parseSummaryDocument } from '../../../src/core/dataset/summary-example';
import { checkSummary } from '../../../src/core/notes/citations';
import { numberNote } from '../../../src/core/notes/numbering';
import { buildSummaryMessages } from '../../../src/core/notes/prompts';
import { renderFinal } from '../../../src/core/notes/render';
import { findTemplate } from '../../../src/core/notes/templates';
import { shapeMessages } from '../../../src/core/server/messages';

const NOTE = fs.readFileSync(path.resolve(__dirname, '../../fixtures/notes/deid-sample.txt'), 'utf8');
const brief = findTemplate('brief')!;

function rendered(summary: string, opts: { sourceUri?: string; range?: [number, number] } = {}): string {
  const note = numberNote(NOTE, opts.range);
  return renderFinal(
    { template: brief, model: 'medgemma-4b-it', baseUrl: 'http://gpu:8000/v1', source: 'deid-sample.txt', sourceUri: opts.sourceUri ?? 'file:///notes/deid-sample.txt', range: opts.range },
    { summary, statements: checkSummary(summary, note), partial: false, finishReason: 'stop' },
  );
}

describe('dataset: summary examples', () => {
  it('reads the header facts and the summary back from a rendered document, without our markers, notices or footer', () => {
    const summary = '- Patient Eleanor Vandersloot, 92 [L3-L4]\n- Admitted for pneumonia [L99]\n- Lives at home [L7]';
    const doc = rendered(summary, { sourceUri: 'file:///notes/my notes (2024)/deid-sample.txt', range: [1, 40] });
    assert.match(doc, /⚠ \*unsupported/); // the check flagged something, so there is something to strip
    const parts = parseSummaryDocument(doc);
    assert.equal(parts.title, 'Brief clinical summary');
    assert.equal(parts.sourceUri, 'file:///notes/my notes (2024)/deid-sample.txt');
    assert.deepEqual(parts.range, [1, 40]);
    assert.equal(parts.model, 'medgemma-4b-it');
    assert.equal(parts.body, summary);
  });

  it('a file without our header is the summary as written; an edited footer-less document too', () => {
    assert.deepEqual(parseSummaryDocument('- Fever [L2]\n- Cough [L3]\n'), { body: '- Fever [L2]\n- Cough [L3]' });
    const doc = rendered('- A [L1]');
    const noFooter = doc.slice(0, doc.indexOf('\n---\n'));
    assert.equal(parseSummaryDocument(noFooter).body, '- A [L1]');
    // A statement typed after the footer is the clinician's too.
    assert.equal(parseSummaryDocument(`${doc}\n- Added at the end [L4]\n`).body, '- A [L1]\n\n- Added at the end [L4]');
    // A rule the clinician wrote inside the summary stays.
    assert.equal(parseSummaryDocument(rendered('- A [L1]\n\n---\n\n- B [L3]')).body, '- A [L1]\n\n---\n\n- B [L3]');
  });

  it('as written: the prompt is exactly what Summarize Note sends (system folded into the user turn), the label the clinician\'s', () => {
    const { example, statements, unsupported } = buildSummaryExample({
      note: NOTE, sourceFile: 'notes/deid-sample.txt', lines: [1, 20], template: brief,
      chosen: rendered('- Discharge summary, geriatric medicine [L1]', { range: [1, 20] }), draft: '- Discharge summary, geriatric medicine [L1]',
      model: 'medgemma-4b-it', reviewer: 'dr-a', pseudonymize: false, now: new Date('2026-12-05T10:00:00Z'),
    });
    const sent = shapeMessages(buildSummaryMessages(brief, numberNote(NOTE, [1, 20])));
    assert.equal(sent.length, 1);
    assert.deepEqual(example.messages, [{ role: 'user', content: [{ type: 'text', text: sent[0].content }] }]);
    assert.equal(example.chosen, '- Discharge summary, geriatric medicine [L1]');
    assert.deepEqual(example.review, { by: 'dr-a', action: 'accepted' });
    assert.equal(example.rejected, undefined);
    assert.deepEqual(example.source?.lines, [1, 20]);
    assert.equal(example.deidentified, 'as-written');
    assert.equal(example.created, '2026-12-05T10:00:00.000Z');
    assert.deepEqual([statements, unsupported], [1, 0]);
    assert.deepEqual(parseExample(JSON.parse(JSON.stringify(example))), example);
  });

  it('pseudonymized: no identifier of the note is left anywhere, and note, label and draft share one set of stand-ins', () => {
    const chosen = '- Eleanor Marguerite Vandersloot, discharged 11/01/2024 [L3][L6]\n- Proxy: daughter Margaret Ostrowski, (717) 555-0163 [L11]';
    const draft = '- Eleanor Marguerite Vandersloot discharged home [L3][L6]';
    const { example } = buildSummaryExample({ note: NOTE, sourceFile: 'deid-sample.txt', template: brief, chosen, draft, reviewer: 'dr-a', pseudonymize: true });
    const json = JSON.stringify(example);
    for (const id of ['Vandersloot', 'Eleanor', 'Ostrowski', '555-0163', '00728814', '519-22-4078', 'Quillfeather', '11/01/2024', 'evandersloot32']) {
      assert.ok(!json.includes(id), `${id} is still in the example`);
    }
    const prompt = (example.messages[0].content[0] as { text: string }).text;
    const standIn = /^L3: Patient: (.+)$/m.exec(prompt)![1].trim();
    assert.ok(example.chosen.startsWith(`- ${standIn}, discharged `), example.chosen);
    assert.ok(example.rejected!.startsWith(`- ${standIn} discharged home`), example.rejected);
    assert.equal(example.review.action, 'edited');
    assert.equal(example.deidentified, 'pseudonymized');
    // The source hash is of the note as the file holds it (to find the file again), never its text.
    assert.equal(example.source!.sha256.length, 64);
    // Line numbers survive: every citation of the label still points to the same line.
    assert.equal(prompt.split('\n').filter((l) => /^L\d+: /.test(l)).length, NOTE.split('\n').filter((l) => l.trim()).length);
  });

  it('an empty correction, or lines outside the note, is a sentence saying what to do', () => {
    const base = { note: NOTE, sourceFile: 'a.txt', template: brief, reviewer: 'x', pseudonymize: false };
    assert.throws(() => buildSummaryExample({ ...base, chosen: rendered('') }), (e: unknown) => e instanceof DatasetError && /summary is empty: write the summary/.test(e.message));
    assert.throws(() => buildSummaryExample({ ...base, chosen: '- A [L1]', lines: [900, 950] }), (e: unknown) => e instanceof DatasetError && /starts after the end of the note/.test(e.message));
  });

  it('counts the corrected statements the rule checks cannot verify (the label is still saved as written)', () => {
    const r = buildSummaryExample({ note: NOTE, sourceFile: 'a.txt', template: brief, chosen: '- Patient has diabetes [L1]\n- Geriatric medicine discharge summary [L1]', reviewer: 'x', pseudonymize: false });
    assert.deepEqual([r.statements, r.unsupported], [2, 1]);
    assert.match(r.example.chosen, /diabetes/);
  });
});
