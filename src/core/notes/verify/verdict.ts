// Reads the model's verdict strictly: one JSON object in the asked shape (a ```json fence around
// it is tolerated, as models without structured output write one), or nothing. Prose, two
// objects, an unknown verdict or an oversized answer is "unreadable", never a guess.

import { parseJsonObject } from '../../model-text/json-answer';
import { VERDICTS } from './prompt';

export type Verdict = 'supported' | 'contradicted' | 'not-in-lines';

export interface ParsedVerdict {
  verdict: Verdict;
  /** The words at fault, as the model gave them (untrusted: see wordsAtFault). */
  words: string;
}

/** Longer than any verdict in the asked shape: not parsed at all. */
const MAX_ANSWER_CHARS = 2000;

export function parseVerdict(answer: string): ParsedVerdict | undefined {
  const value = parseJsonObject(answer, MAX_ANSWER_CHARS);
  if (!value) return undefined;
  const { verdict, words } = value as { verdict?: unknown; words?: unknown };
  if (typeof verdict !== 'string' || !(VERDICTS as readonly string[]).includes(verdict)) return undefined;
  if (words !== undefined && typeof words !== 'string') return undefined;
  return { verdict: verdict === 'not_in_lines' ? 'not-in-lines' : (verdict as Verdict), words: words ?? '' };
}

const MAX_WORDS_CHARS = 80;

/**
 * The words at fault as they may be shown: only when the statement itself contains them (so a
 * model cannot put text of its own into the reason), in one line, bounded. '' otherwise.
 */
export function wordsAtFault(words: string, statement: string): string {
  const w = words.replace(/\s+/g, ' ').trim().replace(/^["'“”‘’]+|["'“”‘’.,;:]+$/g, '');
  if (w.length > MAX_WORDS_CHARS) return '';
  const hay = statement.replace(/\s+/g, ' ').toLowerCase();
  return hay.includes(w.toLowerCase()) ? w : '';
}
