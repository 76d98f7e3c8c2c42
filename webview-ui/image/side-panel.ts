// The side panel: the selected annotation's label, note and answers, the list of annotations,
// the answers about the whole image, the DICOM header, and the prompt for the next question.

import type { Annotation } from '../../src/core/images/annotations/schema';
import { h } from '../shared/dom';
import { renderMarkdown } from '../shared/markdown';
import { detail, header, imageAnswers, list, promptBox } from './dom';
import { commit, flush, select } from './edits';
import { call, host } from './host';
import { draw } from './render';
import { annotations, state, selected } from './state';

function shapeName(a: Annotation): string {
  return { rect: 'Rectangle', ellipse: 'Ellipse', polygon: a.shape.type === 'polygon' && !a.shape.closed ? 'Line' : 'Polygon', arrow: 'Arrow', point: 'Point' }[a.shape.type];
}

/** A model answer as rendered, sanitised markdown (the chat's renderer; links open through the host). */
export function answerText(text: string, el: HTMLElement = h('div', { class: 'answer-text md' })): HTMLElement {
  el.replaceChildren(renderMarkdown(text, { copyButtons: false }));
  return el;
}

function answerBlock(ans: { prompt: string; text: string; model: string; at: string; finish: string }, annotationId?: string): HTMLElement {
  const save = h('button', { type: 'button', class: 'save-example', title: 'Save this answer as a training example (as it is, or corrected first)' }, 'Save Example');
  save.addEventListener('click', () => call(host.request('image/saveExample', { at: ans.at, ...(annotationId ? { annotationId } : {}) })));
  const cut = ans.finish === 'length' ? ' — cut at the token limit' : ans.finish === 'cancelled' ? ' — stopped (partial)' : ans.finish.startsWith('error') ? ' — interrupted (partial)' : '';
  return h(
    'div',
    { class: 'answer' },
    h('div', { class: 'q' }, `Q: ${ans.prompt}`),
    answerText(ans.text),
    h('div', { class: 'meta' }, `${ans.model}, ${new Date(ans.at).toLocaleString()}${cut}. AI-generated; check it.`),
    h('div', { class: 'answer-actions' }, save),
  );
}

/** Label and note of the selected annotation, edited in place (one undo step per selection). */
function editor(a: Annotation): HTMLElement[] {
  const label = h('input', { id: 'label-input', type: 'text', placeholder: 'Label (e.g. nodule)', value: a.label });
  const text = h('textarea', { id: 'text-input', rows: '3', placeholder: 'Free-text note' });
  text.value = a.text;
  let pushed = false;
  const edit = (field: 'label' | 'text', v: string) => {
    if (!pushed) {
      state.history.push(annotations());
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
  return [label, text];
}

export function renderSide(): void {
  const a = selected();
  detail.replaceChildren();
  if (a) {
    detail.append(h('div', { class: 'hint' }, `${shapeName(a)} on frame ${a.frame + 1}`), ...editor(a));
    for (const ans of a.answers) detail.append(answerBlock(ans, a.id));
  } else detail.append(h('div', { class: 'hint' }, 'Nothing selected. Draw a region, or pick one below.'));
  renderList();
  imageAnswers.replaceChildren(...(state.file?.imageAnswers ?? []).filter((x) => x.frame === state.frameIndex).map((x) => answerBlock(x)));
}

function renderList(): void {
  list.replaceChildren(
    ...annotations().map((a) => {
      const li = h('li', { class: `ann-item${a.id === state.selected ? ' selected' : ''}`, 'data-id': a.id });
      li.append(h('span', {}, `${a.label || '(no label)'} — ${shapeName(a)}, frame ${a.frame + 1}${a.answers.length ? `, ${a.answers.length} answer(s)` : ''}`));
      li.addEventListener('click', () => select(a.id));
      return li;
    }),
  );
}

export function renderHeader(): void {
  const info = state.info!;
  header.hidden = !info.header.length;
  const t = h('table');
  for (const tag of info.header) t.append(h('tr', {}, h('td', {}, tag.tag), h('td', {}, tag.name), h('td', {}, tag.value)));
  header.replaceChildren(h('summary', {}, 'DICOM header (main tags; patient identifiers are not shown)'), t);
}

/** The prompt for the selection (a region) or the whole image, unless the user edited it. */
export function updatePrompt(): void {
  const p = state.prompts?.[state.kind];
  if (!p) return;
  const region = !!selected();
  document.getElementById('ask-scope')!.textContent = region
    ? 'Asks about the selected region: a close-up plus the whole image with the region outlined.'
    : 'Asks about the whole image (select an annotation to ask about its region).';
  if (!state.promptEdited) promptBox.value = region ? p.region : p.whole;
}
