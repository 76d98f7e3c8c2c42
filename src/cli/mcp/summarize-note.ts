// `summarize_note`: the grounded summary of a note given by path or as text, every statement
// with the note lines it cites and whether the check found them there. The same core as the
// editor's Summarize Note and `medgemma summarize`.

import * as path from 'node:path';
import * as z from 'zod';
import { toJson } from '../../core/notes/render';
import { summarizeNote, SummaryFailedError } from '../../core/notes/summarize';
import { BUILT_IN_TEMPLATES, findTemplate } from '../../core/notes/templates';
import type { MedGemmaClient } from '../../core/server/service';
import { parseLines, summaryFooter } from '../summarize';
import { failed, ok, readToolFile, ToolInputError } from './result';

/** A note larger than this is not a clinical note (the batch's limit too). */
const MAX_NOTE_BYTES = 10 * 1024 * 1024;

export const summarizeNoteInput = z.object({
  path: z.string().min(1).optional().describe('Path of a text note on this machine (relative to the folder the server runs in). Give path or text.'),
  text: z.string().min(1).max(MAX_NOTE_BYTES).optional().describe('The note itself. Give path or text.'),
  template: z
    .enum(BUILT_IN_TEMPLATES.map((t) => t.id) as [string, ...string[]])
    .optional()
    .describe(`The kind of summary: ${BUILT_IN_TEMPLATES.map((t) => `${t.id} (${t.label})`).join(', ')}. Default brief.`),
  lines: z.string().optional().describe('Only these note lines, first-last, 1-based, e.g. "12-40".'),
});

export const SUMMARIZE_NOTE_DESCRIPTION =
  "Summarizes a clinical note with the user's own MedGemma server. Every statement cites the note lines it came from ([L12]) and is checked against them afterwards; " +
  'statements the check could not verify are marked and listed with the reason. The structured result has each statement with its cited lines and check result. ' +
  'Use it instead of summarizing a note yourself when the user wants a summary grounded in the note.';

async function noteText(args: z.infer<typeof summarizeNoteInput>): Promise<{ text: string; name: string }> {
  if ((args.path === undefined) === (args.text === undefined)) throw new ToolInputError('give either path (a note file) or text (the note itself), not both and not neither');
  if (args.text !== undefined) return { text: args.text, name: 'text' };
  const file = path.resolve(args.path!);
  const text = (await readToolFile(file, MAX_NOTE_BYTES, 'note')).toString('utf8');
  if (!text.trim()) throw new ToolInputError(`${file} is empty: there is nothing to summarize`);
  if (text.includes('\u0000')) throw new ToolInputError(`${file} looks like a binary file, not a text note`);
  return { text, name: path.basename(file) };
}

export async function summarizeNoteTool(client: MedGemmaClient, args: z.infer<typeof summarizeNoteInput>, signal: AbortSignal) {
  const { text, name } = await noteText(args);
  const template = findTemplate(args.template ?? 'brief')!;
  let range: [number, number] | undefined;
  try {
    range = parseLines(args.lines);
  } catch (e) {
    throw new ToolInputError((e as Error).message.replace(/--lines/g, 'lines'));
  }
  try {
    const r = await summarizeNote(client, { text, range, template, maxTokens: 2048, temperature: 0 }, { signal });
    return ok(`${r.summary.trimEnd()}${summaryFooter(r)}`, { note: name, template: template.id, ...toJson(r), unsupported: r.statements.filter((s) => !s.supported).length });
  } catch (e) {
    if (!(e instanceof SummaryFailedError)) throw e;
    // The partial summary goes back with the error: what finished is not lost.
    const result = failed(e);
    return { ...result, content: [...result.content, { type: 'text' as const, text: `The summary so far:\n\n${e.result.summary.trimEnd()}${summaryFooter(e.result)}` }], structuredContent: { note: name, template: template.id, ...toJson(e.result) } };
  }
}
