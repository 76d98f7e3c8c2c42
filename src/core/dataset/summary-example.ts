// A summary example: the note (or its selected lines) asked exactly as Summarize Note asks, and
// the clinician's corrected summary as the answer to learn. Identifiers are replaced by one set
// of stand-ins across note, summary and draft (so "Mr Smith" is the same stand-in in all three,
// and the line count, hence every citation, stays as it was).

import { checkSummary } from '../notes/citations';
import { numberNote, type LineRange } from '../notes/numbering';
import { buildSummaryMessages } from '../notes/prompts';
import { DISCLAIMER } from '../notes/render';
import type { Template } from '../notes/templates';
import { Pseudonymizer } from '../privacy/pseudonymize';
import { detect } from '../privacy/detect';
import { shapeMessages } from '../server/messages';
import type { ChatMessage } from '../server/types';
import type { Example, ExampleTurn } from './example';
import { DatasetError, newExampleId, sha256 } from './store';

/** What a summary document says about itself, and the summary in it. */
export interface SummaryDocumentParts {
  /** The H1: the template's label. */
  title?: string;
  /** The note the header links to. */
  sourceUri?: string;
  range?: [number, number];
  model?: string;
  /** The summary without header, notices, check markers and footer. */
  body: string;
}

const unescape = (s: string) => s.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');

/**
 * Reads a summary document as the editor shows it (or a clinician's file written without our
 * header): the facts of its header and the summary itself, with everything we added removed.
 */
export function parseSummaryDocument(markdown: string): SummaryDocumentParts {
  let text = markdown.replace(/\r\n?/g, '\n');
  const out: SummaryDocumentParts = { body: '' };
  const header = /^# (.+)\n\n((?:\*\*[A-Za-z]+:\*\* .*(?: {2})?\n)+)\n?/.exec(text);
  if (header) {
    out.title = unescape(header[1].trim());
    for (const fact of header[2].split('\n')) {
      const m = /^\*\*([A-Za-z]+):\*\* (.*?)\s*$/.exec(fact);
      if (!m) continue;
      if (m[1] === 'Model') out.model = unescape(m[2]);
      if (m[1] === 'Source') {
        const link = /\]\(([^()\s]+)\)$/.exec(m[2]);
        if (link) out.sourceUri = safeDecode(link[1]);
        const lines = /lines (\d+)[–-](\d+)/.exec(m[2]);
        if (lines) out.range = [Number(lines[1]), Number(lines[2])];
      }
    }
    text = text.slice(header[0].length);
  }
  // Our notices (a quote block of ⚠ lines) before the summary.
  text = text.replace(/^(?:>.*\n)+\n?/, (block) => (/^> ⚠/.test(block) ? '' : block));
  // The footer: the last rule followed by the disclaimer (the check sentence between them).
  // What the clinician wrote after it is theirs and stays.
  const disclaimer = text.lastIndexOf(DISCLAIMER.slice(0, 40));
  if (disclaimer >= 0) {
    const rule = text.lastIndexOf('\n---\n', disclaimer);
    const lineEnd = text.indexOf('\n', disclaimer);
    text = `${text.slice(0, rule >= 0 ? rule : disclaimer)}\n${lineEnd >= 0 ? text.slice(lineEnd) : ''}`;
  }
  out.body = text
    .replace(/ ⚠ \*unsupported: [^*\n]*\*/g, '')
    .replace(/^\*No summary text was produced\.\*$/m, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return out;
}

function safeDecode(uri: string): string {
  try {
    return decodeURI(uri).replace(/%28/g, '(').replace(/%29/g, ')');
  } catch {
    return uri;
  }
}

export interface SummaryExampleInput {
  /** The whole note as the file holds it. */
  note: string;
  /** Where it came from (workspace-relative path or name). */
  sourceFile: string;
  /** The summarized lines; the whole note when absent. */
  lines?: LineRange;
  template: Template;
  /** The clinician's summary: the label. */
  chosen: string;
  /** The model's summary, when known. */
  draft?: string;
  model?: string;
  reviewer: string;
  /** Replace identifiers by stand-ins before saving (the default everywhere). */
  pseudonymize: boolean;
  now?: Date;
}

export interface BuiltExample {
  example: Example;
  /** Statements of the clinician's summary whose citations the rule checks could not verify. */
  unsupported: number;
  statements: number;
}

/** Text-only prompt turns as training data: the system text folded into the user's turn, as Gemma reads it. */
export function textTurns(messages: ChatMessage[]): ExampleTurn[] {
  return shapeMessages(messages).map((m): ExampleTurn => {
    if (typeof m.content !== 'string') throw new TypeError('textTurns takes text messages only');
    return { role: m.role === 'assistant' ? 'assistant' : 'user', content: [{ type: 'text', text: m.content }] };
  });
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

export function buildSummaryExample(input: SummaryExampleInput): BuiltExample {
  const chosenRaw = parseSummaryDocument(input.chosen).body;
  if (!chosenRaw) throw new DatasetError('The corrected summary is empty: write the summary the model should have written, then save it.');
  const draftRaw = input.draft === undefined ? undefined : parseSummaryDocument(input.draft).body;
  let note = input.note;
  let chosen = chosenRaw;
  let draft = draftRaw;
  if (input.pseudonymize) {
    const p = new Pseudonymizer();
    note = p.pseudonymize(note).text;
    const again = (t: string) => p.pseudonymize(t, p.recall(t, detect(t))).text;
    chosen = again(chosen);
    if (draft !== undefined) draft = again(draft);
  }
  let numbered;
  try {
    numbered = numberNote(note, input.lines);
  } catch (e) {
    throw new DatasetError((e as Error).message);
  }
  const checked = checkSummary(chosen, numbered);
  const edited = draft !== undefined && normalize(draft) !== normalize(chosen);
  const example: Example = {
    v: 1,
    id: newExampleId(input.now),
    kind: 'summary',
    split: 'train',
    created: (input.now ?? new Date()).toISOString(),
    source: { file: input.sourceFile, sha256: sha256(input.note), ...(input.lines ? { lines: [numbered.start, numbered.end] as [number, number] } : {}) },
    ...(input.model ? { model: input.model } : {}),
    template: { id: input.template.id, label: input.template.label },
    review: { by: input.reviewer, action: edited ? 'edited' : 'accepted' },
    deidentified: input.pseudonymize ? 'pseudonymized' : 'as-written',
    messages: textTurns(buildSummaryMessages(input.template, numbered)),
    chosen,
    ...(edited ? { rejected: draft } : {}),
  };
  return { example, unsupported: checked.filter((s) => !s.supported).length, statements: checked.length };
}
