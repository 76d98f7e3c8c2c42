// Summarize Note / Summarize Selection: pick a template, stream the grounded summary into a
// read-only markdown document beside the note, then rewrite it with the citation checks.
// Cancel from the notification (or "MedGemma: Stop Summarizing"): the partial summary stays.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { renderFinal, renderHeader, type HeaderInfo } from '../../core/notes/render';
import { summarizeNote, SummaryFailedError, type SummaryProgress, type SummaryResult } from '../../core/notes/summarize';
import { modelCheckIncomplete, type VerifyMode } from '../../core/notes/verify/verify';
import { isMedGemmaError } from '../../core/server/errors';
import { setting } from '../config';
import { RunningJobs } from '../running-jobs';
import type { Services } from '../services';
import { pickTemplate } from './pick-template';
import type { ReadOnlyDocuments } from './read-only-documents';
import { SummaryDocument } from './summary-document';
import { reached } from '../onboarding/milestones';

export type SummaryScope = 'note' | 'selection';

export interface SummaryOutcome {
  document: vscode.TextDocument;
  result: SummaryResult;
}

/** The lines a selection covers (1-based, inclusive); undefined for none. */
export function selectedLines(sel: vscode.Selection): [number, number] | undefined {
  if (sel.isEmpty) return undefined;
  // A selection ending at column 0 of the next line does not include that line.
  return [sel.start.line + 1, sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1];
}

/** The lines to summarize (1-based, inclusive), or a message saying why there are none. */
export function linesToSummarize(editor: vscode.TextEditor, scope: SummaryScope): [number, number] | string {
  const doc = editor.document;
  if (!doc.getText().trim()) return `${path.basename(doc.fileName)} is empty: there is nothing to summarize.`;
  if (scope === 'note') return [1, doc.lineCount];
  const range = selectedLines(editor.selection);
  if (!range) return 'Select the lines to summarize first, or run "MedGemma: Summarize Note" for the whole note.';
  if (!doc.getText(new vscode.Range(range[0] - 1, 0, range[1], 0)).trim()) return 'The selected lines are empty: select note text to summarize.';
  return range;
}

/** The summary document's title, also the name Save Summary As offers: "note.summary.md". */
export function summaryTitle(noteName: string): string {
  const base = noteName.replace(/\.[^.]*$/, '') || noteName;
  return `${base}.summary.md`;
}

function progressMessage(p: SummaryProgress): string {
  if (p.phase === 'verify') return `checking with the model: ${p.part} of ${p.parts} statements…`;
  if (p.phase === 'combine') return `combining ${p.part} of ${p.parts}`;
  return p.parts > 1 ? `part ${p.part} of ${p.parts}` : 'writing…';
}

export class Summarizer implements vscode.Disposable {
  private readonly running = new RunningJobs('medgemma.summarizing');

  constructor(
    private readonly services: Services,
    private readonly docs: ReadOnlyDocuments,
  ) {}

  stopAll(): number {
    return this.running.stopAll();
  }

  dispose(): void {
    this.stopAll();
  }


  async run(scope: SummaryScope): Promise<SummaryOutcome | undefined> {
    const { services } = this;
    if (!(await services.requireTrust())) return undefined;
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showWarningMessage('Open a clinical note in the editor first, then run the summary again.');
      return undefined;
    }
    const range = linesToSummarize(editor, scope);
    if (typeof range === 'string') {
      void vscode.window.showWarningMessage(range);
      return undefined;
    }
    const template = await pickTemplate(services.log);
    if (!template) return undefined;

    const client = await services.clientOrShowError('Summary');
    if (!client) return undefined;
    const note = editor.document;
    const text = note.getText(); // snapshot: edits made while it runs do not shift the citations
    const name = path.basename(note.fileName);
    const title = summaryTitle(name);
    const controller = new AbortController();
    this.running.add(controller);

