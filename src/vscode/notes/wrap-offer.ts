// A cited line longer than the note's editor shows is cut off at the right edge when the
// editor does not wrap (plain-text notes do not by default). We never change the user's
// settings: once per note and session we offer VS Code's own View: Toggle Word Wrap, which
// wraps that note only until it is closed (Alt+Z toggles it back).

import * as path from 'node:path';
import * as vscode from 'vscode';

const offered = new Set<string>();
export const WRAP_LINES = 'Wrap Long Lines';

/** The editor's wrap column (80 by default) stands in for its width, which the API does not tell. */
function tooWide(doc: vscode.TextDocument, first: number, last: number): number | undefined {
  const cfg = vscode.workspace.getConfiguration('editor', doc);
  if (cfg.get<string>('wordWrap', 'off') !== 'off') return undefined;
  const width = cfg.get<number>('wordWrapColumn', 80);
  for (let i = first; i <= last; i++) if (doc.lineAt(i).text.length > width) return i + 1;
  return undefined;
}

/** Offers to wrap the note's lines when a cited line (0-based first..last) is too long to see. */
export function offerWrap(editor: vscode.TextEditor, first: number, last: number): void {
  const doc = editor.document;
  const key = doc.uri.toString();
  const line = offered.has(key) ? undefined : tooWide(doc, first, last);
  if (line === undefined) return;
  offered.add(key);
  const name = path.posix.basename(doc.uri.path);
  void vscode.window
    .showInformationMessage(`Line ${line} of ${name} is longer than the editor shows. Wrap the long lines of ${name}? Your settings stay as they are (Alt+Z toggles it back).`, WRAP_LINES)
    .then(async (pick) => {
      if (pick !== WRAP_LINES || doc.isClosed) return;
      // The toggle acts on the active editor: make it the note's first.
      await vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn, preserveFocus: false });
      await vscode.commands.executeCommand('editor.action.toggleWordWrap');
    });
}
