// Loading a LoRA adapter into a running vLLM (POST /v1/load_lora_adapter), and when the server
// cannot, exactly what to set on it. vLLM has the route only when started with --enable-lora and
// VLLM_ALLOW_RUNTIME_LORA_UPDATING=True; the path is one on the server's machine.

import { terminalText } from '../terminal-text';
import { MedGemmaError } from './errors';
import { originOf, requestJson } from './http';
import { mapError } from './map-error';
import type { MedGemmaClient } from './service';

/** What to run instead, when the server cannot load adapters while it runs. */
export function startWithAdapter(name: string, path: string): string {
  return `start vLLM with --enable-lora --lora-modules ${name}=${path} (or with --enable-lora and VLLM_ALLOW_RUNTIME_LORA_UPDATING=True in its environment, to load adapters while it runs)`;
}

/** The server's own words, short and on one line (they are shown, never obeyed). */
function said(json: unknown, text: string): string {
  const o = json as { message?: unknown; error?: { message?: unknown }; detail?: unknown } | undefined;
  const m = o?.message ?? o?.error?.message ?? o?.detail ?? text;
  return terminalText(String(m)).replace(/\s+/g, ' ').trim().slice(0, 300);
}

/**
 * Loads adapter `name` from `path` (on the server's machine) into the text server; resolves
 * when it is listed. Throws a MedGemmaError that says what to do otherwise.
 */
export async function loadLoraAdapter(client: MedGemmaClient, name: string, path: string, signal?: AbortSignal): Promise<void> {
  const ep = client.endpoint('text');
  const origin = originOf(ep.baseUrl);
  if (ep.discovery.vertex) throw new MedGemmaError('bad-config', `A Vertex AI endpoint serves the model it was deployed with; it does not load adapters. Deploy the adapter with the model on Vertex AI, or serve it with vLLM.`);
  let r;
  try {
    r = await requestJson<unknown>(ep.fetch, `${ep.discovery.root}/v1/load_lora_adapter`, { method: 'POST', body: { lora_name: name, lora_path: path }, timeoutMs: 120_000, signal });
  } catch (e) {
    throw mapError(e, { baseUrl: ep.baseUrl });
  }
  if (r.status === 200) {
    ep.discovery.refresh();
    return;
  }
  const words = said(r.json, r.text);
  if (r.status === 404 && /^not found$/i.test(words)) {
    throw new MedGemmaError('bad-config', `The server at ${origin} cannot load adapters while it runs: ${startWithAdapter(name, path)}.`, { status: 404 });
  }
  if (r.status === 404) {
    throw new MedGemmaError('bad-request', `The server found no adapter at ${path} (${words}). The path is one on the server's machine: check it there (a folder with adapter_config.json and the adapter's weights).`, { status: 404, serverMessage: words });
  }
  if (r.status === 400 && /already been loaded/i.test(words)) {
    throw new MedGemmaError('bad-request', `The server already has an adapter named "${name}": pick it in the model picker, or load this one under another name.`, { status: 400, serverMessage: words });
  }
  if (r.status === 401 || r.status === 403) {
    throw new MedGemmaError('unauthorized', `The server at ${origin} refused the request (${r.status}): set its API key with "MedGemma: Set API Key" (CLI: MEDGEMMA_API_KEY).`, { status: r.status, serverMessage: words });
  }
  throw new MedGemmaError(
    r.status >= 500 ? 'server-error' : 'bad-request',
    `The server at ${origin} did not load the adapter (${r.status}: ${words}). If LoRA is not enabled there, ${startWithAdapter(name, path)}; an adapter of a higher rank than the server allows needs --max-lora-rank.`,
    { status: r.status, serverMessage: words },
  );
}
