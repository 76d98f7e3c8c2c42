// Where training examples go: "medgemma.dataset.folder", relative to the note's workspace
// folder (.medgemma/dataset by default). Only the user's value counts: a workspace that was
// cloned must not send examples (patient text, however pseudonymized) to a folder of its choice.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { DatasetStore } from '../../core/dataset/store';
import { userSetting } from '../config';

export const DEFAULT_DATASET_FOLDER = '.medgemma/dataset';

/** The dataset for a note, or why there is none (a sentence saying what to do). */
export function datasetFor(note?: vscode.Uri): { store: DatasetStore; shown: string } | { error: string } {
  const configured = (userSetting<string>('dataset.folder') ?? '').trim() || DEFAULT_DATASET_FOLDER;
  const expanded = configured.replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~');
  if (path.isAbsolute(expanded)) return { store: new DatasetStore(expanded), shown: expanded };
  const folder = (note && vscode.workspace.getWorkspaceFolder(note)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    return { error: `Training examples are saved in a folder of the workspace ("${configured}"), and no folder is open. Open the folder you work in, or set "medgemma.dataset.folder" to an absolute path in your user settings.` };
  }
  return { store: new DatasetStore(path.join(folder.uri.fsPath, expanded)), shown: vscode.workspace.workspaceFolders!.length > 1 ? `${folder.name}/${configured}` : configured };
}
