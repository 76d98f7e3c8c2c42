// `batch summarize`: each note through the same summary as the editor and `medgemma summarize`
// (map-reduce when long, citations checked), recorded as one JSON object.

import { toJson } from '../notes/render';
import { summarizeNote, SummaryFailedError, type SummaryResult } from '../notes/summarize';
import type { Template } from '../notes/templates';
import { modelCheckIncomplete, type VerifyMode } from '../notes/verify/verify';
import type { ChatService } from '../server/types';
import type { BatchJob, ItemOutcome, Send } from './run';

export interface SummarizeJobOptions {
  template: Template;
  /** The model the server resolved: part of each record and of the resume key. */
  model: string;
  maxTokens: number;
  temperature: number;
  verify?: VerifyMode;
}

/** A clinical note in a batch: larger is not a note. */
const MAX_NOTE_BYTES = 10 * 1024 * 1024;

function fields(r: SummaryResult): Record<string, unknown> {
  const { summary, statements, usage, parts, finishReason, modelCheck } = toJson(r);
  return { summary, statements, unsupported: statements.filter((s) => !s.supported).length, parts, finishReason, usage, modelCheck };
}

/** What makes two summaries of a note the same run (resume compares these fields). */
export const SUMMARY_KEY_FIELDS = ['file', 'sha256', 'template', 'model'] as const;

export function summarizeJob(chat: ChatService, o: SummarizeJobOptions): BatchJob {
  return {
    fields: { template: o.template.id, model: o.model },
    keyFields: SUMMARY_KEY_FIELDS,
    maxBytes: MAX_NOTE_BYTES,
    prepareSlots: Infinity,
    noun: 'note',
    async prepare(file, bytes): Promise<Send> {
      const text = bytes.toString('utf8');
      if (!text.trim()) throw new Error(`${file} is empty: there is nothing to summarize`);
      if (text.includes('\u0000')) throw new Error(`${file} looks like a binary file, not a text note`);
      return (signal) => send(text, signal);
    },
  };

  async function send(text: string, signal: AbortSignal): Promise<ItemOutcome> {
    try {
      const r = await summarizeNote(chat, { text, template: o.template, maxTokens: o.maxTokens, temperature: o.temperature, verify: o.verify }, { signal });
      if (r.finishReason === 'cancelled' || r.modelCheck?.stopped === 'cancelled') return { ok: false, record: {}, cancelled: true };
      if (r.finishReason === 'length') {
        return { ok: false, record: fields(r), usage: r.usage, error: new Error('the summary was cut at the token limit; raise --max-tokens and run the batch again') };
      }
      if (r.modelCheck && modelCheckIncomplete(r.modelCheck)) {
        return { ok: false, record: fields(r), usage: r.usage, error: new Error(`the model check did not reach every statement (${r.modelCheck.stopped ?? 'requests failed'}); the summary and its rule checks are complete`) };
      }
      return { ok: true, record: fields(r), usage: r.usage };
    } catch (e) {
      // The partial summary (finished parts included) is kept with the error.
      if (e instanceof SummaryFailedError) return { ok: false, record: fields(e.result), usage: e.result.usage, error: e };
      return { ok: false, record: {}, error: e };
    }
  }
}
