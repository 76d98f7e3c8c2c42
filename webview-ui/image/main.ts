// The image annotator webview: canvas viewer (window/level, zoom, pan, frames), drawing tools,
// the annotation list and the MedGemma questions. Talks to the host only through
// src/protocol/image.ts. Model answers are rendered by the chat's sanitising markdown renderer
// (webview-ui/shared/markdown.ts): no raw HTML, no remote images, links open only via the host.

import type { Annotation, AnnotationFile, Shape } from '../../src/core/images/annotations/schema';
import type { ImagePrompt } from '../../src/core/images/prompts';
import type { Frame, ImageInfo, ImageKind, Window } from '../../src/core/images/types';
import { dragWindow, range, renderInto } from '../../src/core/images/window';
import { imageProtocol, type OpenResult, type WireFrame } from '../../src/protocol/image';
import { renderMarkdown } from '../shared/markdown';
import { Messenger } from '../shared/messenger';
import { vscodeTransport } from '../shared/vscode-api';
import { hit, moved, tidy } from './geometry';
import { History } from './history';

const messenger = new Messenger(imageProtocol, vscodeTransport());
/** Fire-and-forget requests: a failure is shown in the banner area. */
function call(p: Promise<unknown>): void {
  p.catch((e: Error) => notice(e.message));
}

type Tool = 'select' | 'rect' | 'ellipse' | 'polygon' | 'freehand' | 'arrow' | 'point' | 'window' | 'pan';
const TOOLS: { id: Tool; label: string; key: string }[] = [
  { id: 'select', label: 'Select', key: 'v' },
  { id: 'rect', label: 'Rectangle', key: 'r' },
  { id: 'ellipse', label: 'Ellipse', key: 'e' },
  { id: 'polygon', label: 'Polygon', key: 'p' },
  { id: 'freehand', label: 'Freehand', key: 'f' },
  { id: 'arrow', label: 'Arrow', key: 'a' },
  { id: 'point', label: 'Point', key: 't' },
  { id: 'window', label: 'Window', key: 'w' },
  { id: 'pan', label: 'Pan', key: 'h' },
];
const KIND_LABELS: Record<ImageKind, string> = { cxr: 'Chest X-ray', ct: 'CT', mri: 'MRI', pathology: 'Pathology', dermatology: 'Dermatology', fundus: 'Fundus', other: 'Other' };

const S = {
  name: '',
  info: undefined as ImageInfo | undefined,
  file: undefined as AnnotationFile | undefined,
  prompts: undefined as Record<ImageKind, ImagePrompt> | undefined,
  kind: 'other' as ImageKind,
  frames: new Map<number, Frame>(),
  frameIndex: 0,
  window: undefined as Window | undefined,
  span: 1,
  ct3: false,
  zoom: 1,
  panX: 0,
  panY: 0,
  tool: 'rect' as Tool,
  selected: undefined as string | undefined,
  draft: undefined as Shape | undefined,
  asking: undefined as { controller: AbortController; text: string } | undefined,
  history: new History(),
};

// ---- DOM -------------------------------------------------------------------------------------

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}

const app = document.getElementById('root')!;
app.replaceChildren(h('div', { class: 'loading', text: 'Opening the image…' }));
const canvas = h('canvas', { id: 'view', tabindex: '0' });
const base = document.createElement('canvas');
const stage = h('div', { class: 'stage' }, canvas);
const status = h('div', { class: 'status', id: 'status' });
const banner = h('div', { class: 'banners', id: 'banners' });
const side = h('aside', { class: 'side' });
const toolbar = h('div', { class: 'bar', role: 'toolbar' });
const presetSel = h('select', { id: 'window-preset', title: 'Window presets' });
const wcIn = h('input', { id: 'wc', type: 'number', title: 'Window centre', step: '1' });
const wwIn = h('input', { id: 'ww', type: 'number', title: 'Window width', step: '1', min: '1' });
const ct3 = h('input', { id: 'ct3', type: 'checkbox', title: "Google's CT recipe: three windows in R, G, B" });
const frameIn = h('input', { id: 'frame', type: 'range', min: '1', max: '1', value: '1', title: 'Frame' });
const frameLabel = h('span', { id: 'frame-label' });
const kindSel = h('select', { id: 'kind', title: 'Kind of image (chooses the prompt)' });
const promptBox = h('textarea', { id: 'prompt', rows: '4', title: 'The question sent with the image; edit it freely' });
const askBtn = h('button', { id: 'ask', class: 'primary', text: 'Ask MedGemma' });
const stopBtn = h('button', { id: 'stop', text: 'Stop', hidden: '' });
const liveAnswer = h('div', { id: 'answer-live', class: 'answer live md', hidden: '' });
const detail = h('div', { id: 'detail' });
const list = h('ol', { id: 'annotations', class: 'list' });
const imageAnswers = h('div', { id: 'image-answers' });
const header = h('details', { id: 'header' }, h('summary', { text: 'DICOM header (main tags)' }));

