// What the chat view shows about the server: checking / model + context / offline (why) /
// untrusted. Probes send no patient text and never run in an untrusted workspace.

import * as vscode from 'vscode';
import { forEditor, isMedGemmaError } from '../../core/server/errors';
import type { ServerState } from '../../protocol/chat';
import type { Services } from '../services';

export async function probeServer(services: Services, selected: string | undefined): Promise<ServerState> {
  if (!vscode.workspace.isTrusted) return { state: 'untrusted' };
  let baseUrl: string | undefined;
  try {
    const client = services.client();
    const ep = client.endpoint('text');
    baseUrl = ep.baseUrl;
    const model = await ep.discovery.resolve(selected ?? ep.configuredModel);
    const contextLength = await ep.discovery.contextLength(model);
    return { state: 'ok', model: model.label ?? model.id, baseUrl, contextLength, vision: model.vision };
  } catch (e) {
    return { state: 'offline', baseUrl, message: isMedGemmaError(e) ? forEditor(e.message) : String(e) };
  }
}
