// A citation link inside the chat: `medgemma-paper:<paper id>#<chunk>?page=N`. The chat view
// hands every link to the host; the host opens these in the paper viewer without a prompt
// (they only show a page of a paper the user attached), so the format is parsed strictly.

import type { Citation } from './ask';

export const PAPER_SCHEME = 'medgemma-paper:';
const HREF_RE = new RegExp(`^${PAPER_SCHEME}([0-9a-f]{16})%23(\\d{1,6})\\?page=(\\d{1,6})$`);

export function paperPageHref(c: Pick<Citation, 'chunkId' | 'pageStart'>): string {
  return `${PAPER_SCHEME}${encodeURIComponent(c.chunkId)}?page=${c.pageStart}`;
}

/** The chunk and page of a paper link, or undefined when `href` is anything else. */
export function parsePaperPageHref(href: string): { chunkId: string; page: number } | undefined {
  const m = HREF_RE.exec(href);
  return m ? { chunkId: `${m[1]}#${Number(m[2])}`, page: Math.max(1, Number(m[3])) } : undefined;
}
