// The privacy gate on the one road (server/service.ts): before a request leaves, find the
// identifiers in its patient text (user and assistant turns; system prompts are ours and paper
// passages travel in them), then send it as written, ask first, or pseudonymize it, by mode.
// A scope is one document or conversation: its identifiers keep their stand-ins across all of
// its requests (map-reduce parts, the citation check, every chat turn), and a choice made in
// `warn` mode holds for it until a new identifier turns up.

import type { ChatMessage, ContentPart } from '../server/types';
import { findDates } from './dates';
import { detect } from './detect';
import type { PrivacyMode } from './mode';
import { Pseudonymizer, type PseudonymizerOptions, type Replacement } from './pseudonymize';
import type { Restorer } from './restore';
import type { Candidate, PhiType, Span } from './types';

/** What a request is for, as the audit log names it. */
export type Feature = 'summary' | 'citation-check' | 'chat' | 'papers' | 'image' | 'server-check' | 'other';

export type Counts = Partial<Record<PhiType, number>>;

export type WarnChoice = 'pseudonymize' | 'as-is' | 'cancel';

/** What `warn` mode shows before asking: counts only, never the identifiers themselves. */
export interface WarnRequest {
  feature: Feature;
  /** Where the text would go, e.g. "http://10.0.0.5:8000". */
  origin: string;
  counts: Counts;
  total: number;
}

export type Confirm = (w: WarnRequest) => Promise<WarnChoice>;

export class PrivacyScope {
  readonly pseudonymizer: Pseudonymizer;
  private choice?: Exclude<WarnChoice, 'cancel'>;
  /** `${type}\u0000${text}` of the identifiers the choice was made for. */
  private readonly covered = new Set<string>();
  private asking?: Promise<WarnChoice>;

  /**
   * `document` (default): one note; the choice made in `warn` mode holds for all of its requests
   * (the parts of a long note, the citation check). `conversation`: a chat; a turn that brings a
   * new identifier asks again.
   */
  constructor(
    readonly kind: 'document' | 'conversation' = 'document',
    opts?: PseudonymizerOptions,
  ) {
    this.pseudonymizer = new Pseudonymizer(opts);
  }

  /** The choice for `spans`: the one made before if it covers them, else the user's answer. */
  async choose(spans: readonly Span[], ask: () => Promise<WarnChoice>): Promise<WarnChoice> {
    // Requests of one scope may run together (the citation check sends four): one question.
    while (this.asking) await this.asking;
    const keys = spans.map((s) => `${s.type}\u0000${s.text}`);
    if (this.choice && (this.kind === 'document' || keys.every((k) => this.covered.has(k)))) return this.choice;
    this.asking = ask();
    try {
      const answer = await this.asking;
      if (answer !== 'cancel') {
        this.choice = answer;
        for (const k of keys) this.covered.add(k);
      }
      return answer;
    } finally {
      this.asking = undefined;
    }
  }
}

export interface GateOptions {
  mode: PrivacyMode;
  scope: PrivacyScope;
  feature: Feature;
  origin: string;
  /** Asks the user in `warn` mode; without it `warn` cannot send text that holds identifiers. */
  confirm?: Confirm;
}

export interface Gated {
  /** The messages as they will be sent. */
  messages: ChatMessage[];
  action: 'as-is' | 'pseudonymized' | 'not-sent';
  /** Identifiers found, by type; undefined when the mode is off (nothing was looked for). */
  counts?: Counts;
  /** Puts the originals back into the answer (only when pseudonymized). */
  restorer?: Restorer;
}

export class PrivacyDeclined extends Error {
  override readonly name = 'PrivacyDeclined';
}

/** Where each patient text sits in the messages, and the texts joined by line ends. */
interface Pieces {
  at: { message: number; part: number; start: number; length: number }[];
  joined: string;
}

function piecesOf(messages: readonly ChatMessage[]): Pieces {
  const at: Pieces['at'] = [];
  const texts: string[] = [];
  let offset = 0;
  messages.forEach((m, message) => {
    if (m.role === 'system') return;
    const parts: ContentPart[] = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
    parts.forEach((p, part) => {
      if (p.type !== 'text') return;
      at.push({ message, part: typeof m.content === 'string' ? -1 : part, start: offset, length: p.text.length });
      texts.push(p.text);
      offset += p.text.length + 1;
    });
  });
  return { at, joined: texts.join('\n') };
}

export function countByType(spans: readonly Span[]): Counts {
  const counts: Counts = {};
  for (const s of spans) counts[s.type] = (counts[s.type] ?? 0) + 1;
  return counts;
}

/** One piece's text with the replacements that fall in it (none crosses a line end, so none crosses a piece). */
function rebuild(joined: string, start: number, length: number, reps: readonly Replacement[]): string {
  let out = '';
  let last = start;
  for (const r of reps) {
    if (r.end <= start || r.start >= start + length) continue;
    out += joined.slice(last, r.start) + r.replacement;
    last = r.end;
  }
  return out + joined.slice(last, start + length);
}

function hasDate(text: string): boolean {
  const found: Candidate[] = [];
  findDates(text, 0, found);
  return found.length > 0;
}

export async function gate(messages: ChatMessage[], o: GateOptions): Promise<Gated> {
  if (o.mode === 'off') return { messages, action: 'as-is' };
  const pieces = piecesOf(messages);
  // One scan over all turns: a name found with a cue in one turn is found bare in another.
  const spans = o.scope.pseudonymizer.recall(pieces.joined, detect(pieces.joined));
  const counts = countByType(spans);
  if (!spans.length) return { messages, action: 'as-is', counts };
  if (o.mode === 'warn') {
    const ask = o.confirm;
    if (!ask) throw new PrivacyDeclined('warn');
    const choice = await o.scope.choose(spans, () => ask({ feature: o.feature, origin: o.origin, counts, total: spans.length }));
    if (choice === 'cancel') return { messages: [], action: 'not-sent', counts };
    if (choice === 'as-is') return { messages, action: 'as-is', counts };
  }
  const p = o.scope.pseudonymizer;
  const reps = p.pseudonymize(pieces.joined, spans).spans;
  const out: ChatMessage[] = messages.map((m) => ({ ...m, content: typeof m.content === 'string' ? m.content : [...m.content] }));
  for (const a of pieces.at) {
    const text = rebuild(pieces.joined, a.start, a.length, reps);
    const m = out[a.message];
    if (a.part < 0) m.content = text;
    else (m.content as ContentPart[])[a.part] = { type: 'text', text };
  }
  // A date in the text that went as written (a paper's passages) is real: then a date in the
  // answer may be either, and only the stand-ins themselves are put back.
  const realDates = messages.some((m) => m.role === 'system' && hasDate(typeof m.content === 'string' ? m.content : m.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n')));
  return { messages: out, action: 'pseudonymized', counts, restorer: p.restorer({ unshiftDates: !realDates }) };
}
