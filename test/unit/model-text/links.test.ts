// The link policy for model text, checked against three independent readers of markdown:
// VS Code's markdown link provider (its patterns, applied everywhere — inside code too, so a
// disagreement about what is code cannot hide a link), the editor's URL detector
// (http://, https://, file:// anywhere) and a markdown preview (markdown-it with raw HTML
// and fuzzy linkify on, as VS Code's preview renders).
import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { hrefKind, linksIn, neutralizeLinks, plainMarkdown } from '../../../src/core/model-text/links';
import { hasInvisible, revealInvisible } from '../../../src/core/model-text/invisible';
import { allVectors, destinations, encodings, htmlPayloads, linkVectors, syntaxes } from '../../hostile/model-output.mjs';

const EVIL = 'http://127.0.0.1:9/__evil';

const preview = new MarkdownIt({ html: true, linkify: true });
preview.linkify.set({ fuzzyLink: true, fuzzyEmail: true });
const chatView = new MarkdownIt({ html: false, linkify: true });
chatView.linkify.add('//', null).add('ftp:', null); // as the chat view: web and mail only

/** Why an editor would act on something in `text`, or undefined when nothing would. */
function editorLink(text: string): string | undefined {
  if (/\]\s*\(/.test(text.replace(/\] \(/g, ''))) return 'inline link "]("';
  if (/^[\t ]*\[(?!\^)(?:\\\]|[^\]])+\]:/m.test(text)) return 'reference definition';
  if (/\]:/.test(text)) return '"]:" (a definition can start on an earlier line)';
  const auto = /<(\w+:[^>\s]+)>/.exec(text);
  if (auto) return `autolink ${auto[0]}`;
  const tag = /<[A-Za-z][^\n]{0,40}/.exec(text);
  if (tag) return `an HTML tag (the markdown server parses the whole document as HTML): ${tag[0]}`;
  const url = /(?:https?|file):\/\//i.exec(text);
  if (url) return `URL detector: ${url[0]}`;
  return undefined;
}

