// Attachments taken from the editor (the selection, the active file) or handed over by
// another feature (an image rendered by the annotator).

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Attachment } from '../../core/chat/types';
import { newId } from './chat-engine';

const name = (doc: vscode.TextDocument) => (doc.isUntitled ? doc.uri.path : path.basename(doc.fileName));

export function selectionAttachment(editor = vscode.window.activeTextEditor): Attachment | string {
  if (!editor) return 'Open a note and select text first, then add it to the chat.';
  const sel = editor.selection;
  if (sel.isEmpty) return 'Select the text to add to the chat first (or use "MedGemma: Add Active File to Chat").';
  const end = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
  const text = editor.document.getText(sel);
  if (!text.trim()) return 'The selection is empty: select note text to add to the chat.';
  return { kind: 'selection', id: newId(), name: name(editor.document), text, uri: editor.document.uri.toString(), lines: [sel.start.line + 1, end + 1] };
}

export function fileAttachment(editor = vscode.window.activeTextEditor): Attachment | string {
  if (!editor) return 'Open the file to add in the editor first, then add it to the chat.';
  const text = editor.document.getText();
  if (!text.trim()) return `${name(editor.document)} is empty: there is nothing to add.`;
  return { kind: 'file', id: newId(), name: name(editor.document), text, uri: editor.document.uri.toString() };
}

/** An image from the annotator ({name, dataUrl} of a PNG/JPEG); undefined when malformed. */
export function imageAttachment(a: unknown): Attachment | undefined {
  const o = a as { name?: unknown; dataUrl?: unknown } | undefined;
  if (typeof o?.name !== 'string' || typeof o.dataUrl !== 'string') return undefined;
  if (!/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/.test(o.dataUrl)) return undefined;
  return { kind: 'image', id: newId(), name: path.basename(o.name), dataUrl: o.dataUrl };
}
