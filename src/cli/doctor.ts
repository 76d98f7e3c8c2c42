// `medgemma doctor [--base-url URL] [--json]`: is the server reachable and set up right?

import { diagnose, formatReport } from '../core/server/doctor';
import { forCli } from '../core/server/errors';
import { jsonText } from '../core/terminal-text';
import { EXIT } from './exit';
import { makeClient, parse } from './options';

export const DOCTOR_USAGE = `medgemma doctor [--base-url URL] [--model ID] [--timeout SECONDS] [--json]
  Checks the server: reachable, version, models with context length and image support,
  and the latency of a 1-token answer. Exit 0 when all is well, 3 otherwise.`;

export async function doctor(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } });
  if (values.help) {
    out.write(`${DOCTOR_USAGE}\n`);
    return EXIT.ok;
  }
  const { client, note } = makeClient(values);
  if (note) err.write(`medgemma: ${note}\n`);
  const report = await diagnose(client);
  report.problems = report.problems.map(forCli);
  out.write(values.json ? `${jsonText(report)}\n` : `${formatReport(report)}\n`);
  return report.reachable && report.problems.length === 0 ? EXIT.ok : EXIT.server;
}
