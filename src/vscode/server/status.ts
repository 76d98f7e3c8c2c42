// Status bar: which server and model summaries go to, and whether it answers.
// Click -> the full check. Probes send no patient text and never run in untrusted workspaces.

import * as vscode from 'vscode';
import { forEditor, isMedGemmaError } from '../../core/server/errors';
import type { Services } from '../services';

export function registerStatus(ctx: vscode.ExtensionContext, services: Services): { refresh(): Promise<void> } {
  const item = vscode.window.createStatusBarItem('medgemma.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'MedGemma Server';
  item.command = 'medgemma.checkServer';
  ctx.subscriptions.push(item);

  // `medgemma.serverOffline`: the Papers view's welcome says so, with the fixes beside it.
  const setOffline = (offline: boolean) => void vscode.commands.executeCommand('setContext', 'medgemma.serverOffline', offline);
  let generation = 0;
  const refresh = async () => {
    const mine = ++generation;
    if (!vscode.workspace.isTrusted) {
      item.text = '$(shield) MedGemma: restricted';
      item.tooltip = 'Untrusted workspace: MedGemma sends nothing. Trust the workspace to use it.';
      item.backgroundColor = undefined;
      item.show();
      setOffline(false);
      return;
    }
    item.text = '$(sync~spin) MedGemma';
    item.show();
    let client;
    try {
      client = services.client();
      const model = await client.model('text');
      const ctxLen = await client.contextLength('text');
      if (mine !== generation) return;
      item.text = `$(pulse) MedGemma: ${model.id || (client.endpoint().discovery.vertex ? `Vertex ${client.endpoint().discovery.vertex!.endpoint}` : '?')}`;
      item.tooltip = new vscode.MarkdownString(
        `**Server:** ${client.endpoint().baseUrl}  \n**Model:** ${model.label ?? model.id}${model.root ? ` (${model.root})` : ''}  \n**Context:** ${ctxLen} tokens  \n\nClick to check the server.`,
      );
      item.backgroundColor = undefined;
      setOffline(false);
    } catch (e) {
      if (mine !== generation) return;
      // A server that answers but refuses the key is not offline: say what it needs.
      const refused = isMedGemmaError(e) && e.kind === 'unauthorized';
      item.text = refused ? '$(key) MedGemma: API key refused' : '$(debug-disconnect) MedGemma: offline';
      item.tooltip = `${isMedGemmaError(e) ? forEditor(e.message) : String(e)}\n\nClick to check the server.`;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      setOffline(true);
    }
  };

  ctx.subscriptions.push(
    services.onDidChangeServer(() => void refresh()),
    // A summary or chat that failed to connect (or worked again) updates the state at once.
    services.onDidChangeReachability(() => void refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void refresh()),
  );
  // The first probe builds the client and starts the first fetch (~10 ms, most of activation
  // time, docs/benchmarks.md): run it just after activate() returns instead of inside it.
  const first = setTimeout(() => void refresh(), 0);
  ctx.subscriptions.push({ dispose: () => clearTimeout(first) });
  return { refresh };
}
