// The chat webview: wires the protocol to the header (model, server), the conversation, the
// history list and the composer. Untrusted by design: it only talks to the host through
// chatProtocol; links, copy and insert go through the host too.

import type { Attachment, ChatTurn, Conversation, ConversationSummary } from '../../src/core/chat/types';
import { chatProtocol, type ErrorAction, type SendResult, type ServerState } from '../../src/protocol/chat';
import { ACTION_LABELS } from '../../src/core/server/errors';
import { Messenger, RequestError } from '../shared/messenger';
import { vscodeApi, vscodeTransport } from '../shared/vscode-api';
import { Composer } from './composer';
import { h } from '../shared/dom';
import { button } from './button';
import { appendPending, renderConversation, type TurnActions } from './messages';
import { modelOptions } from './model-options';

const host = new Messenger(chatProtocol, vscodeTransport());

interface Saved {
  draft?: string;
  attachments?: Attachment[];
}

let conversation: Conversation | undefined;
let conversations: ConversationSummary[] = [];
let running: AbortController | undefined;
let editing: ChatTurn | undefined;
let lastDraft: { text: string; attachments: Attachment[]; replaceFrom?: string } | undefined;

// ---- layout ----
const modelSelect = h('select', { id: 'model', 'aria-label': 'Model', title: 'Model (from the server\'s /v1/models)' });
const serverEl = h('span', { class: 'server', role: 'status', 'aria-live': 'polite' });
// New Chat and Chat History are the view title's actions (package.json), as in VS Code's own views.
const header = h('header', { class: 'toolbar' }, h('label', { for: 'model', class: 'sr-only' }, 'Model'), modelSelect, serverEl);
const historyEl = h('section', { id: 'history', class: 'history', hidden: true, 'aria-label': 'Chat history' });
// Focusable: a keyboard user can scroll the conversation even when it holds no buttons.
const list = h('main', { class: 'messages', role: 'log', 'aria-label': 'Conversation', 'aria-live': 'off', tabindex: '0' });
const errorEl = h('div', { class: 'error-banner', role: 'alert', hidden: true });
const announce = h('div', { class: 'sr-only', 'aria-live': 'polite', id: 'announce' });

const actions: TurnActions = {
  copy: (text) => void host.request('action/copy', { text }),
  insert: (text) => void host.request('action/insert', { text }),
  edit: (t) => startEdit(t),
  regenerate: () => void regenerate(),
  saveExample: (t) => {
    if (conversation) void host.request('action/saveExample', { conversationId: conversation.id, turnId: t.id });
  },
};

const composer = new Composer({
  send: () => void send(),
  stop: () => running?.abort(),
  editLast: () => {
    const last = [...(conversation?.turns ?? [])].reverse().find((t) => t.role === 'user');
    if (!last) return false;
    startEdit(last);
    return true;
  },
  cancelEdit: () => {
    if (!editing) return;
    editing = undefined;
    composer.setEditing(false);
    composer.text = '';
    composer.setAttachments([]);
  },
  attachSelection: () => void host.request('attach/selection', undefined).then((a) => a && composer.add(a)),
  attachFile: () => void host.request('attach/activeFile', undefined).then((a) => a && composer.add(a)),
  changed: () => {
    saveDraft();
    scheduleBudget();
  },
});

document.getElementById('root')!.append(header, historyEl, list, errorEl, composer.el, announce);

// ---- draft survives the view being hidden or reloaded ----
function saveDraft(): void {
  const s: Saved = { draft: composer.text, attachments: composer.attachments };
  vscodeApi().setState(s);
}

/**
 * Attachments the host handed over (a command, or ones waiting since before this page started).
 * Confirmed only once they are in the composer and the saved state: until then the host keeps
 * them and hands them to the next page (one may be handed twice: the id tells).
 */
function take(list: Attachment[]): void {
  for (const a of list) if (!composer.attachments.some((x) => x.id === a.id)) composer.add(a);
  if (list.length) void host.request('attach/taken', { ids: list.map((a) => a.id) });
}

// ---- budget (estimate; debounced) ----
let budgetTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleBudget(): void {
  clearTimeout(budgetTimer);
  // updateBudget never rejects (a failed estimate just hides the budget): fire and forget.
  budgetTimer = setTimeout(() => void updateBudget(), 300);
}

