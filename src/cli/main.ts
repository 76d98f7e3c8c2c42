// The `medgemma` command: the extension's core, headless, for batch work and scripting.

import { batch, BATCH_USAGE } from './batch';
import { dataset, DATASET_USAGE } from './dataset';
import { deid, DEID_USAGE } from './deid';
import { doctor, DOCTOR_USAGE } from './doctor';
import { evalCommand, EVAL_USAGE } from './eval';
import { EXIT, exitCodeFor, formatError, UsageError } from './exit';
import { image, IMAGE_USAGE } from './image';
import { mcp, MCP_USAGE } from './mcp/command';
import { papers, PAPERS_USAGE } from './papers';
import { summarize, SUMMARIZE_USAGE } from './summarize';
import { TerminalOutput } from './terminal-output';

const USAGE = `Usage: medgemma <command> [options]

Commands:
  ${SUMMARIZE_USAGE.split('\n').join('\n  ')}

  ${DOCTOR_USAGE.split('\n').join('\n  ')}

  ${DEID_USAGE.split('\n').join('\n  ')}

  ${IMAGE_USAGE.split('\n').join('\n  ')}
  ${PAPERS_USAGE.split('\n').join('\n  ')}

  ${BATCH_USAGE.split('\n').join('\n  ')}

  ${EVAL_USAGE.split('\n').join('\n  ')}

  ${DATASET_USAGE.split('\n').join('\n  ')}

  ${MCP_USAGE.split('\n').join('\n  ')}

Server options (all commands that reach the server):
  --base-url URL     server address (default $MEDGEMMA_BASE_URL or http://localhost:8000/v1)
  --model ID         model id (default $MEDGEMMA_MODEL or the first model the server lists)
  --timeout SECONDS  wait for the first and each next chunk (defaults: 120 s / 60 s)
  --privacy MODE     off | warn | pseudonymize | auto (default $MEDGEMMA_PRIVACY or auto: off
                     for a server on this machine, pseudonymize for any other). pseudonymize
                     replaces names, dates, numbers and places with stand-ins before sending
                     and puts the real ones back in the answer; warn asks in the terminal
  --context-length N the model's context in tokens when the server does not report it
                     (default $MEDGEMMA_CONTEXT_LENGTH; Vertex AI 32768, others 4096)
  --token-command CMD a command printing an access token, run again when refused (default
                     $MEDGEMMA_TOKEN_COMMAND; for a Vertex AI endpoint URL
                     gcloud auth print-access-token)
  --audit FILE       append one JSON line per request (no text: feature, server, mode,
                     identifiers by type, bytes) to FILE (default $MEDGEMMA_AUDIT)
  --debug            show stack traces
The API key is read from $MEDGEMMA_API_KEY only (never a flag, so it stays out of shell history).

Exit codes: 0 ok, 2 bad usage or unreadable input (a damaged image or PDF included), 3 server
unreachable/unauthorized/misconfigured, 4 request rejected or server error (batch: some inputs
failed), 5 answer interrupted
(partial output kept), 130 Ctrl-C or no at the privacy question, 1 an unexpected error (a bug: rerun with --debug and report it).`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const debug = rest.includes('--debug');
  // Bytes from files, the server and the model reach the terminal shown, never obeyed.
  const stdout = new TerminalOutput(process.stdout);
  const stderr = new TerminalOutput(process.stderr);
  try {
    switch (command) {
      case 'summarize':
        return await summarize(rest, stdout, stderr);
      case 'image':
        return await image(rest, stdout, stderr);
      case 'papers':
        return await papers(rest, stdout, stderr);
      case 'batch':
        return await batch(rest, stdout, stderr);
      case 'eval':
        return await evalCommand(rest, stdout, stderr);
      case 'dataset':
        return await dataset(rest, stdout, stderr);
      case 'doctor':
        return await doctor(rest, stdout, stderr);
      case 'deid':
        return deid(rest, stdout);
      case 'mcp':
        // Standard output is the protocol's: raw, nothing else written to it.
        return await mcp(rest, stdout, stderr);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        stdout.write(`${USAGE}\n`);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}". Run "medgemma help" for the list`);
    }
  } catch (e) {
    stderr.write(`${formatError(e, debug)}\n`);
    return exitCodeFor(e);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${formatError(e, true)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
