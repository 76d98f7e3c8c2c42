// Command links that open the paper viewer at a page (used in answers and search results).

import * as vscode from 'vscode';
import type { Citation } from '../../core/papers/ask';

export const OPEN_PAGE = 'medgemma.openPaperPage';

/** `command:medgemma.openPaperPage?[chunkId, page]` — the chunk gives the passage to highlight. */
export function openPageUri(c: Pick<Citation, 'chunkId' | 'pageStart'>): string {
  return `command:${OPEN_PAGE}?${encodeURIComponent(JSON.stringify([c.chunkId, c.pageStart]))}`;
}

export function openPageCommand(chunkId: string, page: number): vscode.Command {
  return { title: 'Open page', command: OPEN_PAGE, arguments: [chunkId, page] };
}
