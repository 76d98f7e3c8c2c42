// Citations in a summary ([L12], [L12-L15]) become links that reveal and highlight those
// lines in the note. The note is found from the summary's header line
// "**Source:** [name, lines a–b](uri)", so links still work after a reload or a save.

import * as vscode from 'vscode';
import { offerWrap } from './wrap-offer';

const SOURCE_RE = /^\*\*Source:\*\*\s*\[[^\]]*\]\(([^)\s]+)\)/m;
const CITATION_RE = /\[L(\d+)(?:\s*[-–—]\s*L?(\d+))?\]/g;
export const highlight = vscode.window.createTextEditorDecorationType({
  backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
  isWholeLine: true,
  overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
  overviewRulerLane: vscode.OverviewRulerLane.Center,
});

export function sourceOf(doc: vscode.TextDocument): vscode.Uri | undefined {
  const head = doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, 12), 0));
  const m = SOURCE_RE.exec(head);
  if (!m) return undefined;
  try {
    return vscode.Uri.parse(decodeURI(m[1]), true);
  } catch {
    return undefined;
  }
}

export function revealUri(note: vscode.Uri, start: number, end: number): vscode.Uri {
  const args = encodeURIComponent(JSON.stringify([note.toString(), start, end]));
  return vscode.Uri.parse(`command:medgemma.revealLines?${args}`);
}

export class CitationLinkProvider implements vscode.DocumentLinkProvider {
  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const note = sourceOf(doc);
    if (!note) return [];
    const links: vscode.DocumentLink[] = [];
    const text = doc.getText();
    for (const m of text.matchAll(CITATION_RE)) {
      const start = Number(m[1]);
      const end = m[2] ? Number(m[2]) : start;
      const range = new vscode.Range(doc.positionAt(m.index!), doc.positionAt(m.index! + m[0].length));
      const link = new vscode.DocumentLink(range, revealUri(note, start, Math.max(start, end)));
      link.tooltip = start === end ? `Show line ${start} of the note` : `Show lines ${start}–${end} of the note`;
      links.push(link);
    }
    return links;
  }
}

/**
 * Open the note (reusing its editor if visible), select and highlight lines start..end
 * (1-based), centred, and scrolled so that the first cited line is shown from its start.
 */
export async function revealLines(noteArg: string | vscode.Uri, start: number, end: number): Promise<vscode.TextEditor> {
  const note = typeof noteArg === 'string' ? vscode.Uri.parse(noteArg, true) : noteArg;
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === note.toString());
  const doc = visible?.document ?? (await vscode.workspace.openTextDocument(note));
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
  const last = doc.lineCount;
  const a = Math.min(Math.max(1, start), last) - 1;
  const b = Math.min(Math.max(start, end), last) - 1;
  const range = new vscode.Range(a, 0, b, doc.lineAt(b).range.end.character);
  // The cursor at the start: a line wider than the editor is shown from its beginning.
  editor.selection = new vscode.Selection(range.end, range.start);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  editor.revealRange(new vscode.Range(range.start, range.start), vscode.TextEditorRevealType.Default);
  editor.setDecorations(highlight, [range]);
  offerWrap(editor, a, b);
  return editor;
}
