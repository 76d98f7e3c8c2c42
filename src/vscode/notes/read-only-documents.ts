// Summaries and papers answers are shown as read-only documents of our own scheme, not as
// untitled files: closing one asks nothing (there is nothing the user wrote to lose), the
// verified text cannot be changed by accident, and nothing derived from a patient note is
// written to disk unless the user saves it ("Save Summary As…", save-as.ts). The text lives in
// memory for this window only; after a reload the tab says so.

import * as vscode from 'vscode';

export const SUMMARY_SCHEME = 'medgemma-summary';
export const ANSWER_SCHEME = 'medgemma-answer';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  /** Documents still being written: their text is not checked yet. */
  private readonly writing = new Set<string>();
  private count = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly scheme: string,
    /** What the documents are, for the text of one that is gone ("summary", "answer"). */
    private readonly what: string,
  ) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(scheme, this),
      // Forget a closed document's text unless a tab still shows it (e.g. a language change
      // closes and reopens the document under the same tab).
      vscode.workspace.onDidCloseTextDocument((d) => {
        const key = d.uri.toString();
        if (d.uri.scheme !== scheme || this.writing.has(key)) return;
        const shown = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
        if (!shown) this.texts.delete(key);
      }),
    ];
  }

  /** A new document's address; `name` (e.g. "note.summary.md") is its tab's title and its language. */
  create(name: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${++this.count}/${name}` });
    this.writing.add(uri.toString());
    return uri;
  }

  /**
   * The text a document opens with. An open document is not told: its writer edits it
   * (summary-document.ts), which is much cheaper than VS Code diffing the whole text.
   */
  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
  }

  /** The text is final (checked): it may be saved now. */
  finished(uri: vscode.Uri): void {
    this.writing.delete(uri.toString());
  }

  isWriting(uri: vscode.Uri): boolean {
    return this.writing.has(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.texts.get(uri.toString()) ??
      `This MedGemma ${this.what} is no longer available: it was kept in memory only, and VS Code has reloaded since (or the document was closed). Run it again, and use "Save ${this.what === 'summary' ? 'Summary' : 'Answer'} As…" to keep a copy.\n`
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.texts.clear();
  }
}
