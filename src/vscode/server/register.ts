// Server commands: API key, check server, log.

import * as vscode from 'vscode';
import { diagnose, formatReport } from '../../core/server/doctor';
import { forEditor } from '../../core/server/errors';
import type { Services } from '../services';
import { reached } from '../onboarding/milestones';
import { registerStatus } from './status';

const REPORT_SCHEME = 'medgemma-report';

export function register(ctx: vscode.ExtensionContext, services: Services): void {
  const status = registerStatus(ctx, services);
  const reports = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();

  ctx.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => reports.get(uri.path) ?? '',
    }),

    vscode.commands.registerCommand('medgemma.setApiKey', async () => {
      const key = await vscode.window.showInputBox({
        title: 'MedGemma: API key',
        prompt: 'The key your server was started with (vLLM --api-key). Stored in VS Code\'s secret storage, never in settings.',
        password: true,
        ignoreFocusOut: true,
        placeHolder: 'Leave empty and press Enter to remove the stored key',
      });
      if (key === undefined) return;
      await services.setApiKey(key.trim() || undefined);
      vscode.window.showInformationMessage(key.trim() ? 'MedGemma API key saved in secret storage.' : 'MedGemma API key removed.');
    }),

    vscode.commands.registerCommand('medgemma.clearApiKey', async () => {
      await services.setApiKey(undefined);
      vscode.window.showInformationMessage('MedGemma API key removed.');
    }),

    vscode.commands.registerCommand('medgemma.showLog', () => services.log.show()),

    vscode.commands.registerCommand('medgemma.checkServer', async () => {
      if (!(await services.requireTrust())) return undefined;
      const client = await services.clientOrShowError('Check Server');
      if (!client) return undefined;
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `MedGemma: checking ${client.endpoint().baseUrl}` },
        () => diagnose(client),
      );
      // The server may have been restarted with other models: views re-read them (the chat's picker).
      services.reset('checked by the user');
      void status.refresh();
      const text = forEditor(formatReport(report));
      services.log.info(`Check Server: reachable=${report.reachable} model=${report.model ?? '-'} problems=${report.problems.length}`);
      const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: '/MedGemma Server Check.txt' });
      reports.set(uri.path, text);
      changed.fire(uri);
      const ok = report.reachable && report.problems.length === 0;
      if (ok) reached('serverChecked');
      const details = 'Show Details';
      const message = ok
        ? `MedGemma server OK: ${report.model} at ${report.baseUrl} (1-token answer in ${report.pingMs} ms).`
        : forEditor(report.problems[0] ?? `The MedGemma server at ${report.baseUrl} has problems.`);
      const show = ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
      void show(message, details).then(async (pick) => {
        if (pick === details) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
      });
      return report;
    }),
  );
}
