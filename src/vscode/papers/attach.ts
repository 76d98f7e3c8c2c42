// Attach / re-index: expand folders to PDFs (pdf-files.ts), extract in the worker with a cancellable progress
// notification, ask for the password of encrypted files, report the outcome per file.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AddOptions, PaperLibrary } from '../../core/papers/library';
import { shortLabel } from '../../core/papers/meta';
import { findPdfs } from '../../core/papers/pdf-files';
import type { PaperRecord } from '../../core/papers/types';
import { reached } from '../onboarding/milestones';

export async function pickPapers(): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    canSelectMany: true,
    canSelectFiles: true,
    canSelectFolders: true,
    filters: { PDF: ['pdf'] },
    openLabel: 'Attach',
    title: 'Attach papers (PDF files or folders)',
  });
}

/**
 * passwords: the session's passwords of encrypted papers (memory only); the one that opened
 * a file is kept so the viewer can show it without asking again.
 */
export async function attachPapers(
  library: PaperLibrary,
  uris: vscode.Uri[],
  log: vscode.LogOutputChannel,
  passwords: Map<string, string>,
  opts: { force?: boolean; refreshOnly?: boolean; meta?: AddOptions['meta'] } = {},
): Promise<PaperRecord[]> {
  // The same search as the CLI's: link loops, dangling links, pipes and folders reached twice are handled.
  const { files, problems } = findPdfs(uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath));
  if (problems.length) {
    log.warn(`Papers: ${problems.length} path(s) could not be used`);
    void vscode.window.showWarningMessage(`${problems.length === 1 ? 'A path' : `${problems.length} paths`} could not be used: ${problems.slice(0, 3).map((p) => p.reason).join(' ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`);
  }
  if (!files.length) {
    if (!problems.length) void vscode.window.showWarningMessage('No PDF files there. Choose PDF files, or folders that contain PDFs.');
    return [];
  }
  let cancelled = false;
  const recs = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'MedGemma: indexing papers', cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => {
        cancelled = true;
        controller.abort();
      });
      // Several files are read at once: the message names the one that last reported a page.
      let done = 0;
      const count = () => (files.length > 1 ? ` (${done} of ${files.length} done)` : '');
      return library.add(files, {
        signal: controller.signal,
        force: opts.force,
        refreshOnly: opts.refreshOnly,
        meta: opts.meta,
        onProgress: (file, page, pages) => progress.report({ message: `${path.basename(file)}: page ${page} of ${pages}${count()}` }),
        onFile: (rec, n) => {
          done = n;
          progress.report({ message: `${path.basename(rec.file)}: ${rec.state}${count()}`, increment: 100 / files.length });
        },
        password: async (file, wrong) => {
          const known = passwords.get(file);
          if (known !== undefined && !wrong) return known;
          const p = await vscode.window.showInputBox({
            title: `${path.basename(file)} is encrypted`,
            prompt: wrong ? 'That password is wrong. Enter the password to open it (Escape skips this file).' : 'Enter the password to open it (Escape skips this file).',
            password: true,
            ignoreFocusOut: true,
          });
          if (p === undefined) passwords.delete(file);
          else passwords.set(file, p);
          return p;
        },
      });
    },
  );
  const bad = recs.filter((r) => r.state !== 'indexed');
  log.info(`Papers: ${recs.length - bad.length} indexed, ${bad.length} not (${bad.map((r) => r.state).join(', ') || 'none'}), ${cancelled ? 'cancelled' : 'done'}`);
  if (bad.length === 1) void vscode.window.showWarningMessage(bad[0].reason ?? `${path.basename(bad[0].file)}: ${bad[0].state}.`);
  else if (bad.length > 1) void vscode.window.showWarningMessage(`${bad.length} of ${recs.length} papers could not be indexed (${bad.map((r) => `${path.basename(r.file)}: ${r.state}`).join('; ')}). Hover over them in the Papers view for what to do.`);
  if (cancelled) void vscode.window.showInformationMessage(`Indexing stopped: ${recs.length} of ${files.length} papers were processed.`);
  const good = recs.filter((r) => r.state === 'indexed');
  if (good.length && !opts.refreshOnly) {
    reached('paperAttached');
    confirmAttached(good);
  }
  return recs;
}

/** Names what was attached, so the user knows it worked without opening the Papers view. */
function confirmAttached(recs: PaperRecord[]): void {
  const pages = (n = 0) => `${n} page${n === 1 ? '' : 's'}`;
  const what =
    recs.length === 1
      ? `${shortLabel(recs[0].meta, path.basename(recs[0].file))}, ${pages(recs[0].meta?.pages)}`
      : `${recs.length} papers, ${pages(recs.reduce((n, r) => n + (r.meta?.pages ?? 0), 0))}`;
  vscode.window.setStatusBarMessage(`$(check) Paper attached: ${what}`, 10_000);
}
