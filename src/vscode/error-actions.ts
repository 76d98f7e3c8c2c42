// The fixes offered beside an error (ids and labels: ../core/server/errors.ts), run in the
// editor: the chat view's buttons and the error notifications both come here.

import * as vscode from 'vscode';
import type { ErrorAction } from '../core/server/errors';

export async function runErrorAction(action: ErrorAction): Promise<void> {
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
      return; // the asker resends by itself (the chat view does)
  }
}