function layout(): void {
  app.replaceChildren(
    toolbar,
    banner,
    h('div', { class: 'main' }, stage, side),
    status,
  );
  for (const t of TOOLS) {
    const b = h('button', { id: `tool-${t.id}`, class: 'tool', title: `${t.label} (${t.key.toUpperCase()})`, text: t.label });
    b.addEventListener('click', () => setTool(t.id));
    toolbar.append(b);
  }
  const btn = (id: string, text: string, title: string, fn: () => void) => {
    const b = h('button', { id, text, title });
    b.addEventListener('click', fn);
    return b;
  };
  toolbar.append(
    h('span', { class: 'sep' }),
    btn('undo', 'Undo', 'Undo (Ctrl+Z)', undo),
    btn('redo', 'Redo', 'Redo (Ctrl+Y / Ctrl+Shift+Z)', redo),
    btn('delete', 'Delete', 'Delete the selected annotation (Del)', deleteSelected),
    btn('fit', 'Fit', 'Fit the image (0)', fit),
    h('span', { class: 'sep' }),
    h('label', { text: 'W/L ' }, presetSel),
    h('label', { text: ' C ' }, wcIn),
    h('label', { text: ' W ' }, wwIn),
    h('label', { title: ct3.title }, ct3, ' CT 3-window'),
    h('span', { class: 'sep' }),
    h('label', { class: 'frames' }, 'Frame ', frameIn, frameLabel),
    h('span', { class: 'sep' }),
    btn('export-coco', 'Export COCO', 'Export the annotations as COCO JSON (no patient data)', () => call(messenger.request('image/exportCoco', {}))),
    btn('attach-chat', 'Send to Chat', 'Attach the rendered image to the MedGemma chat', () =>
      call(messenger.request('image/attachToChat', viewNow())),
    ),
  );
  side.append(
    h('h3', { text: 'Ask MedGemma' }),
    h('label', { text: 'Kind ' }, kindSel),
    promptBox,
    h('div', { class: 'row' }, askBtn, stopBtn),
    h('div', { class: 'hint', id: 'ask-scope' }),
    liveAnswer,
    h('h3', { text: 'Selected' }),
    detail,
    h('h3', { text: 'Annotations' }),
    list,
    h('h3', { text: 'About the whole image' }),
    imageAnswers,
    header,
  );
  for (const k of Object.keys(KIND_LABELS) as ImageKind[]) kindSel.append(h('option', { value: k, text: KIND_LABELS[k] }));
}

// ---- state helpers ---------------------------------------------------------------------------

const annotations = () => S.file?.annotations ?? [];
const selected = () => annotations().find((a) => a.id === S.selected);
const scale = () => S.info?.scale ?? 1;

let updateTimer: ReturnType<typeof setTimeout> | undefined;
/** Sends the list to the host (which saves it); typing is debounced, the rest goes at once. */
function commit(debounce = false): void {
  if (!S.file) return;
  clearTimeout(updateTimer);
  const go = () => {
    updateTimer = undefined;
    sendList();
  };
  if (debounce) updateTimer = setTimeout(go, 300);
  else go();
}

/** The list as the host takes it: without the answers (the host owns those). */
function sendList(): void {
  if (!S.file) return;
  call(messenger.request('image/update', { annotations: S.file.annotations.map(({ answers: _answers, ...a }) => a) }));
}

/** The current window, frame and CT choice. */
function viewNow() {
  return { frame: S.frameIndex, ...(S.window ? { window: { center: S.window.center, width: Math.max(1, S.window.width) } } : {}), ctThreeWindows: S.ct3 };
}

/** Sends a pending (debounced) edit now. */
function flush(): void {
  if (updateTimer === undefined) return;
  clearTimeout(updateTimer);
  updateTimer = undefined;
  sendList();
}
window.addEventListener('pagehide', flush);
document.addEventListener('visibilitychange', flush);

function change(fn: (list: Annotation[]) => Annotation[]): void {
  if (!S.file) return;
  S.history.push(S.file.annotations);
  S.file.annotations = fn(S.file.annotations);
  commit();
  renderSide();
  draw();
}

