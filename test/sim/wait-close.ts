// Sim.waitForClose: resolves when the client closes a chat request before its response ended
// (a Stop that really closes the HTTP request); `changes` fires on every request start and end.
import type { EventEmitter } from 'node:events';
import type { RecordedRequest } from './types';

export function waitForClose(requests: RecordedRequest[], changes: EventEmitter, index?: number, timeoutMs = 5000): Promise<void> {
  const isChat = (r: RecordedRequest): boolean => r.method === 'POST' && r.path.endsWith('/chat/completions');
  // Default: the last chat request if it is still open (or closed early), else the next one.
  let target = index;
  if (target === undefined) {
    const last = [...requests].reverse().find(isChat);
    if (last && (!last.done || last.closedEarly)) target = last.index;
  }
  const from = requests.length;
  return new Promise<void>((resolve, reject) => {
    const check = (): boolean => {
      const i = target ?? requests.slice(from).find(isChat)?.index;
      if (i === undefined) return false;
      target = i;
      const r = requests[i];
      if (!r) return false;
      if (r.closedEarly) resolve();
      else if (r.done) reject(new Error(`request #${i} (${r.method} ${r.path}) ended without the client closing it early`));
      else return false;
      return true;
    };
    if (check()) return;
    const onChange = (): void => {
      if (check()) cleanup();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for the client to close request #${target ?? '(next chat)'}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      changes.off('change', onChange);
    };
    changes.on('change', onChange);
  });
}
