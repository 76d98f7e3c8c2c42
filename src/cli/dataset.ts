// `medgemma dataset`: training examples from reviewed work (add-summary), what a dataset holds
// (stats), and training files from it (export). The dataset folder is the one the extension
// writes (.medgemma/dataset in the workspace by default).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXPORT_FORMATS, exportDataset, type ExportFormat } from '../core/dataset/export';
import { datasetStats, statsText } from '../core/dataset/stats';
import { DatasetStore, reviewerName } from '../core/dataset/store';
import { buildSummaryExample, parseSummaryDocument } from '../core/dataset/summary-example';
import { validate } from '../core/dataset/validate';
import { parseLineRange } from '../core/notes/line-range';
import { BUILT_IN_TEMPLATES, findTemplate } from '../core/notes/templates';
import { estimateTokens } from '../core/server/budget';
import type { ChatMessage, TokenCount } from '../core/server/types';
import { jsonText } from '../core/terminal-text';
import { errorSentence, EXIT, UsageError } from './exit';
import { makeClient, numberFlag, parse } from './options';
import { readInput } from './summarize';
import { plural } from '../core/plural';

export const DEFAULT_DATASET = path.join('.medgemma', 'dataset');

export const DATASET_USAGE = `medgemma dataset add-summary <note> <corrected-summary.md> [--template NAME] [--lines A-B]
    [--draft DRAFT.md] [--model ID] [--as-written] [--dataset DIR]
  Saves a training example: the note (or lines A-B of it) asked as Summarize Note asks, and
  the clinician's corrected summary as the answer to learn (a saved summary document or a
  plain markdown list with [L12] citations). The template, lines and model are read from the
  summary's header when it has one. --draft: the model's summary, kept as the rejected answer
  of a preference pair. Identifiers are replaced by stand-ins before saving unless
  --as-written. --dataset: the dataset folder (default $MEDGEMMA_DATASET or ${DEFAULT_DATASET}).
medgemma dataset stats [--dataset DIR] [--json]
  Counts the examples by kind, template, split, review and de-identification, and names every
  line of examples.jsonl that is not an example.
medgemma dataset export --format hf-chat|vertex --out DIR [--split 0.9] [--seed N] [--dataset DIR]
  Writes train.jsonl, validation.jsonl and a dataset card (README.md) to a new folder.
  hf-chat: TRL's conversational format with the images beside it (Google's MedGemma
  fine-tuning notebook), plus preference pairs of corrected examples; vertex: the text-only
  messages JSONL of Vertex AI's open-model tuning. Empty and duplicate examples, missing
  images and examples longer than the model's context (counted by the server's /tokenize
  when it answers; --context-length otherwise) are left out and listed. --split: the share
  for training (examples marked for validation always go there); --seed: the shuffle.`;

