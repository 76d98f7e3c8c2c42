// `medgemma batch summarize|describe`: many notes or images, one JSON line each, resumable.

import * as path from 'node:path';
import { describeJob } from '../core/batch/describe-job';
import { BatchInputError, listInputs, type InputKind } from '../core/batch/inputs';
import { progressLine } from '../core/batch/progress';
import { serverQueue, watchQueue } from '../core/batch/queue';
import { openResults } from '../core/batch/results';
import { runBatch, type BatchJob, type BatchSummary } from '../core/batch/run';
import { summarizeJob } from '../core/batch/summarize-job';
import { realTimers, Throttle, throttled } from '../core/batch/throttle';
import { KIND_LABELS } from '../core/images/prompts';
import type { ImageKind } from '../core/images/types';
import { BUILT_IN_TEMPLATES, findTemplate } from '../core/notes/templates';
import { VERIFY_MODES, type VerifyMode } from '../core/notes/verify/verify';
import { resolveMode } from '../core/privacy/mode';
import { EXIT, exitCodeFor, formatError, UsageError } from './exit';
import { makeClient, numberFlag, parse, serverConfig } from './options';
import { rawOutput } from './terminal-output';
import { collect, OFFLINE_FLAGS, OFFLINE_USAGE, prepare } from './batch-offline';

export const BATCH_USAGE = `medgemma batch summarize <files|folders...> --out RESULTS.jsonl [--template NAME]
    [--verify rules|rules+model] [--concurrency N] [--resume] [--max-tokens N]
medgemma batch describe <images|folders...> --out RESULTS.jsonl [--prompt TEXT] [--kind KIND]
    [--concurrency N] [--resume] [--max-tokens N]
  Runs every note (.txt .md .markdown .text .note) or image (PNG, JPEG, DICOM) named or found
  in the folders, N at a time (default 8), and appends one JSON line per input to RESULTS.jsonl
  as each finishes: file, sha256, status ok|error, the summary and its checked statements
  (or the answer), usage, model, error. Running again onto the same file skips every input
  whose content, template (or kind and prompt) and model already have an ok line, and retries
  the failed ones: a later line for a file supersedes an earlier one. --resume also requires
  the file to exist. Exit 0 when every input is ok, 4 when some failed, 130 on Ctrl-C (every
  finished line is kept).
${OFFLINE_USAGE}`;