async function updateBudget(): Promise<void> {
  try {
    if (!composer.text.trim() && !composer.attachments.length && !conversation) return composer.showBudget(undefined);
    composer.showBudget(
      await host.request('chat/budget', { conversationId: conversation?.id, text: composer.text, attachments: composer.attachments, replaceFrom: editing?.id }),
    );
  } catch {
    composer.showBudget(undefined);
  }
}

// ---- server state and models ----
function showServer(s: ServerState): void {
  serverEl.className = `server ${s.state}`;
  switch (s.state) {
    case 'checking':
      serverEl.textContent = 'Connecting…';
      serverEl.title = '';
      break;
    case 'ok':
      serverEl.textContent = 'online';
      serverEl.title = `Server ${s.baseUrl}, model ${s.model}, context ${s.contextLength} tokens${s.vision === false ? ', text only (no images)' : ''}`;
      void loadModels();
      break;
    case 'offline':
      serverEl.textContent = 'offline';
      serverEl.title = s.message;
      break;
    case 'untrusted':
      serverEl.textContent = 'Restricted';
      serverEl.title = 'Untrusted workspace: MedGemma sends nothing. Trust the workspace to chat.';
      break;
  }
  // A send's own error (with Retry) stays; otherwise say why the server is offline.
  if (s.state === 'offline' && !running && errorEl.hidden) showError({ message: s.message, actions: ['checkServer', 'openSettings', 'getStarted'] }, true);
  else if (s.state === 'ok' && errorEl.dataset.server === '1') hideError();
  if (s.state === 'untrusted') showError({ message: 'This workspace is not trusted: MedGemma sends nothing from it. Trust the workspace to chat.', actions: ['manageTrust'] }, true);
}

async function loadModels(): Promise<void> {
  const { models, current } = await host.request('models/list', undefined);
  modelSelect.replaceChildren(...modelOptions(models).map((o) => h('option', { value: o.id, selected: o.id === current }, o.label)));
  modelSelect.disabled = models.length < 2;
}

modelSelect.addEventListener(
  'change',
  reported(async () => {
    showServer(await host.request('models/select', { id: modelSelect.value }));
    scheduleBudget();
  }),
);

// ---- errors with the fix beside them ----
function showError(e: { message: string; actions: ErrorAction[] }, server = false): void {
  errorEl.dataset.server = server ? '1' : '';
  errorEl.replaceChildren(
    h('span', { class: 'msg' }, e.message),
    h(
      'span',
      { class: 'actions' },
      ...e.actions.map((a) => button(ACTION_LABELS[a], () => (a === 'retry' ? void retry() : void host.request('action/run', { action: a })), {}, ACTION_LABELS[a])),
      button('Dismiss', () => hideError(), { class: 'btn subtle' }, '×'),
    ),
  );
  errorEl.hidden = false;
}

/**
 * An event handler that awaits the host: a failure shows in the error bar (a rejection left
 * unhandled in a webview is seen by no one).
 */
function reported(run: () => Promise<void>): () => void {
  return () => {
    run().catch((e: unknown) => {
      const message = e instanceof RequestError ? e.message : `The chat view failed: ${(e as Error)?.message ?? e}. Try again.`;
      showError({ message, actions: ['showLog'] });
    });
  };
}

function hideError(): void {
  errorEl.hidden = true;
  errorEl.replaceChildren();
}

// ---- conversation ----
function show(c: Conversation | undefined): void {
  conversation = c;
  renderConversation(list, c, actions);
  scrollToEnd();
  scheduleBudget();
}

/**
 * Scrolls the conversation to its end and keeps it there while the turns lay out. Turns are
 * sized by estimate until they render (content-visibility in chat.css), which happens a frame
 * or two later, so the end moves: re-pin each frame until the height held for a few frames,
 * unless the reader takes over the scrolling.
 */
