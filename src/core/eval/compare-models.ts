// Every note through every model (`medgemma eval summaries`): the same summary and checks as
// the editor, side by side at the server (the batch's throttle: N requests at a time, fewer when
// the server pushes back), then each model's scores. A note that fails for one model is counted
// as failed for it; the others go on.

import { summarizeNote } from '../notes/summarize';
import type { Template } from '../notes/templates';
import { Throttle, throttled } from '../batch/throttle';
import type { ChatService } from '../server/types';
import { scoreModel, type ModelScore, type NoteRun } from './summary-scores';

export interface EvalNote {
  file: string;
  text: string;
  reference?: string;
}

export interface CompareOptions {
  models: readonly string[];
  template: Template;
  maxTokens: number;
  temperature: number;
  /** Requests at the server at once. */
  concurrency: number;
  signal?: AbortSignal;
  /** After each summary: how many of all (notes × models) are done. */
  onProgress?: (done: number, total: number) => void;
  /** The clock, for tests. */
  now?: () => number;
}

export interface Comparison {
  scores: ModelScore[];
  /** Every summary, by model then note, in the order given. */
  runs: Record<string, NoteRun[]>;
  /** True when stopped before every summary finished. */
  stopped: boolean;
}

export async function compareModels(chat: ChatService, notes: readonly EvalNote[], o: CompareOptions): Promise<Comparison> {
  const now = o.now ?? (() => performance.now());
  const server = throttled(chat, new Throttle(o.concurrency));
  const total = notes.length * o.models.length;
  let done = 0;
  const one = async (model: string, note: EvalNote): Promise<NoteRun> => {
    const started = now();
    const run: NoteRun = { note: note.file, seconds: 0, reference: note.reference };
    try {
      const r = await summarizeNote(server, { text: note.text, template: o.template, model, maxTokens: o.maxTokens, temperature: o.temperature }, { signal: o.signal });
      if (r.finishReason === 'cancelled') run.error = 'stopped';
      else if (r.interrupted) run.error = r.interrupted;
      else run.result = r;
    } catch (e) {
      run.error = (e as Error)?.message ?? String(e);
    }
    run.seconds = (now() - started) / 1000;
    o.onProgress?.(++done, total);
    return run;
  };
  const runs: Record<string, NoteRun[]> = {};
  await Promise.all(o.models.map(async (model) => (runs[model] = await Promise.all(notes.map((n) => one(model, n))))));
  return { scores: o.models.map((m) => scoreModel(m, runs[m])), runs, stopped: !!o.signal?.aborted };
}
