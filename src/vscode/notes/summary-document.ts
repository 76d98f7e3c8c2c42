// A markdown document beside the note that the summary streams into. It opens with the first
// text (a request that fails before any answer leaves no empty document behind). Appends are
// batched (one edit per ~50 ms, not per token) and serialized; if the user closes the
// document mid-stream nothing is lost: the text is kept here and reopened at the end.

import * as vscode from 'vscode';

const FLUSH_MS = 50;

export class SummaryDocument {
  private pending = '';
  private written = '';
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
    this.chain = this.chain.then(async () => {
      if (!this.doc) {
        this.doc = await this.show(this.header + this.written);
        return;
      }
      if (this.lost || this.doc.isClosed) {
        this.lost = true;
        return;
      }
      const edit = new vscode.WorkspaceEdit();
      edit.insert(this.doc.uri, this.doc.lineAt(this.doc.lineCount - 1).range.end, piece);
      if (!(await vscode.workspace.applyEdit(edit))) this.lost = true;
    });
    return this.chain;
  }

  /**
   * Replace the streamed text with the final, checked version. If the user edited the
   * document meanwhile, their edits win and the final version opens as a new document.
   */
  async finish(finalText: string): Promise<vscode.TextDocument> {
    await this.flush();
    await this.chain;
    const doc = this.doc;
    if (doc && !this.lost && !doc.isClosed && doc.getText() === this.header + this.written) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), finalText);
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
