// The privacy gate in the editor: the warn dialog and the audit log given to every client, the
// status bar item that shows the mode, Choose Privacy Mode, Preview What Will Be Sent, Show Audit Log.

import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { auditFile } from '../../core/privacy/audit';
import { resolveMode, staysOnMachine, type PrivacySetting } from '../../core/privacy/mode';
import { originOf } from '../../core/server/http';
import { privacySetting, readServerConfig } from '../config';
import type { Services } from '../services';
import { confirmInDialog } from './dialog';
import { registerPreview } from './preview';

const LABELS: Record<PrivacySetting, string> = {
  auto: 'Auto',
  pseudonymize: 'Pseudonymize',
  warn: 'Warn',
  off: 'Off',
};

export function register(ctx: vscode.ExtensionContext, services: Services): void {
  const auditUri = vscode.Uri.joinPath(ctx.globalStorageUri, 'audit.jsonl');
  services.privacyHooks = { confirm: confirmInDialog, audit: auditFile(auditUri.fsPath) };

  const item = vscode.window.createStatusBarItem('medgemma.privacy', vscode.StatusBarAlignment.Right, 99);
  item.name = 'MedGemma Privacy';
  item.command = 'medgemma.choosePrivacyMode';
  const refresh = () => {
    const setting = privacySetting();
    let baseUrl: string;
    try {
      baseUrl = readServerConfig().config.baseUrl;
    } catch {
      item.hide(); // the server status item says what is wrong with the address
      return;
    }
    const mode = resolveMode(setting, baseUrl);
    const where = originOf(baseUrl);
    item.text = mode === 'off' ? '$(unlock) PHI: sent as written' : mode === 'warn' ? '$(eye) PHI: ask first' : '$(shield) PHI: pseudonymized';
    const why = setting === 'auto' ? ` (auto: the server ${where} is ${staysOnMachine(baseUrl) ? 'on this machine' : 'not on this machine'})` : '';
    const how =
      mode === 'off'
        ? 'Text goes to the server as written.'
        : mode === 'warn'
          ? 'Before text with identifiers is sent, MedGemma shows what it found and asks.'
          : 'Names, dates, numbers and places are replaced by stand-ins before text leaves VS Code; answers show the real ones.';
    item.tooltip = new vscode.MarkdownString(`**Privacy mode:** ${mode}${why}  \n${how}  \n\nClick to choose the mode. Not a certified de-identification: free-text descriptions can still identify a person.`);
    item.backgroundColor = mode === 'off' && !staysOnMachine(baseUrl) ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  refresh();

  ctx.subscriptions.push(
    item,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('medgemma.privacy') || e.affectsConfiguration('medgemma.server')) refresh();
    }),
    registerPreview(services),

    vscode.commands.registerCommand('medgemma.choosePrivacyMode', async () => {
      const current = privacySetting();
      const items: (vscode.QuickPickItem & { value: PrivacySetting })[] = [
        { value: 'auto', label: LABELS.auto, description: 'off for a server on this machine, pseudonymize for any other' },
        { value: 'pseudonymize', label: LABELS.pseudonymize, description: 'replace identifiers with stand-ins; answers show the real ones' },
        { value: 'warn', label: LABELS.warn, description: 'show what was found and ask before sending' },
        { value: 'off', label: LABELS.off, description: 'send the text as written' },
      ];
      for (const i of items) if (i.value === current) i.detail = 'current';
      const pick = await vscode.window.showQuickPick(items, { title: 'MedGemma privacy mode', placeHolder: `Now: ${LABELS[current]}` });
      if (!pick) return undefined;
      // User settings (machine scope): a workspace cannot change where patient text goes, or how.
      await vscode.workspace.getConfiguration('medgemma').update('privacy.mode', pick.value, vscode.ConfigurationTarget.Global);
      return pick.value;
    }),

    vscode.commands.registerCommand('medgemma.showAuditLog', async () => {
      if (!fs.existsSync(auditUri.fsPath)) {
        void vscode.window.showInformationMessage('The audit log is empty: nothing has been sent to a MedGemma server from this VS Code profile yet. Each request adds one line (no text: time, feature, server, mode, identifiers by type, bytes).');
        return undefined;
      }
      const doc = await vscode.workspace.openTextDocument(auditUri);
      await vscode.window.showTextDocument(doc, { preview: true });
      return auditUri.fsPath;
    }),
  );
}
