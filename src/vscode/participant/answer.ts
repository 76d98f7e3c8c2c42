// What @medgemma writes into VS Code's chat. Model text is made inert first (no link it wrote
// stays a link, core/model-text/links.ts); the only links are ours: each citation [L12] becomes
// an anchor that opens the note at those lines, each paper source a reference to its file.

import * as vscode from 'vscode';
import { citationGroups } from '../../core/notes/citations';
import { checkSentence, DISCLAIMER, markUnsupported, partialNotice } from '../../core/notes/render';
import type { SummaryResult } from '../../core/notes/summarize';
import { neutralizeLinks } from '../../core/model-text/links';

/** The part of ChatResponseStream used here (tests record it). */
export interface AnswerStream {
  markdown(value: string | vscode.MarkdownString): void;
  anchor(value: vscode.Uri | vscode.Location, title?: string): void;
  reference(value: vscode.Uri | vscode.Location): void;
  progress(value: string): void;
}

/** Plain markdown, never trusted (no command links), with no HTML. */
export function inert(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/** The summary with its unsupported statements marked; each citation an anchor into the note. */
export function streamSummary(stream: AnswerStream, r: SummaryResult, note: vscode.Uri, lineCount: number): void {
  const notice = partialNotice(r);
  if (notice) stream.markdown(inert(`> ${notice}\n\n`));
  const text = neutralizeLinks(markUnsupported(r.summary.trimEnd(), r.statements)).text;
  let at = 0;
  for (const g of citationGroups(text)) {
    stream.markdown(inert(text.slice(at, g.start)));
    const cites = g.cites.filter(([a]) => a >= 1 && a <= lineCount);
    if (!cites.length) stream.markdown(inert(text.slice(g.start, g.end)));
    for (const [a, b] of cites) {
      const range = new vscode.Range(a - 1, 0, Math.min(b, lineCount) - 1, Number.MAX_SAFE_INTEGER);
      stream.anchor(new vscode.Location(note, range), a === b ? `L${a}` : `L${a}-L${b}`);
    }
    at = g.end;
  }
  stream.markdown(inert(`${text.slice(at)}\n\n---\n\n${r.statements.length ? `${checkSentence(r)}\n\n` : ''}${DISCLAIMER}\n`));
}
