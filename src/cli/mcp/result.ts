// What a tool hands back over MCP: text for the agent to read and the same facts as structured
// content; a failure is a result with isError and our one sentence (what happened, what to do),
// never a crash of the server.

import type { CallToolResult } from '@modelcontextprotocol/server';
import type { ToolOutput } from '../../core/agent-tools/tool-input';
import { errorSentence } from '../exit';

export function failed(e: unknown): CallToolResult {
  return { content: [{ type: 'text', text: errorSentence(e) }], isError: true };
}

function toResult(out: ToolOutput): CallToolResult {
  const content = [{ type: 'text' as const, text: out.text }];
  if (out.failure === undefined) return { content, structuredContent: out.structured };
  // Part of the work finished: the sentence first, then what finished.
  return { content: [...failed(out.failure).content, ...content], structuredContent: out.structured, isError: true };
}

/** Runs a tool's work; any failure becomes an error result. */
export async function guarded(work: () => Promise<ToolOutput> | ToolOutput): Promise<CallToolResult> {
  try {
    return toResult(await work());
  } catch (e) {
    return failed(e);
  }
}
