// Where a folder summary writes: beside the notes in "<name>-summaries" by default, or a folder
// the user picks. The choice is remembered per workspace and per folder of notes, and offered
// first next time, so running the command again on the same notes resumes in the same place.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInside, RESULTS_FILE } from '../../core/batch/summary-files';

const KEY = 'medgemma.batch.outputFolders';
const REMEMBERED = 20;

type Memory = Record<string, string>;

export function defaultOutputFolder(base: string): string {
  return path.join(path.dirname(base), `${path.basename(base) || 'notes'}-summaries`);
}

export function rememberedOutputFolder(state: vscode.Memento, base: string): string | undefined {
  const memory = state.get<Memory>(KEY, {});
  return Object.hasOwn(memory, base) && typeof memory[base] === 'string' ? memory[base] : undefined;
}

export async function rememberOutputFolder(state: vscode.Memento, base: string, outDir: string): Promise<void> {
  const memory = { ...state.get<Memory>(KEY, {}) };
  delete memory[base];
  memory[base] = outDir; // newest last; the oldest are forgotten
  const keys = Object.keys(memory);
  for (const k of keys.slice(0, Math.max(0, keys.length - REMEMBERED))) delete memory[k];
  await state.update(KEY, memory);
}

/** Why `outDir` cannot take the summaries of the notes under `base`, or undefined. */
export function unusableOutput(outDir: string, base: string): string | undefined {
  if (outDir === base || isInside(base, outDir)) return `The output folder ${outDir} holds the notes themselves: its summaries would be read as notes next time. Choose a folder outside ${path.basename(base)}, such as ${path.basename(defaultOutputFolder(base))}.`;
  const stat = fs.statSync(outDir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) return `${outDir} is a file, not a folder. Choose a folder for the summaries.`;
  return undefined;
}

function describe(dir: string): string {
  if (fs.existsSync(path.join(dir, RESULTS_FILE))) return 'has results from an earlier run: finished notes are skipped';
  return fs.existsSync(dir) ? 'existing folder' : 'new folder';
}

interface Item extends vscode.QuickPickItem {
  dir?: string;
}

/** The output folder, or undefined when the user closed the pick. */
export async function pickOutputFolder(state: vscode.Memento, base: string): Promise<string | undefined> {
  const remembered = rememberedOutputFolder(state, base);
  const fallback = defaultOutputFolder(base);
  const items: Item[] = [];
  if (remembered) items.push({ label: `$(history) ${path.basename(remembered)}`, description: `used last time · ${describe(remembered)}`, detail: remembered, dir: remembered });
  if (remembered !== fallback) items.push({ label: `$(folder) ${path.basename(fallback)}`, description: `beside ${path.basename(base)} · ${describe(fallback)}`, detail: fallback, dir: fallback });
  items.push({ label: '$(folder-opened) Choose a Folder…', description: 'any folder outside the notes' });
  for (;;) {
    const pick = await vscode.window.showQuickPick(items, {
      title: 'MedGemma: where should the summaries go?',
      placeHolder: 'A summary per note, index.md and results.jsonl are written to this folder',
      matchOnDetail: true,
    });
    if (!pick) return undefined;
    let dir = pick.dir;
    if (!dir) {
      const chosen = await vscode.window.showOpenDialog({
        title: 'MedGemma: folder for the summaries',
        openLabel: 'Write Summaries Here',
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        defaultUri: vscode.Uri.file(path.dirname(base)),
      });
      if (!chosen?.[0]) continue;
      dir = chosen[0].fsPath;
    }
    const why = unusableOutput(dir, base);
    if (!why) return dir;
    void vscode.window.showWarningMessage(why);
  }
}