function newId(): string {
  return `a${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

function addShape(shape: Shape): void {
  const now = new Date().toISOString();
  const a: Annotation = { id: newId(), frame: S.frameIndex, shape: tidy(shape), label: '', text: '', answers: [], created: now, modified: now };
  change((l) => [...l, a]);
  select(a.id);
  setTimeout(() => (document.getElementById('label-input') as HTMLInputElement | null)?.focus(), 0);
}

function deleteSelected(): void {
  const id = S.selected;
  if (!id) return;
  S.selected = undefined;
  change((l) => l.filter((a) => a.id !== id));
}

function undo(): void {
  const r = S.file && S.history.undo(S.file.annotations);
  if (!r || !S.file) return;
  S.file.annotations = r;
  if (S.selected && !r.some((a) => a.id === S.selected)) S.selected = undefined;
  commit();
  renderSide();
  draw();
}

function redo(): void {
  const r = S.file && S.history.redo(S.file.annotations);
  if (!r || !S.file) return;
  S.file.annotations = r;
  commit();
  renderSide();
  draw();
}

function select(id: string | undefined): void {
  S.selected = id;
  const a = selected();
  if (a && a.frame !== S.frameIndex) showFrame(a.frame);
  updatePrompt();
  renderSide();
  draw();
}

function setTool(t: Tool): void {
  S.tool = t;
  S.draft = undefined;
  for (const b of toolbar.querySelectorAll('.tool')) b.classList.toggle('active', b.id === `tool-${t}`);
  canvas.style.cursor = t === 'pan' ? 'grab' : t === 'select' ? 'default' : 'crosshair';
  draw();
}

// ---- prompt ----------------------------------------------------------------------------------

let promptEdited = false;
function updatePrompt(): void {
  const p = S.prompts?.[S.kind];
  if (!p) return;
  const region = !!selected();
  document.getElementById('ask-scope')!.textContent = region
    ? 'Asks about the selected region: a close-up plus the whole image with the region outlined.'
    : 'Asks about the whole image (select an annotation to ask about its region).';
  if (!promptEdited) promptBox.value = region ? p.region : p.whole;
}

// ---- rendering -------------------------------------------------------------------------------

function currentFrame(): Frame | undefined {
  return S.frames.get(S.frameIndex);
}

function renderBase(): void {
  const f = currentFrame();
  if (!f || !S.info) return;
  if (base.width !== f.width || base.height !== f.height) {
    base.width = f.width;
    base.height = f.height;
  }
  const ctx = base.getContext('2d')!;
  const img = ctx.createImageData(f.width, f.height);
  renderInto(f, { window: S.window, invert: S.info.invert, ctThreeWindows: S.ct3 }, img.data, 4);
  ctx.putImageData(img, 0, 0);
  wcIn.value = S.window ? String(Math.round(S.window.center * 10) / 10) : '';
  wwIn.value = S.window ? String(Math.round(S.window.width * 10) / 10) : '';
}

function fit(): void {
  const f = currentFrame();
  if (!f) return;
  const r = stage.getBoundingClientRect();
  S.zoom = Math.min(r.width / f.width, r.height / f.height) * 0.96;
  S.panX = (r.width - f.width * S.zoom) / 2;
  S.panY = (r.height - f.height * S.zoom) / 2;
  draw();
}

/** Image (stored) pixels -> canvas CSS pixels. */
const toScreen = (x: number, y: number): [number, number] => [(x / scale()) * S.zoom + S.panX, (y / scale()) * S.zoom + S.panY];
const toImage = (sx: number, sy: number): [number, number] => [((sx - S.panX) / S.zoom) * scale(), ((sy - S.panY) / S.zoom) * scale()];

function strokeShape(ctx: CanvasRenderingContext2D, s: Shape): void {
  ctx.beginPath();
  const k = S.zoom / scale();
  switch (s.type) {
    case 'rect': {
      const [x, y] = toScreen(s.x, s.y);
      ctx.rect(x, y, s.w * k, s.h * k);
      break;
    }
    case 'ellipse': {
      const [x, y] = toScreen(s.cx, s.cy);
      ctx.ellipse(x, y, Math.abs(s.rx) * k, Math.abs(s.ry) * k, 0, 0, 2 * Math.PI);
      break;
    }
    case 'polygon':
      s.points.forEach(([px, py], i) => {
        const [x, y] = toScreen(px, py);
        if (i) ctx.lineTo(x, y);
        else ctx.moveTo(x, y);
      });
      if (s.closed) ctx.closePath();
      break;
    case 'arrow': {
      const [x1, y1] = toScreen(s.x1, s.y1);
      const [x2, y2] = toScreen(s.x2, s.y2);
      ctx.moveTo(x1, y1);
      ctx.lineTo(x2, y2);
      const a = Math.atan2(y2 - y1, x2 - x1);
      ctx.moveTo(x2, y2);
      ctx.lineTo(x2 - 12 * Math.cos(a - 0.4), y2 - 12 * Math.sin(a - 0.4));
      ctx.moveTo(x2, y2);
      ctx.lineTo(x2 - 12 * Math.cos(a + 0.4), y2 - 12 * Math.sin(a + 0.4));
      break;
    }
    case 'point': {
      const [x, y] = toScreen(s.x, s.y);
      ctx.arc(x, y, 4, 0, 2 * Math.PI);
      ctx.moveTo(x - 9, y);
      ctx.lineTo(x + 9, y);
      ctx.moveTo(x, y - 9);
      ctx.lineTo(x, y + 9);
      break;
    }
  }
  ctx.stroke();
}

let fitted = false;
let drawQueued = false;
function draw(): void {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    drawNow();
  });
}

function drawNow(): void {
  const r = stage.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(r.width * dpr) || canvas.height !== Math.round(r.height * dpr)) {
    canvas.width = Math.round(r.width * dpr);
    canvas.height = Math.round(r.height * dpr);
    canvas.style.width = `${r.width}px`;
    canvas.style.height = `${r.height}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, r.width, r.height);
  if (!currentFrame()) return;
  ctx.imageSmoothingEnabled = S.zoom < 1;
  ctx.drawImage(base, S.panX, S.panY, base.width * S.zoom, base.height * S.zoom);
  ctx.lineWidth = 2;
  ctx.font = '12px sans-serif';
  for (const a of annotations()) {
    if (a.frame !== S.frameIndex) continue;
    const sel = a.id === S.selected;
    ctx.strokeStyle = sel ? '#ffd000' : '#29b6f6';
    ctx.lineWidth = sel ? 3 : 2;
    strokeShape(ctx, a.shape);
    const label = a.label || (a.answers.length ? '💬' : '');
    if (label) {
      const [x, y] = labelAnchor(a.shape);
      ctx.fillStyle = 'rgba(0,0,0,0.6)';
      const w = ctx.measureText(label).width + 6;
      ctx.fillRect(x, y - 16, w, 16);
      ctx.fillStyle = sel ? '#ffd000' : '#ffffff';
      ctx.fillText(label, x + 3, y - 4);
    }
  }
  if (S.draft) {
    ctx.strokeStyle = '#ff7043';
    ctx.setLineDash([6, 4]);
    strokeShape(ctx, S.draft);
    ctx.setLineDash([]);
  }
}

