// Renders a streamed answer into an element, at a cost per token that does not grow with the
// answer: finished blocks are rendered once (appended, never touched again); the unfinished
// tail is re-rendered at most every RENDER_INTERVAL_MS (on an animation frame), and only when
// the new text could change its markup. Plain words (no markdown characters, not at the start of a line) are
// appended to the tail's last text node, which renders them exactly as a re-render would;
// the block is rendered properly once it is finished anyway.

import { BlockSplitter, isPlainAppend } from './blocks';
import { renderFragment } from '../../shared/markdown';

/** The tail's last visible text, if words can be appended to it (not inside a link, button or placeholder). */
function lastTextNode(el: HTMLElement): Text | undefined {
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let last: Text | undefined;
  for (let n = walk.nextNode(); n; n = walk.nextNode()) if ((n as Text).data.trim()) last = n as Text;
  if (!last || last.parentElement?.closest('a, button, .blocked-image')) return undefined;
  return last;
}

/** Finished blocks per group: a new block lays out its group only, not the whole answer. */
const GROUP = 16;

/**
 * The view updates at most this often while an answer streams. Each update costs a fixed
 * amount of style, layout and paint whatever its size, so updating per token (or per frame at
 * 60 Hz) spends most of the work on frames nobody can read; 20 updates a second still reads
 * as a smooth stream. See docs/benchmarks.md.
 */
export const RENDER_INTERVAL_MS = 50;

/** Runs `fn` on the next animation frame that is at least `ms` after the previous run. */
export function spacedFrames(ms: number): (fn: () => void) => void {
  let last = -Infinity;
  return (fn) => {
    const run = () =>
      requestAnimationFrame(() => {
        last = performance.now();
        fn();
      });
    const wait = last + ms - performance.now();
    if (wait > 0) setTimeout(run, wait);
    else run();
  };
}

export interface StreamRendererOptions {
  /** Markdown source -> safe DOM (the benchmark passes its own counters through here). */
  render?: (src: string) => DocumentFragment;
  /** How an update is scheduled (the benchmark renders synchronously). */
  schedule?: (fn: () => void) => void;
  /** Called after each update reached the DOM (e.g. to keep the view scrolled to the end). */
  onRender?: () => void;
}

export class StreamRenderer {
  private readonly splitter = new BlockSplitter();
  private readonly doneEl: HTMLElement;
  private group?: HTMLElement;
  private inGroup = 0;
  private readonly tailEl: HTMLElement;
  private pending: string[] = [];
  /** Text waiting to be appended to the tail's last text node (the cheap path). */
  private queued = '';
  private full = true;
  private lastText?: Text;
  private scheduled = false;
  private dirty = false;
  private readonly render: (src: string) => DocumentFragment;
  private readonly schedule: (fn: () => void) => void;
  private readonly onRender: () => void;

  constructor(el: HTMLElement, options: StreamRendererOptions = {}) {
    this.render = options.render ?? renderFragment;
    this.schedule = options.schedule ?? spacedFrames(RENDER_INTERVAL_MS);
    this.onRender = options.onRender ?? (() => undefined);
    // Finished blocks and the tail are siblings: re-rendering the tail lays out two children,
    // whatever the length of the answer above it.
    this.doneEl = document.createElement('div');
    this.doneEl.className = 'md-done';
    this.tailEl = document.createElement('div');
    this.tailEl.className = 'md-tail';
    el.append(this.doneEl, this.tailEl);
  }

  get text(): string {
    return this.splitter.all;
  }

  append(delta: string): void {
    const before = this.splitter.tail;
    const blocks = this.splitter.push(delta);
    if (blocks.length) {
      this.pending.push(...blocks);
      this.full = true;
    } else if (!this.full) {
      if (isPlainAppend(before, delta)) this.queued += delta;
      else this.full = true;
    }
    this.dirty = true;
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Renders now what is waiting (also called by the benchmark after every token). */
  flush(): void {
    this.scheduled = false;
    if (!this.dirty) return;
    this.dirty = false;
    if (!this.full && this.lastText) {
      this.lastText.appendData(this.queued);
      this.queued = '';
      this.onRender();
      return;
    }
    for (const b of this.pending) this.addBlock(b);
    this.pending = [];
    this.queued = '';
    this.tailEl.replaceChildren(this.render(this.splitter.tail));
    this.lastText = lastTextNode(this.tailEl);
    this.full = !this.lastText;
    this.onRender();
  }

  /** The answer is complete: the tail becomes a block. */
  finish(): void {
    this.pending.push(...this.splitter.end());
    this.full = true;
    this.dirty = true;
    this.flush();
    this.tailEl.remove();
  }

  private addBlock(src: string): void {
    if (!this.group || this.inGroup >= GROUP) {
      this.group = document.createElement('div');
      this.group.className = 'md-group';
      this.doneEl.append(this.group);
      this.inGroup = 0;
    }
    const d = document.createElement('div');
    d.className = 'md-block';
    d.append(this.render(src));
    this.group.append(d);
    this.inGroup++;
  }
}

/** A saved answer: one render of the whole text. */
export function renderAnswer(el: HTMLElement, text: string, render: (src: string) => DocumentFragment = renderFragment): void {
  const d = document.createElement('div');
  d.className = 'md-block';
  d.append(render(text));
  el.append(d);
}
