// What Summarize Folder runs over: the Explorer's selection (a folder, or several files and
// folders: VS Code passes the clicked item and the whole selection), else a folder the user
// picks. Local files only: the batch reads them with Node.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { commonBase } from '../../core/batch/summary-files';

export interface Inputs {
  /** Files and folders, as file-system paths. */
  paths: string[];
  /** The folder the notes' paths are shown relative to: the folder, or the selection's common folder. */
  base: string;
}

/** The selection the command was given, or undefined when it was run without one. */
export function selectedUris(uri: unknown, uris: unknown): vscode.Uri[] | undefined {
  const many = Array.isArray(uris) ? uris.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
  if (many.length > 0) return many;
  return uri instanceof vscode.Uri ? [uri] : undefined;
}

async function pickFolder(): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    title: 'MedGemma: Summarize Folder — which folder of notes?',
    openLabel: 'Summarize Notes in Folder',
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
}

/** The inputs, or undefined (the user was told why, or closed the picker). */
export async function pickInputs(uri: unknown, uris: unknown): Promise<Inputs | undefined> {
  const chosen = selectedUris(uri, uris) ?? (await pickFolder());
  if (!chosen?.length) return undefined;
  const remote = chosen.find((u) => u.scheme !== 'file');
  if (remote) {
    void vscode.window.showWarningMessage(`MedGemma can summarize notes on this machine's disk only, not ${remote.scheme}: files. Copy them to a local folder first.`);
    return undefined;
  }
  const kinds = new Map<string, boolean>();
  for (const u of chosen) {
    const stat = await vscode.workspace.fs.stat(u).then((s) => s, () => undefined);
    if (!stat) {
      void vscode.window.showWarningMessage(`${path.basename(u.fsPath)} no longer exists. Pick the notes again.`);
      return undefined;
    }
    kinds.set(u.fsPath, (stat.type & vscode.FileType.Directory) !== 0);
  }
  const paths = [...kinds.keys()];
  return { paths, base: commonBase(paths, (p) => kinds.get(p) === true) };
}
