// What a tool hands back: text for the agent to read and the same facts as structured content;
// a failure is a result with isError and our one sentence (what happened, what to do), never a
// crash of the server.

import type { CallToolResult } from '@modelcontextprotocol/server';
import * as fs from 'node:fs';
import { errorSentence, UsageError } from '../exit';
import { whyUnreadable } from '../summarize';

export function ok(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

export function failed(e: unknown): CallToolResult {
  return { content: [{ type: 'text', text: errorSentence(e) }], isError: true };
}

/** Runs a tool's work; any failure becomes an error result. */
export async function guarded(work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (e) {
    return failed(e);
  }
}

/** A tool's input that cannot be used: the sentence the agent reads, naming the argument. */
export { UsageError as ToolInputError };

/** A file the agent named, read within a limit; what is wrong with it is the agent's to fix. */
export async function readToolFile(file: string, maxBytes: number, noun: string): Promise<Buffer> {
  const refuse = (e: unknown) => new UsageError(`${file} ${whyUnreadable(e)}. Give the path of a ${noun} on this machine`);
  const stat = await fs.promises.stat(file).catch((e: unknown) => Promise.reject(refuse(e)));
  if (stat.isDirectory()) throw refuse(Object.assign(new Error(), { code: 'EISDIR' }));
  if (stat.size > maxBytes) throw new UsageError(`${file} is ${(stat.size / 1024 / 1024).toFixed(1)} MB, more than the ${Math.round(maxBytes / 1024 / 1024)} MB a ${noun} may have`);
  return fs.promises.readFile(file).catch((e: unknown) => Promise.reject(refuse(e)));
}
