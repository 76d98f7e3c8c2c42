// A markdown document beside the note that the summary streams into. Appends are batched
// (one edit per ~50 ms, not per token) and serialized; if the user closes the document
// mid-stream nothing is lost: the text is kept here and reopened at the end.

import * as vscode from 'vscode';

const FLUSH_MS = 50;

export class SummaryDocument {
  private pending = '';
  private written = '';
  private timer?: NodeJS.Timeout;
  private chain: Promise<unknown> = Promise.resolve();
  private lost = false;

  private constructor(public doc: vscode.TextDocument, private readonly column: vscode.ViewColumn) {}

  static async open(initial: string, beside: vscode.TextEditor | undefined): Promise<SummaryDocument> {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: initial });
    const column = beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: true, preview: false });
    const s = new SummaryDocument(doc, column);
    s.written = initial;
    return s;
  }

  /** Everything written so far (what the user has seen), independent of the editor's state. */
  get text(): string {
    return this.written + this.pending;
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
    if (!this.lost && !this.doc.isClosed && this.doc.getText() === this.written) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(this.doc.uri, new vscode.Range(0, 0, this.doc.lineCount, 0), finalText);
      if (await vscode.workspace.applyEdit(edit)) {
        this.written = finalText;
        return this.doc;
      }
    }
    this.doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: finalText });
    await vscode.window.showTextDocument(this.doc, { viewColumn: this.column, preserveFocus: true, preview: false });
    this.written = finalText;
    return this.doc;
  }
}
