// Server commands: API key, check server, log, LoRA adapters.

import * as vscode from 'vscode';
import { diagnose, formatReport } from '../../core/server/doctor';
import { forEditor } from '../../core/server/errors';
import type { KeyOwner, Services } from '../services';
import { reached } from '../onboarding/milestones';
import { type AdapterArgs, loadAdapterCommand } from './load-adapter';
import { registerStatus } from './status';

const REPORT_SCHEME = 'medgemma-report';

/** Which server a key is for, as the user reads it. */
const KEY_NAMES: Record<KeyOwner, string> = { main: 'MedGemma API key', vision: 'MedGemma vision server API key' };

export function register(ctx: vscode.ExtensionContext, services: Services): void {
  const askForKey = async (owner: KeyOwner) => {
    const key = await vscode.window.showInputBox({
      title: KEY_NAMES[owner],
      prompt:
        owner === 'main'
          ? 'The key your server was started with (vLLM --api-key). Stored in VS Code\'s secret storage, never in settings; sent only to "medgemma.server.baseUrl".'
          : 'The key of the server in "medgemma.vision.baseUrl", when it is another server than the main one (which never receives this key, nor that server the main key). Stored in VS Code\'s secret storage.',
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'Leave empty and press Enter to remove the stored key',
    });
    if (key === undefined) return;
    await services.setApiKey(key.trim() || undefined, owner);
    void vscode.window.showInformationMessage(key.trim() ? `${KEY_NAMES[owner]} saved in secret storage.` : `${KEY_NAMES[owner]} removed.`);
  };
  const removeKey = async (owner: KeyOwner) => {
    await services.setApiKey(undefined, owner);
    void vscode.window.showInformationMessage(`${KEY_NAMES[owner]} removed.`);
  };

  const status = registerStatus(ctx, services);
  const reports = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();

  ctx.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => reports.get(uri.path) ?? '',
    }),

    vscode.commands.registerCommand('medgemma.setApiKey', () => askForKey('main')),
    vscode.commands.registerCommand('medgemma.clearApiKey', () => removeKey('main')),
    vscode.commands.registerCommand('medgemma.setVisionApiKey', () => askForKey('vision')),
    vscode.commands.registerCommand('medgemma.clearVisionApiKey', () => removeKey('vision')),

    vscode.commands.registerCommand('medgemma.showLog', () => services.log.show()),
    vscode.commands.registerCommand('medgemma.loadLoraAdapter', (args?: AdapterArgs) => loadAdapterCommand(services, args)),

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
      const setKey = 'Set API Key';
      const message = ok
        ? `MedGemma server OK: ${report.model} at ${report.baseUrl} (1-token answer in ${report.pingMs} ms).`
        : forEditor(report.problems[0] ?? `The MedGemma server at ${report.baseUrl} has problems.`);
      const show = ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
      const actions = report.errorKind === 'unauthorized' ? [setKey, details] : [details];
      void show(message, ...actions).then(async (pick) => {
        if (pick === details) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
        if (pick === setKey) await askForKey('main');
      });
      return report;
    }),
  );
}
