// MedGemma: Preview What Will Be Sent — the note (or the selected lines) beside the text the
// server would receive, in a diff editor: every replaced identifier is a highlighted change,
// and the lines stay aligned because pseudonymizing never adds or removes one.

import * as vscode from 'vscode';
import { describeCounts } from '../../core/privacy/describe';
import { countByType } from '../../core/privacy/gate';
import { resolveMode } from '../../core/privacy/mode';
import { Pseudonymizer } from '../../core/privacy/pseudonymize';
import { originOf } from '../../core/server/http';
import { ReadOnlyDocuments } from '../notes/read-only-documents';
import type { Services } from '../services';

export const PREVIEW_SCHEME = 'medgemma-preview';
export const CHOOSE_MODE = 'Choose Privacy Mode';

export function registerPreview(services: Services): vscode.Disposable {
  const docs = new ReadOnlyDocuments(PREVIEW_SCHEME, 'preview');
  const command = vscode.commands.registerCommand('medgemma.previewPrivacy', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Open a note (or select lines of one) to preview what MedGemma would send.');
      return undefined;
    }
    const client = await services.clientOrShowError('Preview What Will Be Sent');
    if (!client) return undefined;
    const doc = editor.document;
    const sel = editor.selection;
    const whole = sel.isEmpty;
    const lines = whole ? undefined : new vscode.Range(sel.start.line, 0, sel.end.line, doc.lineAt(sel.end.line).text.length);
    const text = doc.getText(lines);
    const name = doc.uri.path.split('/').pop() || 'note';
    const out = new Pseudonymizer().pseudonymize(text);
    const counts = countByType(out.spans);

    const sent = docs.create(`${name} (as sent)`);
    docs.set(sent, out.text);
    docs.finished(sent);
    let original = doc.uri;
    if (!whole) {
      original = docs.create(`${name} (lines ${sel.start.line + 1}-${sel.end.line + 1})`);
      docs.set(original, text);
      docs.finished(original);
    }
    const baseUrl = client.endpoint('text').baseUrl;
    const mode = resolveMode(client.config.privacy, baseUrl);
    const where = originOf(baseUrl);
    await vscode.commands.executeCommand('vscode.diff', original, sent, `${name}${whole ? '' : ` (lines ${sel.start.line + 1}-${sel.end.line + 1})`} ↔ as sent (${mode})`, { preview: true });

    const found = out.spans.length ? describeCounts(counts) : 'no identifiers';
    const message =
      mode === 'off'
        ? `Privacy mode is off for ${where}: the text goes as written (left). The right side shows what "pseudonymize" would send: ${found} replaced.`
        : mode === 'warn'
          ? `Found ${found}. In "warn" mode MedGemma asks before sending them to ${where}: pseudonymized (right side) or as written (left). Stand-ins are chosen anew for each note.`
          : `${out.spans.length ? `${found[0].toUpperCase()}${found.slice(1)} ${out.spans.length === 1 ? 'is' : 'are'} replaced` : 'No identifiers were found'} before the text goes to ${where} (right side). Stand-ins are chosen anew for each note. Free-text descriptions are not changed: read the right side before sending.`;
    void vscode.window.showInformationMessage(message, CHOOSE_MODE).then((pick) => {
      if (pick === CHOOSE_MODE) void vscode.commands.executeCommand('medgemma.choosePrivacyMode');
    });
    return { mode, counts, spans: out.spans.length, lineCount: out.text.split('\n').length };
  });
  return vscode.Disposable.from(docs, command);
}
