// An answer into the editor: over the selections of the active editor, or as a new document.

import * as vscode from 'vscode';

export async function insertIntoEditor(text: string): Promise<boolean> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (editor) {
    return editor.edit((b) => {
      for (const s of editor.selections) b.replace(s, text);
    });
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
  await vscode.window.showTextDocument(doc, { preview: false });
  return true;
}
