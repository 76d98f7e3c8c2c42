// The image annotator webview: canvas viewer (window/level, zoom, pan, frames), drawing tools,
// the annotation list and the MedGemma questions. Talks to the host only through
// src/protocol/image.ts. Model answers are rendered by the chat's sanitising markdown renderer
// (webview-ui/shared/markdown.ts): no raw HTML, no remote images, links open only via the host.
// This file opens the image and wires the pieces: state.ts holds what is shown, render.ts draws
// it, tools/ has one file per tool, edits.ts changes the annotations, side-panel.ts lists them.

import type { ImageKind } from '../../src/core/images/types';
import type { OpenResult } from '../../src/protocol/image';
import { h } from '../shared/dom';
import { ask, openAnswerLink, stopAsking } from './ask';
import * as dom from './dom';
import { app, ct3, frameIn, frameLabel, kindSel, presetSel, wcIn, wwIn } from './dom';
import { deleteSelected, flush, redo, setTool, undo } from './edits';
import { loadFrame, rememberView, setWindow, showFrame, viewNow } from './frames';
import { call, host, notice } from './host';
import { listenKeys } from './keys';
import { listenPointer } from './pointer';
import { draw, fit, renderBase } from './render';
import { renderHeader, renderSide, updatePrompt } from './side-panel';
import { state } from './state';

app.replaceChildren(h('div', { class: 'loading' }, 'Opening the image…'));

function listenControls(): void {
  presetSel.addEventListener('change', () => {
    const w = state.info?.windows.find((x) => x.name === presetSel.value);
    if (w) setWindow({ center: w.center, width: w.width });
    else if (presetSel.value === '__default') setWindow(state.info?.defaultWindow);
  });
  const typedWindow = () => {
    const c = Number(wcIn.value);
    const w = Number(wwIn.value);
    if (Number.isFinite(c) && Number.isFinite(w) && w >= 1) setWindow({ center: c, width: w });
  };
  wcIn.addEventListener('change', typedWindow);
  wwIn.addEventListener('change', typedWindow);
  ct3.addEventListener('change', () => {
    state.ct3 = ct3.checked;
    rememberView();
    renderBase();
    draw();
  });
  frameIn.addEventListener('input', () => showFrame(Number(frameIn.value) - 1));
  kindSel.addEventListener('change', () => {
    state.kind = kindSel.value as ImageKind;
    state.promptEdited = false;
    updatePrompt();
  });
  dom.promptBox.addEventListener('input', () => (state.promptEdited = true));
  dom.askBtn.addEventListener('click', ask);
  dom.stopBtn.addEventListener('click', stopAsking);
  for (const el of [dom.liveAnswer, dom.detail, dom.imageAnswers]) {
    el.addEventListener('click', openAnswerLink);
    el.addEventListener('keydown', openAnswerLink);
  }
}

function showBanners(extra?: string): void {
  const info = state.info!;
  dom.banner.replaceChildren();
  if (info.burnedInAnnotation) {
    dom.banner.append(h('div', { class: 'banner warn', id: 'burned-in' }, 'Burned In Annotation = YES: text in these pixels may identify the patient and would be sent to the server with the image.'));
  }
  for (const n of [...info.notes, ...(extra ? [extra] : [])]) notice(n);
}

function failed(message: string): void {
  app.replaceChildren(h('div', { class: 'failed', id: 'failed' }, h('h2', {}, 'This image cannot be shown'), h('p', {}, message)));
}

function init(m: OpenResult): void {
  state.name = m.name;
  state.info = m.info;
  state.file = m.file;
  state.prompts = m.prompts;
  state.kind = m.info.kind;
  state.window = m.file.view?.window ?? m.info.defaultWindow;
  state.ct3 = !!m.file.view?.ctThreeWindows;
  state.frameIndex = Math.min(m.file.view?.frame ?? 0, m.info.frames - 1);
  state.history.clear();
  dom.layout({
    setTool,
    undo,
    redo,
    deleteSelected,
    fit,
    exportCoco: () => call(host.request('image/exportCoco', {})),
    attachToChat: () => call(host.request('image/attachToChat', viewNow())),
  });
  kindSel.value = state.kind;
  presetSel.replaceChildren(h('option', { value: '__default' }, 'Default'), ...m.info.windows.map((w) => h('option', { value: w.name }, `${w.name} (${w.center}/${w.width})`)));
  const match = m.info.windows.find((w) => state.window && w.center === state.window.center && w.width === state.window.width);
  presetSel.value = match ? match.name : m.file.view?.window ? '' : '__default';
  frameIn.max = String(m.info.frames);
  frameIn.value = String(state.frameIndex + 1);
  frameLabel.textContent = ` ${state.frameIndex + 1}/${m.info.frames}`;
  ct3.checked = state.ct3;
  frameIn.closest('label')!.toggleAttribute('hidden', m.info.frames < 2);
  renderHeader();
  showBanners(m.notice);
  setTool('rect');
  updatePrompt();
}

// A pending (debounced) edit is sent before the page goes away.
window.addEventListener('pagehide', flush);
document.addEventListener('visibilitychange', flush);
listenPointer();
listenKeys();
listenControls();
new ResizeObserver(() => draw()).observe(dom.stage);

host.on('image/file', (file) => {
  if (!state.file) return;
  state.file = file;
  if (state.selected && !file.annotations.some((a) => a.id === state.selected)) state.selected = undefined;
  renderSide();
  draw();
});
host.on('image/notice', notice);

host.request('image/open', {}).then(
  (r) => {
    init(r);
    loadFrame(state.frameIndex);
  },
  (e: Error) => failed(e.message),
);
