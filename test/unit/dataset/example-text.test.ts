// The page the Training Data view opens: every fact of the example, the answer and draft with
// their links made inert, the question in a fence that no line of the note can close.
import * as assert from 'node:assert/strict';
import { exampleMarkdown, exampleTitle } from '../../../src/core/dataset/example-text';
import { sampleExample } from './sample';

describe('dataset: an example as a page', () => {
  it('names the example\'s facts and shows answer, draft and question in that order', () => {
    const page = exampleMarkdown(sampleExample());
    assert.match(page, /^# Training example mx1-abc\n/);
    assert.match(page, /\*\*Kind:\*\* summary: Brief clinical summary {2}\n\*\*Split:\*\* train {2}\n\*\*Review:\*\* corrected by dr-a/);
    assert.match(page, /\*\*Source:\*\* notes/);
    assert.match(page, /lines 1–12/);
    const [answer, draft, question] = ["## The answer to learn", "## The model's draft", '## The question, as sent'].map((h) => page.indexOf(h));
    assert.ok(answer > 0 && draft > answer && question > draft, page);
    assert.equal(exampleTitle(sampleExample({ kind: 'chat', template: undefined })), 'chat answer');
    assert.ok(!exampleMarkdown(sampleExample({ rejected: undefined })).includes("model's draft"));
  });

  it('hostile text stays text: no live link, no raw HTML, no fence break-out', () => {
    const e = sampleExample({
      chosen: 'See [the guideline](command:workbench.action.quit) <img src=x onerror=alert(1)>',
      rejected: '[x](https://evil.example)',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'L1: note\n```\n# Injected heading\n````\nmore' }] }],
      review: { by: '**bold** [me](http://x)', action: 'edited' },
    });
    const page = exampleMarkdown(e);
    assert.ok(!/(?<!\\)\](?<!\\)\((?:command|https?):/.test(page), page);
    assert.ok(!page.includes('<img'), page);
    const fence = /^(`{5,})text$/m.exec(page)![1];
    assert.equal(fence.length, 5, 'the fence is longer than any run of backticks in the question');
    assert.ok(page.includes(`${fence}text\nL1: note\n\`\`\`\n# Injected heading\n\`\`\`\`\nmore\n${fence}`));
  });
});
