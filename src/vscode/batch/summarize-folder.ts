// MedGemma: Summarize Folder… — every note of a folder (or of an Explorer selection) through
// the batch engine of `medgemma batch summarize` (core/batch): template, output folder, then a
// cancellable progress notification with the counts. The output folder gets the CLI's
// results.jsonl (so the CLI and this command resume each other's work), a markdown summary per
// note written as each finishes, and index.md, written at the end, also when stopped.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isBatchInputError, listInputs } from '../../core/batch/inputs';
import { withPrivacyChoice, type BatchPrivacyChoice } from '../../core/batch/privacy-choice';
import { progressLine } from '../../core/batch/progress';
import { serverQueue, watchQueue } from '../../core/batch/queue';
import { openResults, type ResultsFile } from '../../core/batch/results';
import { runBatch, type BatchProgress, type BatchSummary } from '../../core/batch/run';
import { summarizeJob } from '../../core/batch/summarize-job';
import { isInside, noteName, RESULTS_FILE, writeIndex, writeSummaryFile, type SummaryLayout } from '../../core/batch/summary-files';
import { realTimers, Throttle, throttled } from '../../core/batch/throttle';
import { findTemplate, resolveTemplates, type Template } from '../../core/notes/templates';
import type { VerifyMode } from '../../core/notes/verify/verify';
import { resolveMode } from '../../core/privacy/mode';
import { originOf } from '../../core/server/http';
import type { MedGemmaClient } from '../../core/server/service';
import type { ChatService } from '../../core/server/types';
import { promptSetting, setting } from '../config';
import { pickTemplate } from '../notes/pick-template';
import { reached } from '../onboarding/milestones';
import { RunningJobs } from '../running-jobs';
import type { Services } from '../services';
import { folderName, showEnding } from './index-document';
import { pickOutputFolder, rememberOutputFolder } from './output-folder';
import { pickInputs } from './pick-inputs';
import { askForBatch } from './privacy-question';
import { plural } from '../../core/plural';

/** What a run came to (the command's result, read by the tests). Counts only. */
export interface FolderOutcome {
  outDir: string;
  indexPath: string;
  total: number;
  ok: number;
  failed: number;
  /** Done in an earlier run (this command's or the CLI's). */
  skipped: number;
  stopped?: 'user' | 'error';
  /** The message of the error that stopped the batch. */
  error?: string;
}

const WHAT = 'Summarize Folder';

/** The concurrency setting, kept to 1–64. */
export function concurrency(): number {
  const n = setting<number>('batch.concurrency', 8);
  return typeof n === 'number' && Number.isFinite(n) ? Math.min(64, Math.max(1, Math.round(n))) : 8;
}


export class FolderSummarizer implements vscode.Disposable {
  private readonly running = new RunningJobs('medgemma.summarizingFolder');

  constructor(
    private readonly services: Services,
    private readonly state: vscode.Memento,
  ) {}

  /** Stops every folder summary running; what finished is kept. Returns how many. */
  stopAll(): number {
    return this.running.stopAll();
  }

  dispose(): void {
    this.stopAll();
  }


