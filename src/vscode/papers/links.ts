// Command links that open the paper viewer at a page (used in answers and search results).

import type { Citation } from '../../core/papers/ask';

export const OPEN_PAGE = 'medgemma.openPaperPage';

/** `command:medgemma.openPaperPage?[chunkId, page]` — the chunk gives the passage to highlight. */
export function openPageUri(c: Pick<Citation, 'chunkId' | 'pageStart'>): string {
  return `command:${OPEN_PAGE}?${encodeURIComponent(JSON.stringify([c.chunkId, c.pageStart]))}`;
}
