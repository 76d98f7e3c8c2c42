// What the view asks the host to do with an answer: copy, insert into the editor, or one of the
// fixes offered beside an error (links: ../webview/open-link.ts).

import * as vscode from 'vscode';
import type { ErrorAction } from '../../protocol/chat';

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

export async function runAction(action: ErrorAction): Promise<void> {
  switch (action) {
    case 'checkServer':
      await vscode.commands.executeCommand('medgemma.checkServer');
      return;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'medgemma.server');
      return;
    case 'setApiKey':
      await vscode.commands.executeCommand('medgemma.setApiKey');
      return;
    case 'showLog':
      await vscode.commands.executeCommand('medgemma.showLog');
      return;
    case 'manageTrust':
      await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    case 'getStarted':
      await vscode.commands.executeCommand('medgemma.openWalkthrough');
      return;
    case 'retry':
      return; // the view resends by itself
  }
}
