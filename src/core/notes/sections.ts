// How clinical notes are laid out: where a new dated note starts and what a section heading
// looks like. Used to cut long notes at natural places and to read lists under a label.

/** A rule line: "=====", "-----", "*****". */
export const SEPARATOR = /^\s*([=\-_*~#])\1{4,}\s*$/;
const DATE = /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b/;

/** "MICU PROGRESS NOTE - 02/25/2024 13:40", "Day 3", "02/14/2024 Progress note", "HD #4". */
export function isNoteHeader(line: string): boolean {
  const t = line.trim();
  if (t === '' || t.length > 100) return false;
  if (/^(?:day|hospital day|hd|pod|icu day)\s*#?\s*\d+\b/i.test(t) && t.length <= 60 && !t.includes('|')) return true;
  if (/^(?:\d{1,2}\/\d{1,2}(?:\/\d{2,4})?|\d{4}-\d{2}-\d{2})\b/.test(t) && t.length <= 60) return true;
  return DATE.test(t) && /\b(?:note|progress|admission|discharge|consult(?:ation)?|h&p|report|summary)\b/i.test(t);
}

/** ALL-CAPS headings ("LABORATORY DATA"), markdown/SOAP styles ("-- Events --", "# ...", "Assessment & Plan:"). */
export function isSectionHeading(line: string): boolean {
  const t = line.trim();
  if (t === '' || t.length > 60) return false;
  if (/^#{1,6}\s+\S/.test(t) || /^-{2,}\s*\S.*\S\s*-{2,}$/.test(t)) return true;
  const letters = t.replace(/[^A-Za-z]/g, '');
  const digits = t.replace(/\D/g, '').length;
  if (letters.length >= 3 && letters === letters.toUpperCase() && digits <= 2 && !/^[-*•\d]/.test(t)) return true;
  return /^[A-Z][^:.]{0,48}:$/.test(t) && t.split(/\s+/).length <= 8;
}
