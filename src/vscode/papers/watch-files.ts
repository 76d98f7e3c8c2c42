// Attached papers whose PDF changes on disk are re-indexed, debounced (a save comes in bursts).
import * as vscode from 'vscode';
import type { PaperLibrary } from '../../core/papers/library';

export function watchPaperFiles(
  library: PaperLibrary,
  refresh: (uris: vscode.Uri[]) => Promise<unknown>,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.pdf', true, false, true);
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  // Nobody waits on a file watcher: a failure goes to the log rather than nowhere.
  const failed = (e: unknown) => log.error(`Re-indexing a changed paper failed: ${(e as Error)?.message ?? e}`);

  const flush = async () => {
    const files = [...changed];
    changed.clear();
    // Only papers still attached (one may have been removed meanwhile) and still changed.
    const uris: vscode.Uri[] = [];
    for (const f of files) if ((await library.findByFile(f)) && (await library.isStale(f))) uris.push(vscode.Uri.file(f));
    if (uris.length) await refresh(uris);
  };
  const onChange = async (uri: vscode.Uri) => {
    if (!(await library.findByFile(uri.fsPath))) return;
    changed.add(uri.fsPath);
    clearTimeout(timer);
    timer = setTimeout(() => {
      flush().catch(failed);
    }, 1000);
  };
  const sub = watcher.onDidChange((uri) => {
    onChange(uri).catch(failed);
  });
  return vscode.Disposable.from(watcher, sub, { dispose: () => clearTimeout(timer) });
}
