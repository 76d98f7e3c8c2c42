// The paper viewer: pdf.js renders the PDF inside the webview and highlights the cited
// passage on the cited page. pdf.js's worker code is bundled into this one nonce'd script
// and runs on this thread (pdf.js's "fake worker"), so the CSP needs no worker-src, no blob:
// and no unsafe-eval (isEvalSupported: false). Messages: src/protocol/paper-viewer.ts.

import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import * as pdfjsWorker from 'pdfjs-dist/legacy/build/pdf.worker.mjs';
import { paperViewerProtocol, type OpenPaper } from '../../src/protocol/paper-viewer';
import { Messenger } from '../shared/messenger';
import { vscodeTransport } from '../shared/vscode-api';

(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = pdfjsWorker;

const host = new Messenger(paperViewerProtocol, vscodeTransport());
const root = document.getElementById('root')!;
root.innerHTML = '<div id="bar"><button id="zoom-out" title="Zoom out">−</button><button id="zoom-in" title="Zoom in">+</button><span id="status">Loading…</span></div><div id="pages"></div>';
const pagesEl = document.getElementById('pages')!;
const status = document.getElementById('status')!;
let doc: pdfjs.PDFDocumentProxy | undefined;
let scale = 1.3;
/** Width of page 1 at scale 1; the page fits the panel's width until the user zooms. */
let pageWidth = 0;
let pageHeight = 0;
let fit = true;
/** The cited place last asked for: its highlight is drawn again after a zoom or a resize. */
let cited: { page: number; passage?: string } | undefined;
const rendered = new Map<number, Promise<void>>();
let observer: IntersectionObserver | undefined;

function words(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

async function renderPage(n: number): Promise<void> {
  if (!doc) return;
  let p = rendered.get(n);
  if (!p) {
    p = (async () => {
      const page = await doc!.getPage(n);
      const viewport = page.getViewport({ scale });
      const box = document.getElementById(`page-${n}`)!;
      const canvas = document.createElement('canvas');
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      canvas.style.width = `${viewport.width}px`;
      canvas.style.height = `${viewport.height}px`;
      box.style.width = `${viewport.width}px`;
      box.style.height = `${viewport.height}px`;
      box.replaceChildren(canvas);
      await page.render({ canvasContext: canvas.getContext('2d')!, viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined }).promise;
    })();
    rendered.set(n, p);
  }
  return p;
}

/**
 * Marks the text runs of page n that belong to the passage; returns how many. A run counts
 * when its words (3 or more) occur in the passage, or when it is a shorter match right next
 * to such a run: lone common words elsewhere on the page stay unmarked.
 */
async function highlight(n: number, passage: string): Promise<number> {
  if (!doc) return 0;
  const box = document.getElementById(`page-${n}`)!;
  for (const el of box.querySelectorAll('.hl')) el.remove();
  const target = ` ${words(passage)} `;
  const page = await doc.getPage(n);
  const viewport = page.getViewport({ scale });
  const content = await page.getTextContent();
  const items = content.items.filter((it): it is Extract<typeof it, { str: string }> => 'str' in it && !!it.str.trim());
  const found = items.map((it) => {
    const w = words(it.str);
    if (!w || !target.includes(` ${w} `)) return 0;
    return w.split(' ').length >= 3 ? 2 : 1;
  });
  let count = 0;
  let first: HTMLElement | undefined;
  items.forEach((item, i) => {
    const strong = found[i] === 2;
    const weak = found[i] === 1 && (found[i - 1] === 2 || found[i + 1] === 2);
    if (!strong && !weak) return;
    const [x1, y1, x2, y2] = viewport.convertToViewportRectangle([item.transform[4], item.transform[5], item.transform[4] + item.width, item.transform[5] + item.height]);
    const el = document.createElement('div');
    el.className = 'hl';
    el.style.left = `${Math.min(x1, x2)}px`;
    el.style.top = `${Math.min(y1, y2)}px`;
    el.style.width = `${Math.abs(x2 - x1)}px`;
    el.style.height = `${Math.abs(y2 - y1)}px`;
    box.appendChild(el);
    first ??= el;
    count++;
  });
  first?.scrollIntoView({ block: 'center' });
  return count;
}

async function goto(n: number, passage?: string): Promise<void> {
  if (!doc) return;
  let page = Math.min(Math.max(1, n), doc.numPages);
  document.getElementById(`page-${page}`)!.scrollIntoView({ block: 'start' });
  await renderPage(page);
  let highlighted = passage ? await highlight(page, passage) : 0;
  // A passage that starts at the foot of the cited page may sit mostly on the next one.
  for (let next = page + 1; passage && !highlighted && next <= Math.min(page + 2, doc.numPages); next++) {
    await renderPage(next);
    highlighted = await highlight(next, passage);
    if (highlighted) page = next;
  }
  if (passage) cited = { page, passage };
  status.textContent = `Page ${page} of ${doc.numPages}${passage ? (highlighted ? ' · cited passage highlighted' : ' · cited passage not found on this page') : ''}`;
  await host.request('viewer/rendered', { page, pages: doc.numPages, highlighted });
}

async function open(m: OpenPaper): Promise<void> {
  await doc?.loadingTask.destroy();
  doc = undefined;
  rendered.clear();
  observer?.disconnect();
  let password = m.password;
  for (;;) {
    try {
      // pdf.js takes ownership of (detaches) the bytes it gets: give it a copy each time.
      doc = await pdfjs.getDocument({ data: m.data.slice(), password, isEvalSupported: false }).promise;
      break;
    } catch (e) {
      const err = e as { name?: string; code?: number };
      if (err.name !== 'PasswordException') throw e;
      status.textContent = 'This PDF is encrypted: enter its password.';
      const answer = await host.request('viewer/password', { wrong: err.code === 2 });
      if (answer.password === null) return;
      password = answer.password;
    }
  }
  document.title = m.name;
  const first = await doc.getPage(1);
  ({ width: pageWidth, height: pageHeight } = first.getViewport({ scale: 1 }));
  fit = true;
  scale = fitScale();
  pagesEl.replaceChildren();
  for (let i = 1; i <= doc.numPages; i++) {
    const box = document.createElement('div');
    box.className = 'page';
    box.id = `page-${i}`;
    box.dataset.page = String(i);
    pagesEl.appendChild(box);
  }
  sizeBoxes();
  observer = new IntersectionObserver(
    (entries) => {
      for (const e of entries) if (e.isIntersecting) void renderPage(Number((e.target as HTMLElement).dataset.page));
    },
    { rootMargin: '200px' },
  );
  for (const box of pagesEl.children) observer.observe(box);
  await goto(m.page, m.highlight);
}

function fail(err: Error): void {
  status.textContent = `Cannot show this PDF: ${err.message}`;
  void host.request('viewer/failed', { message: `${err.name}: ${err.message}`.slice(0, 500) });
}
// A goto that arrives while the PDF is still loading waits for it instead of being dropped.
let opening: Promise<void> = Promise.resolve();
host.on('viewer/open', (m) => {
  cited = undefined;
  opening = open(m).catch(fail);
});
host.on('viewer/goto', (m) => {
  void opening
    .then(() => {
      cited = undefined;
      return goto(m.page, m.highlight);
    })
    .catch(fail);
});

/** The scale at which a page fills the panel's width (less a margin). */
function fitScale(): number {
  return Math.min(3, Math.max(0.3, (document.documentElement.clientWidth - 32) / (pageWidth || 612)));
}

/** Every page box at the current scale (page 1's size; a page of another size corrects it when drawn). */
function sizeBoxes(): void {
  for (const box of pagesEl.children as HTMLCollectionOf<HTMLElement>) {
    box.style.width = `${pageWidth * scale}px`;
    box.style.height = `${pageHeight * scale}px`;
  }
}

/** Draws again at the current scale, at the page in the middle of the view; the cited passage keeps its highlight. */
function redraw(): void {
  if (!doc) return;
  const middle = window.innerHeight / 2;
  const current = [...pagesEl.children].find((el) => el.getBoundingClientRect().bottom > middle) as HTMLElement | undefined;
  const page = Number(current?.dataset.page ?? doc.numPages);
  rendered.clear();
  for (const box of pagesEl.children) box.replaceChildren();
  sizeBoxes();
  void goto(page, cited?.page === page ? cited.passage : undefined).catch(fail);
}

document.getElementById('zoom-in')!.addEventListener('click', () => rezoom(1.2));
document.getElementById('zoom-out')!.addEventListener('click', () => rezoom(1 / 1.2));
function rezoom(f: number): void {
  fit = false;
  scale = Math.min(4, Math.max(0.3, scale * f));
  redraw();
}

// The panel was opened narrow, or its column was resized: the page follows its width.
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (!doc || !fit || Math.abs(fitScale() - scale) < 0.01) return;
    scale = fitScale();
    redraw();
  }, 150);
});

void host.request('viewer/ready', undefined);
