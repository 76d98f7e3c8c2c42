// One training example: what the model was asked (the turns as sent, images as files in the
// dataset folder) and the answer a clinician accepted or corrected, the label. The model's own
// draft is kept beside it when the clinician changed it (preference data: chosen/rejected).
// Stored one per line in examples.jsonl; a line is read back as hostile (the file can be edited
// by hand or by anything else): parseExample checks every field and bound.

export const EXAMPLE_KINDS = ['summary', 'image', 'chat'] as const;
export type ExampleKind = (typeof EXAMPLE_KINDS)[number];
export type Split = 'train' | 'validation';

export type ExamplePart = { type: 'text'; text: string } | { type: 'image'; file: string };

export interface ExampleTurn {
  role: 'user' | 'assistant';
  content: ExamplePart[];
}

export interface Example {
  v: 1;
  id: string;
  kind: ExampleKind;
  split: Split;
  /** ISO time it was saved. */
  created: string;
  /** Where the asked text or image came from: a workspace-relative path or a name, its SHA-256, the lines used. */
  source?: { file: string; sha256: string; lines?: [number, number] };
  /** The model that drafted the answer. */
  model?: string;
  /** The summary template, for summaries. */
  template?: { id: string; label: string };
  /** Who reviewed it and what they did: kept the draft as it was, or corrected it. */
  review: { by: string; action: 'accepted' | 'edited' };
  /** Whether identifiers were replaced by stand-ins before saving. */
  deidentified: 'pseudonymized' | 'as-written';
  /** The conversation up to the answer: alternating turns, starting and ending with the user. */
  messages: ExampleTurn[];
  /** The answer to learn: the clinician's. */
  chosen: string;
  /** The model's draft, when the clinician changed it. */
  rejected?: string;
}

/** Bounds on what a line may hold (a hand-edited file cannot make us allocate without end). */
export const LIMITS = { turns: 200, parts: 64, text: 2_000_000, field: 1_000 } as const;

export class ExampleError extends Error {}

const IMAGE_FILE = /^images\/[0-9a-f]{64}\.(png|jpg)$/;
const ID = /^[0-9a-z-]{1,64}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, name: string, max: number = LIMITS.field): string {
  if (typeof v !== 'string') throw new ExampleError(`${name} is not text`);
  if (v.length > max) throw new ExampleError(`${name} is longer than ${max} characters`);
  return v;
}

function part(v: unknown): ExamplePart {
  if (!isRecord(v)) throw new ExampleError('a message part is not an object');
  if (v.type === 'text') return { type: 'text', text: str(v.text, 'a text part', LIMITS.text) };
  if (v.type === 'image') {
    const file = str(v.file, 'an image part');
    // Only a file of the dataset's own images folder: never a path that leaves the dataset.
    if (!IMAGE_FILE.test(file)) throw new ExampleError(`the image "${file.slice(0, 80)}" is not one of the dataset's images/<sha256>.png|jpg files`);
    return { type: 'image', file };
  }
  throw new ExampleError('a message part is neither text nor image');
}

function turns(v: unknown): ExampleTurn[] {
  if (!Array.isArray(v) || v.length === 0) throw new ExampleError('messages is not a list of turns');
  if (v.length > LIMITS.turns) throw new ExampleError(`more than ${LIMITS.turns} turns`);
  const out = v.map((t, i): ExampleTurn => {
    if (!isRecord(t)) throw new ExampleError('a turn is not an object');
    const want = i % 2 === 0 ? 'user' : 'assistant';
    if (t.role !== want) throw new ExampleError(`turn ${i + 1} should be the ${want}'s`);
    if (!Array.isArray(t.content) || t.content.length > LIMITS.parts) throw new ExampleError(`turn ${i + 1} has no list of at most ${LIMITS.parts} parts`);
    return { role: want, content: t.content.map(part) };
  });
  if (out.length % 2 === 0) throw new ExampleError('the turns end with an answer, not the question');
  return out;
}

function lines(v: unknown): [number, number] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => Number.isInteger(n) && n >= 1) || v[0] > v[1]) throw new ExampleError('source.lines is not [first, last]');
  return [v[0], v[1]];
}

/** An example from one parsed JSON line, every field checked; throws ExampleError saying what is wrong. */
export function parseExample(v: unknown): Example {
  if (!isRecord(v)) throw new ExampleError('the line is not a JSON object');
  if (v.v !== 1) throw new ExampleError('unknown format version (v should be 1)');
  const id = str(v.id, 'id');
  if (!ID.test(id)) throw new ExampleError('id is not lowercase letters, digits and dashes');
  if (!EXAMPLE_KINDS.includes(v.kind as ExampleKind)) throw new ExampleError(`kind is not one of ${EXAMPLE_KINDS.join(', ')}`);
  if (v.split !== 'train' && v.split !== 'validation') throw new ExampleError('split is neither train nor validation');
  const created = str(v.created, 'created');
  if (Number.isNaN(Date.parse(created))) throw new ExampleError('created is not a date');
  if (!isRecord(v.review) || (v.review.action !== 'accepted' && v.review.action !== 'edited')) throw new ExampleError('review is not {by, action: accepted|edited}');
  if (v.deidentified !== 'pseudonymized' && v.deidentified !== 'as-written') throw new ExampleError('deidentified is neither pseudonymized nor as-written');
  const out: Example = {
    v: 1,
    id,
    kind: v.kind as ExampleKind,
    split: v.split,
    created,
    review: { by: str(v.review.by, 'review.by'), action: v.review.action },
    deidentified: v.deidentified,
    messages: turns(v.messages),
    chosen: str(v.chosen, 'chosen', LIMITS.text),
  };
  if (v.source !== undefined) {
    if (!isRecord(v.source)) throw new ExampleError('source is not an object');
    const sha256 = str(v.source.sha256, 'source.sha256');
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ExampleError('source.sha256 is not a SHA-256');
    const l = lines(v.source.lines);
    out.source = { file: str(v.source.file, 'source.file'), sha256, ...(l ? { lines: l } : {}) };
  }
  if (v.model !== undefined) out.model = str(v.model, 'model');
  if (v.template !== undefined) {
    if (!isRecord(v.template)) throw new ExampleError('template is not {id, label}');
    out.template = { id: str(v.template.id, 'template.id'), label: str(v.template.label, 'template.label') };
  }
  if (v.rejected !== undefined) out.rejected = str(v.rejected, 'rejected', LIMITS.text);
  return out;
}

/** The image files an example refers to. */
export function imagesOf(e: Pick<Example, 'messages'>): string[] {
  return e.messages.flatMap((m) => m.content.flatMap((p) => (p.type === 'image' ? [p.file] : [])));
}

/** All the text of the question turns, joined (for duplicate checks and token counts). */
export function promptText(e: Pick<Example, 'messages'>): string {
  return e.messages.map((m) => m.content.map((p) => (p.type === 'text' ? p.text : `<image ${p.file}>`)).join('\n')).join('\n\n');
}
