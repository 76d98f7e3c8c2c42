// `medgemma eval summaries`: is a model (a LoRA adapter, a larger model) better at grounded
// summaries than another? Every note through every model, then one report.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { listInputs, isBatchInputError } from '../core/batch/inputs';
import { compareModels, type EvalNote } from '../core/eval/compare-models';
import { renderComparison } from '../core/eval/report';
import { BUILT_IN_TEMPLATES, findTemplate } from '../core/notes/templates';
import { resolveMode } from '../core/privacy/mode';
import { jsonText } from '../core/terminal-text';
import { EXIT, UsageError } from './exit';
import { makeClient, numberFlag, parse, serverConfig } from './options';

export const EVAL_USAGE = `medgemma eval summaries <files|folders...> --models A,B[,C] [--template NAME]
    [--reference DIR] [--out REPORT.md] [--json] [--concurrency N] [--max-tokens N]
  Summarizes every note with every model the server lists (a base model and its LoRA
  adapter, say), checks each summary as Summarize Note does, and reports per model: notes
  summarized, statements, the share citing note lines, the share every check verified, the
  unsupported ones by reason, tokens and time. --reference DIR: clinician-written summaries
  with the notes' file names (or the same name ending in .md); the report adds the share of
  their statements each model covers. The report goes to --out (Markdown) or standard
  output; --json prints {"models": [{model, notes, failed, statements, cited, verified,
  unsupported, byReason, tokens, seconds, reference?}]} instead. Exit 0 when every summary
  was made, 4 when some failed, 130 on Ctrl-C.`;

const FLAGS = {
  models: { type: 'string' },
  template: { type: 'string' },
  reference: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  concurrency: { type: 'string' },
  'max-tokens': { type: 'string' },
} as const;

/** The clinician's summary of `file` in `dir`, when there is one. */
function referenceFor(dir: string, file: string): string | undefined {
  const base = path.basename(file);
  for (const name of [base, `${base.replace(/\.[^.]+$/, '')}.md`]) {
    try {
      return fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      // not this name
    }
  }
  return undefined;
}

export async function evalCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, FLAGS);
  if (values.help || sub === undefined || sub === 'help') {
    out.write(`${EVAL_USAGE}\n`);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (sub !== 'summaries') throw new UsageError(`unknown eval command "${sub}": use summaries`);
  const models = (values.models ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  if (models.length < 1) throw new UsageError('give the models to compare with --models A,B (the ids the server lists; "medgemma doctor" shows them)');
  if (new Set(models).size !== models.length) throw new UsageError(`--models names a model twice: ${values.models}`);
  const template = findTemplate(values.template ?? 'brief');
  if (!template) throw new UsageError(`unknown template "${values.template}"; use one of ${BUILT_IN_TEMPLATES.map((t) => t.id).join(', ')}`);
  const concurrency = numberFlag(values.concurrency, 'concurrency', 1, 256) ?? 8;
  if (!Number.isInteger(concurrency)) throw new UsageError(`--concurrency must be a whole number, not "${values.concurrency}"`);
  const maxTokens = numberFlag(values['max-tokens'], 'max-tokens', 1) ?? 2048;
  if (values.reference !== undefined && !fs.statSync(values.reference, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`--reference ${values.reference} is not a folder: give the folder of clinician-written summaries`);
  }
  const { config } = serverConfig(values);
  if (resolveMode(config.privacy, config.baseUrl) === 'warn') {
    throw new UsageError('--privacy warn asks before each note is sent, which an evaluation cannot do. Use --privacy pseudonymize, or --privacy off to send the text as written');
  }
  if (!positionals.length) throw new UsageError('give the notes (files or folders) to summarize');
  let files: string[];
  try {
    files = await listInputs(positionals, 'notes', values.out && path.resolve(values.out));
  } catch (e) {
    throw isBatchInputError(e) ? new UsageError(e.message) : e;
  }
  if (!files.length) throw new UsageError(`no notes (.txt .md .markdown .text .note) in ${positionals.join(', ')}`);
  const notes: EvalNote[] = files.map((file) => {
    const text = fs.readFileSync(file, 'utf8');
    return { file: path.relative(process.cwd(), file) || file, text, reference: values.reference ? referenceFor(values.reference, file) : undefined };
  });
  const empty = notes.find((n) => !n.text.trim());
  if (empty) throw new UsageError(`${empty.file} is empty: there is nothing to summarize`);

  const { client, note } = makeClient(values);
  if (note) err.write(`medgemma: ${note}\n`);
  // Every model must be one the server has: a typo would otherwise fail every note.
  const listed = (await client.endpoint('text').discovery.models()).map((m) => m.id);
  const unknown = models.filter((m) => !listed.includes(m));
  if (unknown.length) throw new UsageError(`the server has no model ${unknown.map((m) => `"${m}"`).join(', ')}; it lists ${listed.join(', ')}`);

  const controller = new AbortController();
  const onSigint = () => {
    err.write('\nmedgemma: stopping; the report covers the summaries that finished…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const step = Math.max(1, Math.floor((notes.length * models.length) / 10));
    const c = await compareModels(client, notes, {
      models,
      template,
      maxTokens,
      temperature: 0,
      concurrency,
      signal: controller.signal,
      onProgress: (done, total) => {
        if (done % step === 0 || done === total) err.write(`medgemma: ${done} of ${total} summaries\n`);
      },
    });
    const report = values.json ? `${jsonText({ models: c.scores })}\n` : renderComparison(c, { template: template.id, notes: notes.length });
    if (values.out) {
      fs.writeFileSync(values.out, report);
      err.write(`medgemma: report in ${values.out}\n`);
    } else {
      out.write(report);
    }
    if (c.stopped) return EXIT.sigint;
    return c.scores.some((s) => s.failed) ? EXIT.rejected : EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