function labelAnchor(s: Shape): [number, number] {
  switch (s.type) {
    case 'rect':
      return toScreen(s.x, s.y);
    case 'ellipse':
      return toScreen(s.cx - Math.abs(s.rx), s.cy - Math.abs(s.ry));
    case 'polygon':
      return toScreen(s.points[0][0], s.points[0][1]);
    case 'arrow':
      return toScreen(s.x1, s.y1);
    case 'point':
      return toScreen(s.x + 6, s.y);
  }
}

// ---- side panel ------------------------------------------------------------------------------

function shapeName(a: Annotation): string {
  return { rect: 'Rectangle', ellipse: 'Ellipse', polygon: a.shape.type === 'polygon' && !a.shape.closed ? 'Line' : 'Polygon', arrow: 'Arrow', point: 'Point' }[a.shape.type];
}

/** A model answer as rendered, sanitised markdown (the chat's renderer; links open through the host). */
function answerText(text: string, el: HTMLElement = h('div', { class: 'answer-text md' })): HTMLElement {
  el.replaceChildren(renderMarkdown(text, { copyButtons: false }));
  return el;
}

function answerBlock(ans: { prompt: string; text: string; model: string; at: string; finish: string }): HTMLElement {
  const cut = ans.finish === 'length' ? ' — cut at the token limit' : ans.finish === 'cancelled' ? ' — stopped (partial)' : ans.finish.startsWith('error') ? ' — interrupted (partial)' : '';
  return h(
    'div',
    { class: 'answer' },
    h('div', { class: 'q', text: `Q: ${ans.prompt}` }),
    answerText(ans.text),
    h('div', { class: 'meta', text: `${ans.model}, ${new Date(ans.at).toLocaleString()}${cut}. AI-generated; check it.` }),
  );
}