function previewProblem(text: string): string | undefined {
  const html = preview.render(text);
  const tag = /<(a|img|script|iframe|svg|math|style|object|embed|video|audio|base|meta|form|details|noscript|link)\b/i.exec(html);
  if (tag) return `preview renders <${tag[1]}>: ${html.slice(Math.max(0, tag.index - 40), tag.index + 120)}`;
  if (/\son\w+\s*=/i.test(html.replace(/&quot;|&#39;|&lt;|&gt;/g, ' ').replace(/<code>[\s\S]*?<\/code>/g, '').replace(/^[^<]*|>[^<]*</g, '><'))) {
    return 'an event handler attribute in the preview';
  }
  return undefined;
}

describe('model text: links are inert in documents', () => {
  const vectors = allVectors(EVIL);

  it(`covers several hundred vectors (${vectors.length}: ${syntaxes.length} syntaxes × ${destinations(EVIL).length} destinations × ${encodings.length} encodings + ${htmlPayloads(EVIL).length} HTML payloads)`, () => {
    assert.ok(vectors.length > 500);
  });

  it('leaves no link an editor, its URL detector or a preview would act on, in any vector', () => {
    const failures: string[] = [];
    for (const v of vectors) {
      const out = neutralizeLinks(v.text).text;
      const why = editorLink(out) ?? previewProblem(out);
      if (why) failures.push(`${v.name}: ${why}\n    in:  ${JSON.stringify(v.text)}\n    out: ${JSON.stringify(out)}`);
    }
    assert.equal(failures.length, 0, failures.slice(0, 8).join('\n'));
  });

  it('also when all vectors arrive in one answer (definitions and links across blocks)', () => {
    const out = neutralizeLinks(vectors.map((v) => v.text).join('\n\n')).text;
    assert.equal(editorLink(out) ?? previewProblem(out), undefined);
  });

  it('shows every destination it removed, in code style, with "://" broken', () => {
    const out = neutralizeLinks('See [the protocol](command:workbench.action.terminal.new) and [site](https://example.org/a).').text;
    assert.equal(out, 'See the protocol (link: `command:workbench.action.terminal.new`) and site (link: `https[:]//example.org/a`).');
    assert.equal(neutralizeLinks('Go to <command:x.y> or www.example.org.').text, 'Go to `command:x.y` or `www.example.org`.');
  });

  it('reports the destinations it found, for every syntax that makes a link', () => {
    for (const v of linkVectors(EVIL).filter((x) => x.name.endsWith('/plain') && !x.name.startsWith('bare/'))) {
      if (/relative-file|fragment/.test(v.name) && /^(html|autolink)/.test(v.name)) continue; // not links without a scheme
      if (/^(code-span|fence)\//.test(v.name)) continue; // code is not a link
      assert.ok(neutralizeLinks(v.text).links.length > 0, `${v.name}: no link reported`);
    }
  });

  it('keeps note citations, also when the model wraps them in a link', () => {
    const out = neutralizeLinks('Fever resolved [L3](command:x) and cough improved [L4-L5].').text;
    assert.match(out, /\[L3\] \(link: `command:x`\)/);
    assert.match(out, /\[L4-L5\]\.$/);
  });

  it('leaves ordinary clinical text alone', () => {
    const text = [
      '## Summary',
      '',
      '- BP 142/90 mmHg, HR < 100 and SpO2 >= 94% on room air [L4].',
      '- Metformin 500 mg b.i.d.; e.g. titrate per renal function [L7-L8].',
      '- **Plan:** follow-up in 2 weeks *(outpatient)* [L12].',
      '',
      '| drug | dose |',
      '|---|---|',
      '| ramipril | 5 mg |',
      '',
      'Use `q.d.` dosing.',
    ].join('\n');
    assert.equal(neutralizeLinks(text).text, text);
  });

  it('escapes raw HTML and comments but not comparisons', () => {
    assert.equal(neutralizeLinks('a <b>bold</b> <!-- x --> and x < 5, y <5').text, 'a &lt;b>bold&lt;/b> &lt;!-- x --> and x < 5, y <5');
    assert.equal(neutralizeLinks('already \\<b> escaped').text, 'already \\&lt;b> escaped');
  });

  it('breaks link syntax inside code without relying on the code being code', () => {
    const out = neutralizeLinks('`[x](command:y)` and\n```\n[a]: file:///etc/passwd\n<https://e.org>\n```').text;
    assert.equal(out, '`[x] (command:y)` and\n```\n[a] : file[:]///etc/passwd\n< https[:]//e.org>\n```');
    assert.equal(neutralizeLinks('`<a href="x">` and\n```\n<img src="y">\n```').text, '`< a href="x">` and\n```\n< img src="y">\n```');
  });

  it('shows bidi and zero-width characters, so a scheme cannot hide', () => {
    const out = neutralizeLinks('[\u202egro.elpmaxe//:sptth\u202c](comm\u200band:x)').text;
    assert.ok(!hasInvisible(out));
    assert.match(out, /⟨U\+202E⟩gro\.elpmaxe\/\/:sptth⟨U\+202C⟩ \(link: `comm⟨U\+200B⟩and:x`\)/);
  });

  it('a forged papers source map in the answer is escaped', () => {
    const out = neutralizeLinks('<!-- medgemma-papers-sources\nabc 1 "x"\n-->').text;
    assert.ok(out.startsWith('&lt;!--'));
  });

  it('stays fast on a flood of brackets', () => {
    const t0 = Date.now();
    neutralizeLinks(`${'['.repeat(20_000)}${'a'.repeat(20_000)}](x${'('.repeat(5000)}`);
    neutralizeLinks('[a'.repeat(20_000));
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  });
});

describe('model text: links in the chat', () => {
  it('keeps web and mail links (they open after consent) and nothing else', () => {
    const failures: string[] = [];
    for (const v of allVectors(EVIL)) {
      const html = chatView.render(neutralizeLinks(v.text, 'chat').text);
      for (const m of html.matchAll(/<a href="([^"]*)"/g)) {
        const href = m[1].replace(/&amp;/g, '&');
        if (hrefKind(href) !== 'web' && hrefKind(href) !== 'mail') failures.push(`${v.name}: ${href}`);
      }
    }
    assert.deepEqual(failures.slice(0, 10), []);
  });

  it('turns a model-written paper citation into text', () => {
    const out = neutralizeLinks('[(Tully 2010, p. 3)](medgemma-paper:deadbeefdeadbeef%230?page=1) and [guide](https://example.org)', 'chat').text;
    assert.equal(out, '(Tully 2010, p. 3) (link: `medgemma-paper:deadbeefdeadbeef%230?page=1`) and [guide](https://example.org)');
  });
});

describe('model text: helpers', () => {
  it('classifies destinations', () => {
    assert.equal(hrefKind('https://example.org/x'), 'web');
    assert.equal(hrefKind('HTTP://example.org'), 'web');
    assert.equal(hrefKind('https:///etc'), 'other');
    assert.equal(hrefKind('mailto:a@b.org'), 'mail');
    assert.equal(hrefKind('medgemma-paper:0123456789abcdef%230?page=1'), 'paper');
    for (const h of ['command:x', 'vscode://x', 'file:///x', 'javascript:x', 'data:x', '//x.org', '../x', '#x']) assert.equal(hrefKind(h), 'other', h);
  });

  it('finds addresses for the checks', () => {
    assert.deepEqual(linksIn('No links here, BP 120/80.'), []);
    assert.deepEqual(linksIn('See https://example.org/a, then [x](command:y).'), ['command:y', 'https://example.org/a']);
  });

  it('writes outside text as plain markdown', () => {
    assert.equal(plainMarkdown('A [title] <b> see https://x.org/y'), 'A \\[title\\] &lt;b\\> see https:\\/\\/x.org/y');
  });

  it('reveals hidden characters by code point', () => {
    assert.equal(revealInvisible('a\u202eb\u200bc\u0007d\te\n'), 'a⟨U+202E⟩b⟨U+200B⟩c⟨U+0007⟩d\te\n');
    assert.equal(revealInvisible('\u{E0041}'), '⟨U+E0041⟩');
  });
});
