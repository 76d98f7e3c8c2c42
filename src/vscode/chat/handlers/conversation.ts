// chat/init, chat/send (streams the answer; cancel = stop), chat/budget.

import * as vscode from 'vscode';
import { probeServer } from '../server-state';
import type { ChatDeps } from './deps';

export function registerConversationHandlers({ m, engine, services }: ChatDeps): void {
  m.handle('chat/init', async () => ({
    conversation: engine.current(),
    conversations: engine.history.list(),
    server: vscode.workspace.isTrusted ? { state: 'checking' as const } : await probeServer(services, engine.selectedModel),
    trusted: vscode.workspace.isTrusted,
  }));
  m.handle('chat/send', (req, { signal, emit }) => engine.send(req, { signal, onDelta: emit }));
  m.handle('chat/budget', (req) => engine.budget(req));
}
