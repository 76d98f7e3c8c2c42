// `medgemma batch prepare|collect`: the same summaries through an offline engine
// (`vllm run-batch`, Vertex AI batch prediction), in rounds (src/core/batch/offline.ts).

import * as path from 'node:path';
import { ENGINE_FORMATS, type EngineFormat } from '../core/batch/engine-format';
import { BatchInputError, listInputs } from '../core/batch/inputs';
import { collectOffline, prepareOffline, readManifest } from '../core/batch/offline';
import { openResults } from '../core/batch/results';
import { SUMMARY_KEY_FIELDS } from '../core/batch/summarize-job';
import { BUILT_IN_TEMPLATES, findTemplate } from '../core/notes/templates';
import { VERIFY_MODES, type VerifyMode } from '../core/notes/verify/verify';
import { EXIT, UsageError } from './exit';
import { numberFlag } from './options';

export const OFFLINE_USAGE = `medgemma batch prepare <files|folders...> --out REQUESTS.jsonl [--format openai|vertex]
    [--template NAME] [--model ID] [--context-length N] [--max-tokens N] [--verify rules|rules+model]
medgemma batch collect <OUTPUTS.jsonl...> --requests REQUESTS.jsonl --out RESULTS.jsonl
  prepare writes one request per line for an offline engine: --format openai (default) for
  \`vllm run-batch -i REQUESTS.jsonl -o OUTPUTS.jsonl --model ID\`, vertex for Vertex AI batch
  prediction; long notes are split as the online summary splits them (for a model context of
  --context-length tokens, default 32768). collect reads the engine's output and appends the
  same checked, cited records as batch summarize; when a long note still needs its combine
  step (or the model check its requests), it writes REQUESTS-2.jsonl: run that through the
  engine and collect its output the same way. REQUESTS.jsonl holds the notes' text as written.`;

export const OFFLINE_FLAGS = {
  format: { type: 'string' },
  requests: { type: 'string' },
} as const;

interface Values {
  out?: string;
  format?: string;
  requests?: string;
  template?: string;
  verify?: string;
  model?: string;
  privacy?: string;
  'context-length'?: string;
  'max-tokens'?: string;
  temperature?: string;
  prompt?: string;
  kind?: string;
  concurrency?: string;
  resume?: boolean;
}

const asUsage = (e: unknown): unknown => (e instanceof BatchInputError ? new UsageError(e.message) : e);

export async function prepare(v: Values, positionals: string[], err: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!v.out) throw new UsageError('give the requests file with --out REQUESTS.jsonl');
  for (const f of ['prompt', 'kind', 'concurrency', 'resume', 'requests'] as const) if (v[f] !== undefined) throw new UsageError(`--${f} is not an option of batch prepare`);
  const format = (v.format ?? 'openai') as EngineFormat;
  if (!ENGINE_FORMATS.includes(format)) throw new UsageError(`--format must be ${ENGINE_FORMATS.join(' or ')}, not "${v.format}"`);
  const template = v.template ?? 'brief';
  if (!findTemplate(template)) throw new UsageError(`unknown template "${template}"; use one of ${BUILT_IN_TEMPLATES.map((t) => t.id).join(', ')}`);
  const verify = (v.verify ?? 'rules') as VerifyMode;
  if (!VERIFY_MODES.includes(verify)) throw new UsageError(`--verify must be ${VERIFY_MODES.join(' or ')}, not "${v.verify}"`);
  const privacy = v.privacy ?? env.MEDGEMMA_PRIVACY;
  if (privacy !== undefined && privacy !== 'off') {
    throw new UsageError(
      `batch prepare writes the notes as written into ${v.out} for the engine; replacing identifiers in an offline batch is not supported yet (--privacy ${privacy}). Use "medgemma batch summarize --privacy pseudonymize" against a server, or --privacy off to write the text as it is`,
    );
  }
  const model = v.model ?? env.MEDGEMMA_MODEL ?? (format === 'openai' ? 'google/medgemma-4b-it' : '');
  const contextLength = numberFlag(v['context-length'] ?? env.MEDGEMMA_CONTEXT_LENGTH, 'context-length', 1024, 10_000_000) ?? 32768;
  const maxTokens = numberFlag(v['max-tokens'], 'max-tokens', 1) ?? 2048;
  const temperature = numberFlag(v.temperature, 'temperature', 0, 2) ?? 0;
  if (!positionals.length) throw new UsageError('give the notes (files or folders) to prepare');
  const requests = path.resolve(v.out);
  let files: string[];
  try {
    files = await listInputs(positionals, 'notes', requests);
  } catch (e) {
    throw asUsage(e);
  }
  if (!files.length) throw new UsageError(`no notes (.txt .md .markdown .text .note) in ${positionals.join(', ')}`);
  const s = await prepareOffline(files, { format, model, contextLength, template, maxTokens, temperature, verify }, requests);
  for (const f of s.failed) err.write(`medgemma: ${f.error}\n`);
  err.write(`medgemma: ${s.requests} requests for ${s.notes - s.failed.length} of ${s.notes} notes in ${v.out} (round 1; they hold the notes' text as written).\n`);
  err.write(
    format === 'openai'
      ? `medgemma: next: vllm run-batch -i ${v.out} -o OUTPUTS.jsonl --model ${model || 'MODEL'} --max-model-len ${contextLength}, then: medgemma batch collect OUTPUTS.jsonl --requests ${v.out} --out RESULTS.jsonl\n`
      : `medgemma: next: upload ${v.out} to Cloud Storage, run a batch prediction job on your MedGemma endpoint's model, download its output, then: medgemma batch collect OUTPUTS.jsonl --requests ${v.out} --out RESULTS.jsonl\n`,
  );
  return s.requests > 0 || s.failed.length === 0 ? EXIT.ok : EXIT.usage;
}

