// "MedGemma: Save as Training Example" for summaries. On a finished summary it asks: correct it
// first (an editable copy opens; the model's text is remembered as the draft) or save it as it
// is. On the corrected copy, or on any summary saved as markdown (its header names the note),
// it saves the clinician's text as the label. The note is read as the editor has it; the
// example is pseudonymized unless the user's settings say otherwise.

import * as vscode from 'vscode';
import { buildSummaryExample, parseSummaryDocument } from '../../core/dataset/summary-example';
import { DatasetError, reviewerName } from '../../core/dataset/store';
import { ExampleError } from '../../core/dataset/example';
import { resolveTemplates, type Template } from '../../core/notes/templates';
import { promptSetting, userSetting } from '../config';
import type { ReadOnlyDocuments } from '../notes/read-only-documents';
import { pickTemplate } from '../notes/pick-template';
import type { Services } from '../services';
import { datasetFor } from './folder';

const COPIES_KEY = 'medgemma.exampleCopies';

/** What the editable copies came from: the model's summary, by the copy's URI. */
export class ExampleDrafts {
  private readonly drafts = new Map<string, string>();

  remember(copy: vscode.Uri, draft: string): void {
    this.drafts.set(copy.toString(), draft);
    void vscode.commands.executeCommand('setContext', COPIES_KEY, [...this.drafts.keys()]);
  }

  draftOf(doc: vscode.Uri): string | undefined {
    return this.drafts.get(doc.toString());
  }

  forget(doc: vscode.Uri): void {
    if (this.drafts.delete(doc.toString())) void vscode.commands.executeCommand('setContext', COPIES_KEY, [...this.drafts.keys()]);
  }
}

function templateFor(title: string | undefined, log: vscode.LogOutputChannel): Promise<Template | undefined> | Template {
  const { templates } = resolveTemplates(promptSetting<unknown>('summary.templates', []));
  return templates.find((t) => t.label === title) ?? pickTemplate(log);
}

/**
 * Returns the saved example's id, or undefined when nothing was saved. `choice` answers the
 * question on a finished summary without asking (both answers are harmless: tests use it).
 */
export async function saveSummaryExample(services: Services, docs: ReadOnlyDocuments, drafts: ExampleDrafts, resource?: unknown, choice?: unknown): Promise<string | undefined> {
  const uri = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
  const doc = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!doc || (doc.uri.scheme !== docs.scheme && doc.languageId !== 'markdown')) {
    void vscode.window.showWarningMessage('Open a MedGemma summary (or your corrected copy of one) first, then save it as a training example.');
    return undefined;
  }
  if (doc.uri.scheme === docs.scheme) {
    if (docs.isWriting(doc.uri)) {
      void vscode.window.showInformationMessage('The summary is still being written. Save it as an example when it is finished.');
      return undefined;
    }
    const pick = choice === 'edit' || choice === 'save' ? { action: choice } : await vscode.window.showQuickPick(
      [
        { label: '$(edit) Correct It First', detail: 'Opens an editable copy: fix, remove or add statements and citations, then save the copy as the example. The model\'s version is kept as the draft.', action: 'edit' as const },
        { label: '$(check) Save It as It Is', detail: 'The summary is right as the model wrote it.', action: 'save' as const },
      ],
      { title: 'MedGemma: Save as Training Example', placeHolder: 'The example teaches the summary you approve' },
    );
    if (!pick) return undefined;
    if (pick.action === 'edit') {
      const copy = await vscode.workspace.openTextDocument({ language: 'markdown', content: doc.getText() });
      drafts.remember(copy.uri, doc.getText());
      await vscode.window.showTextDocument(copy, { preview: false });
      void vscode.window.showInformationMessage('Correct the summary in this copy, then run MedGemma: Save as Training Example again (the button in the editor title). The citations [L12] must point to the note lines that say each statement.');
      return undefined;
    }
  }
  return save(services, doc, drafts.draftOf(doc.uri) ?? (doc.uri.scheme === docs.scheme ? doc.getText() : undefined), drafts);
}

async function save(services: Services, doc: vscode.TextDocument, draft: string | undefined, drafts: ExampleDrafts): Promise<string | undefined> {
  const parts = parseSummaryDocument(doc.getText());
  let noteUri: vscode.Uri | undefined;
  try {
    noteUri = parts.sourceUri ? vscode.Uri.parse(parts.sourceUri, true) : undefined;
  } catch {
    noteUri = undefined;
  }
  if (!noteUri || (noteUri.scheme !== 'file' && noteUri.scheme !== 'untitled')) {
    const picked = await vscode.window.showOpenDialog({ title: 'Which note does this summary summarize?', openLabel: 'Use This Note', canSelectMany: false, filters: { Notes: ['txt', 'md', 'markdown', 'text', 'note'] } });
    if (!picked?.[0]) return undefined;
    noteUri = picked[0];
  }
  let note: vscode.TextDocument;
  try {
    note = await vscode.workspace.openTextDocument(noteUri);
  } catch (e) {
    void vscode.window.showErrorMessage(`The note ${noteUri.fsPath || noteUri.toString()} cannot be opened (${(e as Error)?.message ?? e}), so the example cannot be saved. Open the note, then save the example again.`);
    return undefined;
  }
  const template = await templateFor(parts.title, services.log);
  if (!template) return undefined;
  const target = datasetFor(noteUri);
  if ('error' in target) {
    void vscode.window.showErrorMessage(target.error);
    return undefined;
  }
  const pseudonymize = userSetting<boolean>('dataset.pseudonymize') ?? true;
  try {
    const built = buildSummaryExample({
      note: note.getText(),
      sourceFile: noteUri.scheme === 'file' ? vscode.workspace.asRelativePath(noteUri) : 'untitled note',
      lines: parts.range,
      template,
      chosen: doc.getText(),
      draft,
      model: parts.model,
      reviewer: reviewerName(),
      pseudonymize,
    });
    await target.store.add(built.example);
    drafts.forget(doc.uri);
    const { examples } = await target.store.read();
    const e = built.example;
    const what = `${e.review.action === 'edited' ? 'corrected' : 'accepted as drafted'}, ${e.deidentified === 'pseudonymized' ? 'identifiers replaced by stand-ins' : 'text as written'}`;
    const open = 'Open Dataset';
    const message = `Saved the summary as a training example (${what}) in ${target.shown}: ${examples.length} example${examples.length === 1 ? '' : 's'} now.`;
    const shown = built.unsupported
      ? vscode.window.showWarningMessage(`${message} ${built.unsupported} of ${built.statements} statements cite lines the checks could not verify: the model will learn them as written. Check their citations.`, open)
      : vscode.window.showInformationMessage(message, open);
    void shown.then(async (pick) => {
      if (pick === open) await vscode.window.showTextDocument(vscode.Uri.file(target.store.file), { preview: false });
    });
    return e.id;
  } catch (e) {
    if (e instanceof DatasetError || e instanceof ExampleError) void vscode.window.showErrorMessage(e.message);
    else void services.showError(e, 'Save as Training Example');
    return undefined;
  }
}