function renderSide(): void {
  const a = selected();
  detail.replaceChildren();
  if (a) {
    const label = h('input', { id: 'label-input', type: 'text', placeholder: 'Label (e.g. nodule)', value: a.label });
    const text = h('textarea', { id: 'text-input', rows: '3', placeholder: 'Free-text note' });
    text.value = a.text;
    let pushed = false;
    const edit = (field: 'label' | 'text', v: string) => {
      if (!pushed) {
        S.history.push(annotations());
        pushed = true;
      }
      a[field] = v;
      a.modified = new Date().toISOString();
      commit(true);
      renderList();
      draw();
    };
    label.addEventListener('input', () => edit('label', label.value));
    text.addEventListener('input', () => edit('text', text.value));
    // Typing is sent after a short pause; leaving the field sends it at once.
    label.addEventListener('blur', flush);
    text.addEventListener('blur', flush);
    detail.append(h('div', { class: 'hint', text: `${shapeName(a)} on frame ${a.frame + 1}` }), label, text);
    for (const ans of a.answers) detail.append(answerBlock(ans));
  } else detail.append(h('div', { class: 'hint', text: 'Nothing selected. Draw a region, or pick one below.' }));
  renderList();
  imageAnswers.replaceChildren(...(S.file?.imageAnswers ?? []).filter((x) => x.frame === S.frameIndex).map(answerBlock));
}

function renderList(): void {
  list.replaceChildren(
    ...annotations().map((a) => {
      const li = h('li', { class: `ann-item${a.id === S.selected ? ' selected' : ''}`, 'data-id': a.id });
      li.append(h('span', { text: `${a.label || '(no label)'} — ${shapeName(a)}, frame ${a.frame + 1}${a.answers.length ? `, ${a.answers.length} answer(s)` : ''}` }));
      li.addEventListener('click', () => select(a.id));
      return li;
    }),
  );
}

function renderHeader(): void {
  const info = S.info!;
  header.hidden = !info.header.length;
  const t = h('table');
  for (const tag of info.header) t.append(h('tr', {}, h('td', { text: tag.tag }), h('td', { text: tag.name }), h('td', { text: tag.value })));
  header.replaceChildren(h('summary', { text: 'DICOM header (main tags; patient identifiers are not shown)' }), t);
}

function setStatus(extra = ''): void {
  const f = currentFrame();
  const info = S.info;
  if (!f || !info) return;
  const w = S.window && f.kind === 'gray' ? `C ${Math.round(S.window.center)} / W ${Math.round(S.window.width)}` : 'colour';
  status.textContent = `${S.name} · ${info.width}×${info.height}${info.scale > 1 ? ` (shown ${f.width}×${f.height})` : ''} · ${w} · zoom ${Math.round(S.zoom * 100)}%${extra ? ` · ${extra}` : ''}`;
}

// ---- frames and window -----------------------------------------------------------------------

function showFrame(i: number): void {
  if (!S.info) return;
  S.frameIndex = Math.max(0, Math.min(S.info.frames - 1, i));
  frameIn.value = String(S.frameIndex + 1);
  frameLabel.textContent = ` ${S.frameIndex + 1}/${S.info.frames}`;
  rememberView();
  if (S.frames.has(S.frameIndex)) {
    renderBase();
    draw();
    renderSide();
  } else loadFrame(S.frameIndex);
}

let viewTimer: ReturnType<typeof setTimeout> | undefined;
/** Remembers the window and frame in the sidecar (after a pause, not on every drag step). */
function rememberView(): void {
  clearTimeout(viewTimer);
  viewTimer = setTimeout(() => call(messenger.request('image/view', viewNow())), 600);
}

function setWindow(w: Window | undefined): void {
  S.window = w;
  renderBase();
  draw();
  setStatus();
  rememberView();
}

// ---- pointer ---------------------------------------------------------------------------------

type Drag =
  | { kind: 'shape'; x0: number; y0: number }
  | { kind: 'freehand'; points: [number, number][] }
  | { kind: 'move'; x0: number; y0: number; start: Shape; pushed: boolean }
  | { kind: 'window'; sx: number; sy: number; start: Window }
  | { kind: 'pan'; sx: number; sy: number; px: number; py: number };
let drag: Drag | undefined;
let polygon: [number, number][] | undefined;
let spaceDown = false;

function pos(e: MouseEvent): [number, number] {
  const r = canvas.getBoundingClientRect();
  return [e.clientX - r.left, e.clientY - r.top];
}

