// `deidentify`: a text with its identifiers replaced by consistent stand-ins, on this machine,
// with no server. The same rules as the privacy gate and `medgemma deid`; the mapping back is
// never returned.

import { Pseudonymizer } from '../privacy';
import type { ToolOutput } from './tool-input';

export const DEIDENTIFY_DESCRIPTION =
  'Replaces names, dates, places, phone and record numbers and the other HIPAA Safe Harbor identifiers in a text with consistent stand-ins (dates moved by one random offset), on this machine; nothing is sent anywhere. ' +
  'Rule-based, not a certified de-identification: free text can still identify a person. The spans give where each identifier was and what replaced it.';

export function deidentifyTool(args: { text: string }): ToolOutput {
  const r = new Pseudonymizer().pseudonymize(args.text);
  const spans = r.spans.map((s) => ({ start: s.start, end: s.end, type: s.type, text: s.text, replacement: s.replacement }));
  return { text: r.text, structured: { text: r.text, spans } };
}
