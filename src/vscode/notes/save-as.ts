// "Save Summary As…" / "Save Answer As…": the read-only document (read-only-documents.ts)
// written, exactly as shown, to a markdown file the user picks. A summary is offered beside
// its note (note.txt -> note.summary.md), an answer in the workspace folder.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { sourceOf } from './citation-links';
import type { ReadOnlyDocuments } from './read-only-documents';

/** Where the save dialog starts: beside the note when it is a file, else the workspace (or home). */
function defaultTarget(doc: vscode.TextDocument): vscode.Uri {
  const name = doc.uri.path.split('/').pop() || 'medgemma.md';
  const note = sourceOf(doc);
  if (note?.scheme === 'file') return vscode.Uri.joinPath(note, '..', name);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.joinPath(vscode.Uri.file(os.homedir()), name);
}

/**
 * resource: the document (from the editor title button) or the active editor's. Where to write
 * is only ever the user's pick in the dialog: a command link cannot name a file to write.
 * Returns the written file, or undefined.
 */
export async function saveAs(docs: ReadOnlyDocuments, what: 'summary' | 'answer', resource?: unknown): Promise<vscode.Uri | undefined> {
  const uri = resource instanceof vscode.Uri && resource.scheme === docs.scheme ? resource : vscode.window.activeTextEditor?.document.uri;
  const doc = uri?.scheme === docs.scheme ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : undefined;
  if (!doc) {
    void vscode.window.showWarningMessage(`Open a MedGemma ${what} first, then save it.`);
    return undefined;
  }
  // The streamed text is not checked yet: only the final version (with its markers) is saved.
  if (docs.isWriting(doc.uri)) {
    void vscode.window.showInformationMessage(`The ${what} is still being written. Save it when it is finished.`);
    return undefined;
  }
  const text = doc.getText();
  const file = await vscode.window.showSaveDialog({
    defaultUri: defaultTarget(doc),
    filters: { Markdown: ['md'] },
    saveLabel: `Save ${what === 'summary' ? 'Summary' : 'Answer'}`,
    title: `Save the MedGemma ${what} as a markdown file`,
  });
  if (!file) return undefined;
  try {
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not save the ${what} to ${file.fsPath}: ${(e as Error)?.message ?? e}. Choose another folder.`);
    return undefined;
  }
  const open = 'Open File';
  void vscode.window.showInformationMessage(`Saved the ${what} as ${vscode.workspace.asRelativePath(file)}.`, open).then(async (pick) => {
    if (pick === open) await vscode.window.showTextDocument(file, { preview: false });
  });
  return file;
}
