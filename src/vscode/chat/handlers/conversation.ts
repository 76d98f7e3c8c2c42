// chat/init, chat/send (streams the answer; cancel = stop), chat/budget.

import * as vscode from 'vscode';
import { isServerFault } from '../../../core/server/errors';
import { probeServer } from '../server-state';
import type { ChatDeps } from './deps';

export function registerConversationHandlers({ messenger, engine, services, refreshServer, pageStarted, attachmentsWaiting }: ChatDeps): void {
  messenger.handle('chat/init', async () => {
    const server = vscode.workspace.isTrusted ? { state: 'checking' as const } : await probeServer(services, engine.selectedModel);
    // In the same turn: attachments added before are in this answer, later ones go as events.
    pageStarted();
    return {
      conversation: engine.current(),
      conversations: engine.history.list(),
      server,
      trusted: vscode.workspace.isTrusted,
      attachments: attachmentsWaiting(),
    };
  });
  messenger.handle('chat/send', async (req, { signal, emit }) => {
    const r = await engine.send(req, { signal, onDelta: emit });
    // A failure about the server itself: the view's server state is re-probed.
    if (r.error && isServerFault(r.error.kind)) void refreshServer();
    return r;
  });
  messenger.handle('chat/budget', (req) => engine.budget(req));
}
