// `medgemma deid <file|->`: the note with its identifiers replaced by stand-ins, on this
// machine, with no server. The mapping (which stand-in is whom, the date offset) is never
// printed: it lives only in this process.

import { Pseudonymizer } from '../core/privacy';
import { jsonText } from '../core/terminal-text';
import { EXIT, UsageError } from './exit';
import { parse } from './options';
import { readInput } from './summarize';

export const DEID_USAGE = `medgemma deid <file|-> [--json]
  Prints the note with names, dates, places, numbers and the other HIPAA Safe Harbor
  identifiers replaced by consistent stand-ins (dates moved by one random offset, line
  count kept); nothing is sent anywhere. --json prints {"text", "spans": [{"start", "end",
  "type", "text", "replacement"}]} with UTF-16 offsets into the input, end exclusive.
  Rule-based: not a certified de-identification; free text can still identify a person.`;

export function deid(argv: string[], out: NodeJS.WritableStream): number {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
  if (values.help) {
    out.write(`${DEID_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one note file (or - for standard input)');
  const { text } = readInput(positionals[0], 'de-identify');
  const result = new Pseudonymizer().pseudonymize(text);
  if (values.json) {
    const spans = result.spans.map((s) => ({ start: s.start, end: s.end, type: s.type, text: s.text, replacement: s.replacement }));
    out.write(`${jsonText({ text: result.text, spans })}\n`);
  } else {
    out.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
  }
  return EXIT.ok;
}
