// dist/mcp.js: `medgemma mcp` alone, the bundle the extension offers VS Code's agent mode
// (src/vscode/mcp/register.ts) without shipping the whole CLI in the VSIX.

import { EXIT, exitCodeFor, formatError } from '../exit';
import { TerminalOutput } from '../terminal-output';
import { mcp } from './command';

if (require.main === module) {
  const err = new TerminalOutput(process.stderr);
  mcp(process.argv.slice(2), new TerminalOutput(process.stdout), err).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      err.write(`${formatError(e, false)}\n`);
      process.exitCode = exitCodeFor(e) || EXIT.internal;
    },
  );
}
