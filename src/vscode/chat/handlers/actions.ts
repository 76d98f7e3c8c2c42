// action/copy, action/insert, action/openLink, action/run.

import * as vscode from 'vscode';
import { openLink } from '../../webview/open-link';
import { runErrorAction } from '../../error-actions';
import { insertIntoEditor } from '../insert-into-editor';
import type { ChatDeps } from './deps';

export function registerActionHandlers({ m, refreshServer }: ChatDeps): void {
  m.handle('action/copy', async ({ text }) => {
    await vscode.env.clipboard.writeText(text);
  });
  m.handle('action/insert', ({ text }) => insertIntoEditor(text));
  m.handle('action/openLink', ({ href, text }) => openLink(href, text));
  m.handle('action/run', async ({ action }) => {
    await runErrorAction(action);
    if (action === 'checkServer' || action === 'manageTrust') void refreshServer();
  });
}
