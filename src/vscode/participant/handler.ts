// @medgemma in VS Code's chat: /summarize (the active note, or its selection), /papers
// <question> (the workspace's papers), /doctor (the server). The same core as the editor's
// commands; the answer streams into the chat, citations link back to the note's lines.

import * as vscode from 'vscode';
import { askPapers } from '../../core/papers/ask';
import type { PaperLibrary } from '../../core/papers/library';
import { renderAnswerBody } from '../../core/papers/render';
import { summarizeNote } from '../../core/notes/summarize';
import { findTemplate, resolveTemplates } from '../../core/notes/templates';
import { diagnose, formatReport } from '../../core/server/doctor';
import { forEditor, isMedGemmaError } from '../../core/server/errors';
import { promptSetting, setting } from '../config';
import { selectedLines } from '../notes/summarize-command';
import type { Services } from '../services';
import { searchOptions } from '../papers/dense';
import { inert, streamSummary, type AnswerStream } from './answer';

export interface ParticipantRequest {
  prompt: string;
  command?: string;
}

export const USAGE =
  '**@medgemma** answers with your own MedGemma server:\n\n' +
  '- `/summarize` — a grounded summary of the note open in the editor (or of its selection); each citation opens the cited lines\n' +
  '- `/papers <question>` — an answer from the papers attached in this workspace, citing pages\n' +
  '- `/doctor` — is the server reachable and set up right?\n';

/** Handles one request; what failed is said in the chat with what to do. Returns what ran (for the tests). */
export async function handle(services: Services, library: PaperLibrary, request: ParticipantRequest, stream: AnswerStream, token: vscode.CancellationToken): Promise<{ command: string; ok: boolean }> {
  const command = request.command ?? '';
  if (!vscode.workspace.isTrusted) {
    stream.markdown(inert('MedGemma sends nothing from an untrusted workspace. Trust this workspace (**Manage Workspace Trust**) to use @medgemma.'));
    return { command, ok: false };
  }
  const stop = new AbortController();
  const sub = token.onCancellationRequested(() => stop.abort());
  try {
    switch (command) {
      case 'summarize':
        return { command, ok: await summarize(services, stream, stop.signal) };
      case 'papers':
        return { command, ok: await papers(services, library, request.prompt, stream, stop.signal) };
      case 'doctor': {
        stream.progress('Checking the server…');
        const report = await diagnose(services.client());
        stream.markdown(inert(`\`\`\`text\n${forEditor(formatReport(report)).replace(/```/g, "'''")}\n\`\`\`\n`));
        return { command, ok: report.reachable && report.problems.length === 0 };
      }
      default:
        stream.markdown(inert(USAGE));
        return { command, ok: true };
    }
  } catch (e) {
    const message = isMedGemmaError(e) ? forEditor(e.message) : `${(e as Error)?.message ?? e}`;
    stream.markdown(inert(`\n\n> ⚠ ${message.replace(/\n/g, ' ')}\n`));
    return { command, ok: false };
  } finally {
    sub.dispose();
  }
}

async function summarize(services: Services, stream: AnswerStream, signal: AbortSignal): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme.startsWith('medgemma')) {
    stream.markdown(inert('Open a clinical note in the editor (select part of it to summarize only that part), then ask `@medgemma /summarize` again.'));
    return false;
  }
  const doc = editor.document;
  const text = doc.getText();
  if (!text.trim()) {
    stream.markdown(inert(`${doc.fileName.split(/[\\/]/).pop()} is empty: there is nothing to summarize.`));
    return false;
  }
  const range = selectedLines(editor.selection);
  const { templates } = resolveTemplates(promptSetting<unknown>('summary.templates', []));
  const template = findTemplate(setting<string>('summary.defaultTemplate', '').trim() || 'brief', templates) ?? findTemplate('brief')!;
  stream.progress(`Summarizing ${range ? `lines ${range[0]}–${range[1]}` : 'the note'} (${template.label})…`);
  const r = await summarizeNote(services.client(), { text, range, template, maxTokens: setting<number>('summary.maxTokens', 2048), temperature: setting<number>('summary.temperature', 0) }, { signal });
  streamSummary(stream, r, doc.uri, doc.lineCount);
  return r.finishReason === 'stop';
}

async function papers(services: Services, library: PaperLibrary, question: string, stream: AnswerStream, signal: AbortSignal): Promise<boolean> {
  if (!question.trim()) {
    stream.markdown(inert('Ask a question after `/papers`, e.g. `@medgemma /papers What did participants say about exercise?`'));
    return false;
  }
  if (!(await library.list()).some((p) => p.state === 'indexed')) {
    stream.markdown(inert('No papers are attached in this workspace. Attach PDFs with **MedGemma: Attach Papers** (or drop them on the Papers view), then ask again.'));
    return false;
  }
  stream.progress('Searching the papers and asking MedGemma…');
  const client = services.client();
  const search = await searchOptions(client, library, services.log, signal);
  const r = await askPapers(client, library, question, { signal, ...search, maxTokens: setting<number>('chat.maxTokens', 1024) });
  stream.markdown(inert(renderAnswerBody(r)));
  for (const c of r.cited) stream.reference(vscode.Uri.file(c.file));
  return r.covered && r.finishReason === 'stop';
}
