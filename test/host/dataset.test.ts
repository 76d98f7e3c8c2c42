// Save as Training Example on a summary, in the real extension host against the simulator: as
// it is (accepted), or corrected in an editable copy (the model's text kept as the rejected
// draft). The example lands in the workspace's .medgemma/dataset with no identifier of the
// note; the workspace's own dataset settings (another folder, no pseudonymizing) are ignored.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DISCLAIMER } from '../../src/core/notes/render';
import { fixture } from '../fixtures';
import { startSim, type Sim } from '../sim';
import { activate, closeAll, setUserSettings, summaryDocs, waitFor, workspaceFolder } from './helpers';

const NOTE = 'deid-note.txt';

suite('Save as Training Example (summaries)', () => {
  let sim: Sim;
  let restore: () => Promise<void>;
  let dataset: string;
  let summary: vscode.TextDocument;
  const examples = () => fs.readFileSync(path.join(dataset, 'examples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

  suiteSetup(async function () {
    this.timeout(120_000);
    sim = await startSim({ tokensPerSecond: 0 });
    restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'summary.defaultTemplate': 'brief', 'privacy.mode': 'off' });
    await activate();
    const ws = workspaceFolder().uri.fsPath;
    dataset = path.join(ws, '.medgemma', 'dataset');
    fs.rmSync(dataset, { recursive: true, force: true });
    fs.copyFileSync(fixture('notes', 'deid-sample.txt'), path.join(ws, NOTE));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(ws, NOTE)));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    const before = new Set(summaryDocs());
    await vscode.commands.executeCommand('medgemma.summarizeNote');
    summary = await waitFor('a finished summary', () => summaryDocs().find((d) => !before.has(d) && d.getText().trimEnd().endsWith(DISCLAIMER)), 60_000);
  });

  suiteTeardown(async () => {
    await closeAll();
    await restore?.();
    await sim?.stop();
  });

  test('the workspace tries to move the dataset and switch pseudonymizing off; both are ignored', () => {
    const cfg = vscode.workspace.getConfiguration('medgemma');
    assert.ok(cfg.inspect<string>('dataset.folder')?.workspaceValue, 'the test workspace sets no dataset folder');
    assert.strictEqual(cfg.inspect<boolean>('dataset.pseudonymize')?.workspaceValue, false);
  });

  test('as it is: an accepted example, pseudonymized, in the workspace\'s .medgemma/dataset', async () => {
    const id = await vscode.commands.executeCommand<string>('medgemma.saveTrainingExample', summary.uri, 'save');
    assert.ok(id, 'nothing was saved');
    const [e] = examples();
    assert.strictEqual(e.id, id);
    assert.deepStrictEqual([e.kind, e.template.id, e.source.file, e.review.action, e.deidentified, e.rejected], ['summary', 'brief', NOTE, 'accepted', 'pseudonymized', undefined]);
    assert.strictEqual(e.model, /^\*\*Model:\*\* (\S+)/m.exec(summary.getText())?.[1], 'the model is not the one the summary names');
    assert.match(e.chosen, /^- .+\[L\d+/m);
    assert.ok(!e.chosen.includes(DISCLAIMER) && !e.chosen.includes('**Source:**'), 'header or footer saved in the label');
    const raw = fs.readFileSync(path.join(dataset, 'examples.jsonl'), 'utf8');
    for (const identifier of ['Vandersloot', 'Ostrowski', '519-22-4078', '00728814', 'Quillfeather']) assert.ok(!raw.includes(identifier), `${identifier} was saved`);
    assert.match(fs.readFileSync(path.join(dataset, '.gitignore'), 'utf8'), /kept out of git/);
    const trap = vscode.workspace.getConfiguration('medgemma').inspect<string>('dataset.folder')!.workspaceValue!;
    assert.ok(!fs.existsSync(trap), `the workspace's folder ${trap} was written`);
  });

  test('corrected: an editable copy opens; saved, the clinician\'s text is the label and the model\'s the rejected draft', async () => {
    const none = await vscode.commands.executeCommand('medgemma.saveTrainingExample', summary.uri, 'edit');
    assert.strictEqual(none, undefined, 'the first step saves nothing');
    const copy = await waitFor('the editable copy', () => {
      const d = vscode.window.activeTextEditor?.document;
      return d?.uri.scheme === 'untitled' && d.languageId === 'markdown' ? d : undefined;
    });
    assert.strictEqual(copy.getText(), summary.getText());
    // The clinician removes the last statement and adds one of their own.
    const bullets = copy.getText().split('\n').map((l, i) => [l, i] as const).filter(([l]) => /^- /.test(l));
    assert.ok(bullets.length >= 2, 'the summary has too few statements to correct');
    const [, last] = bullets[bullets.length - 1];
    const edit = new vscode.WorkspaceEdit();
    edit.replace(copy.uri, new vscode.Range(last, 0, last, copy.lineAt(last).text.length), '- Statement written by the clinician [L1]');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const id = await vscode.commands.executeCommand<string>('medgemma.saveTrainingExample', copy.uri);
    assert.ok(id, 'the corrected copy was not saved');
    const e = examples().find((x) => x.id === id);
    assert.strictEqual(e.review.action, 'edited');
    assert.match(e.chosen, /- Statement written by the clinician \[L1\]$/);
    assert.ok(e.rejected && !e.rejected.includes('written by the clinician'), 'the draft is not the model\'s');
    assert.strictEqual(e.rejected.split('\n').length, e.chosen.split('\n').length);
    assert.strictEqual(examples().length, 2);
  });

  test('a chat answer: saved as it is, then corrected in a copy; the conversation as sent, no identifier kept', async () => {
    const asked = await vscode.commands.executeCommand<{ conversationId: string; answerId?: string; answer?: string }>('medgemma.chat.ask', 'What follow-up does Ms. Vandersloot (MRN 00728814) need?');
    assert.ok(asked?.answerId && asked.answer, 'no answer');
    const id = await vscode.commands.executeCommand<string>('medgemma.chat.saveExample', asked.conversationId, asked.answerId, 'save');
    assert.ok(id, 'the answer was not saved');
    const e = examples().find((x) => x.id === id);
    // The chat's current conversation: earlier suites may have asked in it too.
    assert.deepStrictEqual([e.kind, e.review.action, e.deidentified, e.messages.length % 2], ['chat', 'accepted', 'pseudonymized', 1]);
    const text = (m: { content: Array<{ text?: string }> }) => m.content.map((p) => p.text ?? '').join('');
    assert.match(text(e.messages[0]), /^You are MedGemma/);
    assert.match(text(e.messages[e.messages.length - 1]), /What follow-up does .+ need\?$/);
    const raw = fs.readFileSync(path.join(dataset, 'examples.jsonl'), 'utf8');
    for (const identifier of ['Vandersloot', '00728814']) assert.ok(!raw.includes(identifier), `${identifier} was saved`);

    assert.strictEqual(await vscode.commands.executeCommand('medgemma.chat.saveExample', asked.conversationId, asked.answerId, 'edit'), undefined);
    const copy = await waitFor('the answer\'s editable copy', () => {
      const d = vscode.window.activeTextEditor?.document;
      return d?.uri.scheme === 'untitled' && d.getText() === asked.answer ? d : undefined;
    });
    const edit = new vscode.WorkspaceEdit();
    edit.replace(copy.uri, new vscode.Range(0, 0, copy.lineCount, 0), 'Recheck HbA1c in 3 months.');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const id2 = await vscode.commands.executeCommand<string>('medgemma.saveTrainingExample', copy.uri);
    const e2 = examples().find((x) => x.id === id2);
    assert.deepStrictEqual([e2?.kind, e2?.review.action, e2?.chosen], ['chat', 'edited', 'Recheck HbA1c in 3 months.']);
    assert.ok(e2.rejected && e2.rejected.length > 0);
    // A stale id: a warning, nothing saved.
    assert.strictEqual(await vscode.commands.executeCommand('medgemma.chat.saveExample', asked.conversationId, 'no-such-turn', 'save'), undefined);
  });

  test('the Training Data view\'s actions: open an example, set it aside for validation, delete after asking', async () => {
    const [first, second] = examples();
    await vscode.commands.executeCommand('medgemma.dataset.open', { type: 'example', example: first });
    const page = await waitFor('the example page', () => vscode.window.activeTextEditor?.document.uri.scheme === 'medgemma-example' ? vscode.window.activeTextEditor.document : undefined);
    assert.match(page.getText(), new RegExp(`^# Training example ${first.id}\\n`));
    assert.match(page.getText(), /## The answer to learn \(the clinician's\)/);
    await vscode.commands.executeCommand('medgemma.dataset.markValidation', { type: 'example', example: first });
    assert.strictEqual(examples().find((x) => x.id === first.id).split, 'validation');
    await vscode.commands.executeCommand('medgemma.dataset.markTraining', undefined, [{ type: 'example', example: first }]);
    assert.strictEqual(examples().find((x) => x.id === first.id).split, 'train');
    // Delete asks first (a modal a test cannot click: answered here as the user would).
    const ask = vscode.window.showWarningMessage;
    const answers: Array<string | undefined> = [undefined, 'Delete'];
    const asked: string[] = [];
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (message: string) => {
      asked.push(message);
      return answers.shift();
    };
    try {
      const count = examples().length;
      assert.strictEqual(await vscode.commands.executeCommand('medgemma.dataset.delete', { type: 'example', example: second }), 0);
      assert.strictEqual(examples().length, count, 'deleted without the user saying so');
      assert.strictEqual(await vscode.commands.executeCommand('medgemma.dataset.delete', { type: 'example', example: second }), 1);
      assert.strictEqual(examples().length, count - 1);
      assert.ok(!examples().some((x) => x.id === second.id));
      assert.match(asked[0], /^Delete this training example\? .*cannot be undone/);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = ask;
    }
  });

  test('on a document that is no summary: a warning, nothing saved', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'not a summary' });
    const count = examples().length;
    const r = await vscode.commands.executeCommand('medgemma.saveTrainingExample', doc.uri);
    assert.strictEqual(r, undefined);
    assert.strictEqual(examples().length, count);
  });
});
