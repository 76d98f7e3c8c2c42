// history/list, history/open, history/delete.

import type { ChatDeps } from './deps';

export function registerHistoryHandlers({ messenger, engine }: ChatDeps): void {
  messenger.handle('history/list', () => engine.history.list());
  messenger.handle('history/open', async ({ id }) => {
    const c = engine.history.get(id) ?? null;
    if (c) await engine.setCurrent(c.id);
    return c;
  });
  messenger.handle('history/delete', async ({ id }) => {
    await engine.history.delete(id);
    if (engine.currentId === id) await engine.setCurrent(undefined);
    return engine.history.list();
  });
}