canvas.addEventListener('contextmenu', (e) => e.preventDefault());
canvas.addEventListener('pointerdown', (e) => {
  canvas.focus();
  canvas.setPointerCapture(e.pointerId);
  const [sx, sy] = pos(e);
  const [x, y] = toImage(sx, sy);
  const f = currentFrame();
  if (e.button === 1 || S.tool === 'pan' || spaceDown) {
    drag = { kind: 'pan', sx, sy, px: S.panX, py: S.panY };
    return;
  }
  if (e.button === 2 || S.tool === 'window') {
    if (f?.kind === 'gray' && S.window) drag = { kind: 'window', sx, sy, start: S.window };
    return;
  }
  switch (S.tool) {
    case 'select': {
      const tol = (6 / S.zoom) * scale();
      const hitA = [...annotations()].reverse().find((a) => a.frame === S.frameIndex && hit(a.shape, x, y, tol));
      select(hitA?.id);
      if (hitA) drag = { kind: 'move', x0: x, y0: y, start: hitA.shape, pushed: false };
      return;
    }
    case 'rect':
    case 'ellipse':
    case 'arrow':
      drag = { kind: 'shape', x0: x, y0: y };
      return;
    case 'freehand':
      drag = { kind: 'freehand', points: [[x, y]] };
      return;
    case 'point':
      addShape({ type: 'point', x, y });
      return;
    case 'polygon': {
      if (!polygon) polygon = [];
      const first = polygon[0];
      if (first && polygon.length > 2 && Math.hypot(x - first[0], y - first[1]) < (8 / S.zoom) * scale()) {
        finishPolygon();
        return;
      }
      polygon.push([x, y]);
      S.draft = { type: 'polygon', points: [...polygon], closed: false };
      draw();
      return;
    }
  }
});

canvas.addEventListener('pointermove', (e) => {
  const [sx, sy] = pos(e);
  const [x, y] = toImage(sx, sy);
  const f = currentFrame();
  if (f) {
    const ix = Math.floor(x / scale());
    const iy = Math.floor(y / scale());
    if (ix >= 0 && iy >= 0 && ix < f.width && iy < f.height) {
      const v = f.kind === 'gray' ? `value ${Math.round(f.data[iy * f.width + ix] * 100) / 100}` : `RGB ${Array.from(f.data.subarray((iy * f.width + ix) * 3, (iy * f.width + ix) * 3 + 3)).join(',')}`;
      setStatus(`x ${Math.floor(x)}, y ${Math.floor(y)}: ${v}`);
    }
  }
  if (!drag) {
    if (polygon && S.tool === 'polygon') {
      S.draft = { type: 'polygon', points: [...polygon, [x, y]], closed: false };
      draw();
    }
    return;
  }
  switch (drag.kind) {
    case 'pan':
      S.panX = drag.px + sx - drag.sx;
      S.panY = drag.py + sy - drag.sy;
      draw();
      return;
    case 'window':
      setWindow(dragWindow(drag.start, sx - drag.sx, sy - drag.sy, S.span));
      presetSel.value = '';
      return;
    case 'move': {
      const a = selected();
      if (!a) return;
      if (!drag.pushed) {
        S.history.push(annotations());
        drag.pushed = true;
      }
      a.shape = moved(drag.start, x - drag.x0, y - drag.y0);
      draw();
      return;
    }
    case 'freehand':
      drag.points.push([x, y]);
      S.draft = { type: 'polygon', points: drag.points, closed: false };
      draw();
      return;
    case 'shape': {
      const { x0, y0 } = drag;
      S.draft =
        S.tool === 'rect'
          ? { type: 'rect', x: x0, y: y0, w: x - x0, h: y - y0 }
          : S.tool === 'ellipse'
            ? { type: 'ellipse', cx: (x0 + x) / 2, cy: (y0 + y) / 2, rx: (x - x0) / 2, ry: (y - y0) / 2 }
            : { type: 'arrow', x1: x0, y1: y0, x2: x, y2: y };
      draw();
    }
  }
});

canvas.addEventListener('pointerup', () => {
  const d = drag;
  drag = undefined;
  if (!d) return;
  if (d.kind === 'move') {
    const a = selected();
    if (a && d.pushed) {
      a.shape = tidy(a.shape);
      a.modified = new Date().toISOString();
      commit();
    }
    return;
  }
  if (d.kind === 'freehand') {
    S.draft = undefined;
    if (d.points.length > 2) addShape({ type: 'polygon', points: d.points.filter((_, i) => i % 2 === 0 || i === d.points.length - 1), closed: true });
    else draw();
    return;
  }
  if (d.kind === 'shape' && S.draft) {
    const s = S.draft;
    S.draft = undefined;
    const big = (s.type === 'rect' && Math.abs(s.w) > 2 && Math.abs(s.h) > 2) || (s.type === 'ellipse' && Math.abs(s.rx) > 1 && Math.abs(s.ry) > 1) || (s.type === 'arrow' && Math.hypot(s.x2 - s.x1, s.y2 - s.y1) > 3);
    if (big) addShape(s);
    else draw();
  }
});

