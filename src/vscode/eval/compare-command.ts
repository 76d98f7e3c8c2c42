// "MedGemma: Compare Models on Notes…": is the adapter better? Pick notes (the Explorer's
// selection or a folder), pick two or more of the server's models, watch the progress; the
// report opens as a preview with a bar chart per measure and links to every summary, in
// .medgemma/compare/<time>/ of the workspace. "Compare Summaries Side by Side…" then opens two
// models' summaries of one note in a diff editor.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listInputs, isBatchInputError } from '../../core/batch/inputs';
import { withPrivacyChoice } from '../../core/batch/privacy-choice';
import { compareModels, type EvalNote } from '../../core/eval/compare-models';
import { keepOutOfGit } from '../../core/dataset/store';
import { reportFiles, type ReportFiles } from '../../core/eval/report-files';
import { resolveMode } from '../../core/privacy/mode';
import { originOf } from '../../core/server/http';
import type { ChatService } from '../../core/server/types';
import { concurrency } from '../batch/summarize-folder';
import { askForBatch } from '../batch/privacy-question';
import { selectedUris } from '../batch/pick-inputs';
import { setting } from '../config';
import { pickTemplate } from '../notes/pick-template';
import type { Services } from '../services';

const WHAT = 'Compare Models on Notes';

/** The last comparison's folder and summaries, for Side by Side. */
let last: { dir: string; pairs: ReportFiles['pairs']; models: string[] } | undefined;

async function pickNotes(uri: unknown, uris: unknown): Promise<string[] | undefined> {
  const chosen =
    selectedUris(uri, uris) ??
    (await vscode.window.showOpenDialog({ title: `MedGemma: ${WHAT} — which notes (files or a folder)?`, openLabel: 'Use These Notes', canSelectFiles: true, canSelectFolders: true, canSelectMany: true, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri }));
  if (!chosen?.length) return undefined;
  if (chosen.some((u) => u.scheme !== 'file')) {
    void vscode.window.showWarningMessage('MedGemma compares models on notes on this machine\'s disk only: copy them to a local folder first.');
    return undefined;
  }
  try {
    const files = await listInputs(chosen.map((u) => u.fsPath), 'notes');
    if (!files.length) void vscode.window.showWarningMessage('There are no notes (.txt .md .markdown .text .note) in what you picked.');
    return files.length ? files : undefined;
  } catch (e) {
    if (isBatchInputError(e)) {
      void vscode.window.showWarningMessage(e.message);
      return undefined;
    }
    throw e;
  }
}

