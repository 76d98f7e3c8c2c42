// What the view asks the host to do with an answer: copy, insert into the editor, open a link,
// or one of the fixes offered beside an error.

import * as vscode from 'vscode';
import { parsePaperPageHref } from '../../core/papers/page-href';
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

/**
 * Links in answers: a /papers citation opens its page in the paper viewer; web and mail links
 * open after confirmation; nothing else opens.
 */
export async function openLink(href: string): Promise<boolean> {
  const page = parsePaperPageHref(href);
  if (page) {
    await vscode.commands.executeCommand('medgemma.openPaperPage', page.chunkId, page.page);
    return true;
  }
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) {
    void vscode.window.showWarningMessage(`MedGemma does not open ${url.protocol} links from model output. Copy the link if you trust it.`);
    return false;
  }
  const open = 'Open Link';
  const pick = await vscode.window.showWarningMessage(
    `Open this link from the model's answer in your browser?\n\n${url.toString()}`,
    { modal: true, detail: 'Model output can contain made-up or unsafe links. Check the address first.' },
    open,
  );
  if (pick !== open) return false;
  return vscode.env.openExternal(vscode.Uri.parse(url.toString()));
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
    case 'retry':
      return; // the view resends by itself
  }
}
