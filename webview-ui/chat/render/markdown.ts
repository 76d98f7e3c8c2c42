// Model output -> safe DOM. markdown-it with raw HTML off, then DOMPurify. Remote images are
// never loaded (shown as a placeholder naming the address); links are kept as text + href and
// opened only through the host (see main.ts); code blocks get a Copy button.

import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { PAPER_SCHEME } from '../../../src/core/papers/page-href';

const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
const esc = md.utils.escapeHtml;

md.renderer.rules.image = (tokens, idx) => {
  const t = tokens[idx];
  const src = String(t.attrGet('src') ?? '');
  const alt = t.content || 'image';
  return `<span class="blocked-image" title="Images in answers are not loaded: ${esc(src)}">[image not loaded: ${esc(alt)}]</span>`;
};

md.renderer.rules.fence = (tokens, idx) => {
  const t = tokens[idx];
  const lang = t.info.trim().split(/\s+/)[0] ?? '';
  return (
    `<div class="code-block"><div class="code-head"><span class="code-lang">${esc(lang)}</span>` +
    `<button type="button" class="copy-code" aria-label="Copy code">Copy</button></div>` +
    `<pre><code>${esc(t.content)}</code></pre></div>`
  );
};

// Web and mail links (opened by the host after confirmation) and /papers citations
// (src/core/papers/page-href.ts; opened by the host in the paper viewer).
const SAFE_URL = new RegExp(`^(?:https?:|mailto:|${PAPER_SCHEME})`, 'i');

// One sanitizer, configured once: passing a config on every call makes DOMPurify rebuild its
// allow-lists each time, which was half the cost of re-rendering a streamed answer's tail.
const purifier = DOMPurify(window);
purifier.setConfig({
  ALLOWED_URI_REGEXP: SAFE_URL,
  FORBID_TAGS: ['img', 'svg', 'math', 'style', 'form', 'input', 'iframe', 'object', 'embed', 'video', 'audio', 'source', 'picture', 'link', 'meta', 'base'],
  FORBID_ATTR: ['style', 'srcset', 'src', 'action', 'formaction', 'background', 'poster'],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
});
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href');
    if (!href || !SAFE_URL.test(href)) node.removeAttribute('href');
    node.setAttribute('rel', 'noopener noreferrer');
    node.removeAttribute('target');
  }
});

/** Markdown source -> a sanitized fragment to insert. */
export function renderFragment(src: string): DocumentFragment {
  return purifier.sanitize(md.render(src)) as unknown as DocumentFragment;
}
