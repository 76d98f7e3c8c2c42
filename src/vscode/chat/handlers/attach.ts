// attach/activeFile, attach/selection: the view's buttons for editor context.

import * as vscode from 'vscode';
import { fileAttachment, selectionAttachment } from '../attachments';
import type { ChatDeps } from './deps';

export function registerAttachHandlers({ m }: ChatDeps): void {
  const take = (a: ReturnType<typeof fileAttachment>) => {
    if (typeof a === 'string') {
      void vscode.window.showWarningMessage(a);
      return null;
    }
    return a;
  };
  m.handle('attach/activeFile', () => take(fileAttachment()));
  m.handle('attach/selection', () => take(selectionAttachment()));
}
