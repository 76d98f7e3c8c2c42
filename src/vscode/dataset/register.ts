// Training examples: the Training Data view and its actions (open, delete, mark for validation
// or training). Saving examples is registered with each feature (summaries, chat, annotator).

import * as vscode from 'vscode';
import { exampleMarkdown } from '../../core/dataset/example-text';
import type { Split } from '../../core/dataset/example';
import type { DatasetNode } from './dataset-tree';
import { DatasetTree } from './dataset-tree';
import { datasetFor } from './folder';

const SCHEME = 'medgemma-example';
const VIEW_ID = 'medgemma.dataset';

/** The examples a command acts on: the clicked row, or every selected row with it. */
function examplesOf(node: unknown, selected: readonly DatasetNode[] | undefined): string[] {
  const nodes = selected?.length ? selected : [node as DatasetNode];
  return nodes.flatMap((n) => (n?.type === 'example' ? [n.example.id] : n?.type === 'group' ? n.examples.map((e) => e.id) : []));
}

export function register(ctx: vscode.ExtensionContext): void {
  // The description is set after each read, which happens only once the view exists.
  const tree = new DatasetTree((text) => (view.description = text));
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, canSelectMany: true });
  const pages = new Map<string, string>();
  const provider: vscode.TextDocumentContentProvider = { provideTextDocumentContent: (uri) => pages.get(uri.path) ?? 'This example is no longer open. Open it again from the Training Data view.' };
  const store = () => {
    const target = datasetFor();
    if ('error' in target) {
      void vscode.window.showErrorMessage(target.error);
      return undefined;
    }
    return target.store;
  };
  const setSplit = async (node: unknown, selected: readonly DatasetNode[] | undefined, split: Split) => {
    const ids = examplesOf(node, selected);
    const s = store();
    if (!s || !ids.length) return;
    const n = await s.setSplit(ids, split);
    tree.refresh();
    void vscode.window.showInformationMessage(n ? `${n} example${n === 1 ? '' : 's'} now ${split === 'validation' ? 'set aside for validation' : 'used for training'}.` : `Already ${split === 'validation' ? 'for validation' : 'for training'}.`);
  };
  ctx.subscriptions.push(
    tree,
    view,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand('medgemma.dataset.refresh', () => tree.refresh()),
    vscode.commands.registerCommand('medgemma.dataset.open', async (node: unknown) => {
      const n = node as DatasetNode;
      if (n?.type !== 'example') return;
      const path = `/${n.example.id}.md`;
      pages.set(path, exampleMarkdown(n.example));
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: SCHEME, path }));
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
    vscode.commands.registerCommand('medgemma.dataset.openFile', async (line?: unknown) => {
      const s = store();
      if (!s) return;
      const at = typeof line === 'number' && line >= 1 ? new vscode.Range(line - 1, 0, line - 1, 0) : undefined;
      await vscode.window.showTextDocument(vscode.Uri.file(s.file), { preview: false, selection: at });
    }),
    vscode.commands.registerCommand('medgemma.dataset.markValidation', (node: unknown, selected?: DatasetNode[]) => setSplit(node, selected, 'validation')),
    vscode.commands.registerCommand('medgemma.dataset.markTraining', (node: unknown, selected?: DatasetNode[]) => setSplit(node, selected, 'train')),
    vscode.commands.registerCommand('medgemma.dataset.delete', async (node: unknown, selected?: DatasetNode[]) => {
      const ids = examplesOf(node, selected);
      const s = store();
      if (!s || !ids.length) return 0;
      const ok = await vscode.window.showWarningMessage(
        `Delete ${ids.length === 1 ? 'this training example' : `these ${ids.length} training examples`}? Images no other example uses are deleted with ${ids.length === 1 ? 'it' : 'them'}. This cannot be undone.`,
        { modal: true },
        'Delete',
      );
      if (ok !== 'Delete') return 0;
      const n = await s.remove(ids);
      tree.refresh();
      return n;
    }),
  );
}
