// `medgemma summarize <file|->`: stream a grounded summary of a note to stdout.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMedGemmaError } from '../core/server/errors';
import { parseLineRange } from '../core/notes/line-range';
import { renderHeader, summaryFooter, toJson } from '../core/notes/render';
import { whyUnreadable } from '../core/agent-tools/tool-input';
import { summarizeNote, SummaryFailedError, type SummaryProgress, type SummaryResult } from '../core/notes/summarize';
import { BUILT_IN_TEMPLATES, findTemplate } from '../core/notes/templates';
import { modelCheckIncomplete, VERIFY_MODES, type VerifyMode } from '../core/notes/verify/verify';
import { jsonText } from '../core/terminal-text';
import { EXIT, UsageError } from './exit';
import { makeClient, numberFlag, parse } from './options';

export const SUMMARIZE_USAGE = `medgemma summarize <file|-> [--template NAME] [--lines A-B] [--json]
    [--verify rules|rules+model] [--max-tokens N] [--temperature T] [--base-url URL]
    [--model ID] [--timeout SECONDS]
  Streams a grounded markdown summary of a clinical note to stdout; every statement cites
  note lines [L12] and is checked afterwards. Templates: ${BUILT_IN_TEMPLATES.map((t) => t.id).join(', ')}.
  --verify rules+model also asks the model to check each statement the rules pass against
  only its cited lines (one short request per statement). --json prints one object at the
  end instead of streaming.`;

function parseVerify(v: string | undefined): VerifyMode {
  if (v === undefined) return 'rules';
  if ((VERIFY_MODES as readonly string[]).includes(v)) return v as VerifyMode;
  throw new UsageError(`--verify must be ${VERIFY_MODES.join(' or ')}, not "${v}"`);
}

export function parseLines(v: string | undefined): [number, number] | undefined {
  if (v === undefined) return undefined;
  const r = parseLineRange(v, '--lines');
  if ('error' in r) throw new UsageError(r.error);
  return r.range;
}

/** A note from a file or standard input (-); `verb` names what an empty one leaves nothing to do. */
export function readInput(file: string, verb = 'summarize'): { text: string; name: string } {
  try {
    const text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
    if (!text.trim()) throw new UsageError(`${file === '-' ? 'standard input' : file} is empty: there is nothing to ${verb}`);
    if (text.includes('\u0000')) throw new UsageError(`${file} looks like a binary file, not a text note`);
    return { text, name: file === '-' ? 'stdin' : path.basename(file) };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file} ${whyUnreadable(e)}. Give the path of a text note, or - for standard input`);
  }
}

/** One stderr line per step, on a terminal only: parts of a long note, then the model check. */
function reportProgress(err: NodeJS.WritableStream, p: SummaryProgress): void {
  if (p.phase === 'verify') {
    if (p.part === 0 || p.part === p.parts || p.part % 10 === 0) err.write(`medgemma: model check ${p.part} of ${p.parts} statements\n`);
  } else if (p.parts > 1) {
    err.write(`medgemma: ${p.phase === 'combine' ? 'combining' : 'summarizing'} part ${p.part} of ${p.parts}\n`);
  }
}

export async function summarize(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(argv, {
    template: { type: 'string' },
    lines: { type: 'string' },
    json: { type: 'boolean' },
    'max-tokens': { type: 'string' },
    temperature: { type: 'string' },
    verify: { type: 'string' },
  });
  if (values.help) {
    out.write(`${SUMMARIZE_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one note file (or - for standard input)');
  const templateId = values.template ?? 'brief';
  const template = findTemplate(templateId);
  if (!template) throw new UsageError(`unknown template "${templateId}"; use one of ${BUILT_IN_TEMPLATES.map((t) => t.id).join(', ')}`);
  const range = parseLines(values.lines);
  const maxTokens = numberFlag(values['max-tokens'], 'max-tokens', 1) ?? 2048;
  const temperature = numberFlag(values.temperature, 'temperature', 0, 2) ?? 0;
  const verify = parseVerify(values.verify);
  const { text, name } = readInput(positionals[0]);

  const { client, note } = makeClient(values);
  if (note) err.write(`medgemma: ${note}\n`);

  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT.sigint); // second Ctrl-C: leave now
    interrupted = true;
    err.write('\nmedgemma: stopping (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = (err as NodeJS.WriteStream).isTTY && !values.json;

  try {
    const model = await client.model('text', controller.signal);
    if (!values.json) {
      out.write(renderHeader({ template, model: model.label ?? model.id, baseUrl: client.endpoint().baseUrl, source: name, range }));
    }
    let result: SummaryResult;
    try {
      result = await summarizeNote(
        client,
        { text, range, template, maxTokens, temperature, verify },
        {
          signal: controller.signal,
          onDelta: values.json ? undefined : (t) => out.write(t),
          onProgress: progress ? (p) => reportProgress(err, p) : undefined,
        },
      );
    } catch (e) {
      if (!(e instanceof SummaryFailedError)) throw e;
      // Keep what exists: the partial summary goes out before the error line.
      out.write(values.json ? `${jsonText(toJson(e.result))}\n` : summaryFooter(e.result));
      throw e;
    }
    out.write(values.json ? `${jsonText(toJson(result))}\n` : summaryFooter(result));
    if (result.finishReason === 'cancelled' || result.modelCheck?.stopped === 'cancelled') return EXIT.sigint;
    if (result.modelCheck && modelCheckIncomplete(result.modelCheck)) {
      err.write('medgemma: the model check did not reach every statement (see above); the summary and its rule checks are complete.\n');
      return EXIT.interrupted;
    }
    if (result.finishReason === 'length') err.write('medgemma: the summary was cut at the token limit; raise --max-tokens for a complete one.\n');
    return EXIT.ok;
  } catch (e) {
    if (interrupted && !(isMedGemmaError(e) && e.partial)) return EXIT.sigint;
    if (isMedGemmaError(e) && e.kind === 'interrupted') err.write('medgemma: the partial summary above was kept.\n');
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