/** Two or more of the server's models; adapters shown with their base. */
async function pickModels(services: Services, client: ReturnType<Services['client']>): Promise<string[] | undefined> {
  let models;
  try {
    models = await client.endpoint('text').discovery.models();
  } catch (e) {
    await services.showError(e, WHAT);
    return undefined;
  }
  if (models.length < 2) {
    void vscode.window.showWarningMessage(`The server lists ${models.length === 1 ? `only ${models[0].id}` : 'no model'}: serve a second one to compare (e.g. a LoRA adapter with vllm serve --enable-lora --lora-modules name=path, or MedGemma: Load LoRA Adapter…).`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    models.map((m) => ({ label: m.id, description: m.parent ? `LoRA adapter on ${m.parent}` : undefined, picked: true })),
    { title: `MedGemma: ${WHAT} — which models?`, placeHolder: 'Pick two or more: each note is summarized by each model', canPickMany: true },
  );
  if (!picked) return undefined;
  if (picked.length < 2) {
    void vscode.window.showWarningMessage('Pick at least two models to compare.');
    return undefined;
  }
  return picked.map((p) => p.label);
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * Returns the report's path, or undefined when nothing was compared. `options.models` picks the
 * models without asking (tests; the Explorer passes only the selection).
 */
export async function compareModelsCommand(services: Services, uri?: unknown, uris?: unknown, options?: { models?: unknown }): Promise<string | undefined> {
  if (!(await services.requireTrust())) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Open the folder you work in first: the comparison is written to .medgemma/compare/ in it.');
    return undefined;
  }
  const files = await pickNotes(uri, uris);
  if (!files) return undefined;
  const client = await services.clientOrShowError(WHAT);
  if (!client) return undefined;
  const given = Array.isArray(options?.models) && options.models.length >= 2 && options.models.every((m) => typeof m === 'string') ? (options.models as string[]) : undefined;
  const models = given ?? (await pickModels(services, client));
  if (!models) return undefined;
  const template = await pickTemplate(services.log);
  if (!template) return undefined;
  let chat: ChatService = client;
  const baseUrl = client.endpoint('text').baseUrl;
  if (resolveMode(client.config.privacy, baseUrl) === 'warn') {
    const choice = await askForBatch(files.length * models.length, `${files.length} note${files.length === 1 ? '' : 's'} (once per model)`, originOf(baseUrl));
    if (!choice) return undefined;
    chat = withPrivacyChoice(client, choice);
  }
  const notes: EvalNote[] = [];
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (text.trim()) notes.push({ file: vscode.workspace.asRelativePath(f), text });
  }
  const started = new Date();
  const comparison = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `MedGemma: comparing ${models.length} models on ${notes.length} note${notes.length === 1 ? '' : 's'}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      let shown = 0;
      try {
        return await compareModels(chat, notes, {
          models,
          template,
          maxTokens: setting<number>('summary.maxTokens', 2048),
          temperature: 0,
          concurrency: concurrency(),
          signal: controller.signal,
          onProgress: (done, total) => {
            const pct = (100 * done) / total;
            progress.report({ message: `${done} of ${total} summaries`, increment: pct - shown });
            shown = pct;
          },
        });
      } finally {
        sub.dispose();
      }
    },
  );
  const dir = path.join(folder.uri.fsPath, '.medgemma', 'compare', stamp(started));
  const out = reportFiles(comparison, { template, notes, now: started });
  try {
    fs.mkdirSync(dir, { recursive: true });
    await keepOutOfGit(path.dirname(dir));
    for (const [rel, text] of out.files) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
  } catch (e) {
    void vscode.window.showErrorMessage(`The comparison could not be written to ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check that the workspace folder is writable, then run it again.`);
    return undefined;
  }
  last = { dir, pairs: out.pairs, models };
  const report = path.join(dir, 'report.md');
  services.log.info(`${WHAT}: ${models.length} models, ${notes.length} notes, ${comparison.scores.reduce((n, s) => n + s.failed, 0)} failed, stopped ${comparison.stopped}`);
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(report));
  const side = 'Side by Side…';
  const failed = comparison.scores.reduce((n, s) => n + s.failed, 0);
  const said = `Compared ${models.join(', ')} on ${notes.length} note${notes.length === 1 ? '' : 's'}${comparison.stopped ? ' (stopped: the report covers what finished)' : ''}${failed ? `; ${failed} summar${failed === 1 ? 'y' : 'ies'} could not be made (listed in the report)` : ''}. The report is in ${vscode.workspace.asRelativePath(report)}.`;
  void (failed || comparison.stopped ? vscode.window.showWarningMessage(said, side) : vscode.window.showInformationMessage(said, side)).then((pick) => {
    if (pick === side) void sideBySide();
  });
  return report;
}

/**
 * Two models' summaries of one note of the last comparison, in a diff editor. Its pickers ignore
 * focus-out: the report's preview may still be loading, and taking the focus would close them.
 */
export async function sideBySide(note?: unknown, left?: unknown, right?: unknown): Promise<boolean> {
  if (!last) {
    void vscode.window.showInformationMessage('Run MedGemma: Compare Models on Notes… first; then its summaries can be read side by side.');
    return false;
  }
  const { dir, pairs, models } = last;
  const pair = typeof note === 'string' ? pairs.find((p) => p.note === note) : (await vscode.window.showQuickPick(pairs.map((p) => ({ label: p.note, pair: p })), { title: 'Which note?', ignoreFocusOut: true }))?.pair;
  if (!pair) return false;
  const made = models.filter((m) => pair.summaries[m]);
  const [a, b] = typeof left === 'string' && typeof right === 'string' ? [left, right] : made.length === 2 ? made : await pickTwo(made);
  if (!a || !b || !pair.summaries[a] || !pair.summaries[b]) {
    if (made.length < 2) void vscode.window.showWarningMessage(`Fewer than two models summarized ${pair.note}; the report says why.`);
    return false;
  }
  await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(path.join(dir, pair.summaries[a]!)), vscode.Uri.file(path.join(dir, pair.summaries[b]!)), `${pair.note}: ${a} ↔ ${b}`);
  return true;
}

async function pickTwo(models: string[]): Promise<string[]> {
  const picked = await vscode.window.showQuickPick(models, { title: 'Which two models?', canPickMany: true, ignoreFocusOut: true });
  return picked?.length === 2 ? picked : [];
}
