// What the agent tools share: the result every front end (the MCP server, VS Code's language
// model tools) turns into its own shape, the error that says an argument is wrong, and files
// read within a limit. No MCP SDK and no VS Code here.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** A tool's answer: text for the agent (or person) to read and the same facts as data. */
export interface ToolOutput {
  text: string;
  structured: Record<string, unknown>;
  /** The work failed after part of it finished: this error's sentence goes first, the text is what finished. */
  failure?: unknown;
}

/** An argument the tool cannot use: the sentence names the argument and what to give instead. */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
}

/** Why a file could not be read, in words: "does not exist", "is a folder", ... */
export function whyUnreadable(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code ?? (e as Error).message})`;
}

/** A path the agent gave, relative to `cwd` (the MCP server's folder, the VS Code workspace). */
export function resolvePath(given: string, cwd: string): string {
  return path.resolve(cwd, given);
}

/** A file the agent named, read within a limit; what is wrong with it is the agent's to fix. */
export async function readToolFile(file: string, maxBytes: number, noun: string): Promise<Buffer> {
  const refuse = (e: unknown) => new ToolInputError(`${file} ${whyUnreadable(e)}. Give the path of a ${noun} on this machine`);
  const stat = await fs.promises.stat(file).catch((e: unknown) => Promise.reject(refuse(e)));
  if (stat.isDirectory()) throw refuse(Object.assign(new Error(), { code: 'EISDIR' }));
  if (stat.size > maxBytes) throw new ToolInputError(`${file} is ${(stat.size / 1024 / 1024).toFixed(1)} MB, more than the ${Math.round(maxBytes / 1024 / 1024)} MB a ${noun} may have`);
  return fs.promises.readFile(file).catch((e: unknown) => Promise.reject(refuse(e)));
}
