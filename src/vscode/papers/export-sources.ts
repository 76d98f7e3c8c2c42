// MedGemma: Export Cited Sources… — the papers a papers answer cites, as BibTeX or CSL-JSON,
// copied or saved, for a manuscript. The sources come from the answer's own source map
// (render.ts), which only this extension writes; a map or a citation the model typed into the
// answer is not one (parseSourceMap takes the last map, closing the document).

import * as vscode from 'vscode';
import { type CiteFormat, exportCitations } from '../../core/papers/cite-export';
import type { PaperLibrary } from '../../core/papers/library';
import { parseSourceMap, SOURCE_MAP_START } from '../../core/papers/render';
import type { PaperRecord } from '../../core/papers/types';

/** A line of the answer's list of sources (render.ts): "- **S3** Tully 2010, p. 2 — title". */
const SOURCE_LINE = /^- \*\*S\d+\*\* /;

export interface ExportOutcome {
  format: CiteFormat;
  papers: PaperRecord[];
  text: string;
  /** Where it went: the clipboard, or the file saved. */
  to: 'clipboard' | vscode.Uri;
}

/** resource: the answer (editor title button) or the active editor's document. */
export async function exportCitedSources(library: PaperLibrary, resource?: unknown): Promise<ExportOutcome | undefined> {
  const uri = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
  const doc = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const text = doc?.getText() ?? '';
  const sources = parseSourceMap(text);
  if (!sources.length) {
    void vscode.window.showWarningMessage('Open a papers answer first (Ask Papers, or one saved with Save Answer As…): its cited sources are exported.');
    return undefined;
  }
  // Cited: the citation text appears in the answer, not only in its list of sources (which
  // names every passage given to the model, cited or not) or the map.
  const body = text
    .slice(0, text.lastIndexOf(SOURCE_MAP_START))
    .split('\n')
    .filter((line) => !SOURCE_LINE.test(line))
    .join('\n');
  const ids = [...new Set(sources.filter((s) => body.includes(s.text)).map((s) => s.chunkId.split('#')[0]))];
  const papers: PaperRecord[] = [];
  for (const id of ids) {
    const p = await library.get(id);
    if (p) papers.push(p);
  }
  if (!papers.length) {
    void vscode.window.showWarningMessage(ids.length ? 'The papers this answer cites are no longer attached. Attach them again, then export.' : 'This answer cites no paper.');
    return undefined;
  }
  const format = await vscode.window.showQuickPick(
    [
      { label: 'BibTeX', description: '.bib — LaTeX, and most reference managers', format: 'bibtex' as const },
      { label: 'CSL-JSON', description: '.json — Zotero, Pandoc, citeproc', format: 'csl-json' as const },
    ],
    { title: `Export ${papers.length} cited source${papers.length === 1 ? '' : 's'}`, placeHolder: 'Format' },
  );
  if (!format) return undefined;
  const out = exportCitations(papers, format.format);
  const copy = 'Copy';
  const save = 'Save As…';
  const where = await vscode.window.showQuickPick([copy, save], { title: `${format.label} of ${papers.length} source${papers.length === 1 ? '' : 's'}` });
  if (where === copy) {
    await vscode.env.clipboard.writeText(out);
    vscode.window.setStatusBarMessage(`$(check) ${format.label} of ${papers.length} source${papers.length === 1 ? '' : 's'} copied`, 5000);
    return { format: format.format, papers, text: out, to: 'clipboard' };
  }
  if (where !== save) return undefined;
  const ext = format.format === 'bibtex' ? 'bib' : 'json';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const file = await vscode.window.showSaveDialog({
    defaultUri: folder && vscode.Uri.joinPath(folder, `sources.${ext}`),
    filters: format.format === 'bibtex' ? { BibTeX: ['bib'] } : { 'CSL-JSON': ['json'] },
    saveLabel: 'Save Sources',
  });
  if (!file) return undefined;
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(out));
  return { format: format.format, papers, text: out, to: file };
}
