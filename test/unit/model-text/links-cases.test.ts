// Exact outputs of the link policy for model text (src/core/model-text/links.ts), case by case:
// each scheme kept or refused, each markdown syntax that makes a link, code where links stay
// literal, and every length limit on both sides.
import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { hrefKind, linkKey, linksIn, neutralizeLinks, plainMarkdown, type Neutralized } from '../../../src/core/model-text/links';

const doc = (t: string): Neutralized => neutralizeLinks(t, 'document');
const chat = (t: string): Neutralized => neutralizeLinks(t, 'chat');
const run = (n: number, c = 'x'): string => c.repeat(n);
const PAPER = 'medgemma-paper:deadbeefdeadbeef%230?page=1';

// As the chat webview renders model text (webview-ui/shared/markdown.ts): raw HTML off, bare
// web and mail addresses linked. Papers answers are rendered with our citations live.
const chatView = new MarkdownIt({ html: false, linkify: true });
chatView.linkify.add('//', null).add('ftp:', null);
/** Link destinations in the rendered chat that are neither web nor mail. */
function liveNonWeb(text: string): string[] {
  const hrefs = [...chatView.render(text).matchAll(/<a href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  return hrefs.filter((h) => hrefKind(h) !== 'web' && hrefKind(h) !== 'mail');
}

describe('model text links: which destinations stay links in the chat', () => {
  it('turns every destination that is not web or mail into code text, keeping its case', () => {
    // Shown as written, with "://" broken.
    const dests = ['command:x', 'COMMAND:x', 'vscode://file/x', 'vscode-insiders://x', 'file:///etc/passwd', 'javascript:alert(1)', 'JaVaScRiPt:alert(1)'];
    dests.push('vbscript:x', 'data:text/html;base64,PHA+', 'blob:https://x.org/1', 'about:blank', 'tel:123', 'sms:123', 'ftp://x.org/f', '//x.org/a');
    dests.push('../x.md', '#top', PAPER, 'https:///etc', 'mailto:');
    const cases = dests.map((d): [string, string] => [d, `\`${d.replace('://', '[:]//')}\``]);
    assert.equal(cases[2][1], '`vscode[:]//file/x`');
    for (const [dest, shown] of cases) assert.deepEqual(chat(`[a](${dest})`), { text: `a (link: ${shown})`, links: [dest] }, dest);
  });

  it('keeps web and mail links exactly as written, in any case', () => {
    const list = ['http://x.org', 'HTTPS://X.ORG/a', 'mailto:a@b.org', 'MAILTO:a@b.org', 'https://x.org/%0Acommand:y'];
    for (const dest of list) assert.deepEqual(chat(`[a](${dest})`), { text: `[a](${dest})`, links: [dest] }, dest);
  });

  it('refuses web and mail links in documents too', () => {
    assert.deepEqual(doc('[a](http://x.org)'), { text: 'a (link: `http[:]//x.org`)', links: ['http://x.org'] });
    assert.deepEqual(doc('[a](mailto:a@b.org)'), { text: 'a (link: `mailto:a@b.org`)', links: ['mailto:a@b.org'] });
  });
});

describe('model text links: a scheme disguised', () => {
  it('shows control and zero-width characters inside a scheme by code point', () => {
    assert.deepEqual(chat('[a](java\u0000script:x)'), { text: 'a (link: `java⟨U+0000⟩script:x`)', links: ['java⟨U+0000⟩script:x'] });
    assert.deepEqual(chat('[a](java\u001fscript:x)'), { text: 'a (link: `java⟨U+001F⟩script:x`)', links: ['java⟨U+001F⟩script:x'] });
    assert.deepEqual(chat('[a](java\u007fscript:x)'), { text: 'a (link: `java⟨U+007F⟩script:x`)', links: ['java⟨U+007F⟩script:x'] });
    assert.deepEqual(chat('[a](java\u200bscript:x)'), { text: 'a (link: `java⟨U+200B⟩script:x`)', links: ['java⟨U+200B⟩script:x'] });
  });

  it('space around the destination does not keep a hostile scheme; a tab inside it makes no link', () => {
    assert.deepEqual(chat('[a](java\tscript:x)'), { text: '[a]\\(java\tscript:x)', links: [] });
    assert.deepEqual(chat('[a]( javascript:x )'), { text: 'a (link: `javascript:x`)', links: ['javascript:x'] });
    assert.deepEqual(chat('[a]( https://x.org )'), { text: '[a]( https://x.org )', links: ['https://x.org'] });
    assert.deepEqual(chat('[a](\nhttps://x.org\n)'), { text: '[a](\nhttps://x.org\n)', links: ['https://x.org'] });
  });

  it('entity- and percent-encoded schemes are not web: they become text', () => {
    const list = ['javascript&#58;x', '&#x6A;avascript:x', '%6Aavascript:x', 'https%3A//x.org', 'https:%2F%2Fx.org', 'https&#58;//x.org'];
    for (const dest of list) assert.deepEqual(chat(`[a](${dest})`), { text: `a (link: \`${dest}\`)`, links: [dest] }, dest);
    assert.deepEqual(doc('[a](&#104;ttps://x.org)'), { text: 'a (link: `&#104;ttps[:]//x.org`)', links: ['&#104;ttps://x.org'] });
  });
});

describe('model text links: inline links and images', () => {
  it('reads destinations in angle brackets, and all three title forms (dropped with the link)', () => {
    assert.deepEqual(chat('[a](<https://x.org>)'), { text: '[a](<https://x.org>)', links: ['https://x.org'] });
    assert.deepEqual(chat('[a](<command:x>)'), { text: 'a (link: `command:x`)', links: ['command:x'] });
    assert.deepEqual(doc('[a](<command:x y>)'), { text: 'a (link: `command:x y`)', links: ['command:x y'] });
    assert.deepEqual(chat('[a](https://x.org "t")'), { text: '[a](https://x.org "t")', links: ['https://x.org'] });
    assert.deepEqual(chat("[a](https://x.org 't')"), { text: "[a](https://x.org 't')", links: ['https://x.org'] });
    assert.deepEqual(chat('[a](https://x.org (t))'), { text: '[a](https://x.org (t))', links: ['https://x.org'] });
    assert.deepEqual(doc('[a](command:x "t")'), { text: 'a (link: `command:x`)', links: ['command:x'] });
  });

  it('an empty destination leaves the label alone', () => {
    assert.deepEqual(doc('[a]()'), { text: 'a', links: [] });
    assert.deepEqual(doc('[a](<>)'), { text: 'a', links: [] });
    assert.deepEqual(doc('[a]( )'), { text: 'a', links: [] });
    assert.deepEqual(doc('[L3]()'), { text: '[L3]', links: [] });
  });

  it('says "image" for images, kept in the chat only for web sources', () => {
    assert.deepEqual(chat('![i](https://x.org/a.png)'), { text: '![i](https://x.org/a.png)', links: ['https://x.org/a.png'] });
    assert.deepEqual(doc('![i](https://x.org/a.png)'), { text: 'i (image: `https[:]//x.org/a.png`)', links: ['https://x.org/a.png'] });
    assert.deepEqual(chat('![i](command:x)'), { text: 'i (image: `command:x`)', links: ['command:x'] });
    assert.deepEqual(doc('![](command:x)'), { text: ' (image: `command:x`)', links: ['command:x'] });
    assert.deepEqual(doc('![L3](command:x)'), { text: '[L3] (image: `command:x`)', links: ['command:x'] });
  });

  it('keeps the brackets of citation labels (L12, S1, line/lines N) and only those', () => {
    const kept = ['L3', 'S1', 'line 4', 'lines 4-5', 'line4', ' l3', 'Line 4', 's2'];
    for (const label of kept) assert.equal(doc(`[${label}](command:x)`).text, `[${label}] (link: \`command:x\`)`, label);
    for (const label of ['La', '3L', 'x L3', 'lines', 'LS3', 'linesx 4']) assert.equal(doc(`[${label}](command:x)`).text, `${label} (link: \`command:x\`)`, label);
  });

  it('reads nested brackets one level deep and backslash escapes in labels and destinations', () => {
    assert.deepEqual(doc('[a [b] c](command:x)'), { text: 'a [b] c (link: `command:x`)', links: ['command:x'] });
    assert.deepEqual(doc('[a\\]b](command:x)'), { text: 'a\\]b (link: `command:x`)', links: ['command:x'] });
    assert.deepEqual(doc('[a\\[b](command:x)'), { text: 'a\\[b (link: `command:x`)', links: ['command:x'] });
    assert.deepEqual(doc('[[L3]](command:x)'), { text: '[L3] (link: `command:x`)', links: ['command:x'] });
    assert.deepEqual(doc('[a](command:x\\)y)'), { text: 'a (link: `command:x\\)y`)', links: ['command:x\\)y'] });
    assert.deepEqual(doc('[a](command:(x)y)'), { text: 'a (link: `command:(x)y`)', links: ['command:(x)y'] });
  });

  it('deeper nesting, or a space or line break between "]" and "(", is no link: the brackets are escaped and a bare address is code', () => {
    assert.deepEqual(doc('[a [b [c] d] e](command:x)'), { text: '[a [b [c] d] e]\\(`command:x`)', links: ['command:x'] });
    assert.deepEqual(doc('[a](command:((x)))'), { text: '[a]\\(`command:((x))`)', links: ['command:((x))'] });
    assert.deepEqual(chat('[a](command:((x)))'), { text: '[a]\\(command:((x)))', links: [] });
    assert.deepEqual(doc('[a](command:x)[b](command:y)'), { text: 'a (link: `command:x`)b (link: `command:y`)', links: ['command:x', 'command:y'] });
  });

  it('keeps code in a label as code, in both modes', () => {
    assert.deepEqual(chat('[`c`](command:x)'), { text: '`c` (link: `command:x`)', links: ['command:x'] });
    assert.equal(chat('[`c`](https://x.org)').text, '[`c`](https://x.org)');
    assert.equal(doc('[`[d](e)`](command:x)').text, '`[d] (e)` (link: `command:x`)');
  });

  it('fences a destination with more backticks than it holds, padded when it starts or ends with one', () => {
    assert.deepEqual(doc('[a](command:x`y)'), { text: 'a (link: ``command:x`y``)', links: ['command:x`y'] });
    assert.deepEqual(doc('[a](`x)'), { text: 'a (link: `` `x ``)', links: ['`x'] });
    assert.deepEqual(doc('[a](x`)'), { text: 'a (link: `` x` ``)', links: ['x`'] });
    assert.deepEqual(doc('[a](x``y)'), { text: 'a (link: ```x``y```)', links: ['x``y'] });
    assert.deepEqual(doc('[a] (command:x)'), { text: '[a] (`command:x`)', links: ['command:x'] });
    assert.deepEqual(chat('[a]\n(command:x)'), { text: '[a]\n(command:x)', links: [] });
  });
});

describe('model text links: the length limits of inline links', () => {
  it('a label of 1000 characters is read, 1001 is not; a nested bracket of 500 is read, 501 is not', () => {
    assert.deepEqual(chat(`[${run(1000, 'a')}](command:x)`), { text: `${run(1000, 'a')} (link: \`command:x\`)`, links: ['command:x'] });
    assert.deepEqual(chat(`[${run(1001, 'a')}](command:x)`), { text: `[${run(1001, 'a')}]\\(command:x)`, links: [] });
    assert.deepEqual(chat(`[[${run(500, 'b')}]](command:x)`), { text: `[${run(500, 'b')}] (link: \`command:x\`)`, links: ['command:x'] });
    assert.deepEqual(chat(`[[${run(501, 'b')}]](command:x)`), { text: `[[${run(501, 'b')}]]\\(command:x)`, links: [] });
  });

  it('a destination of 2000 characters is read, 2001 is not (plain, in angle brackets, in parentheses)', () => {
    assert.deepEqual(chat(`[a](${run(2000)})`), { text: `a (link: \`${run(2000)}\`)`, links: [run(2000)] });
    assert.deepEqual(chat(`[a](${run(2001)})`), { text: `[a]\\(${run(2001)})`, links: [] });
    assert.deepEqual(chat(`[a](<${run(2000)}>)`), { text: `a (link: \`${run(2000)}\`)`, links: [run(2000)] });
    assert.deepEqual(chat(`[a](<${run(2001)}>)`), { text: `[a]\\(<${run(2001)}>)`, links: [] });
    assert.deepEqual(chat(`[a](x(${run(2000, 'y')}))`), { text: `a (link: \`x(${run(2000, 'y')})\`)`, links: [`x(${run(2000, 'y')})`] });
    assert.deepEqual(chat(`[a](x(${run(2001, 'y')}))`), { text: `[a]\\(x(${run(2001, 'y')}))`, links: [] });
  });

  it('a title of 1000 characters is read, 1001 is not, in each form', () => {
    for (const [open, close] of [['"', '"'], ["'", "'"], ['(', ')']]) {
      assert.deepEqual(chat(`[a](command:x ${open}${run(1000, 't')}${close})`), { text: 'a (link: `command:x`)', links: ['command:x'] }, open);
      const long = `[a](command:x ${open}${run(1001, 't')}${close})`;
      assert.deepEqual(chat(long), { text: long.replace('](', ']\\('), links: [] }, open);
    }
  });
});

describe('model text links: reference definitions', () => {
  it('turns a definition into text, also in the chat (destination after a tab or on the next line, not after a blank line)', () => {
    assert.deepEqual(chat('[a][r]\n\n[r]: command:x'), { text: '[a][r]\n\n[r]\\: `command:x`', links: ['command:x'] });
    assert.deepEqual(doc('[r]: https://x.org'), { text: '[r]\\: `https[:]//x.org`', links: ['https://x.org'] });
    assert.deepEqual(chat('[r]: <command:x>'), { text: '[r]\\: `command:x`', links: ['command:x'] });
    assert.deepEqual(chat('[r]: command:x "t"'), { text: '[r]\\: `command:x` "t"', links: ['command:x'] });
    assert.deepEqual(chat('[a\\]b]: command:x'), { text: '[a\\]b]\\: `command:x`', links: ['command:x'] });
    assert.deepEqual(chat('[r]:\tcommand:x'), { text: '[r]\\: `command:x`', links: ['command:x'] });
    assert.deepEqual(chat('[r]:\n  command:x'), { text: '[r]\\: `command:x`', links: ['command:x'] });
    assert.deepEqual(chat('[r]:\n\n command:x'), { text: '[r]\\:\n\n command:x', links: [] });
  });

  it('reads up to three spaces (or tabs) of indent, at the start of a line only, and no footnote', () => {
    assert.deepEqual(chat('   [r]: command:x'), { text: '   [r]\\: `command:x`', links: ['command:x'] });
    assert.deepEqual(chat('\t[r]: command:x'), { text: '\t[r]\\: `command:x`', links: ['command:x'] });
    assert.deepEqual(chat('    [r]: command:x'), { text: '    [r]\\: command:x', links: [] });
    assert.deepEqual(chat('x [r]: command:x'), { text: 'x [r]\\: command:x', links: [] });
    assert.deepEqual(chat('x\n[r]: command:x'), { text: 'x\n[r]\\: `command:x`', links: ['command:x'] });
    assert.deepEqual(chat('[^1]: command:x'), { text: '[^1]\\: command:x', links: [] });
  });

  it('a label of 500 characters is read, 501 (or none) is not', () => {
    assert.deepEqual(chat(`[${run(500, 'l')}]: command:x`), { text: `[${run(500, 'l')}]\\: \`command:x\``, links: ['command:x'] });
    assert.deepEqual(chat(`[${run(501, 'l')}]: command:x`), { text: `[${run(501, 'l')}]\\: command:x`, links: [] });
    assert.deepEqual(chat('[]: command:x'), { text: '[]\\: command:x', links: [] });
  });

  it('a destination of 2000 characters is read whole; the 2001st is left after it as text', () => {
    assert.deepEqual(chat(`[r]: ${run(2000)}`), { text: `[r]\\: \`${run(2000)}\``, links: [run(2000)] });
    assert.deepEqual(chat(`[r]: ${run(2001)}`), { text: `[r]\\: \`${run(2000)}\`x`, links: [run(2000)] });
    assert.deepEqual(chat(`[r]: <${run(2000)}>`), { text: `[r]\\: \`${run(2000)}\``, links: [run(2000)] });
    // Too long for <...>: read as a plain destination of 2000 characters (with the "<"), whose
    // first and last characters are then dropped as if they were the brackets. Nothing stays a link.
    assert.deepEqual(chat(`[r]: <${run(2001)}>`), { text: `[r]\\: \`${run(1998)}\`xx>`, links: [run(1998)] });
  });

  it('a web definition in the chat is kept for the chat view, as written, and reported', () => {
    assert.deepEqual(chat('[r]: https://x.org'), { text: '[r]: https://x.org', links: ['https://x.org'] });
    assert.deepEqual(chat('[r]: mailto:a@b.org'), { text: '[r]: mailto:a@b.org', links: ['mailto:a@b.org'] });
    assert.deepEqual(chat('[r]: <https://x.org>'), { text: '[r]: <https://x.org>', links: ['https://x.org'] });
  });

  // Was a bug: the "]:" escape after definitions() broke the web definitions it kept.
  it('a web reference link in the chat stays a link', () => {
    assert.deepEqual(chat('[a][r]\n\n[r]: https://x.org'), { text: '[a][r]\n\n[r]: https://x.org', links: ['https://x.org'] });
  });
});

describe('model text links: autolinks', () => {
  it('keeps web, mail and plain e-mail autolinks in the chat, as written', () => {
    const list = ['https://x.org', 'HTTPS://x.org', 'mailto:a@b.org', 'a@b.org'];
    for (const inner of list) assert.deepEqual(chat(`<${inner}>`), { text: `<${inner}>`, links: [inner] }, inner);
  });

  it('turns every other autolink into code, and every autolink in documents; no autolink with a space, two "@" or an empty side of "@"', () => {
    const list = ['command:x', 'x:a@b.org', 'a:b', 'command:', 'medgemma-paper:0123456789abcdef%230?page=1'];
    for (const inner of list) assert.deepEqual(chat(`<${inner}>`), { text: `\`${inner}\``, links: [inner] }, inner);
    assert.deepEqual(doc('<https://x.org>'), { text: '`https[:]//x.org`', links: ['https://x.org'] });
    assert.deepEqual(doc('<a@b.org>'), { text: '`a@b.org`', links: ['a@b.org'] });
    assert.deepEqual(doc('<mailto:a@b.org>'), { text: '`mailto:a@b.org`', links: ['mailto:a@b.org'] });
    for (const t of ['<a b:c>', '<command:x y>', '<a@b@c>', '<@b>', '<a@>']) assert.deepEqual(chat(t), { text: t, links: [] }, t);
  });

  it('a scheme of 32 characters is read, 33 is not', () => {
    assert.deepEqual(chat(`<${run(32, 'a')}:x>`), { text: `\`${run(32, 'a')}:x\``, links: [`${run(32, 'a')}:x`] });
    assert.deepEqual(chat(`<${run(33, 'a')}:x>`), { text: `<${run(33, 'a')}:x>`, links: [] });
    assert.deepEqual(doc(`<${run(33, 'a')}:x>`), { text: `&lt;${run(33, 'a')}:x>`, links: [] });
  });

  it('an address of 2000 characters is read, 2001 is not (documents then show it as a bare address)', () => {
    assert.deepEqual(doc(`<command:${run(2000)}>`), { text: `\`command:${run(2000)}\``, links: [`command:${run(2000)}`] });
    assert.deepEqual(doc(`<command:${run(2001)}>`), { text: `&lt;\`command:${run(2001)}\`>`, links: [`command:${run(2001)}`] });
  });

  it('an e-mail with 200 characters on each side of the "@" is read, 201 is not', () => {
    assert.deepEqual(doc(`<${run(200, 'a')}@b>`), { text: `\`${run(200, 'a')}@b\``, links: [`${run(200, 'a')}@b`] });
    assert.deepEqual(doc(`<${run(201, 'a')}@b>`), { text: `&lt;${run(201, 'a')}@b>`, links: [] });
    assert.deepEqual(doc(`<a@${run(200, 'b')}>`), { text: `\`a@${run(200, 'b')}\``, links: [`a@${run(200, 'b')}`] });
    assert.deepEqual(doc(`<a@${run(201, 'b')}>`), { text: `&lt;a@${run(201, 'b')}>`, links: [] });
    assert.deepEqual(chat(`<${run(200, 'a')}@b>`), { text: `<${run(200, 'a')}@b>`, links: [`${run(200, 'a')}@b`] });
    assert.deepEqual(chat(`<${run(201, 'a')}@b>`), { text: `<${run(201, 'a')}@b>`, links: [] });
  });
});

describe('model text links: code spans and fences', () => {
  it('code in the chat keeps its text but for link syntax to anything other than the web; documents break all of it', () => {
    assert.deepEqual(chat('`[a](command:x)`'), { text: '`[a] (command:x)`', links: [] });
    const kept = '`[a](https://x.org) [b]( <http://y) [c](mailto:a@b) [r]: https://x.org <https://x.org> <mailto:a@b> d[i](x) e[k]: int`';
    assert.deepEqual(chat(kept), { text: kept.replace('d[i](x)', 'd[i] (x)').replace('e[k]: int', 'e[k] : int'), links: [] });
    assert.deepEqual(chat('`<command:x> <medgemma-paper:y> <A+b.c-d:z> [r]:medgemma-paper:x [s]: <file:y`'), {
      text: '`<command[:]x> <medgemma-paper[:]y> <A+b.c-d[:]z> [r] :medgemma-paper:x [s] : <file[:]y`',
      links: [],
    });
    assert.deepEqual(doc('`[a](command:x)`'), { text: '`[a] (command:x)`', links: [] });
    assert.deepEqual(doc('``[a](command:x)``'), { text: '``[a] (command:x)``', links: [] });
    assert.deepEqual(doc('`<command:x>` `[r]: y` `<1a:x>` `<ab`'), { text: '`< command[:]x>` `[r] : y` `<1a[:]x>` `< ab`', links: [] });
    assert.deepEqual(doc('`https://x.org` `HTTPS://x` `a+b.c-d://x` `1a://x` `-://x`'), { text: '`https[:]//x.org` `HTTPS[:]//x` `a+b.c-d[:]//x` `1a[:]//x` `-://x`', links: [] });
  });

  it('a code span closes only on a run of backticks of the same length, on the same line', () => {
    assert.deepEqual(chat('``a`[b](command:x)``'), { text: '``a`[b] (command:x)``', links: [] });
    assert.deepEqual(chat('`a``[b](command:x)'), { text: '`a``b (link: `command:x`)', links: ['command:x'] });
    assert.deepEqual(chat('``a`'), { text: '``a`', links: [] });
    assert.deepEqual(chat('``[b](command:x)`'), { text: '``b (link: `command:x`)`', links: ['command:x'] });
    assert.deepEqual(chat('`[b](command:x)``'), { text: '`b (link: `command:x`)``', links: ['command:x'] });
    assert.deepEqual(chat('`a\n[b](command:x)`'), { text: '`a\nb (link: `command:x`)`', links: ['command:x'] });
  });

  it('a fence opens with three backticks or tildes (indented up to three spaces), closed by the same kind at least as long', () => {
    const A = '[a](command:x)';
    const codeA = '[a] (command:x)';
    const B = '[b](command:y)';
    const codeB = '[b] (command:y)';
    const neutralB = 'b (link: `command:y`)';
    for (const [open, close] of [['```', '```'], ['~~~', '~~~'], ['```', '````'], ['```', '   ```'], ['```', '```  '], [' ```', '```'], ['   ~~~', '~~~']]) {
      assert.deepEqual(chat(`${open}\n${A}\n${close}\n${B}`), { text: `${open}\n${codeA}\n${close}\n${neutralB}`, links: ['command:y'] }, `${open} … ${close}`);
    }
    // Not closed: shorter, the other kind, indented four spaces, or with text after it.
    const list = ['``', '~~~', '    ```', '``` z'];
    for (const close of list) assert.deepEqual(chat(`\`\`\`\n${A}\n${close}\n${B}`), { text: `\`\`\`\n${codeA}\n${close}\n${codeB}`, links: [] }, close);
    assert.deepEqual(chat(`\`\`\`\`\n${A}\n\`\`\`\n${B}`), { text: `\`\`\`\`\n${codeA}\n\`\`\`\n${codeB}`, links: [] });
    assert.deepEqual(chat(`x\n\`\`\`\n${A}`), { text: `x\n\`\`\`\n${codeA}`, links: [] });
    // Indented four spaces: no fence (an indented code block, which shows the link as code too).
    assert.deepEqual(chat(`    \`\`\`\n${B}`), { text: `    \`\`\`\n${neutralB}`, links: ['command:y'] });
  });

  it('two backticks, or a backtick fence whose info has a backtick, open no fence; a tilde fence may have one', () => {
    assert.deepEqual(chat('``\n[a](command:x)'), { text: '``\na (link: `command:x`)', links: ['command:x'] });
    assert.deepEqual(chat('```js x`y\n[a](command:x)'), { text: '```js x`y\na (link: `command:x`)', links: ['command:x'] });
    assert.deepEqual(chat('~~~ x`y\n[a](command:x)\n~~~'), { text: '~~~ x`y\n[a] (command:x)\n~~~', links: [] });
  });

  it('a second fence after the first is code again', () => {
    const t = '```\n[a](command:x)\n```\n```\n[b](command:y)\n```\n[c](command:z)';
    assert.deepEqual(chat(t), { text: '```\n[a] (command:x)\n```\n```\n[b] (command:y)\n```\nc (link: `command:z`)', links: ['command:z'] });
  });

  it('breaks link syntax and HTML on every line of a fence in documents, the fence lines too', () => {
    assert.deepEqual(doc('```js [a](x)\n<https://x.org> [r]: y\n```'), { text: '```js [a] (x)\n< https[:]//x.org> [r] : y\n```', links: [] });
  });
});

describe('model text links: bare addresses in documents', () => {
  it('shows each scheme linkify does not know as code, in any case', () => {
    const t = 'see command:x.y vscode:x vscode-insiders:x VSCODE:x javascript:x vbscript:x data:x file:x blob:x about:x tel:1 sms:1 medgemma-paper:x';
    const addrs = ['command:x.y', 'vscode:x', 'vscode-insiders:x', 'VSCODE:x', 'javascript:x', 'vbscript:x', 'data:x', 'file:x', 'blob:x', 'about:x', 'tel:1', 'sms:1', 'medgemma-paper:x'];
    assert.deepEqual(doc(t), { text: `see ${addrs.map((a) => `\`${a}\``).join(' ')}`, links: addrs });
  });

  it('leaves other words with a colon, and a scheme glued to a word, as text', () => {
    assert.deepEqual(doc('see foo:bar vscode-:x command: now'), { text: 'see foo:bar vscode-:x command: now', links: [] });
    assert.deepEqual(doc('xcommand:x _command:x .command:x -command:x +command:x'), { text: 'xcommand:x _command:x .command:x -command:x +command:x', links: [] });
    assert.deepEqual(doc('(command:x)'), { text: '(`command:x`)', links: ['command:x'] });
  });

  it('any scheme of 2 to 32 characters before "://" is an address; 1 or 33 only get "://" broken', () => {
    assert.deepEqual(doc('see ab://x and foo://bar'), { text: 'see `ab[:]//x` and `foo[:]//bar`', links: ['ab://x', 'foo://bar'] });
    assert.deepEqual(doc(`see ${run(32, 'a')}://x`), { text: `see \`${run(32, 'a')}[:]//x\``, links: [`${run(32, 'a')}://x`] });
    assert.deepEqual(doc(`see ${run(33, 'a')}://x`), { text: `see ${run(33, 'a')}:\\/\\/x`, links: [] });
    assert.deepEqual(doc('see a://bar'), { text: 'see a:\\/\\/bar', links: [] });
    assert.deepEqual(doc('%3Ahttps://x'), { text: '%3Ahttps:\\/\\/x', links: [] });
  });

  it('finds web addresses without a scheme, e-mail and IP addresses', () => {
    assert.deepEqual(doc('see www.x.org, a@b.org and 8.8.8.8 now'), { text: 'see `www.x.org`, `a@b.org` and `8.8.8.8` now', links: ['www.x.org', 'a@b.org', '8.8.8.8'] });
    assert.deepEqual(doc('see HTTPS://X.org/a now'), { text: 'see `HTTPS[:]//X.org/a` now', links: ['HTTPS://X.org/a'] });
    assert.deepEqual(doc('see https://x.org/?a=1&b=2#f now'), { text: 'see `https[:]//x.org/?a=1&b=2#f` now', links: ['https://x.org/?a=1&b=2#f'] });
  });

  it('takes the longer of two addresses found at one place, and each address in text order', () => {
    assert.deepEqual(doc('see https://x.org/a"b'), { text: 'see `https[:]//x.org/a"b`', links: ['https://x.org/a"b'] });
    assert.deepEqual(doc('command:y www.x.org'), { text: '`command:y` `www.x.org`', links: ['command:y', 'www.x.org'] });
  });

  it('leaves sentence punctuation and unmatched closing brackets after an address', () => {
    assert.deepEqual(doc(`see command:x.,;:!?'"*_ now`), { text: `see \`command:x\`.,;:!?'"*_ now`, links: ['command:x'] });
    assert.deepEqual(doc('see https://x.org/a). now'), { text: 'see `https[:]//x.org/a`). now', links: ['https://x.org/a'] });
    assert.deepEqual(doc('see command:x.) and command:y). and command:z]'), { text: 'see `command:x`.) and `command:y`). and `command:z`]', links: ['command:x', 'command:y', 'command:z'] });
    assert.deepEqual(doc('see command:a(b)) now'), { text: 'see `command:a(b)`) now', links: ['command:a(b)'] });
    assert.deepEqual(doc('see command:(x) and command:[x] and command:{x}'), { text: 'see `command:(x)` and `command:[x]` and `command:{x}`', links: ['command:(x)', 'command:[x]', 'command:{x}'] });
  });

  it('an address ends at a backtick or "<"', () => {
    // The backtick left over is escaped, so it cannot close the address's code span.
    assert.deepEqual(doc('see command:x`y'), { text: 'see `command:x`\\`y', links: ['command:x'] });
    assert.deepEqual(doc('see command:x<y'), { text: 'see `command:x&lt;y`', links: ['command:x&lt;y'] });
    assert.deepEqual(doc('see command:x<5'), { text: 'see `command:x`<5', links: ['command:x'] });
  });

  it('bare addresses stay as written in the chat', () => {
    assert.deepEqual(chat('see https://x.org and command:x now'), { text: 'see https://x.org and command:x now', links: [] });
  });
});

describe('model text links: HTML, leftover link syntax and our placeholders', () => {
  it('escapes "<" before a letter, "/", "!" or "?" in documents only', () => {
    const t = 'a<b and </a> <!x <?x <5 < a <_x <:x';
    assert.deepEqual(doc(t), { text: 'a&lt;b and &lt;/a> &lt;!x &lt;?x <5 < a <_x <:x', links: [] });
    assert.deepEqual(chat(t), { text: t, links: [] });
    assert.deepEqual(doc('\\<b>'), { text: '\\&lt;b>', links: [] });
  });

  it('escapes every leftover "](" and "]:" in both modes', () => {
    assert.deepEqual(chat('x]:y and a](b'), { text: 'x]\\:y and a]\\(b', links: [] });
    assert.deepEqual(doc('x]:y and a](b'), { text: 'x]\\:y and a]\\(b', links: [] });
  });

  it('shows control characters that look like our placeholders, so they cannot forge one', () => {
    assert.deepEqual(doc('\u00010\u0002'), { text: '⟨U+0001⟩0⟨U+0002⟩', links: [] });
    assert.deepEqual(chat('a\u202eb'), { text: 'a⟨U+202E⟩b', links: [] });
  });

  it('leaves text without links unchanged in both modes (the default mode is document)', () => {
    assert.deepEqual(neutralizeLinks('Plain text, BP 120/80.'), { text: 'Plain text, BP 120/80.', links: [] });
    assert.deepEqual(neutralizeLinks('a <b'), doc('a <b'));
    assert.deepEqual(chat('Plain text, BP 120/80.'), { text: 'Plain text, BP 120/80.', links: [] });
  });
});

describe('model text links: hostile text the chat view reads differently from us', () => {
  it('an escaped backtick, an indented fence, a nested link or a backtick in an address leave no link in documents (and the chat check works)', () => {
    // Read as a code span after a backslash, which is doubled so the span stays one.
    assert.equal(doc(`\\\`[b](${PAPER})\``).text, `\\\\\`[b] (${PAPER})\``);
    assert.equal(doc(` \`\`\`\n~~~\n\`\`\`\n[b](${PAPER})`).text, ` \`\`\`\n~~~\n\`\`\`\nb (link: \`${PAPER}\`)`);
    assert.equal(doc(`[[b](${PAPER})](https://x.org)`).text, `[b]\\(\`${PAPER}\`) (link: \`https[:]//x.org\`)`);
    assert.equal(doc(`<https://x.org/\`> [b](${PAPER}) \``).text, `&lt;\`https[:]//x.org/\` \`> [b] (${PAPER}) \``);
  });

  // Each was a bug: code was held as written in the chat, trusting that the chat view reads it
  // as code; when it did not, a link inside was live, and a papers answer (rendered with
  // citations on) could carry a forged `medgemma-paper:` citation. Now code in the chat has its
  // non-web link syntax broken, indented fences are fences, a link in a kept link's label is
  // rewritten, and an autolink too long for us is no autolink for the chat view either.
  it('a backslash-escaped backtick is no code span: the link after it is no link in the chat', () => {
    // Was: chat('\\`[b](medgemma-paper:...)`') is unchanged and renders <a href="medgemma-paper:...">.
    assert.deepEqual(liveNonWeb(chat(`\\\`[b](${PAPER})\``).text), []);
    assert.deepEqual(chat(`\\\`[b](${PAPER})\``), { text: `\\\`[b] (${PAPER})\``, links: [] });
  });

  it('a fence indented 1-3 spaces is a fence: a fence line inside it does not swallow the rest, whose links are rewritten', () => {
    // Was: " ```" opens a fence for the chat view but not for splitFences; "~~~" inside it opens
    // one for splitFences, which then holds everything after the real closing "```" as code.
    assert.deepEqual(liveNonWeb(chat(` \`\`\`\n~~~\n\`\`\`\n[b](${PAPER})`).text), []);
    assert.deepEqual(chat(` \`\`\`\n~~~\n\`\`\`\n[b](${PAPER})`), { text: ` \`\`\`\n~~~\n\`\`\`\nb (link: \`${PAPER}\`)`, links: [PAPER] });
  });

  it('a link nested in the label of a kept web link is rewritten; the web link stays', () => {
    // Was: "[[b](medgemma-paper:...)](https://x.org)" is kept whole; markdown makes the inner
    // link the live one (links cannot contain links) and the outer brackets text.
    assert.deepEqual(liveNonWeb(chat(`[[b](${PAPER})](https://x.org)`).text), []);
    assert.deepEqual(chat(`[[b](${PAPER})](https://x.org)`), { text: `[b (link: \`${PAPER}\`)](https://x.org)`, links: ['https://x.org', PAPER] });
  });

  it('a web address that ends in a backtick does not hide the next link in the chat', () => {
    // Was: the chat view's address (bare or <...>) takes the backtick, so "` [b](...) `" is no
    // code span there, but neutralizeLinks held it as one.
    assert.deepEqual(liveNonWeb(chat(`https://x.org/\` [b](${PAPER}) \``).text), []);
    assert.deepEqual(liveNonWeb(chat(`<https://x.org/\`> [b](${PAPER}) \``).text), []);
  });

  it('an autolink longer than 2000 characters is no autolink in the chat', () => {
    // Was: AUTOLINK stops at 2000 characters, the chat view's autolinks have no limit, and
    // "<" is only escaped in documents, so <command:...> renders as <a href="command:...">.
    assert.deepEqual(liveNonWeb(chat(`<command:${run(2001)}>`).text), []);
    assert.equal(chat(`<command:${run(2001)}>`).text, `&lt;command:${run(2001)}>`);
    assert.deepEqual(liveNonWeb(`[b](${PAPER}) [w](https://x.org) <a@b.org>`), [PAPER]);
  });
});

describe('model text links: hrefKind', () => {
  it('web: http or https, "://" and a host character, after trimming', () => {
    for (const h of ['http://a', ' https://x.org ', '\thttps://x.org', 'HtTpS://x']) assert.equal(hrefKind(h), 'web', h);
    const list = ['xhttps://x.org', 'https://', 'https:// x', 'https://?q', 'https://#f', 'httpx://a', 'https:/x.org', 'https//x.org'];
    for (const h of list) assert.equal(hrefKind(h), 'other', h);
  });

  it('mail: mailto: and one non-space character, after trimming', () => {
    for (const h of ['mailto:a', ' mailto:a', 'Mailto:a']) assert.equal(hrefKind(h), 'mail', h);
    for (const h of ['mailto:', 'mailto: a', 'xmailto:a', 'mailto']) assert.equal(hrefKind(h), 'other', h);
  });

  it('paper: the medgemma-paper: scheme in any case, after trimming', () => {
    for (const h of ['medgemma-paper:', 'MEDGEMMA-PAPER:x', ' medgemma-paper:x']) assert.equal(hrefKind(h), 'paper', h);
    for (const h of ['xmedgemma-paper:x', 'medgemma-paperx', 'medgemma-paper']) assert.equal(hrefKind(h), 'other', h);
  });
});

describe('model text links: linkKey, linksIn and plainMarkdown', () => {
  it('linkKey ignores case, surrounding space and trailing slashes and dots only', () => {
    assert.equal(linkKey(' HTTPS://Example.ORG/a/./ '), 'https://example.org/a');
    assert.equal(linkKey('x.org/a.b'), 'x.org/a.b');
    assert.equal(linkKey('a//..'), 'a');
    assert.equal(linkKey('/'), '');
  });

  it('linksIn reads as a document: web links and bare addresses too', () => {
    assert.deepEqual(linksIn('[a](https://x.org) and www.y.org'), ['https://x.org', 'www.y.org']);
  });

  it('plainMarkdown escapes each markup character, "<", "://" and line breaks', () => {
    assert.equal(plainMarkdown('a\\b`c*d_e[f]g>h#i|j~k'), 'a\\\\b\\`c\\*d\\_e\\[f\\]g\\>h\\#i\\|j\\~k');
    assert.equal(plainMarkdown('<x> & {y} (z)! :/ x://y'), '&lt;x\\> & {y} (z)! :/ x:\\/\\/y');
    assert.equal(plainMarkdown('a\r\nb\nc\rd'), 'a b c\rd');
    assert.equal(plainMarkdown('a\u202eb'), 'a⟨U+202E⟩b');
  });
});
