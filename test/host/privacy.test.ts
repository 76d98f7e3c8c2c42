// The privacy gate in the real extension host, against the simulator: the user's mode is used
// and the workspace's "off" ignored; a summary goes out pseudonymized and reads with the real
// names; the audit log gets a line; the preview shows both sides with the line count kept.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { DISCLAIMER } from '../../src/core/notes/render';
import { fixture } from '../fixtures';
import { startSim, type Sim } from '../sim';
import { activate, closeAll, setUserSettings, summaryDocs, waitFor } from './helpers';

const SAMPLE = fixture('notes', 'deid-sample.txt');

suite('privacy gate', () => {
  let sim: Sim;
  let restore: () => Promise<void>;
  const chats = () => sim.requests.filter((r) => r.path.endsWith('/chat/completions'));

  suiteSetup(async () => {
    sim = await startSim({ tokensPerSecond: 0 });
    restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'summary.defaultTemplate': 'brief', 'privacy.mode': 'pseudonymize' });
    await activate();
  });

  suiteTeardown(async () => {
    await closeAll();
    await restore?.();
    await sim?.stop();
  });

  test('the workspace cannot turn the gate off', () => {
    const info = vscode.workspace.getConfiguration('medgemma').inspect<string>('privacy.mode');
    assert.strictEqual(info?.workspaceValue, undefined, 'a machine-scoped setting has no workspace value');
    assert.strictEqual(info?.globalValue, 'pseudonymize');
  });

  test('Summarize Note sends stand-ins, shows the real names, and writes one audit line', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(SAMPLE));
    await vscode.window.showTextDocument(doc, { preview: false });
    const auditPath = (await vscode.commands.executeCommand<string | undefined>('medgemma.showAuditLog')) ?? '';
    const linesBefore = auditPath && fs.existsSync(auditPath) ? fs.readFileSync(auditPath, 'utf8').split('\n').filter(Boolean).length : 0;
    const before = new Set(summaryDocs());
    const sent = chats().length;
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('medgemma.summarizeNote');
    const summary = await waitFor('a finished summary', () => summaryDocs().find((d) => !before.has(d) && d.getText().trim().endsWith(DISCLAIMER)), 60_000);
    assert.strictEqual(chats().length, sent + 1);
    const body = JSON.stringify(chats().at(-1)!.body.messages);
    for (const id of ['Vandersloot', '519-22-4078', '00728814', 'Quillfeather', '10/27/2024']) assert.ok(!body.includes(id), `${id} reached the server`);
    assert.match(summary.getText(), /Vandersloot/, 'the summary does not show the real name');

    const path = await vscode.commands.executeCommand<string>('medgemma.showAuditLog');
    assert.ok(path && fs.existsSync(path), 'no audit log file');
    const lines = fs.readFileSync(path, 'utf8').split('\n').filter(Boolean);
    assert.strictEqual(lines.length, linesBefore + 1);
    const entry = JSON.parse(lines.at(-1)!);
    assert.strictEqual(entry.feature, 'summary');
    assert.strictEqual(entry.mode, 'pseudonymize');
    assert.strictEqual(entry.action, 'pseudonymized');
    assert.ok(entry.identifiers.NAME > 0);
    assert.ok(!lines.at(-1)!.includes('Vandersloot'));
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, path, 'Show Audit Log did not open the log');
  });

  test('Preview What Will Be Sent: the note beside its pseudonymized text, lines aligned', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(SAMPLE));
    await vscode.window.showTextDocument(doc, { preview: false });
    const r = await vscode.commands.executeCommand<{ mode: string; counts: Record<string, number>; spans: number; lineCount: number }>('medgemma.previewPrivacy');
    assert.strictEqual(r.mode, 'pseudonymize');
    assert.ok(r.spans >= 50 && r.counts.NAME > 0 && r.counts.DATE > 0, JSON.stringify(r));
    assert.strictEqual(r.lineCount, doc.lineCount);
    const sent = await waitFor('the "as sent" document', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'medgemma-preview' && d.uri.path.endsWith('(as sent)')));
    assert.ok(!sent.getText().includes('Vandersloot'));
    assert.match(sent.getText(), /Parkinson disease/);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'the preview is not a diff editor');
    assert.match(tab.label, /deid-sample\.txt ↔ as sent \(pseudonymize\)/);
  });
});
