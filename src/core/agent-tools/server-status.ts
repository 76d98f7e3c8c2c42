// `server_status`: the doctor's report on the user's MedGemma server (reachable, version,
// models with context length and image support, a 1-token answer's latency, problems). Never
// the key or token.

import { diagnose, formatReport } from '../server/doctor';
import type { MedGemmaClient } from '../server/service';
import type { ToolOutput } from './tool-input';

export const SERVER_STATUS_DESCRIPTION =
  "Checks the user's MedGemma server: whether it answers, its version, the models it serves with their context length and image support, the time of a 1-token answer, and any problem with what to do about it.";

/** `words` puts a problem's advice in the front end's terms (CLI flags, editor settings). */
export async function serverStatusTool(client: MedGemmaClient, words: (sentence: string) => string): Promise<ToolOutput> {
  const report = await diagnose(client);
  report.problems = report.problems.map(words);
  return { text: formatReport(report), structured: { ...report } };
}
