// Evaluation in the editor: Compare Models on Notes… and its side-by-side reading.

import * as vscode from 'vscode';
import type { Services } from '../services';
import { compareModelsCommand, sideBySide } from './compare-command';

export function register(ctx: vscode.ExtensionContext, services: Services): void {
  ctx.subscriptions.push(
    vscode.commands.registerCommand('medgemma.compareModels', (uri?: unknown, uris?: unknown, options?: { models?: unknown }) => compareModelsCommand(services, uri, uris, options)),
    vscode.commands.registerCommand('medgemma.compareSideBySide', (note?: unknown, left?: unknown, right?: unknown) => sideBySide(note, left, right)),
  );
}