    let failure: unknown;
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MedGemma: summarizing ${name}`, cancellable: true },
      async (progress, token): Promise<SummaryOutcome | undefined> => {
        token.onCancellationRequested(() => controller.abort());
        const t0 = Date.now();
        let doc: SummaryDocument | undefined;
        let info: HeaderInfo | undefined;
        try {
          progress.report({ message: 'connecting…' });
          const model = await client.model('text', controller.signal);
          // One time for the header while it streams and when it is done.
          const header: HeaderInfo = { template, model: model.label ?? model.id, baseUrl: client.endpoint().baseUrl, source: name, sourceUri: note.uri.toString(), range, date: new Date() };
          info = header;
          const d = (doc = new SummaryDocument(this.docs, title, renderHeader(header), editor));
          let partsShown = 0;
          progress.report({ message: 'reading the note…' });
          const result = await summarizeNote(
            client,
            {
              text,
              range,
              template,
              maxTokens: setting<number>('summary.maxTokens', 2048),
              temperature: setting<number>('summary.temperature', 0),
              verify: setting<VerifyMode>('summary.verify', 'rules') === 'rules+model' ? 'rules+model' : 'rules',
            },
            {
              signal: controller.signal,
              onProgress: (p) => progress.report({ message: progressMessage(p) }),
              onRulesChecked: (r) => void d.interim(renderFinal(header, { ...r, verifying: true })),
              onPart: (p) => {
                partsShown++;
                d.append(`\n### Part ${p.part} of ${p.parts} (lines ${p.start}–${p.end})\n\n${p.text.trim()}\n`);
              },
              onDelta: (t) => {
                if (partsShown) {
                  d.append('\n---\n\n## Combined summary\n\n');
                  partsShown = 0;
                }
                d.append(t);
              },
            },
          );
          const document = await doc.finish(renderFinal(header, result));
          this.report(result, name, Date.now() - t0);
          if (result.finishReason !== 'cancelled') reached('summarized');
          return { document, result };
        } catch (e) {
          // Keep whatever streamed in, marked as partial; an empty failure leaves no document.
          if (e instanceof SummaryFailedError && info) await (doc ?? new SummaryDocument(this.docs, title, '', editor)).finish(renderFinal(info, e.result));
          else if (doc?.text && info && isMedGemmaError(e)) {
            await doc.finish(renderFinal(info, { summary: doc.text, statements: [], partial: true, finishReason: 'abort', interrupted: e.message }));
          }
          if (!(controller.signal.aborted && !(isMedGemmaError(e) && e.partial))) failure = e;
          return undefined;
        } finally {
          this.running.delete(controller);
        }
      },
    );
    // Shown after the progress notification has closed, not beside it.
    if (failure) void services.showError(failure, 'Summary');
    return outcome;
  }

  private report(r: SummaryResult, name: string, ms: number): void {
    const bad = r.statements.filter((s) => !s.supported).length;
    this.services.log.info(
      `Summary: lines ${r.range[0]}-${r.range[1]}, ${r.parts} part(s), ${r.statements.length} statements, ${bad} unsupported, finish=${r.finishReason}, ${ms} ms, model ${r.model}`,
    );
    const mc = r.modelCheck;
    if (mc) {
      this.services.log.info(
        `Model check: ${mc.checked} of ${mc.total} checked, ${mc.flagged} flagged, ${mc.unreadable} unreadable, ${mc.failed} failed, ${mc.skipped} skipped, ${mc.requests} requests, ${mc.usage?.totalTokens ?? '?'} tokens, structured=${mc.structured}${mc.stopped ? ', stopped' : ''}`,
      );
      if (modelCheckIncomplete(mc)) {
        const why = mc.stopped && mc.stopped !== 'cancelled' ? ` ${mc.stopped}` : ` ${mc.failed} request${mc.failed === 1 ? '' : 's'} failed.`;
        void vscode.window.showWarningMessage(`The model check of the summary of ${name} did not reach every statement:${why} The summary and its rule checks are complete; run it again to retry.`);
      }
    }
    if (r.finishReason === 'length') {
      void vscode.window.showWarningMessage(
        `The summary of ${name} was cut at the token limit. Raise "medgemma.summary.maxTokens" for a complete one.`,
      );
    } else if (r.finishReason === 'cancelled') {
      void vscode.window.showInformationMessage(`Summary of ${name} stopped; the partial summary is kept and marked as partial.`);
    }
  }
}
