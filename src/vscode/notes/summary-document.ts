// A read-only markdown document beside the note that a summary (or a papers answer) streams
// into (read-only-documents.ts). It opens with the first text (a request that fails before any
// answer leaves no empty document behind). Appends are batched (one edit per ~50 ms, not per
// token) and serialized. Each edit replaces only the part that changed, usually the last few
// characters: the view keeps its place and the editor's underlines of unchanged text stay
// right. (Letting the content provider announce a change instead makes the window diff the
// whole document character by character, which takes seconds for a long summary.) If the user
// closes the document mid-stream nothing is lost: the text is kept and reopened at the end.
// The model's text is shown with its links made inert while it streams too (a link that is
// complete for a moment is clickable for that moment).

import * as vscode from 'vscode';
import { neutralizeLinks } from '../../core/model-text/links';
import type { ReadOnlyDocuments } from './read-only-documents';

const FLUSH_MS = 50;

export class SummaryDocument {
  private pending = '';
  private written = '';
  private timer?: NodeJS.Timeout;
  private chain: Promise<unknown> = Promise.resolve();
  private doc?: vscode.TextDocument;
  private readonly column: vscode.ViewColumn;
  readonly uri: vscode.Uri;

  /** name: the document's title, e.g. "note.summary.md" (its extension gives the language). */
  constructor(
    private readonly docs: ReadOnlyDocuments,
    name: string,
    private readonly header: string,
    beside: vscode.TextEditor | undefined,
  ) {
    this.column = beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    this.uri = docs.create(name);
  }

  /** The answer text streamed so far (without the header). */
  get text(): string {
    return this.written + this.pending;
  }

  get opened(): boolean {
    return this.doc !== undefined;
  }

  append(text: string): void {
    this.pending += text;
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  flush(): Promise<unknown> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const piece = this.pending;
    this.pending = '';
    if (!piece) return this.chain;
    this.written += piece;
    const full = this.header + neutralizeLinks(this.written).text;
    // Kept first: the document opens (or reopens) with the latest text.
    this.docs.set(this.uri, full);
    this.chain = this.chain.then(async () => {
      if (!this.doc) this.doc = await this.show();
      else if (!this.doc.isClosed) await replaceWith(this.doc, full, false); // closed: finish() reopens it
    });
    return this.chain;
  }

  /** Replaces the streamed text with the final, checked version; resolves once it is shown. */
  async finish(finalText: string): Promise<vscode.TextDocument> {
    const doc = await this.replaceAll(finalText);
    this.docs.finished(this.uri);
    return doc;
  }

  /**
   * Shows a complete text that a later finish() will replace (the rule-checked summary while
   * the model check runs): not yet final, so not yet offered for saving.
   */
  interim(text: string): Promise<vscode.TextDocument> {
    return this.replaceAll(text);
  }

  private async replaceAll(text: string): Promise<vscode.TextDocument> {
    await this.flush();
    const previous = this.chain;
    const shown = (async () => {
      await previous.catch(() => undefined);
      this.docs.set(this.uri, text);
      const key = this.uri.toString();
      const inTab = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
      // Closed by the user while it streamed (or never opened): it opens again with the text.
      if (!this.doc || this.doc.isClosed || !inTab) this.doc = await this.show();
      if (this.doc.getText() !== text) await replaceWith(this.doc, text, true);
      return this.doc;
    })();
    this.chain = shown;
    return shown;
  }

  private async show(): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
    await vscode.window.showTextDocument(doc, { viewColumn: this.column, preserveFocus: true, preview: false });
    return doc;
  }
}

/**
 * Makes doc show text by replacing only the span that differs. The editor is read-only for the
 * user; an extension's edit still applies (and leaves the document clean). `tail` false: the
 * stream only changes its end.
 */
async function replaceWith(doc: vscode.TextDocument, text: string, tail: boolean): Promise<boolean> {
  const current = doc.getText();
  if (current === text) return true;
  const [start, end] = changedSpan(current, text, tail);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(current.length - end)), text.slice(start, text.length - end));
  return vscode.workspace.applyEdit(edit);
}

/**
 * How many leading and trailing characters `a` and `b` share (the trailing run never overlaps
 * the leading one); `tail` false skips the trailing run (a stream only changes its end).
 */
export function changedSpan(a: string, b: string, tail = true): [number, number] {
  const max = Math.min(a.length, b.length);
  let start = 0;
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let end = 0;
  if (tail) while (end < max - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++;
  return [start, end];
}
