// The Vertex AI endpoint as tests reach it: the simulator's Vertex profile and its token command
// (test/sim/token-command.mjs, a process that asks the simulator for a new token each run, as
// `gcloud auth print-access-token` would).
import * as path from 'node:path';
import { FIXTURES } from '../fixtures';
import type { Sim, SimVertex } from './types';

export const VERTEX: SimVertex = { project: 'p', region: 'us-central1', endpoint: '123' };
// Found through the fixtures, so the bundled host tests (dist/test/host) find it too.
const TOKEN_COMMAND = path.join(FIXTURES, '..', 'sim', 'token-command.mjs');

/** The command that prints a new token of `sim` each time it runs (`--fail`, `--empty`: as a broken one). */
export const simTokenCommand = (sim: Sim, flag = '') => `"${process.execPath}" "${TOKEN_COMMAND}" ${sim.url}${flag ? ` ${flag}` : ''}`;

/** The Authorization header of each request the simulator saw, in order. */
export const bearers = (sim: Sim) => sim.requests.map((r) => String(r.headers.authorization ?? ''));

/** How many different tokens were used (each came from one run of the token command). */
export const tokensUsed = (sim: Sim) => new Set(bearers(sim).filter((b) => b.startsWith('Bearer ya29.sim-'))).size;
