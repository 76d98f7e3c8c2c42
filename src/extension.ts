// Composition root: build the services, let each feature register itself. Keep it short.

import * as vscode from 'vscode';
import * as chat from './vscode/chat/register';
import * as images from './vscode/images/register';
import * as notes from './vscode/notes/register';
import * as papers from './vscode/papers/register';
import * as server from './vscode/server/register';
import { Services } from './vscode/services';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('MedGemma', { log: true });
  const services = new Services(context, log);
  context.subscriptions.push(log, services);
  server.register(context, services);
  notes.register(context, services);
  chat.register(context, services);
  images.register(context, services);
  papers.register(context, services);
}

export function deactivate(): void {}
