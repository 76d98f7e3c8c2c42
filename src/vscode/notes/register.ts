// Note summaries: commands, citation links, line reveal, the read-only summary documents.

import * as vscode from 'vscode';
import { saveTrainingExample } from '../dataset/save-example-command';
import type { Services } from '../services';
import { CitationLinkProvider, highlight, revealLines } from './citation-links';
import { ReadOnlyDocuments, SUMMARY_SCHEME } from './read-only-documents';
import { saveAs } from './save-as';
import { Summarizer } from './summarize-command';

export function register(ctx: vscode.ExtensionContext, services: Services): void {
  const docs = new ReadOnlyDocuments(SUMMARY_SCHEME, 'summary');
  const summarizer = new Summarizer(services, docs);
  ctx.subscriptions.push(
    docs,
    summarizer,
    highlight,
    vscode.commands.registerCommand('medgemma.summarizeNote', () => summarizer.run('note')),
    vscode.commands.registerCommand('medgemma.summarizeSelection', () => summarizer.run('selection')),
    vscode.commands.registerCommand('medgemma.stopSummary', () => summarizer.stopAll()),
    vscode.commands.registerCommand('medgemma.saveSummaryAs', (resource?: unknown) => saveAs(docs, 'summary', resource)),
    vscode.commands.registerCommand('medgemma.saveTrainingExample', (resource?: unknown, choice?: unknown) => saveTrainingExample(services, docs, resource, choice)),
    vscode.commands.registerCommand('medgemma.revealLines', (note: string, start: number, end: number) => revealLines(note, start, end)),
    vscode.languages.registerDocumentLinkProvider([{ language: 'markdown' }], new CitationLinkProvider()),
  );
}