  async run(uri?: unknown, uris?: unknown): Promise<FolderOutcome | undefined> {
    const { services } = this;
    if (!(await services.requireTrust())) return undefined;
    const inputs = await pickInputs(uri, uris);
    if (!inputs) return undefined;
    let files: string[];
    try {
      files = await listInputs(inputs.paths, 'notes');
    } catch (e) {
      if (!isBatchInputError(e)) throw e;
      void vscode.window.showWarningMessage(`${capitalized(e.message)}.`);
      return undefined;
    }
    const source = folderName(inputs.base);
    if (!files.length) {
      void vscode.window.showWarningMessage(`There are no notes (.txt, .md, .markdown, .text or .note files) in ${inputs.paths.length === 1 ? folderName(inputs.paths[0]) : 'the selection'}. README, LICENSE and hidden files are not read as notes.`);
      return undefined;
    }
    const template = await pickTemplate(services.log);
    if (!template) return undefined;
    const outDir = await pickOutputFolder(this.state, inputs.base);
    if (!outDir) return undefined;
    // A summary written into the folder of notes is never read back as a note.
    files = files.filter((f) => !isInside(f, outDir));
    try {
      fs.mkdirSync(outDir, { recursive: true });
      fs.accessSync(outDir, fs.constants.W_OK);
    } catch (e) {
      void vscode.window.showErrorMessage(`The output folder ${outDir} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Choose another folder.`);
      return undefined;
    }
    await rememberOutputFolder(this.state, inputs.base, outDir);

    const client = await services.clientOrShowError(WHAT);
    if (!client) return undefined;
    const baseUrl = client.endpoint('text').baseUrl;
    let choice: BatchPrivacyChoice | undefined;
    if (resolveMode(client.config.privacy, baseUrl) === 'warn') {
      choice = await askForBatch(files.length, source, originOf(baseUrl));
      if (!choice) {
        void vscode.window.showInformationMessage(`Nothing was sent to ${originOf(baseUrl)}. Run Summarize Folder again to choose otherwise, or change the privacy mode with MedGemma: Choose Privacy Mode.`);
        return undefined;
      }
    }
    const layout = this.layout(inputs.base, outDir);
    return this.summarize(client, { files, template, layout, source, choice });
  }

  /** Where files go and what each summary's header says. */
  private layout(base: string, outDir: string): SummaryLayout {
    const templates = resolveTemplates(promptSetting<unknown>('summary.templates', [])).templates;
    const label = (id: unknown) => (typeof id === 'string' ? (findTemplate(id, templates)?.label ?? id) : 'Summary');
    const layout: SummaryLayout = {
      outDir,
      base,
      header: (file, record) => ({
        template: { label: label(record.template) },
        model: typeof record.model === 'string' ? record.model : undefined,
        source: noteName(layout, file),
        sourceUri: vscode.Uri.file(file).toString(),
      }),
    };
    return layout;
  }