function scrollToEnd(): void {
  let height = -1;
  let steady = 0;
  let frames = 0;
  let stopped = false;
  const stop = () => (stopped = true);
  const events = ['wheel', 'pointerdown', 'keydown', 'touchstart'] as const;
  for (const e of events) list.addEventListener(e, stop, { once: true, passive: true });
  const pin = () => {
    if (!stopped) list.scrollTop = list.scrollHeight;
    steady = list.scrollHeight === height ? steady + 1 : 0;
    height = list.scrollHeight;
    if (stopped || steady >= 3 || ++frames > 60) {
      for (const e of events) list.removeEventListener(e, stop);
      return;
    }
    requestAnimationFrame(pin);
  };
  pin();
}

function startEdit(t: ChatTurn): void {
  if (running) return;
  editing = t;
  composer.setEditing(true);
  composer.text = t.text;
  composer.setAttachments(t.attachments ?? []);
  composer.input.focus();
}

async function send(draft?: { text: string; attachments: Attachment[]; replaceFrom?: string }): Promise<void> {
  if (running) return;
  const d = draft ?? { text: composer.text, attachments: composer.attachments, replaceFrom: editing?.id };
  if (!d.text.trim()) {
    composer.input.focus();
    return;
  }
  hideError();
  lastDraft = d;
  editing = undefined;
  composer.setEditing(false);
  if (!draft) {
    composer.text = '';
    composer.setAttachments([]);
  }
  if (d.replaceFrom && conversation) {
    // Show the conversation as it will be: the replaced question and what followed go.
    const i = conversation.turns.findIndex((t) => t.id === d.replaceFrom);
    if (i >= 0) renderConversation(list, { ...conversation, turns: conversation.turns.slice(0, i) }, actions);
  }
  // Follow the answer as it grows, unless the reader scrolled up to read something else.
  let follow = true;
  const onScroll = () => (follow = list.scrollHeight - list.scrollTop - list.clientHeight < 40);
  list.addEventListener('scroll', onScroll, { passive: true });
  const { renderer, el } = appendPending(list, d.text, d.attachments, () => {
    if (follow) list.scrollTop = list.scrollHeight;
  });
  scrollToEnd();
  announce.textContent = 'MedGemma is answering…';
  running = new AbortController();
  composer.setBusy(true);
  let result: SendResult | undefined;
  let failure: unknown;
  try {
    result = await host.request('chat/send', { conversationId: conversation?.id, text: d.text, attachments: d.attachments, replaceFrom: d.replaceFrom }, {
      signal: running.signal,
      onChunk: (t) => renderer.append(t),
    });
  } catch (e) {
    failure = e;
  } finally {
    list.removeEventListener('scroll', onScroll);
    running = undefined;
    composer.setBusy(false);
    el.removeAttribute('aria-busy');
  }
  if (result) {
    show(result.conversation);
    const last = result.conversation.turns[result.conversation.turns.length - 1];
    announce.textContent = result.saved && last?.role === 'assistant' ? `MedGemma answered: ${last.text.slice(0, 2000)}` : 'No answer.';
    if (!result.saved && !composer.text) {
      // Nothing was sent (or it was stopped before the first word): the question goes back.
      composer.text = d.text;
      composer.setAttachments(d.attachments);
      if (d.replaceFrom) {
        const t = result.conversation.turns.find((x) => x.id === d.replaceFrom) ?? conversation?.turns.find((x) => x.id === d.replaceFrom);
        if (t) editing = t;
        composer.setEditing(!!editing);
      }
    }
    if (result.error) showError(result.error);
    conversations = await host.request('history/list', undefined);
    renderHistory();
  } else {
    renderer.finish();
    composer.text ||= d.text;
    const msg = failure instanceof RequestError ? failure.message : `The chat view failed: ${(failure as Error)?.message ?? failure}. Your question is back in the box; try again.`;
    showError({ message: msg, actions: ['retry', 'showLog'] });
  }
  composer.input.focus();
}

function retry(): void {
  if (!lastDraft) return;
  hideError();
  const d = lastDraft;
  if (composer.text === d.text) {
    composer.text = '';
    composer.setAttachments([]);
  }
  void send(d);
}

async function regenerate(): Promise<void> {
  const last = [...(conversation?.turns ?? [])].reverse().find((t) => t.role === 'user');
  if (last) await send({ text: last.text, attachments: last.attachments ?? [], replaceFrom: last.id });
}

