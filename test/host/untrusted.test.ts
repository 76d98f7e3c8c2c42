// Runs in its own VS Code with workspace trust ON and the folder left untrusted
// (run-host.mjs, MEDGEMMA_HOST_MODE=untrusted).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate } from './helpers';

suite('untrusted workspace', () => {
  test('the workspace is untrusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
  });

  test('the extension still loads (limited support)', async () => {
    const ext = await activate();
    assert.strictEqual(ext.isActive, true);
  });
});