  private async summarize(
    client: MedGemmaClient,
    run: { files: string[]; template: Template; layout: SummaryLayout; source: string; choice?: BatchPrivacyChoice },
  ): Promise<FolderOutcome | undefined> {
    const { services } = this;
    const { files, layout } = run;
    const controller = new AbortController();
    this.running.add(controller);
    let failure: unknown;
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MedGemma: summarizing ${plural(files.length, 'note')} in ${run.source}`, cancellable: true },
      async (progress, token): Promise<FolderOutcome | undefined> => {
        token.onCancellationRequested(() => controller.abort());
        const watching = new AbortController();
        try {
          progress.report({ message: 'connecting…' });
          const model = await client.model('text', controller.signal);
          const n = concurrency();
          const throttle = new Throttle(n);
          let chat: ChatService = throttled(client, throttle);
          if (run.choice) chat = withPrivacyChoice(chat, run.choice);
          const job = summarizeJob(chat, {
            template: run.template,
            model: model.id,
            maxTokens: setting<number>('summary.maxTokens', 2048),
            temperature: setting<number>('summary.temperature', 0),
            verify: setting<VerifyMode>('summary.verify', 'rules') === 'rules+model' ? 'rules+model' : 'rules',
          });
          const results = await openResults(path.join(layout.outDir, RESULTS_FILE), job.keyFields);
          const written = new Set<string>();
          const live: ResultsFile = { ...results, append: (record) => this.append(results, record, layout, written) };
          void watchQueue(() => serverQueue(client, watching.signal), throttle, watching.signal, realTimers);

          const started = Date.now();
          let last = 0;
          let shown = 0;
          const onProgress = (p: BatchProgress) => {
            const now = Date.now();
            const done = p.ok + p.failed + p.skipped;
            if (now - last < 250 && done < p.total) return;
            last = now;
            const percent = (done / Math.max(1, p.total)) * 100;
            progress.report({ message: progressLine(p, now - started), increment: percent - shown });
            shown = percent;
          };
          progress.report({ message: progressLine({ total: files.length, skipped: 0, ok: 0, failed: 0, inFlight: 0, completionTokens: 0 }, 0) });
          let summary: BatchSummary;
          try {
            summary = await runBatch(files, job, live, { concurrency: n, signal: controller.signal, onProgress });
          } finally {
            results.close();
            watching.abort();
          }
          if (summary.ok > 0) reached('summarized');
          progress.report({ message: 'writing index.md…' });
          const stopped = summary.stopped?.by;
          const index = await writeIndex(layout, { source: run.source, stopped }, written);
          services.log.info(
            `${WHAT}: ${summary.total} notes, ${summary.ok} ok, ${summary.failed} failed, ${summary.skipped} done before${stopped ? `, stopped by ${stopped}` : ''}; concurrency ${n}, template ${run.template.id}, ${Date.now() - started} ms; index ${index.rows} rows, ${index.updated} summary files updated from the results file`,
          );
          const error = summary.stopped?.by === 'error' ? summary.stopped.error : undefined;
          if (error !== undefined) failure = error;
          return {
            outDir: layout.outDir,
            indexPath: index.path,
            total: summary.total,
            ok: summary.ok,
            failed: summary.failed,
            skipped: summary.skipped,
            ...(stopped ? { stopped } : {}),
            ...(error !== undefined ? { error: error instanceof Error ? error.message : String(error) } : {}),
          };
        } catch (e) {
          if (!controller.signal.aborted) failure = e;
          return undefined;
        } finally {
          watching.abort();
          this.running.delete(controller);
        }
      },
    );
    // Shown after the progress notification has closed, not beside it.
    if (isBatchInputError(failure)) {
      // The results file cannot be opened: the CLI's words for the CLI's flag, ours here.
      void vscode.window.showErrorMessage(`${capitalized(failure.message.replace(/\. Give --out .*$/, ''))}. Choose another output folder.`);
    } else if (failure !== undefined) void services.showError(failure, WHAT);
    if (outcome) void showEnding({ message: endingMessage(outcome), indexPath: outcome.indexPath, failed: outcome.failed, warning: outcome.stopped !== undefined });
    return outcome;
  }

  /** A record reaches the results file, then its summary file (a failure to write one is logged, the index pass retries it). */
  private append(results: ResultsFile, record: Record<string, unknown>, layout: SummaryLayout, written: Set<string>): void {
    results.append(record);
    try {
      writeSummaryFile(layout, record);
      if (typeof record.file === 'string') written.add(record.file);
    } catch (e) {
      this.services.log.warn(`${WHAT}: a summary file could not be written (${(e as NodeJS.ErrnoException).code ?? 'error'}); it is written again from the results file at the end`);
    }
  }
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "Summarized 10 of 12 notes (2 failed)." and what to do next. */
export function endingMessage(o: FolderOutcome): string {
  const done = o.ok + o.skipped;
  const failed = o.failed ? ` (${o.failed} failed)` : '';
  const before = o.skipped ? ` ${o.skipped.toLocaleString('en-US')} of them ${o.skipped === 1 ? 'was' : 'were'} done in an earlier run.` : '';
  const where = folderName(o.outDir);
  if (o.stopped === 'user') return `Stopped: summarized ${done} of ${plural(o.total, 'note')}${failed}. What finished is kept in ${where}; run Summarize Folder again on the same notes to go on.${before}`;
  if (o.stopped === 'error') return `Stopped after ${done} of ${plural(o.total, 'note')}${failed}: what finished is kept in ${where}. Fix the cause (see the error) and run Summarize Folder again to go on.${before}`;
  return `Summarized ${done} of ${plural(o.total, 'note')}${failed}.${before} The summaries and index.md are in ${where}.`;
}
