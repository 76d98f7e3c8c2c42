// "Is my server right?" in one report: reachable, version, models with context length and
// image support, and the latency of a 1-token answer. Used by `medgemma doctor` and the
// VS Code "Check Server" command. Sends no patient text.

import { type ErrorKind, isMedGemmaError } from './errors';
import type { MedGemmaClient } from './service';
import type { VertexEndpoint } from './vertex';

export interface DoctorReport {
  baseUrl: string;
  reachable: boolean;
  healthy?: boolean;
  version?: string;
  models: Array<{ id: string; root?: string; parent?: string; maxModelLen?: number; vision?: boolean }>;
  model?: string;
  contextLength?: number;
  tokenCounting?: 'exact' | 'estimated';
  /** Milliseconds for a 1-token answer, end to end. */
  pingMs?: number;
  problems: string[];
  /** The kind of the error that made the server unusable, when there was one (the fix to offer). */
  errorKind?: ErrorKind;
  /** A Vertex AI endpoint: what its URL names. */
  vertex?: VertexEndpoint;
  /** Where the access token comes from (never the token). */
  tokenSource?: string;
}

export async function diagnose(client: MedGemmaClient): Promise<DoctorReport> {
  client.refresh();
  const ep = client.endpoint('text');
  const report: DoctorReport = { baseUrl: ep.baseUrl, reachable: false, models: [], problems: [] };
  if ('source' in ep.credentials) report.tokenSource = String(ep.credentials.source);
  if (ep.discovery.vertex) return diagnoseVertex(client, report, ep.discovery.vertex);
  try {
    const models = await ep.discovery.models();
    report.reachable = true;
    report.models = models.map(({ id, root, parent, maxModelLen, vision }) => ({ id, root, parent, maxModelLen, vision }));
  } catch (e) {
    report.problems.push(isMedGemmaError(e) ? e.message : String(e));
    if (isMedGemmaError(e)) report.errorKind = e.kind;
    return report;
  }
  [report.healthy, report.version] = await Promise.all([ep.discovery.health(), ep.discovery.version()]);
  if (report.healthy === false) report.problems.push('The server answers but /health says its engine is not healthy. Check the server log and restart it.');
  try {
    const model = await client.model('text');
    report.model = model.id;
    report.contextLength = await client.contextLength('text');
    const ping = [{ role: 'user' as const, content: 'Reply with OK.' }];
    report.tokenCounting = (await client.countTokens(ping)).exact ? 'exact' : 'estimated';
    const t0 = performance.now();
    await client.chat({ messages: ping, maxTokens: 1, temperature: 0, feature: 'server-check' });
    report.pingMs = Math.round(performance.now() - t0);
    if (/-pt\b|-pt$/.test(`${model.root ?? ''} ${model.id}`)) {
      report.problems.push(`"${model.id}" looks like a pretrained (-pt) model, not a chat model: serve a -it model for summaries and chat.`);
    }
  } catch (e) {
    report.problems.push(isMedGemmaError(e) ? e.message : String(e));
  }
  return report;
}

/** Vertex lists nothing: one 1-token answer says whether the endpoint, the token and the model work. */
async function diagnoseVertex(client: MedGemmaClient, report: DoctorReport, v: VertexEndpoint): Promise<DoctorReport> {
  report.vertex = v;
  report.contextLength = await client.contextLength('text');
  try {
    const t0 = performance.now();
    const r = await client.chat({ messages: [{ role: 'user', content: 'Reply with OK.' }], maxTokens: 1, temperature: 0, feature: 'server-check' });
    report.pingMs = Math.round(performance.now() - t0);
    report.reachable = true;
    report.model = r.model || undefined;
  } catch (e) {
    report.problems.push(isMedGemmaError(e) ? e.message : String(e));
    if (isMedGemmaError(e)) report.errorKind = e.kind;
  }
  return report;
}

export function formatReport(r: DoctorReport): string {
  const lines = [`Server: ${r.baseUrl}`];
  if (r.vertex) lines.push(`Vertex AI endpoint: ${r.vertex.endpoint} (project ${r.vertex.project}, region ${r.vertex.region})`);
  if (r.tokenSource) lines.push(`Access token: from ${r.tokenSource}, refreshed when refused`);
  lines.push(`Reachable: ${r.reachable ? 'yes' : 'no'}`);
  if (r.vertex) {
    if (r.model) lines.push(`Model: ${r.model} (as the endpoint names it)`);
    if (r.contextLength) lines.push(`Context used for budgeting: ${r.contextLength} tokens (not reported by the server: "medgemma.server.contextLength", CLI --context-length, or Model Garden's default 32768; estimated counts)`);
    if (r.pingMs !== undefined) lines.push(`1-token answer: ${r.pingMs} ms`);
  } else if (r.reachable) {
    if (r.version) lines.push(`Version: ${r.version}`);
    if (r.healthy !== undefined) lines.push(`Health: ${r.healthy ? 'ok' : 'NOT healthy'}`);
    lines.push('Models:');
    for (const m of r.models) {
      const bits = [
        m.root && m.root !== m.id ? `weights ${m.root}` : '',
        m.parent ? `adapter of ${m.parent}` : '',
        m.maxModelLen ? `context ${m.maxModelLen}` : 'context not reported',
        m.vision === true ? 'images: yes' : m.vision === false ? 'images: no' : 'images: unknown',
      ].filter(Boolean);
      lines.push(`  - ${m.id}${m.id === r.model ? ' (used)' : ''}: ${bits.join(', ')}`);
    }
    if (r.contextLength) lines.push(`Context used for budgeting: ${r.contextLength} tokens (${r.tokenCounting ?? 'estimated'} counts)`);
    if (r.pingMs !== undefined) lines.push(`1-token answer: ${r.pingMs} ms`);
  }
  for (const p of r.problems) lines.push(`Problem: ${p}`);
  if (!r.problems.length) lines.push('All good.');
  return lines.join('\n');
}
