// The agent tools are declared twice: as zod schemas for the MCP server (src/cli/mcp/schemas.ts)
// and as JSON schema in package.json for VS Code's agent mode, where nothing checks them against
// each other at build time. Here they must agree on everything but the wording of descriptions
// (a path is relative to the workspace in VS Code, to the server's folder over MCP).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import * as schemas from '../../../src/cli/mcp/schemas';
import { DESCRIBE_IMAGE_DESCRIPTION } from '../../../src/core/agent-tools/describe-image';
import { ASK_PAPERS_DESCRIPTION, SEARCH_PAPERS_DESCRIPTION } from '../../../src/core/agent-tools/papers';
import { SUMMARIZE_NOTE_DESCRIPTION } from '../../../src/core/agent-tools/summarize-note';
import { TOOL_NAMES } from '../../../src/vscode/tools/names';

interface DeclaredTool {
  name: string;
  displayName: string;
  modelDescription: string;
  userDescription: string;
  inputSchema: Record<string, unknown>;
}

const declared = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')).contributes.languageModelTools as DeclaredTool[]);

/** The schema without descriptions (and zod's $schema and integer bound), keys sorted. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    if (k === 'description' || k === '$schema') continue;
    const x = (v as Record<string, unknown>)[k];
    if (k === 'maximum' && x === Number.MAX_SAFE_INTEGER) continue;
    out[k] = shape(x);
  }
  return out;
}

const PAIRS = {
  medgemma_summarize_note: [schemas.summarizeNoteInput, SUMMARIZE_NOTE_DESCRIPTION],
  medgemma_search_papers: [schemas.searchPapersInput, SEARCH_PAPERS_DESCRIPTION],
  medgemma_ask_papers: [schemas.askPapersInput, ASK_PAPERS_DESCRIPTION],
  medgemma_describe_image: [schemas.describeImageInput, DESCRIBE_IMAGE_DESCRIPTION],
} as const;

describe('agent tools: package.json and the MCP schemas agree', () => {
  it('package.json declares exactly the tools the extension registers', () => {
    assert.deepEqual(declared.map((t) => t.name).sort(), [...TOOL_NAMES].sort());
    assert.deepEqual(Object.keys(PAIRS).sort(), [...TOOL_NAMES].sort());
  });

  for (const [name, [schema, description]] of Object.entries(PAIRS)) {
    it(`${name}: the same arguments, types and bounds; the model reads the MCP tool's description`, () => {
      const tool = declared.find((t) => t.name === name)!;
      assert.deepEqual(shape(tool.inputSchema), shape(z.toJSONSchema(schema)));
      assert.ok(tool.modelDescription.startsWith(description), tool.modelDescription);
      assert.ok(tool.displayName.endsWith('(MedGemma)') && tool.userDescription.length > 20);
      // Every argument is described for the model.
      for (const [arg, spec] of Object.entries((tool.inputSchema as { properties: Record<string, { description?: string }> }).properties)) {
        assert.ok(spec.description && spec.description.length > 10, `${name}.${arg} has no description`);
      }
    });
  }
});
