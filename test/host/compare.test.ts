// Compare Models on Notes… in the real extension host against the simulator serving a base model
// and a LoRA adapter that turns negated findings into present ones: the report is written to
// the workspace's .medgemma/compare/, names both models with their charts and summaries, shows
// the adapter's negation flags, and Side by Side opens two summaries in a diff editor.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { fixture } from '../fixtures';
import { startSim, type Sim } from '../sim';
import { activate, closeAll, setUserSettings, waitFor, workspaceFolder } from './helpers';

suite('Compare Models on Notes', () => {
  let sim: Sim;
  let restore: () => Promise<void>;
  let notes: string;

  suiteSetup(async () => {
    sim = await startSim({
      tokensPerSecond: 0,
      maxModelLen: 16384,
      models: [
        { id: 'medgemma-4b', root: 'google/medgemma-4b-it' },
        { id: 'notes-lora', root: '/adapters/notes-lora', parent: 'medgemma-4b', flipNegation: true },
      ],
    });
    restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'summary.defaultTemplate': 'brief' });
    await activate();
    notes = path.join(workspaceFolder().uri.fsPath, 'compare-notes');
    fs.rmSync(notes, { recursive: true, force: true });
    fs.mkdirSync(notes);
    for (const f of ['ed-chest-pain.txt', 'radiology-cxr-report.txt']) fs.copyFileSync(fixture('notes', f), path.join(notes, f));
  });

  suiteTeardown(async () => {
    await closeAll();
    await restore?.();
    await sim?.stop();
  });

  test('the folder from the Explorer, two models: a report with charts and every summary; the adapter\'s flipped negations show', async () => {
    const report = await vscode.commands.executeCommand<string>('medgemma.compareModels', vscode.Uri.file(notes), undefined, { models: ['medgemma-4b', 'notes-lora'] });
    assert.ok(report, 'no report');
    assert.ok(report.startsWith(path.join(workspaceFolder().uri.fsPath, '.medgemma', 'compare') + path.sep), report);
    const text = fs.readFileSync(report, 'utf8');
    assert.match(text, /^# Summaries compared: 2 notes, template brief\n/);
    assert.match(text, /\| measure \| \*\*medgemma-4b\*\* \| \*\*notes-lora\*\* \|/);
    assert.match(text, /\| — negation \| 0 \| [1-9]\d* \|/);
    const dir = path.dirname(report);
    assert.match(fs.readFileSync(path.join(dir, '..', '.gitignore'), 'utf8'), /kept out of git/);
    for (const chart of ['chart-verified.svg', 'chart-cited.svg', 'chart-unsupported.svg', 'chart-seconds.svg']) {
      assert.match(text, new RegExp(`\\(${chart}\\)`));
      assert.match(fs.readFileSync(path.join(dir, chart), 'utf8'), /^<svg /);
    }
    const links = [...text.matchAll(/\[summary\]\(([^)]+)\)/g)].map((m) => decodeURI(m[1]));
    assert.strictEqual(links.length, 4, text);
    for (const l of links) assert.match(fs.readFileSync(path.join(dir, l), 'utf8'), /^# Brief clinical summary/);
    const chats = sim.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.deepStrictEqual(['medgemma-4b', 'notes-lora'].map((m) => chats.filter((r) => r.body?.model === m).length), [2, 2]);

    assert.strictEqual(await vscode.commands.executeCommand('medgemma.compareSideBySide', 'compare-notes/ed-chest-pain.txt', 'medgemma-4b', 'notes-lora'), true);
    const tab = await waitFor('the diff editor', () => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff ? vscode.window.tabGroups.activeTabGroup.activeTab : undefined);
    assert.match(tab.label, /ed-chest-pain\.txt: medgemma-4b ↔ notes-lora/);
  });

  test('fewer than two models given: it asks (a test answers nothing), nothing is sent', async () => {
    const before = sim.requests.length;
    const run = vscode.commands.executeCommand('medgemma.compareModels', vscode.Uri.file(notes), undefined, { models: ['medgemma-4b'] });
    // The model picker is open: close it as a user would.
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.strictEqual(await run, undefined);
    assert.strictEqual(sim.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions')).length, 0);
  });
});
