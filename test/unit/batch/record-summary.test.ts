// A results-file record read back into the summary document it stands for. The record is
// outside input (another machine, another version, a damaged file): each field is checked on
// its own, and what fails a check is left out rather than trusted.
import * as assert from 'node:assert/strict';
import { recordMarkdown, recordSummary } from '../../../src/core/batch/record-summary';

const D = new Date(2026, 11, 5, 9, 30);
const header = { template: { label: 'Brief clinical summary' }, date: D };

describe('batch/record-summary', () => {
  it('statements: only objects, lines only as pairs of counts, supported only when true; text and reasons kept', () => {
    const r = recordSummary({
      status: 'ok',
      summary: '- A [L1]\n- B [L2]\n- C [L3]',
      statements: [
        null,
        'text',
        7,
        { text: 'A', lines: [[1, 1], [2], ['3', 4], [-1, 2], [1, Infinity], [5, 6]], supported: true, kind: 'number', model: 'agrees', reason: 7 },
        { text: 'B', lines: 'L2', supported: 1, reason: 'cited line negates it' },
        { text: 'C', supported: true },
      ],
    })!;
    assert.deepEqual(
      r.statements.map((s) => ({ text: s.text, lines: s.lines, supported: s.supported, reason: s.reason, kind: s.kind, model: s.model })),
      [
        { text: 'A', lines: [[1, 1], [5, 6]], supported: true, reason: undefined, kind: 'number', model: 'agrees' },
        { text: 'B', lines: [], supported: false, reason: 'cited line negates it', kind: undefined, model: undefined },
        { text: 'C', lines: [], supported: true, reason: undefined, kind: undefined, model: undefined },
      ],
    );
    assert.ok(r.statements.every((s, i) => r.summary.slice(s.span[0], s.span[1]).startsWith(['A', 'B', 'C'][i])));
  });

  it('the model check only when every count is a count and "structured" a boolean; usage only with a total', () => {
    const good = { total: 5, checked: 4, flagged: 1, unreadable: 0, failed: 0, skipped: 1, requests: 4, structured: true, usage: { totalTokens: 90, promptTokens: 80, completionTokens: 10 }, stopped: 'x' };
    const read = (modelCheck: unknown) => recordSummary({ status: 'ok', summary: '- A [L1]', statements: [], modelCheck })!.modelCheck;
    assert.deepEqual(read(good), { total: 5, checked: 4, flagged: 1, unreadable: 0, failed: 0, skipped: 1, requests: 4, structured: true, usage: { totalTokens: 90, promptTokens: 80, completionTokens: 10 }, stopped: 'x' });
    assert.equal(read({ ...good, usage: { totalTokens: -1 } })?.usage, undefined);
    assert.equal(read({ ...good, usage: undefined })?.usage, undefined);
    assert.equal(read({ ...good, stopped: 3 })?.stopped, undefined);
    for (const bad of [null, 'check', { ...good, structured: 'yes' }, { ...good, total: -1 }, { ...good, requests: Number.POSITIVE_INFINITY }, { ...good, failed: '0' }, { ...good, skipped: undefined }]) {
      assert.equal(read(bad), undefined, JSON.stringify(bad));
    }
    assert.equal(read({ ...good, checked: 0, total: 0 })?.total, 0, 'zero is a count');
  });

  it('how it ended: a known finish reason, else stop; partial unless stopped; parts only as a count; no summary text, nothing', () => {
    const r = (o: Record<string, unknown>) => recordSummary({ status: 'ok', summary: '- A [L1]', statements: [], ...o })!;
    assert.deepEqual([r({ finishReason: 'length' }).finishReason, r({ finishReason: 'length' }).partial], ['length', true]);
    assert.deepEqual([r({ finishReason: 'abort' }).finishReason, r({ finishReason: 'cancelled' }).finishReason], ['abort', 'cancelled']);
    assert.deepEqual([r({ finishReason: 'tool_calls' }).finishReason, r({ finishReason: 'tool_calls' }).partial], ['stop', false]);
    assert.deepEqual([r({ parts: 3 }).parts, r({ parts: '3' }).parts, r({ parts: -2 }).parts], [3, undefined, undefined]);
    assert.equal(recordSummary({ status: 'ok', summary: 42 }), undefined);
    assert.equal(recordSummary({ status: 'error', summary: '  \n' }), undefined);
    assert.ok(recordSummary({ status: 'ok', summary: '' }), 'an ok record with an empty summary still has a document');
  });

  it('a failed note keeps its partial summary, the reason first and escaped; without a reason it says so', () => {
    const md = recordMarkdown({ status: 'error', summary: '- A [L1]', statements: [{ text: 'A', lines: [[1, 1]], supported: true }], error: 'the server cut it <b>[here](command:x)</b>', finishReason: 'length' }, header)!;
    const lines = md.split('\n');
    const at = lines.findIndex((l) => l.startsWith('> ⚠ Not finished: '));
    assert.ok(at > 0 && at < lines.findIndex((l) => l.startsWith('- A [L1]')), 'the reason comes before the summary');
    assert.doesNotMatch(lines[at], /(?<!\\)<b>|(?<!\\)\]\(command:/, 'the reason became markup');
    assert.match(lines[at], /the server cut it/);
    assert.match(recordMarkdown({ status: 'error', summary: '- A [L1]', statements: [] }, header)!, /^> ⚠ Not finished: no reason was recorded$/m);
    assert.doesNotMatch(recordMarkdown({ status: 'ok', summary: '- A [L1]', statements: [], error: 'ignored' }, header)!, /Not finished/);
  });
});
