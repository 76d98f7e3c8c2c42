// The MCP server: MedGemma's grounded features as tools for any agent (Claude Code, Cline,
// Continue, VS Code's agent mode). Each tool is a thin adapter over the core the editor and
// the CLI use; a failure is a tool result with our one sentence, and a request the client
// cancels is stopped at the MedGemma server.

import { McpServer } from '@modelcontextprotocol/server';
import type { DenseIndex } from '../../core/papers/dense/dense-index';
import type { PaperLibrary } from '../../core/papers/library';
import type { MedGemmaClient } from '../../core/server/service';
import { VERSION } from '../version';
import { deidentifyTool, DEIDENTIFY_DESCRIPTION } from '../../core/agent-tools/deidentify';
import { describeImageTool, DESCRIBE_IMAGE_DESCRIPTION } from '../../core/agent-tools/describe-image';
import { askPapersTool, ASK_PAPERS_DESCRIPTION, searchPapersTool, SEARCH_PAPERS_DESCRIPTION } from '../../core/agent-tools/papers';
import { serverStatusTool, SERVER_STATUS_DESCRIPTION } from '../../core/agent-tools/server-status';
import { summarizeNoteTool, SUMMARIZE_NOTE_DESCRIPTION } from '../../core/agent-tools/summarize-note';
import { forCli } from '../../core/server/errors';
import { guarded } from './result';
import { askPapersInput, deidentifyInput, describeImageInput, searchPapersInput, serverStatusInput, summarizeNoteInput } from './schemas';

/** The library's search by meaning for a question (it may start embedding the papers still without vectors). */
export type DenseForAsk = () => DenseIndex;

export interface McpDeps {
  client: MedGemmaClient;
  library: PaperLibrary;
  /** Set with an embedding model: ask_papers finds passages by meaning too. */
  dense?: DenseForAsk;
  /** ask_papers scores the passages first unless the agent says otherwise (--rerank). */
  rerank?: boolean;
}

/** How an agent without papers gets some. */
const ADD_PAPERS = 'Index some with "medgemma papers index <files>" (or start the server with --index DIR)';

/** Sends text to the user's MedGemma server (open world: another machine may answer); reads, writes nothing. */
const SENDS = { readOnlyHint: true, openWorldHint: true } as const;
/** Runs on this machine alone. */
const LOCAL = { readOnlyHint: true, openWorldHint: false } as const;

export function createMcpServer({ client, library, dense, rerank }: McpDeps): McpServer {
  const server = new McpServer(
    { name: 'medgemma', title: 'MedGemma', version: VERSION },
    {
      instructions:
        "Tools backed by the user's own MedGemma server (notes stay with that server) and their local paper library. Summaries cite note lines and are checked; paper answers cite pages. " +
        'Results are AI-generated, not a medical device: a clinician checks them against the sources.',
    },
  );
  server.registerTool('summarize_note', { title: 'Summarize a clinical note', description: SUMMARIZE_NOTE_DESCRIPTION, inputSchema: summarizeNoteInput, annotations: SENDS }, (args, ctx) =>
    guarded(() => summarizeNoteTool(client, args, { signal: ctx.mcpReq.signal, cwd: process.cwd() })),
  );
  server.registerTool('search_papers', { title: 'Search the indexed papers', description: SEARCH_PAPERS_DESCRIPTION, inputSchema: searchPapersInput, annotations: LOCAL }, (args) =>
    guarded(() => searchPapersTool(library, args, ADD_PAPERS)),
  );
  server.registerTool('ask_papers', { title: 'Answer from the indexed papers', description: ASK_PAPERS_DESCRIPTION, inputSchema: askPapersInput, annotations: SENDS }, (args, ctx) =>
    guarded(() => askPapersTool(client, library, args, { signal: ctx.mcpReq.signal, howToAdd: ADD_PAPERS, search: { dense: dense?.(), rerank } })),
  );
  server.registerTool('describe_image', { title: 'Ask about a medical image', description: DESCRIBE_IMAGE_DESCRIPTION, inputSchema: describeImageInput, annotations: SENDS }, (args, ctx) =>
    guarded(() => describeImageTool(client, args, { signal: ctx.mcpReq.signal, cwd: process.cwd() })),
  );
  server.registerTool('deidentify', { title: 'Pseudonymize identifiers', description: DEIDENTIFY_DESCRIPTION, inputSchema: deidentifyInput, annotations: LOCAL }, (args) =>
    guarded(() => deidentifyTool(args)),
  );
  server.registerTool('server_status', { title: 'Check the MedGemma server', description: SERVER_STATUS_DESCRIPTION, inputSchema: serverStatusInput, annotations: SENDS }, () =>
    guarded(() => serverStatusTool(client, forCli)),
  );
  return server;
}
