// attach/activeFile, attach/selection: the view's buttons for editor context; attach/taken: the
// page confirms the attachments handed to it.

import * as vscode from 'vscode';
import { fileAttachment, selectionAttachment } from '../attachments';
import type { ChatDeps } from './deps';

export function registerAttachHandlers({ messenger, attachmentsTaken }: ChatDeps): void {
  const take = (a: ReturnType<typeof fileAttachment>) => {
    if (typeof a === 'string') {
      void vscode.window.showWarningMessage(a);
      return null;
    }
    return a;
  };
  messenger.handle('attach/activeFile', () => take(fileAttachment()));
  messenger.handle('attach/selection', () => take(selectionAttachment()));
  messenger.handle('attach/taken', ({ ids }) => attachmentsTaken(ids));
}
