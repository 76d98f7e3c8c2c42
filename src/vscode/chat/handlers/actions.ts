// action/copy, action/insert, action/openLink, action/run, action/saveExample.

import * as vscode from 'vscode';
import { openLink } from '../../webview/open-link';
import { runErrorAction } from '../../error-actions';
import { insertIntoEditor } from '../insert-into-editor';
import type { ChatDeps } from './deps';

export function registerActionHandlers({ messenger, refreshServer }: ChatDeps): void {
  messenger.handle('action/copy', async ({ text }) => {
    await vscode.env.clipboard.writeText(text);
  });
  messenger.handle('action/insert', ({ text }) => insertIntoEditor(text));
  messenger.handle('action/openLink', ({ href, text }) => openLink(href, text));
  messenger.handle('action/saveExample', async ({ conversationId, turnId }) => {
    await vscode.commands.executeCommand('medgemma.chat.saveExample', conversationId, turnId);
  });
  messenger.handle('action/run', async ({ action }) => {
    await runErrorAction(action);
    if (action === 'checkServer' || action === 'manageTrust') void refreshServer();
  });
}
