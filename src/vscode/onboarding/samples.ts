// The bundled samples of the walkthrough (samples/, shipped in the VSIX; licences in
// samples/README.md). The note opens read-only so the shipped file is never edited.

import * as vscode from 'vscode';

export const SAMPLE_SCHEME = 'medgemma-sample';
export const SAMPLE_NOTE = 'sample-clinic-note.txt';
export const SAMPLE_PAPER = 'datta2010-dvt-complications-review.pdf';
export const SAMPLE_IMAGE = 'nih-cxr14-00000001_000.png';

export function sampleUri(extensionUri: vscode.Uri, name: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'samples', name);
}

/** Serves samples/<name> under medgemma-sample:/<name>: a read-only document. */
export class SampleNotes implements vscode.TextDocumentContentProvider {
  constructor(private readonly extensionUri: vscode.Uri) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const name = uri.path.replace(/^\//, '');
    if (name !== SAMPLE_NOTE) return `There is no MedGemma sample called ${name}.`;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(sampleUri(this.extensionUri, name)));
  }
}

export async function openSampleNote(): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: SAMPLE_SCHEME, path: `/${SAMPLE_NOTE}` }));
  return vscode.window.showTextDocument(doc, { preview: false });
}
