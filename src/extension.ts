// Composition root: build the services, let each feature register itself. Keep it short.

import * as vscode from 'vscode';
import { askPapers } from './core/papers/ask';
import { searchOptions } from './vscode/papers/dense';
import * as batch from './vscode/batch/register';
import * as chat from './vscode/chat/register';
import * as dataset from './vscode/dataset/register';
import * as evaluation from './vscode/eval/register';
import * as images from './vscode/images/register';
import * as mcp from './vscode/mcp/register';
import * as modelProvider from './vscode/model-provider/register';
import * as notes from './vscode/notes/register';
import * as onboarding from './vscode/onboarding/register';
import * as participant from './vscode/participant/register';
import * as papers from './vscode/papers/register';
import * as privacy from './vscode/privacy/register';
import * as server from './vscode/server/register';
import * as tools from './vscode/tools/register';
import { Services } from './vscode/services';
import type { MedGemmaTestApi } from './vscode/test-api';

/** The API is for the extension-host tests and tools (src/vscode/test-api.ts). */
export function activate(context: vscode.ExtensionContext): MedGemmaTestApi {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const log = vscode.window.createOutputChannel('MedGemma', { log: true });
  const services = new Services(context, log);
  context.subscriptions.push(log, services);
  // Before any client is built: every client gets the privacy gate's dialog and audit log.
  privacy.register(context, services);
  server.register(context, services);
  notes.register(context, services);
  batch.register(context, services);
  const { library, viewerState } = papers.register(context, services);
  // "/papers <question>" in the chat: answered from the attached papers, one road to the server.
  const chatState = chat.register(context, services, async (question, opts) => {
    const client = services.client();
    return askPapers(client, library, question, { ...opts, ...(await searchOptions(client, library, services.log, opts.signal)) });
  });
  const imagesApi = images.register(context, services);
  dataset.register(context);
  evaluation.register(context, services);
  onboarding.register(context, services);
  // VS Code's agent mode gets the same tools as any MCP client (VS Code >= 1.101).
  const mcpDefinitions = mcp.register(context, services, library.dir);
  // @medgemma in VS Code's own chat: /summarize, /papers, /doctor.
  const participantHandler = participant.register(context, services, library);
  // The server's models in VS Code's model picker (VS Code >= 1.104).
  const chatModels = modelProvider.register(context, services);
  // Summarize, search and ask papers, describe an image: tools for agent mode, asking before they send.
  const agentTools = tools.register(context, services, library);
  // Read by the installed-VSIX tier (docs/benchmarks.md): activation must stay cheap. CPU time
  // too: on a shared machine the wall time mostly measures the other processes.
  const used = process.cpuUsage(cpu);
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms (CPU ${((used.user + used.system) / 1000).toFixed(1)} ms)`);
  return { chatState, ...imagesApi, paperViewerState: viewerState, mcpDefinitions, participant: participantHandler, chatModels, agentTools };
}

export function deactivate(): void {}
