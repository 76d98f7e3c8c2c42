// `summarize_note`: the grounded summary of a note given by path or as text, every statement
// with the note lines it cites and whether the check found them there. The same core as the
// editor's Summarize Note and `medgemma summarize`.

import * as path from 'node:path';
import { parseLineRange } from '../notes/line-range';
import { summaryFooter, toJson } from '../notes/render';
import { summarizeNote, SummaryFailedError } from '../notes/summarize';
import { findTemplate } from '../notes/templates';
import type { ChatService } from '../server/types';
import { readToolFile, resolvePath, ToolInputError, type ToolOutput } from './tool-input';

/** A note larger than this is not a clinical note (the batch's limit too). */
export const MAX_NOTE_BYTES = 10 * 1024 * 1024;

export interface SummarizeNoteArgs {
  path?: string;
  text?: string;
  template?: string;
  lines?: string;
}

export const SUMMARIZE_NOTE_DESCRIPTION =
  "Summarizes a clinical note with the user's own MedGemma server. Every statement cites the note lines it came from ([L12]) and is checked against them afterwards; " +
  'statements the check could not verify are marked and listed with the reason. The structured result has each statement with its cited lines and check result. ' +
  'Use it instead of summarizing a note yourself when the user wants a summary grounded in the note.';

/** The note's text and the name the result gives it; `cwd` is where a relative path starts. */
export async function noteText(args: SummarizeNoteArgs, cwd: string): Promise<{ text: string; name: string; file?: string }> {
  if ((args.path === undefined) === (args.text === undefined)) throw new ToolInputError('give either path (a note file) or text (the note itself), not both and not neither');
  if (args.text !== undefined) return { text: args.text, name: 'text' };
  const file = resolvePath(args.path!, cwd);
  const text = (await readToolFile(file, MAX_NOTE_BYTES, 'note')).toString('utf8');
  if (!text.trim()) throw new ToolInputError(`${file} is empty: there is nothing to summarize`);
  if (text.includes('\u0000')) throw new ToolInputError(`${file} looks like a binary file, not a text note`);
  return { text, name: path.basename(file), file };
}

export async function summarizeNoteTool(client: ChatService, args: SummarizeNoteArgs, opts: { signal: AbortSignal; cwd: string }): Promise<ToolOutput> {
  const { text, name } = await noteText(args, opts.cwd);
  const template = findTemplate(args.template ?? 'brief');
  if (!template) throw new ToolInputError(`template "${args.template}" is not one of the summary kinds`);
  let range: [number, number] | undefined;
  if (args.lines !== undefined) {
    const r = parseLineRange(args.lines, 'lines');
    if ('error' in r) throw new ToolInputError(r.error);
    range = r.range;
  }
  try {
    const r = await summarizeNote(client, { text, range, template, maxTokens: 2048, temperature: 0 }, { signal: opts.signal });
    return { text: `${r.summary.trimEnd()}${summaryFooter(r)}`, structured: { note: name, template: template.id, ...toJson(r), unsupported: r.statements.filter((s) => !s.supported).length } };
  } catch (e) {
    if (!(e instanceof SummaryFailedError)) throw e;
    // The partial summary goes back with the error: what finished is not lost.
    return { text: `The summary so far:\n\n${e.result.summary.trimEnd()}${summaryFooter(e.result)}`, structured: { note: name, template: template.id, ...toJson(e.result) }, failure: e };
  }
}
