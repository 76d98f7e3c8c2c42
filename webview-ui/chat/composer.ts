// The question box: text, attachments (chips), token budget, send/stop. Enter sends,
// Shift+Enter adds a line, Up in an empty box edits the last question, Escape stops editing.
// Pasted or dropped images become image attachments (data URLs; the webview has no network).

import type { Attachment } from '../../src/core/chat/types';
import type { BudgetInfo } from '../../src/protocol/chat';
import { h } from '../shared/dom';
import { button } from './button';
import { attachmentLabel } from './messages';

export interface ComposerEvents {
  send(): void;
  stop(): void;
  editLast(): boolean;
  cancelEdit(): void;
  attachSelection(): void;
  attachFile(): void;
  changed(): void;
}

const MAX_IMAGE_BYTES = 15 * 1024 * 1024;
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

let counter = 0;
const localId = () => `img${Date.now().toString(36)}${(counter++).toString(36)}`;

export class Composer {
  readonly el: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly chips: HTMLElement;
  private readonly budgetEl: HTMLElement;
  private readonly cutsEl: HTMLElement;
  private readonly editNote: HTMLElement;
  private readonly sendBtn: HTMLButtonElement;
  private readonly stopBtn: HTMLButtonElement;
  attachments: Attachment[] = [];
  private busy = false;

  constructor(private readonly ev: ComposerEvents) {
    this.input = h('textarea', {
      id: 'question',
      rows: 3,
      'aria-label': 'Question for MedGemma',
      placeholder: 'Ask MedGemma… (Enter to send, Shift+Enter for a new line, ↑ to edit your last question)',
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('input', () => ev.changed());
    this.input.addEventListener('paste', (e) => this.onPaste(e));
    this.chips = h('div', { class: 'chips', role: 'group', 'aria-label': 'Attachments' });
    this.budgetEl = h('span', { class: 'budget', role: 'status', title: 'Estimated tokens of this conversation and question / the model\'s context length' });
    this.cutsEl = h('div', { class: 'cuts', role: 'status' });
    this.editNote = h('div', { class: 'edit-note', hidden: true }, 'Editing your last question: sending replaces it and its answer. Escape cancels.');
    this.sendBtn = button('Send question (Enter)', () => ev.send(), { class: 'btn primary send' }, 'Send');
    this.stopBtn = button('Stop the answer', () => ev.stop(), { class: 'btn stop', hidden: true }, 'Stop');
    this.el = h(
      'footer',
      { class: 'composer' },
      this.editNote,
      this.chips,
      h('label', { for: 'question', class: 'sr-only' }, 'Question for MedGemma'),
      this.input,
      h(
        'div',
        { class: 'composer-bar' },
        button('Add the editor selection to the question', () => ev.attachSelection(), {}, '+ Selection'),
        button('Add the active file to the question', () => ev.attachFile(), {}, '+ File'),
        h('span', { class: 'spacer' }),
        this.stopBtn,
        this.sendBtn,
      ),
      h('div', { class: 'budget-row' }, this.budgetEl),
      this.cutsEl,
    );
    this.el.addEventListener('dragover', (e) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    });
    this.el.addEventListener('drop', (e) => {
      const files = [...(e.dataTransfer?.files ?? [])].filter((f) => IMAGE_TYPES.includes(f.type));
      if (!files.length) return;
      e.preventDefault();
      for (const f of files) void this.addImage(f);
    });
  }

  get text(): string {
    return this.input.value;
  }

  set text(v: string) {
    this.input.value = v;
    this.ev.changed();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.sendBtn.hidden = busy;
    this.stopBtn.hidden = !busy;
    if (busy) this.stopBtn.focus();
  }

  setEditing(on: boolean): void {
    this.editNote.hidden = !on;
  }

  add(a: Attachment): void {
    this.attachments.push(a);
    this.renderChips();
    this.ev.changed();
  }

  setAttachments(list: Attachment[]): void {
    this.attachments = [...list];
    this.renderChips();
    this.ev.changed();
  }

  showBudget(b: BudgetInfo | undefined): void {
    if (!b) {
      this.budgetEl.textContent = '';
      this.cutsEl.textContent = '';
      return;
    }
    const fmt = (n: number) => n.toLocaleString('en-US');
    this.budgetEl.textContent = b.contextLength ? `Context: ≈${fmt(b.used)} of ${fmt(b.contextLength)} tokens used, ${fmt(b.answer)} kept for the answer` : `≈${fmt(b.used)} tokens`;
    this.budgetEl.classList.toggle('over', !b.fits || b.cuts.length > 0);
    this.cutsEl.textContent = !b.fits
      ? `Does not fit: ${b.cuts.join('; ')}. Remove or shorten an attachment.`
      : b.cuts.length
        ? `To fit the model's context (${fmt(b.answer)} tokens kept for the answer): ${b.cuts.join('; ')}.`
        : '';
  }

  private renderChips(): void {
    this.chips.replaceChildren(
      ...this.attachments.map((a) =>
        h(
          'span',
          { class: `chip chip-${a.kind}` },
          a.kind === 'image' ? h('img', { src: a.dataUrl, alt: '', class: 'thumb' }) : null,
          attachmentLabel(a),
          button(`Remove ${attachmentLabel(a)}`, () => this.setAttachments(this.attachments.filter((x) => x.id !== a.id)), { class: 'chip-x' }, '×'),
        ),
      ),
    );
  }

  private onKey(e: KeyboardEvent): void {
    if (e.isComposing) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      if (!this.busy) this.ev.send();
    } else if (e.key === 'ArrowUp' && this.input.value === '' && !this.busy) {
      if (this.ev.editLast()) e.preventDefault();
    } else if (e.key === 'Escape') {
      this.ev.cancelEdit();
    }
  }

  private onPaste(e: ClipboardEvent): void {
    const files = [...(e.clipboardData?.files ?? [])].filter((f) => IMAGE_TYPES.includes(f.type));
    if (!files.length) return;
    e.preventDefault();
    for (const f of files) void this.addImage(f);
  }

  private addImage(f: File): Promise<void> {
    if (f.size > MAX_IMAGE_BYTES) {
      this.cutsEl.textContent = `${f.name || 'The image'} is larger than 15 MB: resize it and paste it again.`;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const r = new FileReader();
      r.onload = () => {
        if (typeof r.result === 'string') this.add({ kind: 'image', id: localId(), name: f.name || `pasted-image.${f.type.split('/')[1]}`, dataUrl: r.result });
        resolve();
      };
      r.onerror = () => resolve();
      r.readAsDataURL(f);
    });
  }
}
