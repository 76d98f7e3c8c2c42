// The conversation: user questions as plain text, answers as sanitized markdown, per-turn actions.

import type { Attachment, ChatTurn, Conversation } from '../../src/core/chat/types';
import { h } from '../shared/dom';
import { button } from './button';
import { renderMarkdown } from '../shared/markdown';
import { renderAnswer, StreamRenderer } from './render/stream-renderer';

export interface TurnActions {
  copy(text: string): void;
  insert(text: string): void;
  edit(turn: ChatTurn): void;
  regenerate(): void;
  saveExample(turn: ChatTurn): void;
}

export function attachmentLabel(a: Attachment): string {
  switch (a.kind) {
    case 'selection':
      return a.lines ? `${a.name}:${a.lines[0]}-${a.lines[1]}` : a.name;
    case 'file':
      return a.name;
    case 'image':
      return a.name;
  }
}

function userTurn(t: ChatTurn, actions: TurnActions, last: boolean): HTMLElement {
  const chips = (t.attachments ?? []).map((a) => h('span', { class: `chip chip-${a.kind}`, title: `${a.kind}: ${attachmentLabel(a)}` }, attachmentLabel(a)));
  return h(
    'article',
    { class: 'turn user', 'data-turn': t.id, 'aria-label': 'Your question' },
    h('div', { class: 'who' }, 'You'),
    h('div', { class: 'body plain' }, t.text),
    chips.length ? h('div', { class: 'chips' }, ...chips) : null,
    h('div', { class: 'turn-actions' }, last ? button('Edit and resend', () => actions.edit(t), {}, 'Edit') : null, button('Copy question', () => actions.copy(t.text), {}, 'Copy')),
  );
}

function finishNote(t: ChatTurn): string | undefined {
  if (t.error) return `Interrupted: ${t.error} The partial answer is kept.`;
  if (t.finish === 'cancelled') return 'Stopped by you; the partial answer is kept.';
  if (t.finish === 'length') return 'Cut at the token limit (raise "medgemma.chat.maxTokens" for longer answers).';
  return undefined;
}

export function answerShell(model?: string): { el: HTMLElement; body: HTMLElement; foot: HTMLElement } {
  const body = h('div', { class: 'body md' });
  const foot = h('div', { class: 'turn-foot' });
  const el = h('article', { class: 'turn assistant', 'aria-label': 'MedGemma answer' }, h('div', { class: 'who' }, 'MedGemma', model ? h('span', { class: 'model' }, ` · ${model}`) : null), body, foot);
  return { el, body, foot };
}

function assistantTurn(t: ChatTurn, actions: TurnActions, last: boolean): HTMLElement {
  const { el, body, foot } = answerShell(t.model);
  el.dataset.turn = t.id;
  renderAnswer(body, t.text, t.papersAnswer ? (src) => renderMarkdown(src, { citations: true }) : undefined);
  const note = finishNote(t);
  if (note) foot.append(h('div', { class: t.error ? 'finish-note error' : 'finish-note' }, note));
  foot.append(
    h(
      'div',
      { class: 'turn-actions' },
      button('Copy answer', () => actions.copy(t.text), {}, 'Copy'),
      button('Insert answer into the editor', () => actions.insert(t.text), {}, 'Insert'),
      t.papersAnswer ? null : button('Save Example: keep this answer as a training example, as it is or corrected first', () => actions.saveExample(t), {}, 'Save Example'),
      last ? button('Regenerate answer', () => actions.regenerate(), {}, 'Regenerate') : null,
    ),
  );
  return el;
}

export function renderConversation(list: HTMLElement, c: Conversation | undefined, actions: TurnActions): void {
  const turns = c?.turns ?? [];
  const lastUser = turns.map((t) => t.role).lastIndexOf('user');
  const frag = document.createDocumentFragment();
  turns.forEach((t, i) => frag.append(t.role === 'user' ? userTurn(t, actions, i === lastUser) : assistantTurn(t, actions, i === turns.length - 1)));
  if (!turns.length) {
    frag.append(
      h(
        'div',
        { class: 'empty' },
        h('p', {}, 'Ask MedGemma about your notes. Answers come from your own server; nothing is sent anywhere else.'),
        h('p', { class: 'hint' }, 'Add context with "Add Selection to Chat" in the editor\'s right-click menu, the buttons below, or paste an image.'),
        h('p', { class: 'hint' }, 'AI-generated answers can be wrong. Not a medical device: check everything against the source.'),
      ),
    );
  }
  list.replaceChildren(frag);
}

/** Adds the question being sent and an empty answer that streams in. */
export function appendPending(list: HTMLElement, text: string, attachments: Attachment[], onRender?: () => void): { renderer: StreamRenderer; el: HTMLElement } {
  list.querySelector('.empty')?.remove();
  const chips = attachments.map((a) => h('span', { class: `chip chip-${a.kind}` }, attachmentLabel(a)));
  list.append(h('article', { class: 'turn user pending' }, h('div', { class: 'who' }, 'You'), h('div', { class: 'body plain' }, text), chips.length ? h('div', { class: 'chips' }, ...chips) : null));
  const { el, body } = answerShell();
  el.classList.add('streaming');
  el.setAttribute('aria-busy', 'true');
  list.append(el);
  return { renderer: new StreamRenderer(body, { onRender }), el };
}
