// MedGemma: Ask Papers — retrieve, stream a cited answer into a read-only markdown document, then
// rewrite it with the checked citations as (Author Year, p. N), which the editor links to the
// viewer (answer-links.ts).

import * as vscode from 'vscode';
import { askPapers, type AskResult } from '../../core/papers/ask';
import type { PaperLibrary } from '../../core/papers/library';
import { renderAnswerMarkdown, sourceMapComment } from '../../core/papers/render';
import { isMedGemmaError } from '../../core/server/errors';
import type { ReadOnlyDocuments } from '../notes/read-only-documents';
import { SummaryDocument } from '../notes/summary-document';
import type { Services } from '../services';
import { searchOptions } from './dense';

export interface AskOutcome {
  document?: vscode.TextDocument;
  result: AskResult;
}

const DISCLAIMER = '*AI-generated from the attached papers; check every statement against the cited page.*';

/** The answer document's title, also the name Save Answer As offers: "what-did-they-think.answer.md". */
export function answerTitle(question: string): string {
  let slug = '';
  for (const word of question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (slug && slug.length + word.length >= 48) break;
    slug = slug ? `${slug}-${word}` : word.slice(0, 48);
  }
  return `${slug || 'papers'}.answer.md`;
}

export async function askPapersCommand(services: Services, library: PaperLibrary, docs: ReadOnlyDocuments, question?: string): Promise<AskOutcome | undefined> {
  if (!(await services.requireTrust())) return undefined;
  if (!(await library.list()).some((p) => p.state === 'indexed')) {
    void vscode.window.showInformationMessage('No papers are indexed yet. Run "MedGemma: Attach Papers" first, then ask again.');
    return undefined;
  }
  const q = question ?? (await vscode.window.showInputBox({
      title: 'Ask the attached papers',
      placeHolder: 'Ask a question about the attached papers (Enter to send)',
      prompt: 'The answer cites the papers and pages it uses, e.g. "Which patients benefited, and by how much?"',
      ignoreFocusOut: true,
    }));
  if (!q?.trim()) return undefined;
  const client = await services.clientOrShowError('Ask Papers');
  if (!client) return undefined;
  const header = `# Papers answer\n\n${DISCLAIMER}\n\n`;
  let failure: unknown;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'MedGemma: asking the papers', cancellable: true },
    async (progress, token): Promise<AskOutcome | undefined> => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const doc = new SummaryDocument(docs, answerTitle(q), `${header}## ${q}\n\n`, vscode.window.activeTextEditor);
      try {
        progress.report({ message: 'connecting…' });
        // Reach the server first: an unreachable or misconfigured server is named as such.
        await client.model('text', controller.signal);
        const search = await searchOptions(client, library, services.log, controller.signal);
        progress.report({ message: search.rerank ? 'finding passages, MedGemma scoring them…' : 'finding passages…' });
        const result = await askPapers(client, library, q, {
          signal: controller.signal,
          ...search,
          onDelta: (t) => {
            progress.report({ message: 'writing…' });
            doc.append(t);
          },
        });
        const final = renderAnswerMarkdown(q, result, undefined, header) + (result.sources.length ? `\n${sourceMapComment(result.sources)}` : '');
        const document = await doc.finish(final);
        services.log.info(`Ask Papers: ${result.covered ? `${result.sources.length} sources, ${result.cited.length} cited, ${result.check.unknownKeys.length} unknown keys, finish ${result.finishReason}` : 'not covered'}${result.rerank ? `; scoring: ${result.rerank.scored} passages, ${result.rerank.dropped} left out, ${result.rerank.requests} request(s)${result.rerank.failure ? ', failed' : ''}` : ''}${result.retrieval.denseFailure ? `; search by meaning skipped (${result.retrieval.denseFailureKind})` : ''}`);
        return { document, result };
      } catch (e) {
        if (doc.text) await doc.finish(`${header}## ${q}\n\n${doc.text}\n\n*Interrupted: ${isMedGemmaError(e) ? e.message : 'the answer stopped'}. The text above is partial and its citations were not checked.*\n`);
        if (!controller.signal.aborted || (isMedGemmaError(e) && e.partial)) failure = e;
        return undefined;
      }
    },
  );
  if (failure) void services.showError(failure, 'Ask Papers');
  return outcome;
}
