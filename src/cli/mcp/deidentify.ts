// `deidentify`: a text with its identifiers replaced by consistent stand-ins, on this machine,
// with no server. The same rules as the privacy gate and `medgemma deid`; the mapping back is
// never returned.

import * as z from 'zod';
import { Pseudonymizer } from '../../core/privacy';
import { ok } from './result';

export const deidentifyInput = z.object({
  text: z.string().min(1).max(10 * 1024 * 1024).describe('The text (a note, a letter) to de-identify.'),
});

export const DEIDENTIFY_DESCRIPTION =
  'Replaces names, dates, places, phone and record numbers and the other HIPAA Safe Harbor identifiers in a text with consistent stand-ins (dates moved by one random offset), on this machine; nothing is sent anywhere. ' +
  'Rule-based, not a certified de-identification: free text can still identify a person. The spans give where each identifier was and what replaced it.';

export function deidentifyTool(args: z.infer<typeof deidentifyInput>) {
  const r = new Pseudonymizer().pseudonymize(args.text);
  const spans = r.spans.map((s) => ({ start: s.start, end: s.end, type: s.type, text: s.text, replacement: s.replacement }));
  return ok(r.text, { text: r.text, spans });
}
