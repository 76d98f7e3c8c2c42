// Bundled into the benchmark page (bench/chat-render.ts): the chat view's real renderer.
import type { Conversation } from '../src/core/chat/types';
import { renderConversation } from '../webview-ui/chat/messages';
import { renderFragment } from '../webview-ui/shared/markdown';
import { StreamRenderer } from '../webview-ui/chat/render/stream-renderer';

const noop = () => undefined;

function fresh(): HTMLElement {
  const el = document.createElement('div');
  el.className = 'body md';
  document.getElementById('root')!.replaceChildren(el);
  return el;
}

/** Streams tokens, rendering after every token (no coalescing: the worst case). */
function streamEveryToken(tokens: string[], layout = true): number {
  const el = fresh();
  const t0 = performance.now();
  const r = new StreamRenderer(el, { schedule: () => undefined });
  for (const t of tokens) {
    r.append(t);
    r.flush();
    if (layout) void el.offsetHeight; // lay out, as a frame would
  }
  r.finish();
  void el.offsetHeight;
  return performance.now() - t0;
}

/**
 * Streams tokens as the view gets them from the host: one message event per token, as fast as
 * the page takes them, rendered as the view ships it. Resolves with the wall time until the
 * final text is laid out and a frame has been painted. The baseline (`renderAtEndOnly`) takes
 * the same messages and renders the final text once.
 */
function streamAsMessages(tokens: string[], renderAtEndOnly = false): Promise<number> {
  const el = fresh();
  const r = new StreamRenderer(el);
  let text = '';
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    let i = 0;
    let t0 = 0;
    port1.onmessage = (e: MessageEvent<string | null>) => {
      if (e.data !== null) {
        if (renderAtEndOnly) text += e.data;
        else r.append(e.data);
        return;
      }
      if (renderAtEndOnly) el.append(renderFragment(text));
      else r.finish();
      void el.offsetHeight;
      requestAnimationFrame(() => resolve(performance.now() - t0));
      port1.close();
    };
    t0 = performance.now();
    for (; i < tokens.length; i++) port2.postMessage(tokens[i]);
    port2.postMessage(null);
  });
}

/** Streams tokens as the view does (spaced renders), `perFrame` tokens per animation frame. */
function streamAsShipped(tokens: string[], perFrame: number): Promise<number> {
  const el = fresh();
  const r = new StreamRenderer(el);
  return new Promise((resolve) => {
    let i = 0;
    let frames = 0;
    const tick = () => {
      frames++;
      for (let k = 0; k < perFrame && i < tokens.length; k++, i++) r.append(tokens[i]);
      if (i < tokens.length) requestAnimationFrame(tick);
      else
        requestAnimationFrame(() => {
          r.finish();
          requestAnimationFrame(() => resolve(frames + 2));
        });
    };
    requestAnimationFrame(tick);
  });
}

/** The same number of frames doing nothing: the frame loop's own cost, subtracted. */
function idleFrames(n: number): Promise<number> {
  fresh();
  return new Promise((resolve) => {
    let k = 0;
    const tick = () => (++k < n ? requestAnimationFrame(tick) : resolve(k));
    requestAnimationFrame(tick);
  });
}

/** Renders once, then lets a frame paint it; resolves with the wall time. */
function renderOnceFramed(text: string): Promise<number> {
  const t0 = performance.now();
  renderOnce(text);
  return new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now() - t0)));
}

function renderOnce(text: string): number {
  const el = fresh();
  const t0 = performance.now();
  el.append(renderFragment(text));
  void el.offsetHeight;
  return performance.now() - t0;
}

function openConversation(c: Conversation): number {
  const list = document.createElement('main');
  list.className = 'messages';
  document.getElementById('root')!.replaceChildren(list);
  const t0 = performance.now();
  renderConversation(list, c, { copy: noop, insert: noop, edit: noop, regenerate: noop, saveExample: noop });
  void list.offsetHeight;
  return performance.now() - t0;
}

(window as unknown as { bench: unknown }).bench = { streamEveryToken, streamAsMessages, streamAsShipped, idleFrames, renderOnce, renderOnceFramed, openConversation };