/** New Chat (the view title's +): the host has started the new conversation; the page resets. */
function newChat(): void {
  running?.abort();
  editing = undefined;
  composer.setEditing(false);
  show(undefined);
  composer.input.focus();
}

// ---- history ----
function toggleHistory(force?: boolean): void {
  const open = force ?? historyEl.hidden;
  historyEl.hidden = !open;
  if (open) {
    void host.request('history/list', undefined).then((l) => {
      conversations = l;
      renderHistory();
      (historyEl.querySelector('button') as HTMLButtonElement | null)?.focus();
    });
  }
}

function renderHistory(): void {
  if (historyEl.hidden) return;
  if (!conversations.length) {
    historyEl.replaceChildren(h('p', { class: 'hint' }, 'No saved conversations in this workspace yet.'));
    return;
  }
  const when = (t: number) => new Date(t).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
  historyEl.replaceChildren(
    h(
      'ul',
      { class: 'history-list' },
      ...conversations.map((s) => {
        let armed = false;
        const del = button(`Delete conversation "${s.title}"`, reported(async () => {
          if (!armed) {
            armed = true;
            del.textContent = 'Delete?';
            del.classList.add('danger');
            setTimeout(() => {
              armed = false;
              del.textContent = 'Delete';
              del.classList.remove('danger');
            }, 4000);
            return;
          }
          conversations = await host.request('history/delete', { id: s.id });
          if (conversation?.id === s.id) show(undefined);
          renderHistory();
        }), { class: 'btn subtle' }, 'Delete');
        return h(
          'li',
          { class: s.id === conversation?.id ? 'current' : '' },
          button(`Open conversation "${s.title}"`, reported(async () => {
            const c = await host.request('history/open', { id: s.id });
            if (c) show(c);
            toggleHistory(false);
            composer.input.focus();
          }), { class: 'btn link open-conv' }, s.title),
          h('span', { class: 'meta' }, `${when(s.updated)} · ${s.turns} messages`),
          del,
        );
      }),
    ),
  );
}

// ---- links and code copy inside answers go through the host ----
// Links have no href (shared/markdown.ts): nothing opens unless the host decides to, web and
// mail links only after the user confirms. Enter opens a focused link, as in a browser.
function openLink(e: Event, a: Element): void {
  e.preventDefault();
  e.stopPropagation();
  const href = a.getAttribute('data-href');
  if (href) void host.request('action/openLink', { href, text: (a.textContent ?? '').slice(0, 500) });
}
list.addEventListener('keydown', (e) => {
  const a = (e.target as HTMLElement).closest?.('a[data-href]');
  if (a && e.key === 'Enter') openLink(e, a);
});
list.addEventListener('click', (e) => {
  const target = e.target as HTMLElement;
  const a = target.closest('a');
  if (a) {
    openLink(e, a);
    return;
  }
  const copy = target.closest('.copy-code');
  if (copy) {
    const code = copy.closest('.code-block')?.querySelector('code')?.textContent ?? '';
    void host.request('action/copy', { text: code }).then(() => {
      copy.textContent = 'Copied';
      setTimeout(() => (copy.textContent = 'Copy'), 1500);
    });
  }
});

// ---- events from the host ----
host.on('server/state', showServer);
host.on('chat/attach', (a) => {
  take([a]);
  composer.input.focus();
});
host.on('chat/show', (p) => {
  conversations = p.conversations;
  if (!running) show(p.conversation);
  renderHistory();
});
host.on('chat/focus', () => composer.input.focus());
host.on('chat/new', newChat);
host.on('chat/history', () => toggleHistory());
host.on('chat/stop', () => running?.abort());

// ---- start ----
async function init(): Promise<void> {
  const saved = (vscodeApi().getState() ?? {}) as Saved;
  if (saved.draft) composer.text = saved.draft;
  if (saved.attachments?.length) composer.setAttachments(saved.attachments);
  const s = await host.request('chat/init', undefined);
  conversations = s.conversations;
  show(s.conversation);
  showServer(s.server);
  take(s.attachments);
  // No focus here: a view restored with the window must not take the keyboard from the editor.
}

// When the view itself gets the focus (its icon, Focus Chat, Tab), the question box takes it.
window.addEventListener('focus', () => {
  if (document.activeElement === document.body) composer.input.focus();
});

void init();
