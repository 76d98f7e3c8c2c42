// Shared by the host suites. Runs inside the extension host: `vscode` is the real API.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MedGemmaTestApi } from '../../src/vscode/test-api';

export const EXTENSION_ID = 'medgemma-vscode.medgemma-vscode';

export async function activate(): Promise<vscode.Extension<MedGemmaTestApi>> {
  const ext = vscode.extensions.getExtension<MedGemmaTestApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  if (!ext.isActive) await ext.activate();
  return ext;
}

/** The state readers activate() returns (src/vscode/test-api.ts). */
export async function testApi(): Promise<MedGemmaTestApi> {
  return (await activate()).exports;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until fn returns a truthy value or the deadline passes. */
export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** A summary's statements cite note lines like [L12] or [L12-L15]. */
export const CITATION_RE = /\[L(\d+)(?:\s*[-–—]\s*L?(\d+))?\]/g;

/** Every cited line range in a text, as [start, end] pairs (1-based, inclusive). */
export function citations(text: string): Array<[number, number]> {
  return [...text.matchAll(CITATION_RE)].map((m) => [Number(m[1]), Number(m[2] ?? m[1])]);
}

export const NOTE_FILE = 'note.txt';

/** Opens the workspace's note in the first column. */
export async function openNote(): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, NOTE_FILE);
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
}

/** Selects whole lines from..to (1-based, inclusive). */
export function selectLines(editor: vscode.TextEditor, from: number, to: number): void {
  const end = editor.document.lineAt(to - 1).range.end;
  editor.selection = new vscode.Selection(new vscode.Position(from - 1, 0), end);
}

/** The read-only summary documents open now. */
export function summaryDocs(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'medgemma-summary' && !d.isClosed);
}

/** Closes every editor without saving untitled documents (e.g. a chat answer opened in the editor). */
export async function closeAll(): Promise<void> {
  for (const d of vscode.workspace.textDocuments.filter((t) => t.isUntitled && !t.isClosed)) {
    // Empty the untitled document first so closing it asks nothing.
    const edit = new vscode.WorkspaceEdit();
    edit.delete(d.uri, new vscode.Range(0, 0, d.lineCount, 0));
    await vscode.workspace.applyEdit(edit);
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Answers the next save dialogs with `target` (a host test cannot click a dialog). The test
 * bundle and the extension share one \`vscode\` API object, so the extension sees the stub.
 */
export function stubSaveDialog(target: vscode.Uri | undefined): { calls: vscode.SaveDialogOptions[]; restore: () => void } {
  const win = vscode.window as { showSaveDialog: typeof vscode.window.showSaveDialog };
  const real = win.showSaveDialog;
  const calls: vscode.SaveDialogOptions[] = [];
  win.showSaveDialog = async (options) => {
    calls.push(options ?? {});
    return target;
  };
  return { calls, restore: () => (win.showSaveDialog = real) };
}

type Settings = Record<string, unknown>;

/** Sets user-level (global) medgemma.* settings; returns a function that restores the old values. */
export async function setUserSettings(values: Settings): Promise<() => Promise<void>> {
  const cfg = () => vscode.workspace.getConfiguration('medgemma');
  const old: Settings = {};
  for (const [k, v] of Object.entries(values)) {
    old[k] = cfg().inspect(k)?.globalValue;
    await cfg().update(k, v, vscode.ConfigurationTarget.Global);
  }
  return async () => {
    for (const [k, v] of Object.entries(old)) await cfg().update(k, v, vscode.ConfigurationTarget.Global);
  };
}

/** Runs a command without awaiting it (it may wait on a notification) and surfaces its rejection. */
export function startCommand(command: string, ...args: unknown[]): { done: Promise<unknown>; settled: () => boolean } {
  let isSettled = false;
  const done = Promise.resolve(vscode.commands.executeCommand(command, ...args)).finally(() => (isSettled = true));
  done.catch(() => undefined);
  return { done, settled: () => isSettled };
}