const FLAGS = {
  dataset: { type: 'string' },
  template: { type: 'string' },
  lines: { type: 'string' },
  draft: { type: 'string' },
  'as-written': { type: 'boolean' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  out: { type: 'string' },
  split: { type: 'string' },
  seed: { type: 'string' },
} as const;

export async function dataset(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, FLAGS);
  if (values.help || sub === undefined || sub === 'help') {
    out.write(`${DATASET_USAGE}\n`);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  const store = new DatasetStore(path.resolve(values.dataset ?? process.env.MEDGEMMA_DATASET ?? DEFAULT_DATASET));
  switch (sub) {
    case 'add-summary':
      return addSummary(store, values, positionals, out, err);
    case 'stats': {
      if (positionals.length) throw new UsageError(`dataset stats takes no files (got ${positionals[0]}); name the folder with --dataset`);
      const { examples, problems } = await store.read();
      const s = datasetStats(examples, problems);
      out.write(values.json ? `${jsonText(s)}\n` : `${statsText(s)}\n`);
      return EXIT.ok;
    }
    case 'export':
      return exportCommand(store, values, positionals, out, err);
    default:
      throw new UsageError(`unknown dataset command "${sub}": use add-summary, stats or export`);
  }
}

type Values = ReturnType<typeof parse<typeof FLAGS>>['values'];

async function addSummary(store: DatasetStore, values: Values, positionals: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if (positionals.length !== 2) throw new UsageError('give the note and the corrected summary: medgemma dataset add-summary <note> <corrected-summary.md>');
  const [notePath, summaryPath] = positionals;
  const note = readInput(notePath, 'learn from');
  const corrected = readInput(summaryPath, 'learn from');
  const header = parseSummaryDocument(corrected.text);
  const byLabel = BUILT_IN_TEMPLATES.find((t) => t.label === header.title);
  const template = values.template !== undefined ? findTemplate(values.template) : (byLabel ?? findTemplate('brief'));
  if (!template) throw new UsageError(`unknown template "${values.template}"; use one of ${BUILT_IN_TEMPLATES.map((t) => t.id).join(', ')}`);
  let lines = header.range;
  if (values.lines !== undefined) {
    const r = parseLineRange(values.lines, '--lines');
    if ('error' in r) throw new UsageError(r.error);
    lines = r.range;
  }
  const draft = values.draft === undefined ? undefined : readInput(values.draft, 'learn from').text;
  const built = buildSummaryExample({
    note: note.text,
    sourceFile: path.relative(process.cwd(), path.resolve(notePath)) || note.name,
    lines,
    template,
    chosen: corrected.text,
    draft,
    model: values.model ?? header.model,
    reviewer: reviewerName(),
    pseudonymize: !values['as-written'],
  });
  await store.add(built.example);
  const e = built.example;
  const where = e.source?.lines ? `, lines ${e.source.lines[0]}–${e.source.lines[1]}` : '';
  out.write(`Saved example ${e.id} (${template.label}${where}, ${e.review.action === 'edited' ? 'corrected' : 'accepted'}, ${e.deidentified === 'pseudonymized' ? 'identifiers replaced' : 'text as written'}) to ${shown(store.dir)}\n`);
  if (built.unsupported) err.write(`medgemma: ${built.unsupported} of ${plural(built.statements, 'statement')} of the corrected summary cite lines the checks could not verify; the model will learn them as written. Check the citations.\n`);
  return EXIT.ok;
}

const shown = (p: string) => path.relative(process.cwd(), p) || p;

async function exportCommand(store: DatasetStore, values: Values, positionals: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  if (positionals.length) throw new UsageError(`dataset export takes no files (got ${positionals[0]}); name the dataset with --dataset and the target with --out`);
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`give --format ${EXPORT_FORMATS.join(' or ')}${values.format ? `, not "${values.format}"` : ''}`);
  if (!values.out) throw new UsageError('give --out DIR: a new folder for the training files');
  const train = numberFlag(values.split, 'split', 0.01, 1) ?? 0.9;
  const seed = numberFlag(values.seed, 'seed', 0, 2 ** 32 - 1) ?? 0;
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, not "${values.seed}"`);
  const target = path.resolve(values.out);
  if (target === store.dir || target.startsWith(store.dir + path.sep)) throw new UsageError('--out is inside the dataset folder: give a folder outside it');
  // Before anything is counted: the core refuses it too, but only after the work.
  if (fs.statSync(target, { throwIfNoEntry: false })?.isDirectory() && fs.readdirSync(target).length) throw new UsageError(`${shown(target)} is not empty: give a new folder for the export, so nothing in it is overwritten`);
  if (!fs.existsSync(store.file)) throw new UsageError(`there is no dataset in ${shown(store.dir)} (no examples.jsonl): save examples first, or name the folder with --dataset`);
  const { examples, problems } = await store.read();
  for (const p of problems) err.write(`medgemma: line ${p.line} of examples.jsonl is not an example (${p.why}); left out\n`);
  if (!examples.length) throw new UsageError(`${shown(store.file)} holds no example to export`);

  // Lengths: the server's context and its /tokenize when it answers; otherwise --context-length with an estimate.
  const { client, note } = makeClient(values);
  if (note) err.write(`medgemma: ${note}\n`);
  let contextLength: number | undefined;
  let count = (messages: ChatMessage[]): Promise<TokenCount> => client.countTokens(messages, 'text');
  try {
    contextLength = await client.contextLength('text');
  } catch (e) {
    contextLength = values['context-length'] !== undefined ? Number(values['context-length']) : undefined;
    count = async (messages) => ({ tokens: estimateTokens(messages), exact: false });
    err.write(`medgemma: the model's context could not be asked for (${errorSentence(e).replace(/\.$/, '')}); ${contextLength ? `lengths estimated against --context-length ${contextLength}` : 'lengths not checked (give --context-length N to check them against an estimate)'}\n`);
  }
  const checked = await validate(examples, { dir: store.dir, contextLength, count });
  for (const x of checked.excluded) err.write(`medgemma: example ${x.id} left out: ${x.why}\n`);
  const r = await exportDataset(checked.valid, { format, dir: store.dir, out: target, train, seed, excluded: checked.excluded, exactCounts: checked.exactCounts, contextLength });
  for (const x of r.skipped) err.write(`medgemma: example ${x.id} left out: ${x.why}\n`);
  out.write(`Exported ${r.train} training and ${r.validation} validation examples as ${format}${r.preference ? ` (${r.preference} preference pairs)` : ''}${r.images ? ` with ${r.images} images` : ''} to ${shown(target)}: ${r.files.join(', ')}\n`);
  return EXIT.ok;
}
