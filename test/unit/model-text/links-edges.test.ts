// The edges of the code and escape handling the link policy gained on 2026-12-06, each written
// for a mutant the mutation run left alive: where a fence may open, when a web definition counts
// as alone on its line, and how backslashes before a backtick or a code span are evened out.
import * as assert from 'node:assert/strict';
import { neutralizeLinks, type Neutralized } from '../../../src/core/model-text/links';

const doc = (t: string): Neutralized => neutralizeLinks(t, 'document');
const chat = (t: string): Neutralized => neutralizeLinks(t, 'chat');

describe('model text links: the edges of code and escapes', () => {
  it('a fence opens only at the start of a line (up to 3 spaces) and with three or more of its character', () => {
    for (const opener of ['x ```', 'x ~~~', '~', '~~']) {
      assert.deepEqual(chat(`${opener}\n[a](command:x)`), { text: `${opener}\na (link: \`command:x\`)`, links: ['command:x'] }, opener);
    }
  });

  it('a web definition is kept in the chat only when nothing follows it on its line, whatever the next lines hold', () => {
    assert.deepEqual(chat('[r]: https://x.org\nmore'), { text: '[r]: https://x.org\nmore', links: ['https://x.org'] });
    assert.deepEqual(chat('[r]: https://x.org tail\nmore'), { text: '[r]\\: `https[:]//x.org` tail\nmore', links: ['https://x.org'] });
  });

  it('in documents, a backtick after an even run of backslashes is escaped, after an odd run it already is', () => {
    assert.deepEqual(doc('see \\\\`y and command:x'), { text: 'see \\\\\\`y and `command:x`', links: ['command:x'] });
    assert.deepEqual(doc('see \\\\\\`y and command:x'), { text: 'see \\\\\\`y and `command:x`', links: ['command:x'] });
  });

  it('in documents, an odd run of backslashes before an address shown as code gets one more, an even run none', () => {
    assert.deepEqual(doc('a \\command:x'), { text: 'a \\\\`command:x`', links: ['command:x'] });
    assert.deepEqual(doc('a \\\\command:x'), { text: 'a \\\\`command:x`', links: ['command:x'] });
    assert.deepEqual(doc('a \\\\\\command:x'), { text: 'a \\\\\\\\`command:x`', links: ['command:x'] });
  });

  it('a link with an empty or blank destination becomes its label', () => {
    assert.deepEqual([chat('[a]()'), chat('[a]( )')], [{ text: 'a', links: [] }, { text: 'a', links: [] }]);
  });
});
