#!/usr/bin/env node
// A stand-in for `gcloud auth print-access-token` in tests of the Vertex profile: asks a running
// simulator for a new token (POST /__sim/token) and prints it, or fails as a real token command can.
//   node test/sim/token-command.mjs [SIM_URL] [--fail|--empty]
// SIM_URL: any URL on the simulator (its origin is used); default $MEDGEMMA_SIM_URL.
// --fail: exit 1 with a message on stderr (not signed in); --empty: print nothing, exit 0.

const USAGE = 'usage: node test/sim/token-command.mjs [SIM_URL] [--fail|--empty]  (or set MEDGEMMA_SIM_URL)';
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const positional = args.filter((a) => !a.startsWith('--'));

function usage(message) {
  process.stderr.write(`token-command: ${message}\n${USAGE}\n`);
  process.exit(2);
}

for (const f of flags) if (f !== '--fail' && f !== '--empty') usage(`unknown option ${f}`);
if (flags.length > 1 || positional.length > 1) usage('too many arguments');
if (flags[0] === '--fail') {
  process.stderr.write('token-command: simulated failure: not signed in\n');
  process.exit(1);
}
if (flags[0] === '--empty') process.exit(0);

const url = positional[0] ?? process.env.MEDGEMMA_SIM_URL;
if (!url) usage('no simulator URL');
try {
  const res = await fetch(new URL('/__sim/token', url), { method: 'POST' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const { token } = await res.json();
  if (typeof token !== 'string' || !token) throw new Error('no token in the answer');
  process.stdout.write(`${token}\n`);
} catch (e) {
  process.stderr.write(`token-command: no token from the simulator at ${url}: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
