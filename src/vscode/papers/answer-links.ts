// In a papers answer document, every "Tully 2010, p. 3" becomes a link that opens the paper
// viewer at that page with the cited passage highlighted. The document itself stays plain
// markdown; the passages come from its source map (core/papers/render.ts).

import * as vscode from 'vscode';
import { parseSourceMap, SOURCE_MAP_START } from '../../core/papers/render';
import { openPageUri } from './links';

export class AnswerLinkProvider implements vscode.DocumentLinkProvider {
  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const text = doc.getText();
    const sources = parseSourceMap(text);
    if (!sources.length) return [];
    const end = text.lastIndexOf(SOURCE_MAP_START);
    const seen = new Set<string>();
    const links: vscode.DocumentLink[] = [];
    for (const s of sources) {
      if (seen.has(s.text)) continue; // the same paper and pages: the first passage stands for it
      seen.add(s.text);
      const target = vscode.Uri.parse(openPageUri({ chunkId: s.chunkId, pageStart: s.page }));
      for (let i = text.indexOf(s.text); i >= 0 && i < end; i = text.indexOf(s.text, i + s.text.length)) {
        const link = new vscode.DocumentLink(new vscode.Range(doc.positionAt(i), doc.positionAt(i + s.text.length)), target);
        link.tooltip = `Open ${s.text} in the paper viewer`;
        links.push(link);
      }
    }
    return links;
  }
}
