// How a papers question searches, from the settings: search by meaning (one DenseIndex per
// library and embedding model; before a question, the passages still without vectors embedded
// under a progress notification the user can stop — stopped or failed, the question is still
// answered: by words, plus meaning where vectors exist) and MedGemma's scoring step.

import * as vscode from 'vscode';
import type { AskOptions } from '../../core/papers/ask';
import { DenseIndex } from '../../core/papers/dense/dense-index';
import type { PaperLibrary } from '../../core/papers/library';
import { errorLogLine } from '../../core/server/error-log';
import { forEditor, messageOf } from '../../core/server/errors';
import type { MedGemmaClient } from '../../core/server/service';
import { setting } from '../config';

const indexes = new WeakMap<PaperLibrary, DenseIndex>();
const preparing = new WeakMap<DenseIndex, Promise<void>>();
/**
 * When embedding last failed. For a few minutes after, questions do not try again: a server
 * that is down would slow each one and warn each time (the answer still says when search by
 * meaning was skipped). New settings make a new index, which tries at once.
 */
const failedAt = new WeakMap<DenseIndex, number>();
const RETRY_AFTER_MS = 5 * 60_000;

/** The library's search by meaning, its missing vectors made first; undefined when no embedding model is set. */
export async function denseFor(client: MedGemmaClient, library: PaperLibrary, log: vscode.LogOutputChannel, signal?: AbortSignal): Promise<DenseIndex | undefined> {
  const model = client.embeddingModel?.model;
  if (!model) return undefined;
  let dense = indexes.get(library);
  // A new client (settings changed) or model: a new index (its vectors are read again from disk).
  if (dense?.model !== model || dense.embedder !== client) indexes.set(library, (dense = new DenseIndex(library, client, model)));
  // A second question while the first is embedding waits for it, rather than embedding the same passages twice.
  await preparing.get(dense);
  if (Date.now() - (failedAt.get(dense) ?? -Infinity) < RETRY_AFTER_MS) return dense;
  const { passages } = await dense.missing();
  if (!passages || signal?.aborted) return dense;
  const index = dense;
  const run = embedMissing(index, passages, model, log, signal);
  preparing.set(index, run);
  try {
    await run;
  } finally {
    if (preparing.get(index) === run) preparing.delete(index);
  }
  return dense;
}

/** Embeds the passages without vectors under a progress notification; a failure is a warning, never an error. */
async function embedMissing(index: DenseIndex, passages: number, model: string, log: vscode.LogOutputChannel, signal?: AbortSignal): Promise<void> {
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `MedGemma: embedding ${passages.toLocaleString('en-US')} passages with ${model} for search by meaning`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      token.onCancellationRequested(stop);
      signal?.addEventListener('abort', stop, { once: true });
      let last = 0;
      try {
        await index.prepare({
          signal: controller.signal,
          onProgress: (done, total) => {
            progress.report({ message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`, increment: total ? ((done - last) / total) * 100 : 0 });
            last = done;
          },
        });
        failedAt.delete(index);
      } catch (e) {
        if (!controller.signal.aborted) {
          failedAt.set(index, Date.now());
          // Kind and status only in the log: a server's words may quote what it was sent.
          log.warn(errorLogLine('Embedding papers for search by meaning', e));
          void vscode.window.showWarningMessage(forEditor(`Search by meaning is not ready: ${messageOf(e)} Questions are answered from the papers' words meanwhile.`));
        }
      } finally {
        signal?.removeEventListener('abort', stop);
      }
    },
  );
}

/** The search options every papers question in VS Code uses (Ask Papers, the chat's /papers, @medgemma /papers). */
export async function searchOptions(client: MedGemmaClient, library: PaperLibrary, log: vscode.LogOutputChannel, signal?: AbortSignal): Promise<Pick<AskOptions, 'dense' | 'rerank'>> {
  return { dense: await denseFor(client, library, log, signal), rerank: setting<boolean>('papers.rerank', false) };
}
