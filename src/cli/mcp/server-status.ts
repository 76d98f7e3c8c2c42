// `server_status`: the doctor's report on the user's MedGemma server (reachable, version,
// models with context length and image support, a 1-token answer's latency, problems). Never
// the key or token.

import * as z from 'zod';
import { diagnose, formatReport } from '../../core/server/doctor';
import { forCli } from '../../core/server/errors';
import type { MedGemmaClient } from '../../core/server/service';
import { ok } from './result';

export const serverStatusInput = z.object({});

export const SERVER_STATUS_DESCRIPTION =
  "Checks the user's MedGemma server: whether it answers, its version, the models it serves with their context length and image support, the time of a 1-token answer, and any problem with what to do about it.";

export async function serverStatusTool(client: MedGemmaClient) {
  const report = await diagnose(client);
  report.problems = report.problems.map(forCli);
  return ok(formatReport(report), { ...report });
}
