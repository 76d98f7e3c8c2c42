// The extension as VS Code sees it: installed, activating, every contributed command
// registered, and server settings that a workspace cannot override.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activate, workspaceFolder } from './helpers';

interface ManifestCommand {
  command: string;
  title: string;
}

suite('extension', () => {
  test('is present and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    await activate();
    assert.strictEqual(ext.isActive, true);
  });

  test('registers every command in package.json contributes.commands', async () => {
    const ext = await activate();
    // The manifest as VS Code read it at run time: a newly contributed command without a
    // registerCommand fails here.
    const contributed: ManifestCommand[] = ext.packageJSON.contributes?.commands ?? [];
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c.command)).map((c) => c.command);
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('state for tests is read through the extension API, not through commands', async () => {
    const ext = await activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const shipped = ['medgemma.chat.state', 'medgemma.images.state', 'medgemma.paperViewerState'].filter((c) => registered.has(c));
    assert.deepStrictEqual(shipped, [], 'test-only commands are registered');
    const api = ext.exports;
    assert.strictEqual(typeof api.chatState().viewResolved, 'boolean');
    assert.ok(Array.isArray(api.chatState().conversations));
    assert.strictEqual(typeof api.imagesState().pagesStarted, 'number');
  });

  test('server settings are machine-scoped in the manifest', async () => {
    const ext = await activate();
    const props = ext.packageJSON.contributes?.configuration?.properties ?? {};
    assert.strictEqual(props['medgemma.server.baseUrl']?.scope, 'machine');
    assert.strictEqual(props['medgemma.server.model']?.scope, 'machine');
  });

  test('a server URL in the workspace settings is ignored', async () => {
    const folder = workspaceFolder();
    const file = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    const written = JSON.parse(fs.readFileSync(file, 'utf8'))['medgemma.server.baseUrl'];
    assert.ok(written, `test setup: ${file} should set medgemma.server.baseUrl`);
    const info = vscode.workspace.getConfiguration('medgemma').inspect<string>('server.baseUrl');
    assert.ok(info, 'medgemma.server.baseUrl is not a known setting');
    assert.strictEqual(info.workspaceValue, undefined, 'the workspace value was read');
    assert.strictEqual(info.workspaceFolderValue, undefined, 'the folder value was read');
    assert.notStrictEqual(vscode.workspace.getConfiguration('medgemma').get('server.baseUrl'), written);
  });
});
