// `medgemma mcp`: the MCP server over standard input and output, for an agent to start. Standard
// output carries protocol messages only; what we have to say goes to standard error.

import { PassThrough } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { EXIT, UsageError } from '../exit';
import { makeClient, parse } from '../options';
import { denseNotReady, openLibrary } from '../papers';
import { DenseIndex } from '../../core/papers/dense/dense-index';
import { createMcpServer, type DenseForAsk } from './server';

export const MCP_USAGE = `medgemma mcp [--index DIR] [--embedding-model M [--embedding-url URL]] [--rerank] [server options]
  A Model Context Protocol server on standard input/output, for agents (Claude Code, Cline,
  Continue, VS Code): tools summarize_note, search_papers, ask_papers, describe_image,
  deidentify and server_status. The privacy mode warn cannot ask here: use pseudonymize.
  --embedding-model (or $MEDGEMMA_EMBEDDING_MODEL): ask_papers finds passages by meaning too;
  the papers without vectors are embedded in the background meanwhile (search_papers stays on
  words: nothing leaves this machine). --rerank: ask_papers has MedGemma score the passages
  found before answering, unless the agent says otherwise.`;

export async function mcp(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv, {
    index: { type: 'string' },
    'embedding-model': { type: 'string' },
    'embedding-url': { type: 'string' },
    rerank: { type: 'boolean' },
  });
  if (values.help) {
    out.write(`${MCP_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length) throw new UsageError(`medgemma mcp takes no arguments, only options (got "${positionals[0]}")`);
  // Standard input is the protocol: nobody can answer a question there.
  const { client, note } = makeClient(values, env, { input: new PassThrough(), output: process.stderr });
  if (note) err.write(`medgemma mcp: ${note}\n`);
  const library = openLibrary(values.index, env);
  const model = client.embeddingModel?.model;
  const dense = model ? new DenseIndex(library, client, model) : undefined;
  const server = createMcpServer({ client, library, dense: dense && embedInBackground(dense, err), rerank: values.rerank });
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

/**
 * Search by meaning for ask_papers without making an agent wait for a library to be embedded:
 * before each question the papers still without vectors are embedded in the background (one run
 * at a time), and the question uses the vectors there are. A failure is a line on stderr.
 */
function embedInBackground(dense: DenseIndex, err: NodeJS.WritableStream): DenseForAsk {
  let running: Promise<void> | undefined;
  return () => {
    running ??= dense
      .prepare()
      .then(({ embedded }) => {
        if (embedded) err.write(`medgemma mcp: embedded ${embedded} passages with ${dense.model} for search by meaning\n`);
      })
      .catch((e: unknown) => {
        err.write(`medgemma mcp: ${denseNotReady(e)}\n`);
      })
      .finally(() => (running = undefined));
    return dense;
  };
}
