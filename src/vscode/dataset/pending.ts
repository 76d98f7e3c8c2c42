// Examples waiting for a clinician's correction: "Correct It First" opens an editable copy of the
// model's text; the same command on the copy saves it. What a copy came from (the conversation,
// the note, the image) stays here, in memory, until it is saved or the window closes.

import * as vscode from 'vscode';

const COPIES_KEY = 'medgemma.exampleCopies';

export interface PendingExample {
  /** The model's text the copy started from. */
  draft: string;
  /** Saves the copy's text as the example's answer; returns the example id, or undefined. */
  save(doc: vscode.TextDocument): Promise<string | undefined>;
}

export class PendingExamples {
  private readonly pending = new Map<string, PendingExample>();

  get(doc: vscode.Uri): PendingExample | undefined {
    return this.pending.get(doc.toString());
  }

  /** Opens an editable markdown copy of `text` whose save runs `pending.save`. */
  async openCopy(text: string, pending: PendingExample, what: string): Promise<void> {
    const copy = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
    this.pending.set(copy.uri.toString(), pending);
    this.publish();
    await vscode.window.showTextDocument(copy, { preview: false });
    void vscode.window.showInformationMessage(`Correct the ${what} in this copy, then run MedGemma: Save as Training Example again (the button in the editor title).`);
  }

  forget(doc: vscode.Uri): void {
    if (this.pending.delete(doc.toString())) this.publish();
  }

  private publish(): void {
    // The title-bar button shows on these documents (`resource in medgemma.exampleCopies`).
    void vscode.commands.executeCommand('setContext', COPIES_KEY, [...this.pending.keys()]);
  }
}

/**
 * Asks whether the model's text is right as it is or needs correcting first; `choice` answers
 * without asking (both answers are harmless, so a test or a caller may give it).
 */
export async function correctOrSave(what: string, choice?: unknown): Promise<'edit' | 'save' | undefined> {
  if (choice === 'edit' || choice === 'save') return choice;
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(edit) Correct It First', detail: `Opens an editable copy of the ${what}: fix it, then save the copy as the example. The model's version is kept as the draft.`, action: 'edit' as const },
      { label: '$(check) Save It as It Is', detail: `The ${what} is right as the model wrote it.`, action: 'save' as const },
    ],
    { title: 'MedGemma: Save as Training Example', placeHolder: 'The example teaches the answer you approve' },
  );
  return pick?.action;
}
