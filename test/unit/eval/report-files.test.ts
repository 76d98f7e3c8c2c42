// The comparison folder: report.md with the table, a chart per measure and a link to every
// summary; SVG charts with nothing live in them; summaries as Summarize Note shows them.
import * as assert from 'node:assert/strict';
import { barChartSvg } from '../../../src/core/eval/bar-chart';
import type { Comparison } from '../../../src/core/eval/compare-models';
import { reportFiles, safeName } from '../../../src/core/eval/report-files';
import { scoreModel } from '../../../src/core/eval/summary-scores';
import { checkSummary } from '../../../src/core/notes/citations';
import { numberNote } from '../../../src/core/notes/numbering';
import { findTemplate } from '../../../src/core/notes/templates';
import type { SummaryResult } from '../../../src/core/notes/summarize';

const NOTE = 'Chest pain since morning.\nNo fever.\nTroponin 0.02 ng/mL.\n';

function result(summary: string): SummaryResult {
  const statements = checkSummary(summary, numberNote(NOTE));
  return { summary, statements, model: 'm', parts: 1, partial: false, finishReason: 'stop', range: [1, 4] } as unknown as SummaryResult;
}

const HOSTILE = 'evil<script>alert(1)</script>"&\'/lora](command:x)';

function comparison(): Comparison {
  const runs = {
    base: [{ note: 'notes/a (1).txt', seconds: 2, result: result('- Chest pain [L1]\n- No fever [L2]') }, { note: 'notes/b.txt', seconds: 1, error: 'the server stopped' }],
    [HOSTILE]: [{ note: 'notes/a (1).txt', seconds: 3, result: result('- Chest pain [L1]\n- Fever [L2]') }, { note: 'notes/b.txt', seconds: 1, result: result('- Troponin 0.02 ng/mL [L3]') }],
  };
  return { runs, scores: Object.entries(runs).map(([m, r]) => scoreModel(m, r)), stopped: false };
}

describe('eval: the comparison as files', () => {
  it('report.md: the table, one chart per measure, a row per note linking each model\'s summary', () => {
    const { files, pairs } = reportFiles(comparison(), { template: findTemplate('brief')!, notes: [{ file: 'notes/a (1).txt' }, { file: 'notes/b.txt' }], now: new Date('2026-12-05T10:00:00Z') });
    const report = files.get('report.md')!;
    assert.match(report, /^# Summaries compared: 2 notes, template brief/);
    for (const chart of ['chart-verified.svg', 'chart-cited.svg', 'chart-unsupported.svg', 'chart-seconds.svg']) {
      assert.ok(files.has(chart), chart);
      assert.match(report, new RegExp(`!\\[[^\\]]+\\]\\(${chart}\\)`));
    }
    assert.ok(!files.has('chart-reference.svg'), 'no reference chart without references');
    assert.deepEqual(pairs.map((p) => [p.note, Object.keys(p.summaries).length]), [['notes/a (1).txt', 2], ['notes/b.txt', 1]]);
    const baseA = pairs[0].summaries.base!;
    assert.equal(baseA, 'summaries/1-base/1-a_1_.txt.summary.md');
    assert.ok(report.includes(`[summary](${encodeURI(baseA)})`));
    assert.match(report, /\| notes\/b\.txt \| not made \| \[summary\]/);
    const summary = files.get(baseA)!;
    assert.match(summary, /^# Brief clinical summary/);
    assert.match(summary, /\*\*Model:\*\* base/);
    assert.match(summary, /- No fever \[L2\]/);
    // The hostile model id: a file-safe folder, escaped in the table, nothing live.
    const hostileDir = pairs[1].summaries[HOSTILE]!.split('/')[1];
    assert.match(hostileDir, /^2-[A-Za-z0-9._-]+$/);
    assert.ok(!report.includes('<script>'), report);
    assert.ok(!/(?<!\\)\]\(command:/.test(report), report);
  });

  it('a chart is a plain SVG: escaped labels, bars in proportion, no script or link', () => {
    const svg = barChartSvg('Verified <b>', [{ label: HOSTILE, value: 50, text: '50.0 %' }, { label: 'b', value: 100, text: '100.0 %' }], 100);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(!/<script|href|onerror|<a\b|<foreignObject/i.test(svg), svg);
    assert.ok(svg.includes('Verified &lt;b&gt;'));
    const widths = [...svg.matchAll(/<rect x="210" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
    assert.equal(widths.length, 2);
    assert.equal(widths[1], 2 * widths[0]);
    assert.ok(svg.includes('>evil&lt;script&gt;alert(1)&lt;/scrip…</text>'), 'a long label is cut and escaped');
  });

  it('a chart\'s geometry: one row per model, a full bar for the maximum, none for zero or less', () => {
    const svg = barChartSvg('T', [{ label: 'a', value: 100, text: 'x' }, { label: 'b', value: 0, text: 'y' }, { label: 'c', value: -5, text: 'z' }], 100);
    assert.match(svg, /^<svg [^>]*width="640" height="134" viewBox="0 0 640 134" role="img" aria-label="T">/);
    assert.deepEqual([...svg.matchAll(/<rect x="210" y="(\d+)" width="(\d+)" height="20" rx="2" fill="(#[0-9a-f]{6})"\/>/g)].map((m) => [Number(m[1]), Number(m[2]), m[3]]), [[39, 320, '#3b82f6'], [69, 0, '#f59e0b'], [99, 0, '#10b981']]);
    assert.ok(svg.includes('<text x="536" y="53" font-family="sans-serif" font-size="12" fill="#111827">x</text>'), svg);
    assert.ok(svg.includes('<text x="202" y="83" text-anchor="end" font-family="monospace" font-size="12" fill="#111827">b</text>'), svg);
    assert.ok(svg.endsWith('</svg>\n'));
    // Without a maximum the largest value fills the bar.
    assert.match(barChartSvg('T', [{ label: 'a', value: 3, text: '' }, { label: 'b', value: 6, text: '' }]), /width="160"[^]*width="320"/);
  });

  it('safe names keep letters, digits, dots and dashes, and never start with a dot', () => {
    assert.equal(safeName('google/medgemma-4b-it'), 'google_medgemma-4b-it');
    assert.equal(safeName('../../etc', 0), '1-etc');
    assert.equal(safeName('...'), 'x');
  });
});
