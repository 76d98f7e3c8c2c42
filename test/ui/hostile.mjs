// Helpers for the hostile-output scenarios (not a scenario itself: no leading number).
// The vectors are test/hostile/model-output.mjs; every address in them points at the
// simulator's /__evil/ path, so anything fetched or opened shows up in its request log.
import { destinations, encodings, htmlPayloads, syntaxes } from '../hostile/model-output.mjs';

/**
 * The vectors the UI streams: every syntax with every destination, every encoding of the two
 * most dangerous destinations (a terminal command, a web address), and the HTML payloads.
 */
export function uiVectors(evil) {
  const out = [];
  const keep = new Set(['command-terminal', 'https-evil', 'http-evil']);
  for (const [dname, href] of destinations(evil)) {
    for (const [ename, enc] of encodings) {
      if (ename !== 'plain' && !keep.has(dname)) continue;
      for (const [sname, build] of syntaxes) out.push({ name: `${sname}/${dname}/${ename}`, text: build(enc(href)) });
    }
  }
  return [...out, ...htmlPayloads(evil).map((text, i) => ({ name: `html-${i}`, text }))];
}

/** The vectors as answers of `size` vectors each. */
export function answers(vectors, size) {
  const out = [];
  for (let i = 0; i < vectors.length; i += size) out.push(vectors.slice(i, i + size).map((v) => v.text).join('\n\n'));
  return out;
}

/**
 * Watches what a user would notice if a link opened or something was fetched: new browser
 * pages (code-server opens external links in a new tab), page dialogs, hits on /__evil.
 */
export function watch(ui) {
  const { page, sim } = ui;
  const context = page.context();
  const opened = [];
  const dialogs = [];
  const onPage = (p) => opened.push(p);
  const onDialog = (d) => {
    dialogs.push(d.message());
    void d.dismiss().catch(() => {});
  };
  context.on('page', onPage);
  page.on('dialog', onDialog);
  const hits = () => sim.requests.filter((r) => r.path.startsWith('/__evil')).map((r) => r.path);
  const start = hits().length;
  return {
    opened,
    /** Throws if anything opened, fetched or popped up since the watch began. */
    assertQuiet(where) {
      const h = hits().slice(start);
      if (opened.length || dialogs.length || h.length) {
        throw new Error(`${where}: ${opened.length} page(s) opened [${opened.map((p) => p.url()).join(', ')}], dialogs ${JSON.stringify(dialogs)}, hostile fetches ${JSON.stringify(h)}`);
      }
    },
    hits: () => hits().slice(start),
    stop() {
      context.off('page', onPage);
      page.off('dialog', onDialog);
      for (const p of opened) void p.close().catch(() => {});
    },
  };
}

/**
 * What must never exist in rendered model output: script-capable or fetching elements, event
 * handler attributes, any href/src, and a flag set by injected code. `root` is a selector.
 */
export async function unsafeDom(frame, root) {
  return frame.evaluate((sel) => {
    const scope = document.querySelectorAll(sel);
    const all = [...scope].flatMap((el) => [el, ...el.querySelectorAll('*')]);
    const bad = [];
    for (const n of all) {
      if (/^(SCRIPT|IMG|SVG|MATH|IFRAME|OBJECT|EMBED|VIDEO|AUDIO|STYLE|FORM|BASE|META|LINK|NOSCRIPT|DETAILS)$/i.test(n.tagName)) bad.push(`<${n.tagName.toLowerCase()}>`);
      for (const a of n.attributes) {
        if (/^on/i.test(a.name) || ['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'style', 'background', 'poster'].includes(a.name.toLowerCase())) {
          bad.push(`${n.tagName.toLowerCase()}[${a.name}=${a.value.slice(0, 60)}]`);
        }
      }
      if (n.tagName === 'A' && n.hasAttribute('data-href') && !/^(https?:|mailto:|medgemma-paper:)/i.test(n.getAttribute('data-href'))) {
        bad.push(`a[data-href=${n.getAttribute('data-href').slice(0, 60)}]`);
      }
    }
    if (window.__pwned !== undefined) bad.push(`window.__pwned=${window.__pwned}`);
    return { bad, elements: all.length, links: all.filter((n) => n.matches('a[data-href]')).length };
  }, root);
}

/** Cancels the link confirmation modal; returns its text (throws if it does not appear). */
export async function cancelLinkModal(page, timeout = 10_000) {
  const modal = page.locator('.monaco-dialog-box', { hasText: /Open this link/ });
  await modal.waitFor({ timeout });
  const text = (await modal.innerText()).replace(/\s+/g, ' ');
  await modal.getByRole('button', { name: 'Cancel' }).click();
  await modal.waitFor({ state: 'detached', timeout: 5000 });
  return text;
}

/**
 * Clicks every link-looking element of an answer like a curious user: a web or mail link must
 * show our modal with its real destination (cancelled here), anything else must open nothing.
 * Throws at the first thing that opened or was fetched. Returns [clicked, confirmations].
 */
export async function clickEveryLink(ui, w, answer, where) {
  const { page } = ui;
  const all = answer.locator('a, .inert-link, .link-dest');
  const n = await all.count();
  let modals = 0;
  for (let k = 0; k < n; k++) {
    const el = all.nth(k);
    const href = await el.getAttribute('data-href');
    await el.scrollIntoViewIfNeeded();
    await el.click();
    if (href && /^(https?|mailto):/i.test(href)) {
      const modal = await cancelLinkModal(page);
      modals++;
      if (!modal.includes(new URL(href).host || href.slice(7, 20))) throw new Error(`${where}: the modal does not show the destination ${href}: ${modal}`);
      if (modal.includes('\u202e')) throw new Error(`${where}: the modal shows a bidi control unrevealed: ${modal}`);
    } else if (await page.locator('.monaco-dialog-box').isVisible()) {
      throw new Error(`${where}: a dialog opened for a link that is not a web link (${href}): ${await page.locator('.monaco-dialog-box').innerText()}`);
    }
    w.assertQuiet(`${where}, link ${k + 1} (${href ?? 'text'})`);
  }
  return [n, modals];
}

/** The Explorer, refreshed (its file watcher can be late to show a file a scenario just wrote). */
export async function refreshExplorer(ui) {
  await ui.wb.refreshExplorer(ui.page);
}
