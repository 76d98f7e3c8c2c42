// The Training Data view: the workspace's examples by kind, then summaries by template, each
// example named by its source and date, marked when corrected or set aside for validation.
// The file is re-read when it changes (the CLI or another window may add to it).

import * as vscode from 'vscode';
import type { Example } from '../../core/dataset/example';
import { exampleTitle } from '../../core/dataset/example-text';
import { datasetStats, statsText } from '../../core/dataset/stats';
import type { Problem } from '../../core/dataset/store';
import { datasetFor } from './folder';

export type DatasetNode =
  | { type: 'group'; label: string; examples: Example[]; byTemplate: boolean }
  | { type: 'example'; example: Example }
  | { type: 'problems'; problems: Problem[] };

const KIND_LABELS: Record<Example['kind'], string> = { summary: 'Summaries', chat: 'Chat answers', image: 'Image answers' };

export class DatasetTree implements vscode.TreeDataProvider<DatasetNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private examples: Example[] = [];
  private problems: Problem[] = [];
  private watcher?: vscode.FileSystemWatcher;
  private watched?: string;
  /** onSummary: the view's description, "12 · 2 for validation", after each read. */
  constructor(private readonly onSummary: (text: string) => void) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: DatasetNode): Promise<DatasetNode[]> {
    if (!node) {
      const target = datasetFor();
      if ('error' in target) return [];
      this.watch(target.store.file);
      try {
        ({ examples: this.examples, problems: this.problems } = await target.store.read());
      } catch (e) {
        void vscode.window.showErrorMessage(`The training examples in ${target.shown} cannot be read: ${(e as Error)?.message ?? e}.`);
        return [];
      }
      const s = datasetStats(this.examples, this.problems);
      this.onSummary(this.examples.length ? `${s.examples} · ${s.split.validation} for validation` : '');
      const kinds = (Object.keys(KIND_LABELS) as Example['kind'][]).filter((k) => this.examples.some((e) => e.kind === k));
      const groups: DatasetNode[] = kinds.map((k) => ({ type: 'group', label: KIND_LABELS[k], examples: this.examples.filter((e) => e.kind === k), byTemplate: k === 'summary' }));
      return this.problems.length ? [...groups, { type: 'problems', problems: this.problems }] : groups;
    }
    if (node.type !== 'group') return [];
    if (node.byTemplate) {
      const labels = [...new Set(node.examples.map((e) => e.template?.label ?? 'no template'))].sort();
      if (labels.length > 1) return labels.map((label) => ({ type: 'group', label, examples: node.examples.filter((e) => (e.template?.label ?? 'no template') === label), byTemplate: false }));
    }
    return [...node.examples].sort((a, b) => (a.created < b.created ? 1 : -1)).map((example) => ({ type: 'example', example }));
  }

  getTreeItem(node: DatasetNode): vscode.TreeItem {
    if (node.type === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      const val = node.examples.filter((e) => e.split === 'validation').length;
      item.description = `${node.examples.length}${val ? ` (${val} validation)` : ''}`;
      item.tooltip = statsText(datasetStats(node.examples));
      item.contextValue = 'datasetGroup';
      return item;
    }
    if (node.type === 'problems') {
      const item = new vscode.TreeItem(`${node.problems.length} line${node.problems.length === 1 ? '' : 's'} of examples.jsonl unreadable`);
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.tooltip = node.problems.map((p) => `line ${p.line}: ${p.why}`).join('\n');
      item.command = { title: 'Open examples.jsonl', command: 'medgemma.dataset.openFile', arguments: [node.problems[0].line] };
      return item;
    }
    const e = node.example;
    const where = e.source ? `${e.source.file.split('/').pop()}${e.source.lines ? `:${e.source.lines[0]}-${e.source.lines[1]}` : ''}` : exampleTitle(e);
    const item = new vscode.TreeItem(where);
    item.id = e.id;
    item.description = [e.created.slice(0, 10), e.review.action === 'edited' ? 'corrected' : '', e.split === 'validation' ? 'validation' : '', e.deidentified === 'as-written' ? '⚠ as written' : ''].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(e.split === 'validation' ? 'beaker' : e.review.action === 'edited' ? 'edit' : 'check');
    item.tooltip = `${exampleTitle(e)}\n${e.review.action === 'edited' ? 'corrected' : 'accepted as drafted'} by ${e.review.by}, ${e.created}\n${e.split === 'validation' ? 'Validation' : 'Training'} split`;
    item.contextValue = e.split === 'validation' ? 'datasetExample.validation' : 'datasetExample.train';
    item.command = { title: 'Open Example', command: 'medgemma.dataset.open', arguments: [node] };
    return item;
  }

  private watch(file: string): void {
    if (this.watched === file) return;
    this.watcher?.dispose();
    this.watched = file;
    this.watcher = vscode.workspace.createFileSystemWatcher(file);
    const again = () => this.refresh();
    this.watcher.onDidChange(again);
    this.watcher.onDidCreate(again);
    this.watcher.onDidDelete(again);
  }

  dispose(): void {
    this.watcher?.dispose();
    this.changed.dispose();
  }
}
