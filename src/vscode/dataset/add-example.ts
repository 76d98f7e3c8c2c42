// Adds a built example to the dataset and says what was saved, with a way to open the file.

import * as vscode from 'vscode';
import type { Example } from '../../core/dataset/example';
import type { DatasetStore } from '../../core/dataset/store';

/** `what`: "the summary", "the answer"; `warning`: a sentence to add (e.g. unverified citations). */
export async function addExample(target: { store: DatasetStore; shown: string }, e: Example, what: string, warning?: string): Promise<string> {
  await target.store.add(e);
  const { examples } = await target.store.read();
  const how = `${e.review.action === 'edited' ? 'corrected' : 'accepted as drafted'}, ${e.deidentified === 'pseudonymized' ? 'identifiers replaced by stand-ins' : 'text as written'}`;
  const message = `Saved ${what} as a training example (${how}) in ${target.shown}: ${examples.length} example${examples.length === 1 ? '' : 's'} now.`;
  const open = 'Open Dataset';
  const shown = warning ? vscode.window.showWarningMessage(`${message} ${warning}`, open) : vscode.window.showInformationMessage(message, open);
  void shown.then(async (pick) => {
    if (pick === open) await vscode.window.showTextDocument(vscode.Uri.file(target.store.file), { preview: false });
  });
  return e.id;
}