canvas.addEventListener('dblclick', () => {
  if (S.tool === 'polygon' && polygon) finishPolygon();
});

function finishPolygon(): void {
  const pts = polygon;
  polygon = undefined;
  S.draft = undefined;
  if (pts && pts.length >= 3) addShape({ type: 'polygon', points: pts, closed: true });
  else draw();
}

canvas.addEventListener(
  'wheel',
  (e) => {
    e.preventDefault();
    const [sx, sy] = pos(e);
    const k = Math.exp(-e.deltaY / 500);
    const z = Math.max(0.02, Math.min(64, S.zoom * k));
    S.panX = sx - ((sx - S.panX) * z) / S.zoom;
    S.panY = sy - ((sy - S.panY) * z) / S.zoom;
    S.zoom = z;
    draw();
    setStatus();
  },
  { passive: false },
);

window.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) {
    if (e.key === 'Escape') canvas.focus();
    return;
  }
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.key.toLowerCase() === 'z') {
    e.preventDefault();
    if (e.shiftKey) redo();
    else undo();
    return;
  }
  if (mod && e.key.toLowerCase() === 'y') {
    e.preventDefault();
    redo();
    return;
  }
  if (mod) return;
  if (e.key === ' ') {
    spaceDown = true;
    return;
  }
  if (e.key === 'Delete' || e.key === 'Backspace') return deleteSelected();
  if (e.key === 'Escape') {
    polygon = undefined;
    S.draft = undefined;
    select(undefined);
    return;
  }
  if (e.key === 'Enter' && polygon) return finishPolygon();
  if (e.key === '0') return fit();
  if (e.key === '+' || e.key === '=') {
    S.zoom *= 1.25;
    return draw();
  }
  if (e.key === '-') {
    S.zoom /= 1.25;
    return draw();
  }
  if (e.key === 'PageDown' || e.key === '.') return showFrame(S.frameIndex + 1);
  if (e.key === 'PageUp' || e.key === ',') return showFrame(S.frameIndex - 1);
  const tool = TOOLS.find((x) => x.key === e.key.toLowerCase());
  if (tool) setTool(tool.id);
});
window.addEventListener('keyup', (e) => {
  if (e.key === ' ') spaceDown = false;
});
new ResizeObserver(() => draw()).observe(stage);

// ---- controls --------------------------------------------------------------------------------

presetSel.addEventListener('change', () => {
  const w = S.info?.windows.find((x) => x.name === presetSel.value);
  if (w) setWindow({ center: w.center, width: w.width });
  else if (presetSel.value === '__default') setWindow(S.info?.defaultWindow);
});
const typedWindow = () => {
  const c = Number(wcIn.value);
  const w = Number(wwIn.value);
  if (Number.isFinite(c) && Number.isFinite(w) && w >= 1) setWindow({ center: c, width: w });
};
wcIn.addEventListener('change', typedWindow);
wwIn.addEventListener('change', typedWindow);
ct3.addEventListener('change', () => {
  S.ct3 = ct3.checked;
  rememberView();
  renderBase();
  draw();
});
frameIn.addEventListener('input', () => showFrame(Number(frameIn.value) - 1));
kindSel.addEventListener('change', () => {
  S.kind = kindSel.value as ImageKind;
  promptEdited = false;
  updatePrompt();
});
promptBox.addEventListener('input', () => (promptEdited = true));

askBtn.addEventListener('click', () => {
  if (S.asking || !S.prompts) return;
  const a = selected();
  const controller = new AbortController();
  const asking = (S.asking = { controller, text: '' });
  liveAnswer.hidden = false;
  liveAnswer.textContent = 'Sending the image…';
  askBtn.disabled = true;
  stopBtn.hidden = false;
  const view = viewNow();
  messenger
    .request(
      'image/ask',
      { ...(a ? { annotationId: a.id } : {}), frame: view.frame, ...(view.window ? { window: view.window } : {}), ctThreeWindows: view.ctThreeWindows, system: S.prompts[S.kind].system, prompt: promptBox.value },
      {
        signal: controller.signal,
        onChunk: (t) => {
          asking.text += t;
          showLive(asking.text);
        },
      },
    )
    .then(
      () => (liveAnswer.hidden = true), // the stored answer arrives with 'image/file'
      (e: Error) => {
        showLive(asking.text);
        liveAnswer.append(h('p', { class: 'error', text: `⚠ ${e.message}` }));
      },
    )
    .finally(() => {
      S.asking = undefined;
      askBtn.disabled = false;
      stopBtn.hidden = true;
    });
});
stopBtn.addEventListener('click', () => S.asking?.controller.abort());

