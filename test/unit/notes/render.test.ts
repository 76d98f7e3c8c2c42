import * as assert from 'node:assert/strict';
import { checkSummary } from '../../../src/core/notes/citations';
import { numberNote } from '../../../src/core/notes/numbering';
import { DISCLAIMER, flagsByKind, formatLocalTime, markUnsupported, renderFinal, renderHeader, serverLabel, toJson } from '../../../src/core/notes/render';
import type { SummaryResult } from '../../../src/core/notes/summarize';
import { findTemplate } from '../../../src/core/notes/templates';

const note = numberNote(['CHEST CT', 'No evidence of pulmonary embolism.', 'Small right pleural effusion.'].join('\n'));
const summary = '## Findings\n- Small right pleural effusion [L3].\n- Pulmonary embolism [L2]\n- Large effusion';
const result = (over: Partial<SummaryResult> = {}): SummaryResult => ({
  summary,
  statements: checkSummary(summary, note),
  parts: 1,
  finishReason: 'stop',
  model: 'medgemma',
  usage: { promptTokens: 100, completionTokens: 20, totalTokens: 120 },
  partial: false,
  range: [1, 3],
  cutParts: [],
  ...over,
});
const date = new Date(2025, 0, 5, 14, 3);
const info = { template: findTemplate('brief')!, model: 'medgemma', baseUrl: 'http://gpu:8000/v1', source: 'ct_report.txt', range: [1, 3] as const, date };

describe('notes/render', () => {
  it('writes a header with template, source and range, model, server and local time', () => {
    const h = renderHeader(info);
    assert.ok(h.startsWith('# Brief clinical summary\n\n'));
    assert.match(h, /^\*\*Source:\*\* ct\\_report\.txt, lines 1–3 {2}$/m);
    assert.match(h, /^\*\*Model:\*\* medgemma {2}$/m);
    assert.match(h, /^\*\*Server:\*\* gpu:8000\/v1 \(http\) {2}$/m, 'shown without "://": no editor makes a link of it');
    assert.equal(serverLabel('https://user:secret@gpu.example.org/v1/'), 'gpu.example.org/v1 (https)', 'no credentials, no trailing slash');
    assert.match(h, /^\*\*Created:\*\* 2025-01-05 14:03 \(UTC[+-]\d\d:\d\d\)$/m);
    assert.ok(h.endsWith('\n\n'), 'ready for streamed text');
  });

  it('links the source when its URI is known (the editor resolves citations through it)', () => {
    const h = renderHeader({ ...info, sourceUri: 'file:///notes/a b (1).txt' });
    assert.match(h, /^\*\*Source:\*\* \[ct\\_report\.txt, lines 1–3\]\(file:\/\/\/notes\/a%20b%20%281%29\.txt\)/m);
    assert.equal(decodeURI(/\]\(([^)]+)\)/.exec(h)![1]), 'file:///notes/a b (1).txt');
  });

  it('makes every link the model wrote inert, keeping its citations and our own source link', () => {
    const r = { ...result(), summary: '- Fever [L2]; see [protocol](command:workbench.action.terminal.new) and <https://evil.example>.', statements: [] };
    const doc = renderFinal({ ...info, sourceUri: 'file:///notes/n.txt' }, r);
    assert.match(doc, /^\*\*Source:\*\* \[ct\\_report\.txt, lines 1–3\]\(file:\/\/\/notes\/n\.txt\)/m);
    const body = doc.slice(doc.indexOf('- Fever'));
    assert.equal(body.split('\n')[0], '- Fever [L2]; see protocol (link: `command:workbench.action.terminal.new`) and `https[:]//evil.example`.');
  });

  it('formats local time with the zone offset', () => {
    assert.match(formatLocalTime(date), /^2025-01-05 14:03 \(UTC[+-]\d\d:\d\d\)$/);
  });

  it('marks each unsupported statement where it ends', () => {
    const marked = markUnsupported(summary, result().statements);
    assert.equal(
      marked,
      '## Findings\n- Small right pleural effusion [L3].\n- Pulmonary embolism [L2] ⚠ *unsupported: cited line negates it*\n- Large effusion ⚠ *unsupported: no citation*',
    );
  });

  it('renders the final document: header, count, marked summary, disclaimer', () => {
    const doc = renderFinal(info, result());
    assert.ok(doc.startsWith(renderHeader(info)));
    assert.match(doc, /> ⚠ 2 of 3 statements could not be verified against the cited note lines \(marked below\): 1 negation, 1 no citation\./);
    assert.match(doc, /- Pulmonary embolism \[L2\] ⚠ \*unsupported: cited line negates it\*/);
    assert.ok(doc.trimEnd().endsWith(DISCLAIMER));
    assert.match(DISCLAIMER, /AI-generated.*Not a medical device.*clinician must check/);
    assert.doesNotMatch(doc, /Partial summary/);
  });

  it('says why a summary is partial', () => {
    const cases: Array<[Partial<SummaryResult>, RegExp]> = [
      [{ partial: true, finishReason: 'cancelled' }, /⚠ Partial summary: stopped by you\./],
      [{ partial: true, finishReason: 'length' }, /⚠ Partial summary: cut at the token limit/],
      [{ partial: true, finishReason: 'abort', interrupted: 'The server closed the connection.' }, /⚠ Partial summary: interrupted: The server closed the connection\./],
      [{ partial: true, finishReason: 'abort' }, /⚠ Partial summary: interrupted: the server stopped the answer\./],
      [{ cutParts: [2, 5], parts: 7 }, /⚠ The summary of parts 2, 5 of 7 was cut at the token limit/],
    ];
    for (const [over, re] of cases) assert.match(renderFinal(info, result(over)), re);
  });

  it('escapes markdown in names and messages it did not write', () => {
    const doc = renderFinal({ ...info, source: '*bold*[x](y).txt' }, result({ partial: true, finishReason: 'abort', interrupted: 'bad <b>html</b>' }));
    assert.match(doc, /\\\*bold\\\*\\\[x\\\]\(y\)\.txt/);
    assert.match(doc, /interrupted: bad &lt;b\\>html&lt;\/b\\>/);
  });

  it('counts flags by kind, most frequent first', () => {
    const st = checkSummary('- Pulmonary embolism [L2]\n- PE [L2]\n- Left pleural effusion [L3]\n- Effusion', note);
    assert.equal(flagsByKind(st), '2 negation, 1 laterality, 1 no citation');
    assert.equal(flagsByKind(checkSummary('- Small right pleural effusion [L3]', note)), '');
  });

  it('renders an empty summary readably', () => {
    assert.match(renderFinal(info, result({ summary: '', statements: [], partial: true, finishReason: 'cancelled' })), /\*No summary text was produced\.\*/);
  });

  it('gives the --json shape', () => {
    const j = toJson(result());
    assert.deepEqual(Object.keys(j), ['summary', 'statements', 'model', 'usage', 'parts', 'partial', 'finishReason', 'range', 'modelCheck']);
    assert.deepEqual(j.statements[1], { text: 'Pulmonary embolism', lines: [[2, 2]], supported: false, reason: 'cited line negates it', kind: 'negation' });
    assert.deepEqual(j.statements[2], { text: 'Large effusion', lines: [], supported: false, reason: 'no citation', kind: 'no-citation' });
    assert.deepEqual(j.statements[0], { text: 'Small right pleural effusion.', lines: [[3, 3]], supported: true });
    assert.deepEqual(JSON.parse(JSON.stringify(j)), j, 'plain JSON');
    assert.equal(toJson(result({ usage: undefined })).usage, null);
  });
});
