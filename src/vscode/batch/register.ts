// Folder summaries: MedGemma: Summarize Folder… (palette and Explorer context menu) and
// MedGemma: Stop Summarizing Folder (the notification's Cancel, from the palette).

import * as vscode from 'vscode';
import type { Services } from '../services';
import { FolderSummarizer } from './summarize-folder';

export function register(ctx: vscode.ExtensionContext, services: Services): void {
  const folders = new FolderSummarizer(services, ctx.workspaceState);
  ctx.subscriptions.push(
    folders,
    // From the Explorer: the clicked item and the whole selection; from the palette: nothing.
    vscode.commands.registerCommand('medgemma.summarizeFolder', (uri?: unknown, uris?: unknown) => folders.run(uri, uris)),
    vscode.commands.registerCommand('medgemma.stopFolderSummary', () => folders.stopAll()),
  );
}