// The streaming answer is re-rendered at most once a frame (answers are a few hundred tokens).
let liveFrame = 0;
function showLive(text: string): void {
  cancelAnimationFrame(liveFrame);
  liveFrame = requestAnimationFrame(() => answerText(text, liveAnswer));
}

// Links in answers have no href: the host opens web links after the user confirms, nothing else.
function openAnswerLink(e: Event): void {
  const a = (e.target as HTMLElement).closest?.('a');
  if (!a || (e instanceof KeyboardEvent && e.key !== 'Enter')) return;
  e.preventDefault();
  e.stopPropagation();
  const href = a.getAttribute('data-href');
  if (href) call(messenger.request('image/openLink', { href, text: (a.textContent ?? '').slice(0, 500) }));
}
for (const el of [liveAnswer, detail, imageAnswers]) {
  el.addEventListener('click', openAnswerLink);
  el.addEventListener('keydown', openAnswerLink);
}

// ---- host messages ---------------------------------------------------------------------------

function notice(message: string): void {
  banner.append(h('div', { class: 'banner', text: message }));
}

function showBanners(extra?: string): void {
  const info = S.info!;
  banner.replaceChildren();
  if (info.burnedInAnnotation) {
    banner.append(h('div', { class: 'banner warn', id: 'burned-in', text: 'Burned In Annotation = YES: text in these pixels may identify the patient and would be sent to the server with the image.' }));
  }
  for (const n of [...info.notes, ...(extra ? [extra] : [])]) notice(n);
}

function failed(message: string): void {
  app.replaceChildren(h('div', { class: 'failed', id: 'failed' }, h('h2', { text: 'This image cannot be shown' }), h('p', { text: message })));
}

function init(m: OpenResult): void {
  S.name = m.name;
  S.info = m.info;
  S.file = m.file;
  S.prompts = m.prompts;
  S.kind = m.info.kind;
  S.window = m.file.view?.window ?? m.info.defaultWindow;
  S.ct3 = !!m.file.view?.ctThreeWindows;
  S.frameIndex = Math.min(m.file.view?.frame ?? 0, m.info.frames - 1);
  S.history.clear();
  layout();
  kindSel.value = S.kind;
  presetSel.replaceChildren(h('option', { value: '__default', text: 'Default' }), ...m.info.windows.map((w) => h('option', { value: w.name, text: `${w.name} (${w.center}/${w.width})` })));
  const match = m.info.windows.find((w) => S.window && w.center === S.window.center && w.width === S.window.width);
  presetSel.value = match ? match.name : m.file.view?.window ? '' : '__default';
  frameIn.max = String(m.info.frames);
  frameIn.value = String(S.frameIndex + 1);
  frameLabel.textContent = ` ${S.frameIndex + 1}/${m.info.frames}`;
  ct3.checked = S.ct3;
  frameIn.closest('label')!.toggleAttribute('hidden', m.info.frames < 2);
  renderHeader();
  showBanners(m.notice);
  setTool('rect');
  updatePrompt();
}

function toFrame(w: WireFrame): Frame {
  const grey = () => Float32Array.from(w.dtype === 'uint8' ? new Uint8Array(w.data) : w.dtype === 'int16' ? new Int16Array(w.data) : new Float32Array(w.data));
  return w.kind === 'gray' ? { kind: 'gray', width: w.width, height: w.height, data: grey() } : { kind: 'rgb', width: w.width, height: w.height, data: new Uint8Array(w.data) };
}

function loadFrame(index: number): void {
  messenger.request('image/frame', { index }).then(
    (w) => gotFrame(index, toFrame(w)),
    (e: Error) => notice(e.message),
  );
}

function gotFrame(index: number, frame: Frame): void {
  S.frames.set(index, frame);
  if (frame.kind === 'gray') {
    const [lo, hi] = range(frame.data);
    S.span = hi - lo || 1;
  }
  for (const e of document.querySelectorAll('#wc, #ww, #window-preset, #ct3')) (e as HTMLInputElement).disabled = frame.kind !== 'gray';
  if (index !== S.frameIndex) return;
  renderBase();
  if (!fitted) {
    fitted = true;
    fit();
  }
  draw();
  renderSide();
  setStatus();
  document.body.dataset.ready = 'true';
}

messenger.on('image/file', (file) => {
  if (!S.file) return;
  S.file = file;
  if (S.selected && !file.annotations.some((a) => a.id === S.selected)) S.selected = undefined;
  renderSide();
  draw();
});
messenger.on('image/notice', notice);

messenger.request('image/open', {}).then(
  (r) => {
    init(r);
    loadFrame(S.frameIndex);
  },
  (e: Error) => failed(e.message),
);
