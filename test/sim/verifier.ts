// The verifier: how the simulator answers a statement check (the prompt the extension's model
// check sends, src/core/notes/verify/prompt.ts). Deterministic and strict, so tests know the
// verdict from the text:
// - a number in the statement that no cited line has   -> contradicted, words = that number
// - a word of 5+ letters whose first 5 letters start no word of the cited lines
//                                                       -> not_in_lines, words = that word
// - otherwise                                           -> supported, words = ""
// With `response_format` json_schema the answer is the bare JSON object (what vLLM's structured
// output gives); without it, the JSON inside a ```json fence, as models write it unasked.

import { parseNoteLines } from './answers';
import { ApiError } from './errors';
import { isObject } from './template';

/** The line that starts the statement in the prompt (kept equal to the extension's by a test). */
export const STATEMENT_LABEL = 'Statement to check:';

export function isVerifyPrompt(userText: string): boolean {
  return userText.split('\n').some((l) => l.startsWith(STATEMENT_LABEL));
}

export interface SimVerdict {
  verdict: 'supported' | 'contradicted' | 'not_in_lines';
  words: string;
}

const NUMBER = /\d+(?:[.,]\d+)?/g;
const LONG_WORD = /\p{L}{5,}/gu;

export function verdictFor(userText: string): SimVerdict {
  const at = userText.lastIndexOf(STATEMENT_LABEL);
  const statement = userText.slice(at + STATEMENT_LABEL.length).trim();
  const lines = parseNoteLines(userText.slice(0, at)).map((l) => l.text);
  const numbers = new Set(lines.flatMap((l) => l.match(NUMBER) ?? []));
  const number = (statement.match(NUMBER) ?? []).find((n) => !numbers.has(n));
  if (number !== undefined) return { verdict: 'contradicted', words: number };
  const prefixes = new Set(lines.flatMap((l) => (l.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => w.length >= 5).map((w) => w.slice(0, 5))));
  const missing = (statement.match(LONG_WORD) ?? []).find((w) => !prefixes.has(w.toLowerCase().slice(0, 5)));
  if (missing !== undefined) return { verdict: 'not_in_lines', words: missing };
  return { verdict: 'supported', words: '' };
}

export function verifyAnswer(userText: string, structured: boolean): string {
  const json = JSON.stringify(verdictFor(userText));
  return structured ? json : `\`\`\`json\n${json}\n\`\`\``;
}

/**
 * `response_format` as vLLM checks it: absent, `text`, `json_object`, or `json_schema` with a
 * schema object. True when the answer must be the schema's JSON. A server without structured
 * output (`structuredOutput: false`) refuses json_schema with a 400.
 */
export function readResponseFormat(body: Record<string, unknown>, supported: boolean): boolean {
  const rf = body.response_format;
  if (rf === undefined || rf === null) return false;
  if (!isObject(rf)) throw new ApiError(400, 'response_format must be an object');
  if (rf.type === 'text' || rf.type === 'json_object') return false;
  if (rf.type !== 'json_schema') throw new ApiError(400, `response_format type "${String(rf.type)}" is not one of text, json_object, json_schema`);
  if (!supported) throw new ApiError(400, 'response_format json_schema is not supported by this server');
  const js = rf.json_schema;
  if (!isObject(js) || typeof js.name !== 'string' || !isObject(js.schema)) {
    throw new ApiError(400, 'response_format.json_schema needs a name and a schema object');
  }
  return true;
}
