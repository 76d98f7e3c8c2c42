// Random model text built from the pieces that make or hide links (backticks, tildes, brackets,
// parentheses, "<", backslashes, schemes, indents, line breaks), read after the link policy the
// way the chat view reads it (markdown-it, as webview-ui/shared/markdown.ts). Whatever the mix,
// no link in the chat may lead anywhere but the web or mail, and documents hold no link at all.
import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { hrefKind, neutralizeLinks } from '../../../src/core/model-text/links';
import { seededRng } from '../../../src/core/privacy/surrogates';

const chatView = new MarkdownIt({ html: false, linkify: true });
chatView.linkify.add('//', null).add('ftp:', null);
const preview = new MarkdownIt({ html: true, linkify: true });

/** Every link destination markdown-it makes of `text` (inline links, autolinks, linkified addresses). */
function hrefs(md: InstanceType<typeof MarkdownIt>, text: string): string[] {
  const out: string[] = [];
  const walk = (tokens: ReturnType<typeof md.parse>): void => {
    for (const t of tokens) {
      if ((t.type === 'link_open' || t.type === 'image') && t.attrGet('href') !== null) out.push(String(t.attrGet('href')));
      if (t.type === 'image') out.push(String(t.attrGet('src')));
      if (t.type === 'html_inline' || t.type === 'html_block') {
        for (const m of t.content.matchAll(/\b(?:href|src)\s*=/gi)) out.push(`html:${m[0]}`);
      }
      if (t.children) walk(t.children);
    }
  };
  walk(md.parse(text, {}));
  return out;
}

const PIECES = [
  '`', '``', '```', '~~~', ' ', '   ', '    ', '\n', '\n\n', '\\', '[', ']', '(', ')', '<', '>', '"', "'", ':', '!',
  '[b](', '](', ']: ', '[r]: ', '[r]', 'command:x', 'medgemma-paper:deadbeefdeadbeef%230?page=1', 'file:///etc/passwd',
  'javascript:alert(1)', 'https://x.org/', 'http://y.org', 'mailto:a@b.org', 'a@b.org', 'www.z.org', 'text', 'L12', '*', '_', '&lt;', '&#58;',
];
// Whole links to where they must not lead, one of which goes into each case.
const HOSTILE = [
  '[b](medgemma-paper:deadbeefdeadbeef%230?page=1)', '[c](command:workbench.action.quit)', '<command:x>', '<medgemma-paper:y>',
  '![i](file:///etc/passwd)', '[d][r]\n\n[r]: command:x', '[e](<javascript:alert(1)>)', '[f](command:x "t")', '[[g](command:y)](https://x.org)',
];

describe('model text links: random text built to make links', () => {
  const rnd = seededRng(20261206);
  const cases: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const n = 3 + Math.floor(rnd() * 18);
    let s = '';
    const at = Math.floor(rnd() * n);
    for (let k = 0; k < n; k++) s += (k === at ? HOSTILE[Math.floor(rnd() * HOSTILE.length)] : '') + PIECES[Math.floor(rnd() * PIECES.length)];
    cases.push(s);
  }

  it('in the chat, every link the chat view makes leads to the web or to mail', () => {
    const bad: string[] = [];
    for (const t of cases) {
      const out = neutralizeLinks(t, 'chat').text;
      const live = hrefs(chatView, out).filter((h) => hrefKind(h) !== 'web' && hrefKind(h) !== 'mail');
      if (live.length && bad.length < 5) bad.push(`${JSON.stringify(t)} -> ${JSON.stringify(out)}: ${live.join(', ')}`);
    }
    assert.deepEqual(bad, []);
  });

  // Documents aim at no link at all; what a preview still makes of a few of these mixes is a
  // web or mail address (an e-mail glued to a code span, which the preview's linkify reads
  // differently), never another scheme.
  it('in documents, a markdown preview makes no link but (rarely) to the web or to mail', () => {
    const bad: string[] = [];
    let webOrMail = 0;
    for (const t of cases) {
      const out = neutralizeLinks(t, 'document').text;
      const found = hrefs(preview, out);
      const live = found.filter((h) => !/^(?:https?:|mailto:|\/\/)/i.test(h));
      if (found.length > live.length) webOrMail++;
      if (live.length && bad.length < 5) bad.push(`${JSON.stringify(t)} -> ${JSON.stringify(out)}: ${live.join(', ')}`);
    }
    assert.deepEqual(bad, []);
    assert.ok(webOrMail <= cases.length / 200, `${webOrMail} of ${cases.length} documents hold a web or mail link`);
  });

  it('the generator makes links: before the policy, most cases hold a live hostile link in the chat view', () => {
    const live = cases.filter((t) => hrefs(chatView, t).some((h) => hrefKind(h) === 'paper' || /^(command|file|javascript):/i.test(h)));
    assert.ok(live.length > cases.length / 2, `${live.length} of ${cases.length} cases hold a hostile link before the policy`);
  });
});
