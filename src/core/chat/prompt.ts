// Conversation -> the messages sent to the model, within the model's context. What does not
// fit is cut in a fixed order and every cut is named, so the view can tell the user plainly:
// 1. attachments of earlier questions are left out;  2. the oldest turns are left out;
// 3. the new question's text attachments are shortened (the end is cut);  4. nothing else fits
// -> the caller gets `fits: false`.

import { estimateTextTokens, IMAGE_TOKENS } from '../server/budget';
import type { ChatMessage, ContentPart } from '../server/types';
import type { Attachment, ChatTurn } from './types';

export const SYSTEM_PROMPT =
  'You are MedGemma, an assistant for clinicians and clinical researchers. Answer accurately and concisely in markdown. ' +
  'When context (notes, files, images) is attached, base your answer on it and say when it does not contain the answer. ' +
  'You are not a medical device: flag uncertainty, and never invent patient data.';

/** The line added where a shortened attachment was cut, and the room kept for it. */
const CUT_NOTE = "\n[… cut here: the rest did not fit in the model's context]";
const CUT_NOTE_TOKENS = 30;
/** Chat-template tokens per turn plus a little slack. */
const PER_TURN = 8;

export interface Budget {
  contextLength: number;
  /** Tokens kept free for the answer. */
  answerTokens: number;
}

export interface BuiltPrompt {
  messages: ChatMessage[];
  /** Estimated prompt tokens (an over-estimate). */
  tokens: number;
  /** False when even the new question alone does not fit. */
  fits: boolean;
  /** What was cut, in words for the user (empty when everything fits). */
  cuts: string[];
}

function attachmentText(a: Attachment): string | undefined {
  switch (a.kind) {
    case 'selection':
      return `--- ${a.name}${a.lines ? ` (lines ${a.lines[0]}-${a.lines[1]})` : ''} ---\n${a.text}\n--- end of ${a.name} ---`;
    case 'file':
      return `--- file ${a.name} ---\n${a.text}\n--- end of ${a.name} ---`;
    case 'image':
      return undefined;
  }
}

export function attachmentTokens(a: Attachment): number {
  return a.kind === 'image' ? IMAGE_TOKENS : estimateTextTokens(attachmentText(a) ?? '');
}

function userMessage(turn: ChatTurn, attachments: Attachment[]): ChatMessage {
  const texts = attachments.map(attachmentText).filter((t): t is string => !!t);
  const text = texts.length ? `${texts.join('\n\n')}\n\n${turn.text}` : turn.text;
  const images = attachments.filter((a): a is Extract<Attachment, { kind: 'image' }> => a.kind === 'image');
  if (!images.length) return { role: 'user', content: text };
  const parts: ContentPart[] = images.map((i) => ({ type: 'image_url', image_url: { url: i.dataUrl } }));
  parts.push({ type: 'text', text });
  return { role: 'user', content: parts };
}

const turnTokens = (t: ChatTurn, withAttachments: boolean): number =>
  PER_TURN + estimateTextTokens(t.text) + (withAttachments ? (t.attachments ?? []).reduce((n, a) => n + attachmentTokens(a), 0) : 0);

/**
 * Shortens a text attachment to about `tokens` tokens (its name and fences included), cutting its
 * end. Undefined when not one character of its text fits: an emptied file helps nobody.
 */
function shorten(a: Exclude<Attachment, { kind: 'image' }>, tokens: number): { attachment: Attachment; kept: number } | undefined {
  let lo = 0;
  let hi = a.text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (attachmentTokens({ ...a, text: a.text.slice(0, mid) }) <= tokens) lo = mid;
    else hi = mid - 1;
  }
  if (lo === 0) return undefined;
  return { attachment: { ...a, text: a.text.slice(0, lo) + CUT_NOTE }, kept: lo };
}

/**
 * `turns` ends with the new user turn (the question being sent). Earlier turns are the history.
 */
export function buildPrompt(turns: ChatTurn[], budget: Budget): BuiltPrompt {
  const cuts: string[] = [];
  const room = budget.contextLength - budget.answerTokens - PER_TURN - estimateTextTokens(SYSTEM_PROMPT);
  const question = turns[turns.length - 1];
  const history = turns.slice(0, -1).filter((t) => t.text.trim() || t.attachments?.length);

  // The new question with its attachments, shortened if need be.
  let attachments = question.attachments ?? [];
  const bare = turnTokens(question, false);
  let qTokens = turnTokens(question, true);
  if (qTokens > room) {
    const images = attachments.filter((a) => a.kind === 'image').length * (IMAGE_TOKENS + 4);
    const texts = attachments.filter((a) => a.kind !== 'image');
    let left = room - bare - images;
    if (left < 0 || texts.length === 0) {
      return { messages: [], tokens: qTokens, fits: false, cuts: [`the question and its attachments need about ${qTokens} tokens; the model has room for ${Math.max(0, room)}`] };
    }
    // Share what is left in order; each attachment gets what the ones before did not use.
    const shortened: Attachment[] = [];
    for (const a of attachments) {
      if (a.kind === 'image') {
        shortened.push(a);
        continue;
      }
      const need = attachmentTokens(a);
      if (need <= left) {
        shortened.push(a);
        left -= need;
        continue;
      }
      const s = left > CUT_NOTE_TOKENS + 50 ? shorten(a, left - CUT_NOTE_TOKENS) : undefined;
      if (s) {
        cuts.push(`${a.name} was shortened to its first ${Math.round((100 * s.kept) / a.text.length)} %`);
        shortened.push(s.attachment);
        left = 0;
      } else {
        cuts.push(`${a.name} was left out`);
      }
    }
    attachments = shortened;
    qTokens = bare + attachments.reduce((n, a) => n + attachmentTokens(a), 0);
  }

  // History, newest first, while it fits; attachments of earlier questions only if all fits.
  let used = qTokens;
  const all = history.reduce((n, t) => n + turnTokens(t, true), 0);
  const keepOldAttachments = used + all <= room;
  const kept: ChatTurn[] = [];
  let dropped = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const t = turnTokens(history[i], keepOldAttachments);
    if (used + t > room) {
      dropped = i + 1;
      break;
    }
    used += t;
    kept.unshift(history[i]);
  }
  // An assistant turn without its question would break the alternation: drop it too.
  while (kept[0]?.role === 'assistant') {
    used -= turnTokens(kept.shift()!, keepOldAttachments);
    dropped++;
  }
  if (!keepOldAttachments && history.some((t) => t.attachments?.length)) cuts.unshift('attachments of earlier questions were left out');
  if (dropped) cuts.unshift(`the ${dropped} oldest message${dropped === 1 ? ' was' : 's were'} left out`);

  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM_PROMPT }];
  for (const t of kept) messages.push(t.role === 'user' ? userMessage(t, keepOldAttachments ? (t.attachments ?? []) : []) : { role: 'assistant', content: t.text });
  messages.push(userMessage(question, attachments));
  return { messages, tokens: used + PER_TURN + estimateTextTokens(SYSTEM_PROMPT), fits: true, cuts };
}
