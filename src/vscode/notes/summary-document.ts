// A markdown document beside the note that the summary streams into. It opens with the first
// text (a request that fails before any answer leaves no empty document behind). Appends are
// batched (one edit per ~50 ms, not per token) and serialized; if the user closes the
// document mid-stream nothing is lost: the text is kept here and reopened at the end.
// The model's text is shown with its links made inert while it streams too (a link that is
// complete for a moment is clickable for that moment): each edit rewrites only the part of
// the shown text that changed, usually the last few characters.

import * as vscode from 'vscode';
import { neutralizeLinks } from '../../core/model-text/links';

const FLUSH_MS = 50;

export class SummaryDocument {
  private pending = '';
  private written = '';
  /** The body as the document shows it (the streamed text with its links made inert). */
  private shown = '';
  private timer?: NodeJS.Timeout;
  private chain: Promise<unknown> = Promise.resolve();
  private doc?: vscode.TextDocument;
  private lost = false;
  private readonly column: vscode.ViewColumn;

  constructor(private readonly header: string, beside: vscode.TextEditor | undefined) {
    this.column = beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
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
    const next = neutralizeLinks(this.written).text;
    this.chain = this.chain.then(async () => {
      if (!this.doc) {
        this.doc = await this.show(this.header + next);
        this.shown = next;
        return;
      }
      // Closed, or edited by the user: stop writing into it; finish() opens the result anew.
      if (this.lost || this.doc.isClosed || this.doc.getText() !== this.header + this.shown) {
        this.lost = true;
        return;
      }
      const [same] = changedSpan(this.shown, next, false);
      const base = this.header.length;
      const edit = new vscode.WorkspaceEdit();
      const range = new vscode.Range(this.doc.positionAt(base + same), this.doc.positionAt(base + this.shown.length));
      edit.replace(this.doc.uri, range, next.slice(same));
      if (!(await vscode.workspace.applyEdit(edit))) this.lost = true;
      else this.shown = next;
    });
    return this.chain;
  }

  /**
   * Replace the streamed text with the final, checked version. If the user edited the
   * document meanwhile, their edits win: the stream stops writing into it and the final
   * version opens as a new document.
   */
  async finish(finalText: string): Promise<vscode.TextDocument> {
    await this.flush();
    await this.chain;
    const doc = this.doc;
    if (doc && !this.lost && !doc.isClosed && doc.getText() === this.header + this.shown) {
      // Only the part that differs is replaced: the view keeps its place and the editor's
      // underlines of unchanged text stay right.
      const current = doc.getText();
      const [start, end] = changedSpan(current, finalText);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(current.length - end)), finalText.slice(start, finalText.length - end));
      if (await vscode.workspace.applyEdit(edit)) return doc;
    }
    this.doc = await this.show(finalText);
    return this.doc;
  }

  private async show(content: string): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(doc, { viewColumn: this.column, preserveFocus: true, preview: false });
    return doc;
  }
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
