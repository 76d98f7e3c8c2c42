// The Papers view: one row per attached PDF with its title, authors/year, pages and state.
// Dropping PDFs (from the explorer or the desktop) onto the view attaches them.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PaperLibrary } from '../../core/papers/library';
import { shortLabel } from '../../core/papers/meta';
import type { PaperRecord } from '../../core/papers/types';
import { OPEN_PAGE } from './links';

const ICONS: Record<PaperRecord['state'], vscode.ThemeIcon> = {
  indexed: new vscode.ThemeIcon('file-pdf'),
  'needs-ocr': new vscode.ThemeIcon('eye-closed', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  encrypted: new vscode.ThemeIcon('lock', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
};
const STATE_TEXT: Record<PaperRecord['state'], string> = {
  indexed: '',
  'needs-ocr': 'needs OCR',
  encrypted: 'locked: click to enter the password',
  failed: 'failed',
};

export class PapersTree implements vscode.TreeDataProvider<PaperRecord>, vscode.TreeDragAndDropController<PaperRecord> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly dropMimeTypes = ['text/uri-list', 'files'];
  readonly dragMimeTypes: string[] = [];

  constructor(
    private readonly library: PaperLibrary,
    private readonly attach: (uris: vscode.Uri[]) => Promise<unknown>,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  getChildren(element?: PaperRecord): Promise<PaperRecord[]> | PaperRecord[] {
    return element ? [] : this.library.list();
  }

  getTreeItem(p: PaperRecord): vscode.TreeItem {
    const name = path.basename(p.file);
    // Researchers know papers by "Author Year": that first (when found), then the title.
    const hasCite = !!(p.meta?.authors.length && p.meta.year);
    const item = new vscode.TreeItem(hasCite ? shortLabel(p.meta, name) : (p.meta?.title ?? name));
    const bits = [hasCite ? p.meta?.title : '', p.meta ? `${p.meta.pages} p.` : '', STATE_TEXT[p.state], p.sessionOnly ? 'in memory only' : ''].filter(Boolean);
    item.description = bits.join(' · ');
    item.id = p.id;
    item.iconPath = ICONS[p.state];
    item.contextValue = `paper-${p.state}`;
    const tip = new vscode.MarkdownString();
    tip.appendText(`${p.meta?.title ?? name}\n${p.file}\n`);
    if (p.meta?.authors.length) tip.appendText(`${p.meta.authors.join(', ')}\n`);
    tip.appendText(p.state === 'indexed' ? `Indexed: ${p.chunks} passages${p.reason ? ` (${p.reason})` : ''}` : (p.reason ?? p.state));
    item.tooltip = tip;
    item.resourceUri = vscode.Uri.file(p.file);
    // A locked paper (its text was kept in memory only, for an earlier session) re-opens with one click.
    if (p.state === 'indexed') item.command = { title: 'Open', command: OPEN_PAGE, arguments: [`${p.id}#0`, 1, false] };
    else if (p.state === 'encrypted') item.command = { title: 'Enter the password', command: 'medgemma.reindexPaper', arguments: [p] };
    return item;
  }

  async handleDrop(_target: PaperRecord | undefined, data: vscode.DataTransfer): Promise<void> {
    const uris: vscode.Uri[] = [];
    const list = data.get('text/uri-list');
    if (list) {
      for (const line of (await list.asString()).split(/\r?\n/)) {
        const t = line.trim();
        if (t && !t.startsWith('#')) uris.push(vscode.Uri.parse(t));
      }
    }
    data.forEach((item) => {
      const f = item.asFile();
      if (f?.uri) uris.push(f.uri);
    });
    if (uris.length) await this.attach(uris);
  }
}
