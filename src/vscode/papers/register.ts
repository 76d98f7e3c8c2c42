// Attached papers: the Papers view, Attach / Remove / Re-index, Search Papers (local),
// Ask Papers (cited answers), and the paper viewer that citations open.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { PaperLibrary } from '../../core/papers/library';
import type { PaperRecord } from '../../core/papers/types';
import { ANSWER_SCHEME, ReadOnlyDocuments } from '../notes/read-only-documents';
import { saveAs } from '../notes/save-as';
import type { Services } from '../services';
import { askPapersCommand } from './ask-command';
import { attachPapers, pickPapers } from './attach';
import { exportCitedSources } from './export-sources';
import { AnswerLinkProvider } from './answer-links';
import { OPEN_PAGE } from './links';
import { PapersTree } from './papers-tree';
import { searchPapers } from './search-command';
import { PaperViewers, type ViewerState } from './viewer';
import { watchPaperFiles } from './watch-files';
import { attachFromZotero } from './zotero-command';

/**
 * Returns the workspace's library, so that other features (the chat) can call askPapers on it,
 * and a reader of what the viewer last drew, for the test API (test-api.ts).
 */
export function register(ctx: vscode.ExtensionContext, services: Services): { library: PaperLibrary; viewerState: () => ViewerState | undefined } {
  // Workspace storage: each workspace has its own papers (global storage without a folder).
  const dir = path.join((ctx.storageUri ?? ctx.globalStorageUri).fsPath, 'papers');
  const library = new PaperLibrary(dir, { workerFile: vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'pdf-worker.js').fsPath });
  // Passwords of encrypted papers, for this session only (never written anywhere).
  const passwords = new Map<string, string>();
  const answers = new ReadOnlyDocuments(ANSWER_SCHEME, 'answer');
  const viewers = new PaperViewers(ctx.extensionUri, library, services.log, passwords);
  const attach = async (uris: vscode.Uri[], opts: Parameters<typeof attachPapers>[4] = {}) => {
    try {
      return await attachPapers(library, uris, services.log, passwords, opts);
    } finally {
      tree.refresh();
    }
  };
  const tree = new PapersTree(library, (uris) => attach(uris));
  const view = vscode.window.createTreeView('medgemma.papers', { treeDataProvider: tree, dragAndDropController: tree, canSelectMany: true, showCollapseAll: false });

  /** Papers whose file changed since indexing are re-indexed before a search or a question. */
  const refreshStale = async () => {
    const stale: vscode.Uri[] = [];
    for (const p of await library.list()) if (p.state === 'indexed' && (await library.isStale(p.file))) stale.push(vscode.Uri.file(p.file));
    if (stale.length) await attach(stale, { refreshOnly: true });
  };
  const selected = (item?: PaperRecord, items?: PaperRecord[]) => (items?.length ? items : item ? [item] : [...view.selection]);
  const openPage = (chunkId: string, page: number, highlight?: boolean) => viewers.open(chunkId, page, highlight !== false);

  ctx.subscriptions.push(
    answers,
    view,
    viewers,
    vscode.languages.registerDocumentLinkProvider([{ language: 'markdown' }], new AnswerLinkProvider()),
    watchPaperFiles(library, (uris) => attach(uris, { refreshOnly: true }), services.log),
    vscode.commands.registerCommand('medgemma.attachPapers', async () => {
      const uris = await pickPapers();
      return uris?.length ? attach(uris) : [];
    }),
    vscode.commands.registerCommand('medgemma.attachPaper', (uri?: vscode.Uri, uris?: vscode.Uri[]) => {
      const list = uris?.length ? uris : uri ? [uri] : [];
      return list.length ? attach(list) : vscode.commands.executeCommand('medgemma.attachPapers');
    }),
    vscode.commands.registerCommand('medgemma.attachFromZotero', () =>
      attachFromZotero(library, vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'zotero-worker.js').fsPath, services.log, (files, meta) =>
        attach(
          files.map((f) => vscode.Uri.file(f)),
          { meta },
        ),
      ),
    ),
    vscode.commands.registerCommand('medgemma.removePaper', async (item?: PaperRecord, items?: PaperRecord[]) => {
      for (const p of selected(item, items)) await library.remove(p.id);
      tree.refresh();
    }),
    vscode.commands.registerCommand('medgemma.reindexPaper', (item?: PaperRecord, items?: PaperRecord[]) =>
      attach(selected(item, items).map((p) => vscode.Uri.file(p.file)), { force: true }),
    ),
    vscode.commands.registerCommand('medgemma.searchPapers', async (query?: string) => {
      await refreshStale();
      return searchPapers(library, openPage, typeof query === 'string' ? query : undefined);
    }),
    vscode.commands.registerCommand('medgemma.askPapers', async (question?: string) => {
      await refreshStale();
      return askPapersCommand(services, library, answers, typeof question === 'string' ? question : undefined);
    }),
    vscode.commands.registerCommand('medgemma.exportAnswerSources', (resource?: unknown) => exportCitedSources(library, resource)),
    vscode.commands.registerCommand('medgemma.saveAnswerAs', (resource?: unknown) => saveAs(answers, 'answer', resource)),
    vscode.commands.registerCommand(OPEN_PAGE, openPage),
  );
  return { library, viewerState: () => viewers.last };
}
