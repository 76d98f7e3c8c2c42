// The simulator's tokenizer: deterministic and simple enough for tests to predict.
//
// A piece (= one token) is a run of letters/digits or a single other character, together
// with the whitespace before it; whitespace at the very end of a text is one more piece.
// Joining the pieces gives the text back. Chat prompts add Gemma's template tokens:
//   <bos>                                    1
//   per turn: <start_of_turn> role \n ... <end_of_turn> \n        5 + content
//   per image                                256
//   generation prompt: <start_of_turn> model \n                   3

import { applyGemmaTemplate, type Turn } from './template';

export const BOS_TOKENS = 1;
export const TURN_TOKENS = 5;
export const IMAGE_TOKENS = 256;
export const GENERATION_PROMPT_TOKENS = 3;

const BOS_ID = 2;
const START_OF_TURN_ID = 105;
const END_OF_TURN_ID = 106;
const IMAGE_ID = 262144;
const SPECIAL: Record<number, string> = {
  [BOS_ID]: '<bos>',
  [START_OF_TURN_ID]: '<start_of_turn>',
  [END_OF_TURN_ID]: '<end_of_turn>',
  [IMAGE_ID]: '<image_soft_token>',
};

const PIECE = /\s*(?:[\p{L}\p{N}]+|[^\s\p{L}\p{N}])|\s+$/gu;

/** The pieces (tokens) of a text; `splitPieces(t).join('') === t`. */
export function splitPieces(text: string): string[] {
  return text.match(PIECE) ?? [];
}

export function countTextTokens(text: string): number {
  return splitPieces(text).length;
}

/** What /tokenize answers for `{prompt}`: the text's pieces plus <bos> unless add_special_tokens is false. */
export function countPromptTokens(text: string, addSpecialTokens = true): number {
  return (addSpecialTokens ? BOS_TOKENS : 0) + countTextTokens(text);
}

/**
 * Prompt tokens of a chat request (= usage.prompt_tokens and /tokenize's count).
 * Throws the template's 400 when the roles do not alternate.
 */
export function countChatTokens(messages: unknown, addGenerationPrompt = true): number {
  return chatTokenIds(applyGemmaTemplate(messages), addGenerationPrompt).length;
}

// Fake ids: a hash of the piece, remembered so /detokenize can give the text back.
const vocab = new Map<number, string>();
const VOCAB_LIMIT = 500_000;

export function pieceId(piece: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < piece.length; i++) {
    h ^= piece.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const id = 1000 + (h % 250_000);
  if (vocab.size < VOCAB_LIMIT && !vocab.has(id)) vocab.set(id, piece);
  return id;
}

export function textTokenIds(text: string, addSpecialTokens = true): number[] {
  const ids = splitPieces(text).map(pieceId);
  return addSpecialTokens ? [BOS_ID, ...ids] : ids;
}

export function chatTokenIds(turns: Turn[], addGenerationPrompt = true): number[] {
  const ids = [BOS_ID];
  const newline = pieceId('\n');
  for (const t of turns) {
    ids.push(START_OF_TURN_ID, pieceId(t.role), newline);
    for (let i = 0; i < t.images; i++) for (let k = 0; k < IMAGE_TOKENS; k++) ids.push(IMAGE_ID);
    for (const text of t.texts) for (const p of splitPieces(text)) ids.push(pieceId(p));
    ids.push(END_OF_TURN_ID, newline);
  }
  if (addGenerationPrompt) ids.push(START_OF_TURN_ID, pieceId('model'), newline);
  return ids;
}

/** The pieces of ids (token_strs), '' for an id never produced here. */
export function idPieces(ids: number[]): string[] {
  return ids.map((id) => SPECIAL[id] ?? vocab.get(id) ?? '');
}

export function detokenize(ids: number[]): string {
  return idPieces(ids).join('');
}
