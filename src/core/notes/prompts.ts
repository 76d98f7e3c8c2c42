// The messages sent for a summary. Grounding rules go in a system message; the server client
// folds it into the first user turn for Gemma, which has no system role.

import type { ChatMessage } from '../server/types';
import type { NumberedNote } from './numbering';
import type { Template } from './templates';

const CITE_RULES = [
  'Write every statement as a markdown bullet ("- ") that ends with the citations of the note lines it comes from: [L12] for one line, [L12-L15] for consecutive lines; several are allowed, e.g. [L3][L9-L10].',
  'Use only facts written in the note. Cite the exact lines that state the fact, never a line that does not say it.',
  'Negated findings ("no evidence of PE", "denies chest pain", "negative for ...") are pertinent negatives: report them as negatives, never as active problems or diagnoses.',
  "Family history is about relatives: report it as family history, never as the patient's own problem.",
  'Plans stay plans, and suspected, possible, probable, "rule out" and differential diagnoses keep their uncertainty: never turn them into confirmed facts.',
  'Never invent or alter doses, dates, times, values or units; copy them as written. If the note does not give one, do not supply it.',
  'If something in the note is unclear or contradictory, say so in a bullet and cite the lines.',
  'Headings ("## ...") may organize the summary and carry no citation. Write nothing else: no preamble, no closing remarks, no advice of your own.',
];

const numbered = (rules: string[]) => rules.map((r, i) => `${i + 1}. ${r}`).join('\n');

export const SUMMARY_SYSTEM = [
  'You summarize clinical notes for clinicians, and every statement you write must be checkable against the note.',
  'The note is given line by line; each line starts with its number, like "L12: ...". Lines left out were blank.',
  '',
  'Rules:',
  numbered(CITE_RULES),
].join('\n');

export const COMBINE_SYSTEM = [
  'You combine partial summaries of one clinical note into a single summary. Each partial summary covers consecutive lines of the note, in order, and every bullet ends with citations like [L12] or [L12-L15] that point to lines of the ORIGINAL note.',
  '',
  'Rules:',
  numbered([
    'Use only the bullets given. Do not add any statement that is not in them, and do not add knowledge of your own.',
    'Keep the citations exactly as written. When you merge bullets that say the same thing, keep all their citations, e.g. [L12][L840].',
    'Every statement is a markdown bullet ending with its citations; headings ("## ...") carry no citation.',
    'Keep negatives negative, family history as family history, plans as plans and uncertain diagnoses uncertain. Never change doses, dates or values.',
    'When a later part updates an earlier one (a problem resolved, a drug stopped or changed), give the latest status and keep the citations of both.',
    'Write nothing else: no preamble, no closing remarks.',
  ]),
].join('\n');

export interface PartInfo {
  /** 1-based index of this part and the number of parts. */
  index: number;
  count: number;
}

function templateBlock(template: Template): string {
  return `Summary to write: ${template.label}\n${template.instructions}`;
}

/** System + user messages asking for a summary of `note` (the whole note, a selection, or one part). */
export function buildSummaryMessages(template: Template, note: NumberedNote, part?: PartInfo): ChatMessage[] {
  const scope = part
    ? [
        `This is part ${part.index} of ${part.count} of a longer note: lines ${note.start}-${note.end}.`,
        'Summarize only this part; the part summaries will be combined later. Keep every fact the summary above needs, each as its own short bullet with its citations, under the headings the summary uses.',
      ].join(' ')
    : `The note, lines ${note.start}-${note.end}:`;
  const user = [
    templateBlock(template),
    '',
    scope,
    '',
    note.block,
    '',
    `Now write the ${template.label.toLowerCase()}. Every bullet ends with its [L<n>] citations.`,
  ].join('\n');
  return [
    { role: 'system', content: SUMMARY_SYSTEM },
    { role: 'user', content: user },
  ];
}

export interface PartSummary {
  /** Lines of the original note this summary covers. */
  start: number;
  end: number;
  text: string;
}

/** How a part summary appears inside a combine prompt (and in a partial result). */
export function formatPartSummary(p: PartSummary): string {
  return `### Lines ${p.start}-${p.end}\n${p.text.trim()}`;
}

/** System + user messages asking to merge part summaries (in note order) into one. */
export function buildCombineMessages(template: Template, parts: readonly PartSummary[]): ChatMessage[] {
  const user = [
    templateBlock(template),
    '',
    `Partial summaries, in note order (${parts.length}):`,
    '',
    parts.map(formatPartSummary).join('\n\n'),
    '',
    `Now write one ${template.label.toLowerCase()} from these bullets. Keep their citations unchanged.`,
  ].join('\n');
  return [
    { role: 'system', content: COMBINE_SYSTEM },
    { role: 'user', content: user },
  ];
}
