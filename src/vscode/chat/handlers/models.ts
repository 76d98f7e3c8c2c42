// models/list (the server's /v1/models), models/select (kept per workspace).

import * as vscode from 'vscode';
import { probeServer } from '../server-state';
import type { ChatDeps } from './deps';

export function registerModelHandlers({ messenger, engine, services, refreshServer }: ChatDeps): void {
  messenger.handle('models/list', async () => {
    if (!vscode.workspace.isTrusted) return { models: [] };
    try {
      const client = services.client();
      const models = await client.endpoint('text').discovery.models();
      const current = (await probeServer(services, engine.selectedModel));
      return {
        // A Vertex AI endpoint has one model, named "": nothing to pick.
        models: models.filter((x) => x.id).map((x) => ({ id: x.id, vision: x.vision, contextLength: x.maxModelLen, parent: x.parent })),
        current: current.state === 'ok' ? current.model : engine.selectedModel,
      };
    } catch {
      return { models: [], current: engine.selectedModel };
    }
  });
  messenger.handle('models/select', async ({ id }) => {
    await engine.selectModel(id);
    services.log.info('Chat: model selection changed');
    const state = await probeServer(services, engine.selectedModel);
    void refreshServer();
    return state;
  });
}
