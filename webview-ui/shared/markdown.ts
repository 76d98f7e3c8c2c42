// Model output -> safe DOM, for every webview that shows it (chat, image annotator).
// markdown-it with raw HTML off, then DOMPurify. The link policy is src/core/model-text:
// - no element gets an `href`: the webview host opens any <a href> it sees clicked, before
//   our handler can ask the user, so links carry their destination in data-href and open
//   only through the extension host (web and mail links after the user confirms);
// - web and mail links from the model become such links; /papers citations too, but only in
//   answers the host composed (`citations`); every other destination is shown as text;
// - remote images are never loaded (a placeholder names the address); hidden characters
//   (bidi, zero-width) are shown by code point; code blocks get a Copy button.

import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { revealInvisible } from '../../src/core/model-text/invisible';
import { hrefKind } from '../../src/core/model-text/links';

export interface RenderOptions {
  /** The text holds /papers citations the host made (medgemma-paper: links). */
  citations?: boolean;
  /** Code blocks get a Copy button (the page must handle .copy-code clicks). Default true. */
  copyButtons?: boolean;
}

const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
// Bare web and mail addresses only: no protocol-relative "//host" and no ftp: links.
md.linkify.add('//', null).add('ftp:', null);
const esc = md.utils.escapeHtml;

/** A destination as a person reads it: percent-escapes decoded where valid (then shown by code point). */
function readable(href: string): string {
  try {
    return decodeURI(href);
  } catch {
    return href;
  }
}

interface LinkEnv {
  citations?: boolean;
  copyButtons?: boolean;
  /** Closing markup of the links opened so far. */
  open?: string[];
}

md.renderer.rules.image = (tokens, idx) => {
  const t = tokens[idx];
  const src = String(t.attrGet('src') ?? '');
  const alt = t.content || 'image';
  return `<span class="blocked-image" title="Images in answers are not loaded: ${esc(revealInvisible(src))}">[image not loaded: ${esc(alt)}]</span>`;
};

md.renderer.rules.fence = (tokens, idx, _opts, e) => {
  const t = tokens[idx];
  const lang = t.info.trim().split(/\s+/)[0] ?? '';
  const copy = (e as LinkEnv).copyButtons ? '<button type="button" class="copy-code" aria-label="Copy code">Copy</button>' : '';
  return (
    `<div class="code-block"><div class="code-head"><span class="code-lang">${esc(lang)}</span>${copy}</div>` +
    `<pre><code>${esc(revealInvisible(t.content))}</code></pre></div>`
  );
};
md.renderer.rules.code_block = (tokens, idx) => `<pre><code>${esc(revealInvisible(tokens[idx].content))}</code></pre>`;
md.renderer.rules.code_inline = (tokens, idx) => `<code>${esc(revealInvisible(tokens[idx].content))}</code>`;

md.renderer.rules.text = (tokens, idx) => esc(revealInvisible(tokens[idx].content));

// Links: markdown-it has decoded entities and percent-encoding is kept, so the scheme read
// here is the one a browser would act on. The closing tag depends on what was opened.
md.renderer.rules.link_open = (tokens, idx, _opts, e) => {
  const env = e as LinkEnv;
  const href = String(tokens[idx].attrGet('href') ?? '');
  const kind = hrefKind(href);
  const shown = esc(revealInvisible(readable(href)));
  (env.open ??= []).push(kind === 'web' || kind === 'mail' || (kind === 'paper' && env.citations) ? '</a>' : `</span> <code class="link-dest" title="Links in answers that are not web addresses are not opened">${shown}</code>`);
  if (kind === 'paper' && env.citations) return `<a class="cite" role="link" data-href="${esc(href)}" title="Open this page of the paper">`;
  if (kind === 'web' || kind === 'mail') return `<a class="ext" role="link" data-href="${esc(href)}" title="Opens after you confirm: ${shown}">`;
  return '<span class="inert-link">';
};
md.renderer.rules.link_close = (_tokens, _idx, _opts, e) => (e as LinkEnv).open?.pop() ?? '';

// One sanitizer, configured once: passing a config on every call makes DOMPurify rebuild its
// allow-lists each time, which was half the cost of re-rendering a streamed answer's tail.
const purifier = DOMPurify(window);
purifier.setConfig({
  ALLOWED_URI_REGEXP: /^$/,
  FORBID_TAGS: ['img', 'svg', 'math', 'style', 'form', 'input', 'iframe', 'object', 'embed', 'video', 'audio', 'source', 'picture', 'link', 'meta', 'base'],
  FORBID_ATTR: ['href', 'xlink:href', 'style', 'srcset', 'src', 'action', 'formaction', 'background', 'poster'],
  ALLOW_DATA_ATTR: false,
  ADD_ATTR: ['data-href'],
  // Not checked against ALLOWED_URI_REGEXP (which allows no address at all); the hook below
  // keeps it only on our own links and only for the kinds the host opens.
  ADD_URI_SAFE_ATTR: ['data-href'],
  RETURN_DOM_FRAGMENT: true,
});
purifier.addHook('afterSanitizeAttributes', (node) => {
  // Only our own links keep a destination, and only one of the kinds we open.
  const href = node.getAttribute('data-href');
  if (href === null) return;
  const kind = hrefKind(href);
  if (node.tagName !== 'A' || kind === 'other' || (kind === 'paper' && !node.classList.contains('cite'))) node.removeAttribute('data-href');
  // A link without href is not focusable by itself (DOMPurify drops tabindex): Tab reaches it.
  else node.setAttribute('tabindex', '0');
});

/** Markdown source -> a sanitized fragment to insert. */
export function renderMarkdown(src: string, options: RenderOptions = {}): DocumentFragment {
  return purifier.sanitize(md.render(src, { citations: options.citations === true, copyButtons: options.copyButtons !== false } satisfies LinkEnv)) as unknown as DocumentFragment;
}

/** The default renderer: model text with no citations of ours in it. */
export const renderFragment = (src: string): DocumentFragment => renderMarkdown(src);
