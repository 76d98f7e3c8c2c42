// Note summaries: commands, citation links, line reveal.

import * as vscode from 'vscode';
import type { Services } from '../services';
import { CitationLinkProvider, highlight, revealLines } from './citation-links';
import { Summarizer } from './summarize-command';

export function register(ctx: vscode.ExtensionContext, services: Services): void {
  const summarizer = new Summarizer(services);
  ctx.subscriptions.push(
    summarizer,
    highlight,
    vscode.commands.registerCommand('medgemma.summarizeNote', () => summarizer.run('note')),
    vscode.commands.registerCommand('medgemma.summarizeSelection', () => summarizer.run('selection')),
    vscode.commands.registerCommand('medgemma.stopSummary', () => summarizer.stopAll()),
    vscode.commands.registerCommand('medgemma.revealLines', (note: string, start: number, end: number) => revealLines(note, start, end)),
    vscode.languages.registerDocumentLinkProvider([{ language: 'markdown' }], new CitationLinkProvider()),
  );
}
