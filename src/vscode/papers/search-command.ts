// MedGemma: Search Papers — ranked passages with pages in a quick pick; needs no server.
// Choosing one opens the viewer at that page.

import * as vscode from 'vscode';
import type { PaperLibrary } from '../../core/papers/library';
import { shortLabel } from '../../core/papers/meta';
import { pageLabel } from '../../core/papers/render';
import type { SearchHit } from '../../core/papers/types';

interface HitItem extends vscode.QuickPickItem {
  hit: SearchHit;
}

export async function searchPapers(library: PaperLibrary, openPage: (chunkId: string, page: number) => Promise<void>, query?: string): Promise<SearchHit | undefined> {
  if (!(await library.list()).some((p) => p.state === 'indexed')) {
    void vscode.window.showInformationMessage('No papers are indexed yet. Run "MedGemma: Attach Papers" first.');
    return undefined;
  }
  const q = query ?? (await vscode.window.showInputBox({
      title: 'Search papers',
      placeHolder: 'Words or a question to find in the attached papers (Enter to search)',
      prompt: 'Passages are ranked on this machine (BM25); nothing is sent anywhere.',
    }));
  if (!q?.trim()) return undefined;
  const hits = await library.search(q, 20);
  if (!hits.length) {
    void vscode.window.showInformationMessage(`No passage in the attached papers matches "${q}". Try other words.`);
    return undefined;
  }
  const items: HitItem[] = hits.map((h) => ({
    label: `${shortLabel(h.paper.meta, h.paper.file)}, ${pageLabel(h.chunk)}`,
    description: `${h.paper.meta?.title ?? ''}${h.chunk.section ? ` — ${h.chunk.section}` : ''}`,
    detail: h.chunk.text.replace(/\s+/g, ' ').slice(0, 240),
    hit: h,
  }));
  const pick = await vscode.window.showQuickPick(items, { title: `Passages for "${q}"`, matchOnDescription: true, matchOnDetail: true });
  if (pick) await openPage(pick.hit.chunk.id, pick.hit.chunk.pageStart);
  return pick?.hit;
}
