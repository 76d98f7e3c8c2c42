// The folder summary's index.md (core/batch/index-markdown.ts): the table, the failures, the
// counts, and that no file name or error message becomes markup, a link or HTML.
import * as assert from 'node:assert/strict';
import { editorWording, FAILURES_HEADING, indexMarkdown, relativeLink, type IndexRow } from '../../../src/core/batch/index-markdown';
import { DISCLAIMER } from '../../../src/core/notes/render';

const date = new Date(2025, 0, 5, 14, 3);
const rows: IndexRow[] = [
  { note: 'a.txt', ok: true, statements: 12, unsupported: 0, summary: 'a.txt.summary.md' },
  { note: 'sub/b.md', ok: true, statements: 7, unsupported: 2, summary: 'sub/b.md.summary.md' },
  { note: 'sub/empty.txt', ok: false, error: '/notes/sub/empty.txt is empty: there is nothing to summarize' },
  { note: 'sub/cut.txt', ok: false, statements: 3, unsupported: 1, summary: 'sub/cut.txt.summary.md', error: 'the summary was cut at the token limit; raise --max-tokens and run the batch again' },
];

describe('batch/index-markdown', () => {
  it('one row per note: status, statements, unsupported, a relative link to its summary', () => {
    const md = indexMarkdown(rows, { source: 'notes', results: 'results.jsonl', date });
    const lines = md.split('\n');
    assert.equal(lines[0], '# MedGemma summaries: notes');
    assert.ok(lines.includes('| Note | Status | Statements | Unsupported | Summary |'));
    assert.ok(lines.includes('| a.txt | ok | 12 | 0 | [summary](./a.txt.summary.md) |'), md);
    assert.ok(lines.includes('| sub/b.md | ok | 7 | ⚠ 2 | [summary](./sub/b.md.summary.md) |'));
    assert.ok(lines.includes('| sub/empty.txt | failed | — | — | — |'));
    assert.ok(lines.includes('| sub/cut.txt | failed | 3 | ⚠ 1 | [partial summary](./sub/cut.txt.summary.md) |'));
    assert.match(md, /^4 notes: 2 summarized, 2 failed \(listed under Failures below\)\.$/m);
    assert.match(md, /^> ⚠ 2 statements in 1 summary could not be verified against the cited note lines; each is marked ⚠ in its summary\.$/m);
    assert.match(md, /^\*\*Results:\*\* \[results\.jsonl\]\(\.\/results\.jsonl\) {2}$/m);
    assert.match(md, /^\*\*Updated:\*\* 2025-01-05 14:03 \(UTC[+-]\d\d:\d\d\)$/m);
    assert.ok(md.trimEnd().endsWith(DISCLAIMER));
  });

  it('lists the failures under their heading with the reason, in the editor\'s words', () => {
    const md = indexMarkdown(rows, { source: 'notes', results: 'results.jsonl', date });
    const failures = md.slice(md.indexOf(`\n${FAILURES_HEADING}\n`));
    assert.match(failures, /^- \*\*sub\/empty\.txt\*\*: \/notes\/sub\/empty\.txt is empty: there is nothing to summarize$/m);
    assert.match(failures, /^- \*\*sub\/cut\.txt\*\*: the summary was cut at the token limit; raise "medgemma\.summary\.maxTokens" and run the batch again$/m);
    assert.equal(editorWording('raise "medgemma.server.idleTimeoutSeconds" (CLI: --timeout) and retry'), 'raise "medgemma.server.idleTimeoutSeconds" and retry');
    const clean = indexMarkdown(rows.slice(0, 1), { source: 'notes', results: 'results.jsonl', date });
    assert.ok(!clean.includes(FAILURES_HEADING), 'no failures, no heading');
    assert.match(clean, /^1 note: 1 summarized\.$/m);
  });

  it('says when the last run was stopped and how to go on', () => {
    const md = indexMarkdown(rows, { source: 'notes', results: 'results.jsonl', date, stopped: 'user' });
    assert.match(md, /^> ⚠ The last run did not reach every note \(it was stopped\)\. Run MedGemma: Summarize Folder… again/m);
    assert.match(indexMarkdown(rows, { source: 'notes', results: 'results.jsonl', date, stopped: 'error' }), /\(an error stopped it\)/);
  });

  it('escapes names and reasons: no table cell breaks, no link, no HTML, no command', () => {
    const hostile: IndexRow[] = [
      { note: 'x|y [a](command:workbench.action.terminal.new) <img src=x>.txt', ok: true, statements: 1, unsupported: 0, summary: 'x|y [a](command:z) <img src=x>.txt.summary.md' },
      { note: '**bold**\nline.txt', ok: false, error: 'see http://evil.example/x and `code` <script>alert(1)</script>' },
    ];
    const md = indexMarkdown(hostile, { source: 'n]o(tes)', results: 'results.jsonl', date });
    const row = md.split('\n').find((l) => l.startsWith('| x'))!;
    assert.equal(row.split(/(?<!\\)\|/).length, 7, `a name's | ends no cell: ${row}`);
    assert.ok(!/<img|<script/i.test(md), 'no raw HTML');
    assert.ok(!/(?<!\\)\]\(command:/.test(md), 'no command link: its brackets are escaped');
    assert.ok(!md.includes('http://'), 'no live web address');
    assert.ok(md.includes('[summary](./x%7Cy%20%5Ba%5D%28command%3Az%29%20%3Cimg%20src%3Dx%3E.txt.summary.md)'), row);
    assert.match(md, /^# MedGemma summaries: n\\\]o\(tes\)$/m);
    assert.match(md, /^\| \\\*\\\*bold\\\*\\\* line\.txt \| failed/m, 'a line break in a name stays in its row');
  });

  it('relative links: every segment encoded, never a scheme', () => {
    assert.equal(relativeLink('a b/c (1)#2?.md'), './a%20b/c%20%281%29%232%3F.md');
    assert.equal(relativeLink('command:x.md'), './command%3Ax.md');
    assert.equal(relativeLink("it's*.md"), './it%27s%2A.md');
  });
});
