// The end of a folder summary: one message with the counts, "Open Index" and, when notes
// failed, "Show Failures" (index.md at its Failures list). The index is a markdown file on
// disk; its links to the summary files work in the editor (Ctrl+click) and in the preview.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { FAILURES_HEADING } from '../../core/batch/index-markdown';

export const OPEN_INDEX = 'Open Index';
export const SHOW_FAILURES = 'Show Failures';

/** Opens index.md; `failures`: scrolled to its Failures list, the heading selected. */
export async function openIndex(indexPath: string, failures = false): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(indexPath));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  if (failures) {
    const line = doc.getText().split('\n').indexOf(FAILURES_HEADING);
    if (line >= 0) {
      const range = doc.lineAt(line).range;
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.AtTop);
    }
  }
  return editor;
}

export interface Ending {
  /** What to say (already a whole sentence or two). */
  message: string;
  indexPath: string;
  failed: number;
  /** A warning rather than information: the batch did not finish. */
  warning?: boolean;
}

/** Shows the closing message; resolves with the button picked, after acting on it. */
export async function showEnding(e: Ending): Promise<string | undefined> {
  const buttons = e.failed > 0 ? [OPEN_INDEX, SHOW_FAILURES] : [OPEN_INDEX];
  const show = e.warning ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const pick = await show(e.message, ...buttons);
  if (pick === OPEN_INDEX || pick === SHOW_FAILURES) await openIndex(e.indexPath, pick === SHOW_FAILURES);
  return pick;
}

/** "notes-summaries" for messages: the folder's name, the whole path being in the index's tooltip. */
export const folderName = (dir: string) => path.basename(dir) || dir;