export async function collect(v: Values, positionals: string[], err: NodeJS.WritableStream): Promise<number> {
  if (!v.requests) throw new UsageError('give the requests file batch prepare wrote with --requests REQUESTS.jsonl');
  if (!v.out) throw new UsageError('give the results file with --out RESULTS.jsonl');
  for (const f of ['format', 'template', 'verify', 'model', 'prompt', 'kind', 'concurrency', 'context-length', 'max-tokens', 'temperature'] as const) {
    if (v[f] !== undefined) throw new UsageError(`--${f} is not an option of batch collect: the settings of batch prepare are used`);
  }
  if (!positionals.length) throw new UsageError("give the engine's output file(s) to collect");
  const requests = path.resolve(v.requests);
  let manifest;
  let results;
  try {
    manifest = readManifest(requests);
    results = await openResults(v.out, SUMMARY_KEY_FIELDS, { mustExist: v.resume });
  } catch (e) {
    throw asUsage(e);
  }
  let s;
  try {
    s = await collectOffline(requests, positionals, results);
  } catch (e) {
    throw asUsage(e);
  } finally {
    results.close();
  }
  if (s.unreadableLines) err.write(`medgemma: ${s.unreadableLines} of ${s.outputLines} output lines were not answers to these requests and were ignored.\n`);
  const before = [s.recordedBefore ? `${s.recordedBefore} by an earlier collect` : '', s.skipped ? `${s.skipped} done in an earlier run` : ''].filter(Boolean).join(', ');
  err.write(`medgemma: ${s.ok + s.failed} of ${manifest.notes.length} notes recorded in ${v.out}${before ? ` (besides ${before})` : ''}: ${s.ok} ok, ${s.failed} failed.\n`);
  if (s.next) {
    const rel = path.relative(process.cwd(), s.next.file) || s.next.file;
    const notes = s.waiting === 1 ? '1 note needs' : `${s.waiting} notes need`;
    const more = s.next.requests === 1 ? '1 more request' : `${s.next.requests} more requests`;
    err.write(`medgemma: round ${s.next.round}: ${notes} ${more} (the combine step of long notes, or the model check). Run ${rel} through the engine, then: medgemma batch collect OUTPUTS-${s.next.round}.jsonl --requests ${v.requests} --out ${v.out}\n`);
    return EXIT.ok;
  }
  return s.failed ? EXIT.rejected : EXIT.ok;
}