const FLAGS = {
  out: { type: 'string' },
  template: { type: 'string' },
  verify: { type: 'string' },
  prompt: { type: 'string' },
  kind: { type: 'string' },
  concurrency: { type: 'string' },
  resume: { type: 'boolean' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
  ...OFFLINE_FLAGS,
} as const;

type Values = ReturnType<typeof parse<typeof FLAGS>>['values'];

function job(sub: 'summarize' | 'describe', v: Values, chat: Parameters<typeof summarizeJob>[0], model: string): BatchJob {
  const temperature = numberFlag(v.temperature, 'temperature', 0, 2) ?? 0;
  if (sub === 'summarize') {
    const template = findTemplate(v.template ?? 'brief')!;
    return summarizeJob(chat, { template, model, maxTokens: numberFlag(v['max-tokens'], 'max-tokens', 1) ?? 2048, temperature, verify: (v.verify as VerifyMode | undefined) ?? 'rules' });
  }
  return describeJob(chat, { model, prompt: v.prompt, kind: v.kind as ImageKind | undefined, maxTokens: numberFlag(v['max-tokens'], 'max-tokens', 1) ?? 500, temperature });
}

/** Flags that belong to one subcommand only, checked before anything is read or sent. */
function checkFlags(sub: 'summarize' | 'describe', v: Values): void {
  if (!v.out) throw new UsageError('give the results file with --out RESULTS.jsonl');
  const foreign = sub === 'summarize' ? (['prompt', 'kind'] as const) : (['template', 'verify'] as const);
  for (const f of foreign) if (v[f] !== undefined) throw new UsageError(`--${f} is for batch ${sub === 'summarize' ? 'describe' : 'summarize'}, not batch ${sub}`);
  if (v.template !== undefined && !findTemplate(v.template)) throw new UsageError(`unknown template "${v.template}"; use one of ${BUILT_IN_TEMPLATES.map((t) => t.id).join(', ')}`);
  if (v.verify !== undefined && !(VERIFY_MODES as readonly string[]).includes(v.verify)) throw new UsageError(`--verify must be ${VERIFY_MODES.join(' or ')}, not "${v.verify}"`);
  if (v.kind !== undefined && !(v.kind in KIND_LABELS)) throw new UsageError(`unknown --kind "${v.kind}"; use one of ${Object.keys(KIND_LABELS).join(', ')}`);
  if (v.prompt !== undefined && !v.prompt.trim()) throw new UsageError('--prompt is empty: give the question to ask about every image, or leave it out for the preset one');
  numberFlag(v['max-tokens'], 'max-tokens', 1);
  numberFlag(v.temperature, 'temperature', 0, 2);
}

function report(s: BatchSummary, out: string, err: NodeJS.WritableStream): number {
  const ran = s.ok + s.failed;
  const before = s.skipped ? ` (${s.skipped} done before, skipped)` : '';
  if (s.stopped?.by === 'error') {
    err.write(`medgemma: stopped after ${ran} of ${s.total - s.skipped}${before}; every finished line is in ${out}. Fix the cause below and run the same command again to go on.\n`);
    err.write(`${formatError(s.stopped.error, false)}\n`);
    return exitCodeFor(s.stopped.error);
  }
  if (s.stopped?.by === 'user') {
    err.write(`medgemma: stopped; ${ran} finished and kept in ${out}${before}. Run the same command again to go on.\n`);
    return EXIT.sigint;
  }
  if (s.failed) {
    err.write(`medgemma: ${s.failed} of ${ran} failed${before}; their lines in ${out} have "status": "error" and say why. Run the same command again to retry them.\n`);
    return EXIT.rejected;
  }
  err.write(`medgemma: ${s.ok} of ${s.total} ok${before}; results in ${out}\n`);
  return EXIT.ok;
}

export async function batch(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, FLAGS);
  if (values.help || sub === undefined || sub === 'help') {
    out.write(`${BATCH_USAGE}\n`);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (sub === 'prepare') return prepare(values, positionals, err);
  if (sub === 'collect') return collect(values, positionals, err);
  if (sub !== 'summarize' && sub !== 'describe') throw new UsageError(`unknown batch command "${sub}": use summarize, describe, prepare or collect`);
  for (const f of ['format', 'requests'] as const) if (values[f] !== undefined) throw new UsageError(`--${f} is for batch prepare and collect, not batch ${sub}`);
  checkFlags(sub, values);
  const concurrency = numberFlag(values.concurrency, 'concurrency', 1, 256) ?? 8;
  if (!Number.isInteger(concurrency)) throw new UsageError(`--concurrency must be a whole number, not "${values.concurrency}"`);
  const { config } = serverConfig(values);
  if (resolveMode(config.privacy, config.baseUrl) === 'warn') {
    throw new UsageError('--privacy warn asks before each note is sent, which a batch cannot do. Use --privacy pseudonymize (identifiers replaced before sending), or --privacy off to send the text as written');
  }
  if (!positionals.length) throw new UsageError(`give the ${sub === 'summarize' ? 'notes' : 'images'} (files or folders) to run`);

  const kind: InputKind = sub === 'summarize' ? 'notes' : 'images';
  const resultsPath = path.resolve(values.out!);
  let files: string[];
  try {
    files = await listInputs(positionals, kind, resultsPath);
  } catch (e) {
    throw e instanceof BatchInputError ? new UsageError(e.message) : e;
  }
  if (!files.length) throw new UsageError(`no ${kind === 'notes' ? 'notes (.txt .md .markdown .text .note)' : 'images (PNG, JPEG, DICOM)'} in ${positionals.join(', ')}`);

  const { client, note } = makeClient(values);
  if (note) err.write(`medgemma: ${note}\n`);
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT.sigint); // second Ctrl-C: every finished line is already written
    interrupted = true;
    err.write('\nmedgemma: stopping; the lines written so far are kept (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const watching = new AbortController();
  try {
    const model = await client.model(sub === 'summarize' ? 'text' : 'vision', controller.signal);
    const throttle = new Throttle(concurrency);
    const work = job(sub, values, throttled(client, throttle), model.id);
    let results;
    try {
      results = await openResults(values.out!, work.keyFields, { mustExist: values.resume });
    } catch (e) {
      throw e instanceof BatchInputError ? new UsageError(e.message) : e;
    }
    if (results.repaired) err.write(`medgemma: ${values.out} ended in an incomplete line (${results.repaired} bytes, from a run that was cut off); it was removed.\n`);
    if (results.found.ok || results.found.failed) err.write(`medgemma: ${values.out} has ${results.found.ok} ok and ${results.found.failed} failed lines from earlier runs; inputs done before are skipped.\n`);

    void watchQueue(() => serverQueue(client, watching.signal), throttle, watching.signal, realTimers);
    const tty = (err as NodeJS.WriteStream).isTTY;
    const started = Date.now();
    let last = 0;
    let summary: BatchSummary;
    try {
      summary = await runBatch(files, work, results, {
        concurrency,
        signal: controller.signal,
        onProgress: tty
          ? (p) => {
              const now = Date.now();
              if (now - last < 250 && p.ok + p.failed + p.skipped < p.total) return;
              last = now;
              rawOutput(err).write('\r\x1b[K'); // our own: back to the start of the progress line, cleared
              err.write(`medgemma: ${progressLine(p, now - started)}`);
            }
          : undefined,
      });
    } finally {
      results.close();
      if (tty) err.write('\n');
    }
    return report(summary, values.out!, err);
  } finally {
    watching.abort();
    process.off('SIGINT', onSigint);
  }
}
