// The files offline engines read and write.
// Requests: the OpenAI batch format, which `vllm run-batch` reads (vLLM docs, "Offline batch
// inference with the OpenAI batch file format"): one `{"custom_id", "method": "POST", "url":
// "/v1/chat/completions", "body"}` per line. Vertex AI batch prediction for a self-deployed Model
// Garden model takes the same body under `"body"` and ignores custom_id, method, url and model
// (Google Cloud docs, "Get batch predictions from a self-deployed Model Garden model"); text only.
// Outputs: vLLM writes `{"id", "custom_id", "response": {"status_code", "request_id", "body"},
// "error"}`. Vertex's output echoes the request beside its response; a line is matched by its
// custom_id when present, else by the hash of the echoed request (requestId), so both read.

import * as fs from 'node:fs';
import * as readline from 'node:readline';
import type { FinishReason, Usage } from '../server/types';
import { requestId, type EngineAnswer, type RequestBody } from './offline-chat';

export type EngineFormat = 'openai' | 'vertex';
export const ENGINE_FORMATS: readonly EngineFormat[] = ['openai', 'vertex'];

export function requestLine(format: EngineFormat, id: string, body: RequestBody): Record<string, unknown> {
  if (format === 'openai') return { custom_id: id, method: 'POST', url: '/v1/chat/completions', body };
  const { model: _unused, ...rest } = body;
  return { custom_id: id, body: rest };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const FINISH: Record<string, FinishReason> = { stop: 'stop', length: 'length', abort: 'abort' };

function usageOf(u: unknown): Usage | undefined {
  if (!isObject(u) || typeof u.prompt_tokens !== 'number' || typeof u.completion_tokens !== 'number') return undefined;
  return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens, totalTokens: typeof u.total_tokens === 'number' ? u.total_tokens : u.prompt_tokens + u.completion_tokens };
}

/** The engine's words for a failure: a string, or `message` at any depth of `error` nesting. */
function errorText(e: unknown, depth = 0): string {
  if (typeof e === 'string') return e;
  if (isObject(e) && typeof e.message === 'string') return e.message;
  if (isObject(e) && e.error !== undefined && depth < 3) return errorText(e.error, depth + 1);
  return JSON.stringify(e)?.slice(0, 200) ?? String(e);
}

/** One output line as [id, answer]; undefined for a line that is not an engine's answer. */
export function parseOutputLine(line: string): [string, EngineAnswer] | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(v)) return undefined;
  const echoed = [v.body, v.request, isObject(v.instance) ? (v.instance.body ?? v.instance) : undefined].find((b) => isObject(b) && Array.isArray(b.messages));
  const id = typeof v.custom_id === 'string' && v.custom_id.startsWith('medgemma-') ? v.custom_id : echoed ? requestId(echoed as RequestBody) : undefined;
  if (!id) return undefined;
  if (v.error !== undefined && v.error !== null) return [id, { error: errorText(v.error) }];
  const response = isObject(v.response) ? v.response : undefined;
  if (!response) return [id, { error: 'the output line has no response' }];
  const status = typeof response.status_code === 'number' ? response.status_code : 200;
  const completion = isObject(response.body) ? response.body : response;
  if (status >= 400) return [id, { error: `HTTP ${status}${isObject(completion.error) ? `: ${errorText(completion.error)}` : ''}` }];
  const choice = Array.isArray(completion.choices) && isObject(completion.choices[0]) ? completion.choices[0] : undefined;
  const message = choice && isObject(choice.message) ? choice.message : undefined;
  if (!message || typeof message.content !== 'string') return [id, { error: 'the response has no answer text' }];
  const finish = typeof choice!.finish_reason === 'string' ? FINISH[choice!.finish_reason] ?? 'stop' : 'stop';
  return [id, { text: message.content, finishReason: finish, usage: usageOf(completion.usage) }];
}

/** Reads engine output files into `answers` (a later answer for an id replaces an earlier error). */
export async function readOutputs(files: readonly string[], answers: Map<string, EngineAnswer>): Promise<{ lines: number; unreadable: number }> {
  let lines = 0;
  let unreadable = 0;
  for (const file of files) {
    const input = fs.createReadStream(file);
    for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      lines += 1;
      const parsed = parseOutputLine(line);
      if (!parsed) {
        unreadable += 1;
        continue;
      }
      const [id, answer] = parsed;
      const had = answers.get(id);
      if (!had || 'error' in had) answers.set(id, answer);
    }
  }
  return { lines, unreadable };
}
