// The streamed-markdown block splitter (DOM-free): blocks are final once emitted, the tail is
// what is left, and the split does not depend on how the text was chunked.
import * as assert from 'node:assert/strict';
import { BlockSplitter, isPlainAppend, splitBlocks } from '../../../webview-ui/chat/render/blocks';

/** Feeds text in pieces of `size`; returns every block and the final tail. */
function feed(text: string, size: number): { blocks: string[]; tails: string[] } {
  const s = new BlockSplitter();
  const blocks: string[] = [];
  const tails: string[] = [];
  for (let i = 0; i < text.length; i += size) {
    blocks.push(...s.push(text.slice(i, i + size)));
    tails.push(s.tail);
  }
  blocks.push(...s.end());
  return { blocks, tails };
}

const ANSWER = [
  '## Assessment',
  '',
  'HbA1c is **8.2 %**, up from 7.4 %.',
  '',
  '- metformin 1000 mg bid',
  '- add empagliflozin',
  '',
  '  continued list item paragraph',
  '',
  '```python',
  'x = 1',
  '',
  'y = 2',
  '```',
  'After the code.',
  '',
  '1. one',
  '2. two',
  '',
  '~~~~',
  '```',
  'not a close',
  '~~~~',
  '',
  'The end.',
].join('\n');

describe('chat renderer: block splitting', () => {
  it('joins back to the exact text, whatever the chunk size', () => {
    for (const size of [1, 2, 3, 7, 50, 10_000]) {
      assert.equal(feed(ANSWER, size).blocks.join(''), ANSWER, `chunk size ${size}`);
    }
  });

  it('gives the same blocks for one token per chunk as for the whole text', () => {
    assert.deepEqual(feed(ANSWER, 1).blocks, splitBlocks(ANSWER));
  });

  it('never splits inside a code fence, and splits after it closes', () => {
    const blocks = splitBlocks(ANSWER);
    const code = blocks.find((b) => b.includes('```python'));
    assert.ok(code?.includes('y = 2') && code.includes('```\n'), `fence split: ${JSON.stringify(code)}`);
    assert.ok(blocks.some((b) => b.startsWith('After the code.')));
    const tilde = blocks.find((b) => b.startsWith('~~~~'));
    assert.ok(tilde?.includes('not a close\n~~~~'), 'a ``` line closed a ~~~~ fence');
  });

  it('keeps an indented continuation with its list item', () => {
    const list = splitBlocks(ANSWER).find((b) => b.startsWith('- metformin'));
    assert.ok(list?.includes('continued list item paragraph'), JSON.stringify(list));
  });

  it('an inline ``` on a line does not open a fence', () => {
    const text = '```js``` is inline\n\nnext paragraph\n\nlast';
    assert.equal(splitBlocks(text).length, 3);
  });

  it('the tail stays short: finished blocks leave it', () => {
    const para = 'A sentence about the patient that keeps going for a while.\n\n';
    const long = para.repeat(400);
    const { tails } = feed(long, 3);
    const maxTail = Math.max(...tails.map((t) => t.length));
    assert.ok(maxTail <= para.length + 3, `the tail grew to ${maxTail} characters`);
  });

  it('scans each character once, however the answer is chunked (many paragraphs, or one long line)', () => {
    const paragraphs = ('Word '.repeat(40) + '\n\n').repeat(300);
    const oneLine = 'word '.repeat(4000);
    for (const [what, text] of [['paragraphs', paragraphs], ['one long line', oneLine]] as const) {
      for (const size of [1, 4, 97]) {
        const s = new BlockSplitter();
        for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
        assert.equal(s.all, text);
        assert.ok(s.scanned <= text.length, `${what} in chunks of ${size}: ${s.scanned} characters searched for ${text.length}`);
      }
    }
  });
});

describe('chat renderer: the cheap append path', () => {
  it('appends plain words mid-line, re-renders on markup characters and at line starts', () => {
    assert.equal(isPlainAppend('The patient has', ' diabetes'), true);
    assert.equal(isPlainAppend('The patient has', ' **severe**'), false, 'emphasis');
    assert.equal(isPlainAppend('The patient has', ' [link'), false, 'link');
    assert.equal(isPlainAppend('see www', '.example'), false, 'linkify');
    assert.equal(isPlainAppend('The patient has ', 'x'), false, 'after trailing whitespace (markdown trims it)');
    assert.equal(isPlainAppend('para\n1', ' x'), false, 'line start: may become a list item');
    assert.equal(isPlainAppend('', 'x'), false, 'nothing rendered yet');
  });
});
