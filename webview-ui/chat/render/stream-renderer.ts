// Renders a streamed answer into an element: finished blocks once (appended, never touched
// again), the unfinished tail re-rendered at most once per animation frame.

import { BlockSplitter } from './blocks';
import { renderFragment } from './markdown';

export class StreamRenderer {
  private readonly splitter = new BlockSplitter();
  private readonly tailEl: HTMLElement;
  private pending: string[] = [];
  private dirty = false;
  private frame = 0;

  constructor(
    private readonly el: HTMLElement,
    private readonly render: (src: string) => DocumentFragment = renderFragment,
    private readonly schedule: (fn: () => void) => number = (fn) => requestAnimationFrame(fn),
  ) {
    this.tailEl = document.createElement('div');
    this.tailEl.className = 'md-tail';
    el.append(this.tailEl);
  }

  get text(): string {
    return this.splitter.all;
  }

  append(delta: string): void {
    this.pending.push(...this.splitter.push(delta));
    this.dirty = true;
    if (!this.frame) this.frame = this.schedule(() => this.flush());
  }

  /** Renders now what is waiting (also called by the benchmark after every token). */
  flush(): void {
    this.frame = 0;
    if (!this.dirty) return;
    this.dirty = false;
    for (const b of this.pending) this.tailEl.before(this.block(b));
    this.pending = [];
    this.tailEl.replaceChildren(this.render(this.splitter.tail));
  }

  /** The answer is complete: the tail becomes a block. */
  finish(): void {
    this.pending.push(...this.splitter.end());
    this.dirty = true;
    this.flush();
    this.tailEl.remove();
  }

  private block(src: string): HTMLElement {
    const d = document.createElement('div');
    d.className = 'md-block';
    d.append(this.render(src));
    return d;
  }
}

/** A saved answer, rendered block by block (same structure as a streamed one). */
export function renderAnswer(el: HTMLElement, text: string, render: (src: string) => DocumentFragment = renderFragment): void {
  const r = new StreamRenderer(el, render, () => 0);
  r.append(text);
  r.finish();
}
