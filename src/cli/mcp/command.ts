// `medgemma mcp`: the MCP server over standard input and output, for an agent to start. Standard
// output carries protocol messages only; what we have to say goes to standard error.

import { PassThrough } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { EXIT, UsageError } from '../exit';
import { makeClient, parse } from '../options';
import { openLibrary } from '../papers';
import { createMcpServer } from './server';

export const MCP_USAGE = `medgemma mcp [--index DIR] [server options]
  A Model Context Protocol server on standard input/output, for agents (Claude Code, Cline,
  Continue, VS Code): tools summarize_note, search_papers, ask_papers, describe_image,
  deidentify and server_status. The privacy mode warn cannot ask here: use pseudonymize.`;

export async function mcp(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv, { index: { type: 'string' } });
  if (values.help) {
    out.write(`${MCP_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length) throw new UsageError(`medgemma mcp takes no arguments, only options (got "${positionals[0]}")`);
  // Standard input is the protocol: nobody can answer a question there.
  const { client, note } = makeClient(values, env, { input: new PassThrough(), output: process.stderr });
  if (note) err.write(`medgemma mcp: ${note}\n`);
  const library = openLibrary(values.index, env);
  const server = createMcpServer({ client, library });
  const transport = new StdioServerTransport();
  // The client closing standard input ends the session (the protocol's own close, too).
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  err.write(`medgemma mcp: serving ${client.config.baseUrl} (papers: ${library.dir}) on standard input/output\n`);
  await closed;
  await server.close().catch(() => undefined);
  return EXIT.ok;
}
