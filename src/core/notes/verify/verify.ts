// The model check: every statement the rules passed is sent, with only its cited lines, to the
// model, which answers supported / contradicted / not in the lines. Requests run a few at a
// time through the one ChatService, cancellable, with progress. The model can only add flags:
// a statement the rules flagged is not sent, and "supported" changes nothing. A failed or
// unreadable answer is counted and said, never read as a verdict either way.

import type { PrivacyScope } from '../../privacy/gate';
import { isMedGemmaError, isServerFault } from '../../server/errors';
import { addUsage, type ChatMessage, type ChatService, type Usage } from '../../server/types';
import type { CheckedStatement } from '../citations';
import type { NumberedNote } from '../numbering';
import { buildVerifyMessages, VERDICT_FORMAT } from './prompt';
import { parseVerdict, wordsAtFault } from './verdict';

export type VerifyMode = 'rules' | 'rules+model';
export const VERIFY_MODES: readonly VerifyMode[] = ['rules', 'rules+model'];

/** What the model check did, for the footer and --json. */
export interface ModelCheck {
  /** Statements the rules passed: the ones the model was to check. */
  total: number;
  /** Got a readable verdict. */
  checked: number;
  /** Of those, contradicted or not in the lines. */
  flagged: number;
  /** Answered, but not in the asked shape. */
  unreadable: number;
  /** The request failed. */
  failed: number;
  /** Citing too many lines to send. */
  skipped: number;
  requests: number;
  /** Summed over the requests whose server reported it. */
  usage?: Usage;
  /** The server took the JSON schema (structured output); false: it refused it and the strict parser alone read the answers. */
  structured: boolean;
  /** Set when the check ended before every statement was sent: 'cancelled', or the error's message. */
  stopped?: string;
}

/** Requests failed or the server stopped answering (a stop by the user is not a failure). */
export function modelCheckIncomplete(c: ModelCheck): boolean {
  return c.failed > 0 || (c.stopped !== undefined && c.stopped !== 'cancelled');
}

export interface VerifyOptions {
  model?: string;
  signal?: AbortSignal;
  /** Requests in flight at once. */
  concurrency?: number;
  onProgress?(done: number, total: number): void;
  /** The summary's privacy scope: the statements' names get the stand-ins the note's got. */
  privacy?: PrivacyScope;
}

export const DEFAULT_CONCURRENCY = 4;
/** Enough for the JSON answer; a model that writes more is cut and read as unreadable. */
const VERDICT_TOKENS = 160;
/** After this many failed requests in a row the server is not answering: stop sending. */
const MAX_FAILURES_IN_A_ROW = 3;

/** The statements with the model's verdicts added, and what it cost. */
export async function verifyWithModel(
  chat: ChatService,
  statements: readonly CheckedStatement[],
  note: NumberedNote,
  opts: VerifyOptions = {},
): Promise<{ statements: CheckedStatement[]; check: ModelCheck }> {
  const out = statements.map((s) => ({ ...s }));
  const jobs = out.filter((s) => s.supported);
  const check: ModelCheck = { total: jobs.length, checked: 0, flagged: 0, unreadable: 0, failed: 0, skipped: 0, requests: 0, structured: true };
  let done = 0;
  let failuresInARow = 0;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();

  const ask = async (messages: ChatMessage[], structured: boolean): Promise<string> => {
    check.requests++;
    const r = await chat.chat(
      {
        messages,
        maxTokens: VERDICT_TOKENS,
        temperature: 0,
        model: opts.model,
        job: 'text',
        feature: 'citation-check',
        privacy: opts.privacy,
        ...(structured ? { responseFormat: VERDICT_FORMAT } : {}),
      },
      { signal: stop.signal },
    );
    if (r.usage) check.usage = addUsage(check.usage, r.usage);
    if (r.finishReason === 'cancelled') throw new Cancelled();
    return r.text;
  };

  const one = async (s: CheckedStatement): Promise<void> => {
    if (stop.signal.aborted) return;
    const messages = buildVerifyMessages(s, note);
    if (!messages) {
      s.model = 'skipped';
      check.skipped++;
    } else {
      try {
        let answer: string;
        try {
          answer = await ask(messages, check.structured);
        } catch (e) {
          // A server without structured output refuses the field: ask again in words, once for all.
          if (!(check.structured && isMedGemmaError(e) && e.kind === 'bad-request')) throw e;
          check.structured = false;
          answer = await ask(messages, false);
        }
        failuresInARow = 0;
        apply(s, answer, check);
      } catch (e) {
        if (e instanceof Cancelled || stop.signal.aborted) return;
        s.model = 'failed';
        check.failed++;
        failuresInARow++;
        if ((isMedGemmaError(e) && isServerFault(e.kind)) || failuresInARow >= MAX_FAILURES_IN_A_ROW) {
          check.stopped ??= isMedGemmaError(e) ? e.message : String((e as Error)?.message ?? e);
          stop.abort();
          return;
        }
      }
    }
    done++;
    opts.onProgress?.(done, jobs.length);
  };

  if (jobs.length > 0) opts.onProgress?.(0, jobs.length);
  try {
    // The first request alone learns whether the server takes the schema; the rest follow in parallel.
    const queue = [...jobs];
    const first = queue.shift();
    if (first) await one(first);
    const workers = Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? DEFAULT_CONCURRENCY, queue.length)) }, async () => {
      for (let job = queue.shift(); job && !stop.signal.aborted; job = queue.shift()) await one(job);
    });
    await Promise.all(workers);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (opts.signal?.aborted && done < jobs.length) check.stopped ??= 'cancelled';
  return { statements: out, check };
}

class Cancelled extends Error {}

/** Record the verdict on the statement: a flag for contradicted / not in the lines. */
function apply(s: CheckedStatement, answer: string, check: ModelCheck): void {
  const v = parseVerdict(answer);
  if (!v) {
    s.model = 'unreadable';
    check.unreadable++;
    return;
  }
  check.checked++;
  s.model = v.verdict;
  if (v.verdict === 'supported') return;
  check.flagged++;
  const words = wordsAtFault(v.words, s.text);
  const quoted = words ? ` ("${words}")` : '';
  s.supported = false;
  s.kind = v.verdict === 'contradicted' ? 'model-contradicted' : 'model-not-in-lines';
  s.reason = v.verdict === 'contradicted' ? `model: the cited lines say otherwise${quoted}` : `model: not in the cited lines${quoted}`;
}
