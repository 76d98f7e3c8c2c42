// "MedGemma: Save as Training Example". On a finished summary it asks: correct it first (an
// editable copy opens; the model's text is remembered as the draft) or save it as it is. On a
// copy (of a summary or a chat answer) it saves the clinician's text. On any summary saved as
// markdown (its header names the note) it saves that text. The note is read as the editor has
// it; the example is pseudonymized unless the user's settings say otherwise.

import * as vscode from 'vscode';
import { ExampleError } from '../../core/dataset/example';
import { DatasetError, reviewerName } from '../../core/dataset/store';
import { buildSummaryExample, parseSummaryDocument } from '../../core/dataset/summary-example';
import { resolveTemplates, type Template } from '../../core/notes/templates';
import { promptSetting, userSetting } from '../config';
import type { ReadOnlyDocuments } from '../notes/read-only-documents';
import { pickTemplate } from '../notes/pick-template';
import type { Services } from '../services';
import { addExample } from './add-example';
import { datasetFor } from './folder';
import { correctOrSave } from './pending';

function templateFor(title: string | undefined, log: vscode.LogOutputChannel): Promise<Template | undefined> | Template {
  const { templates } = resolveTemplates(promptSetting<unknown>('summary.templates', []));
  return templates.find((t) => t.label === title) ?? pickTemplate(log);
}

/** Whether examples are pseudonymized before saving (user settings only; on by default). */
export const pseudonymizeExamples = (): boolean => userSetting<boolean>('dataset.pseudonymize') ?? true;

/** A dataset or model failure as the sentence to show; anything else is the usual error path. */
export async function reportExampleError(services: Services, e: unknown): Promise<undefined> {
  if (e instanceof DatasetError || e instanceof ExampleError) void vscode.window.showErrorMessage(e.message);
  else void services.showError(e, 'Save as Training Example');
  return undefined;
}

/**
 * The command. Returns the saved example's id, or undefined when nothing was saved. `choice`
 * answers the question on a finished summary without asking.
 */
export async function saveTrainingExample(services: Services, docs: ReadOnlyDocuments, resource?: unknown, choice?: unknown): Promise<string | undefined> {
  const uri = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
  const doc = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const pending = doc && services.pendingExamples.get(doc.uri);
  if (doc && pending) {
    const id = await pending.save(doc);
    if (id) services.pendingExamples.forget(doc.uri);
    return id;
  }
  if (!doc || (doc.uri.scheme !== docs.scheme && doc.languageId !== 'markdown')) {
    void vscode.window.showWarningMessage('Open a MedGemma summary (or your corrected copy of one) first, then save it as a training example. For a chat answer, use the Save Example button under it.');
    return undefined;
  }
  if (doc.uri.scheme !== docs.scheme) return saveSummary(services, doc, undefined);
  if (docs.isWriting(doc.uri)) {
    void vscode.window.showInformationMessage('The summary is still being written. Save it as an example when it is finished.');
    return undefined;
  }
  const draft = doc.getText();
  const action = await correctOrSave('summary', choice);
  if (action === 'save') return saveSummary(services, doc, draft);
  if (action === 'edit') await services.pendingExamples.openCopy(draft, { draft, save: (copy) => saveSummary(services, copy, draft) }, 'summary (statements and their [L12] citations)');
  return undefined;
}

async function saveSummary(services: Services, doc: vscode.TextDocument, draft: string | undefined): Promise<string | undefined> {
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
      pseudonymize: pseudonymizeExamples(),
    });
    const warning = built.unsupported ? `${built.unsupported} of ${built.statements} statements cite lines the checks could not verify: the model will learn them as written. Check their citations.` : undefined;
    return await addExample(target, built.example, 'the summary', warning);
  } catch (e) {
    return reportExampleError(services, e);
  }
}
