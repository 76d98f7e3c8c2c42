// MedGemma: Load LoRA Adapter… — an adapter the team trained, loaded into the running vLLM so
// it appears in the model pickers under its base; when the server cannot load adapters while it
// runs, the error says exactly what to start it with.

import * as vscode from 'vscode';
import { loadLoraAdapter } from '../../core/server/lora';
import type { Services } from '../services';

export interface AdapterArgs {
  name: string;
  path: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/;

async function ask(): Promise<AdapterArgs | undefined> {
  const name = await vscode.window.showInputBox({
    title: 'Load LoRA Adapter (1 of 2): its name',
    prompt: 'The name requests will use for the adapter, e.g. notes-lora.',
    ignoreFocusOut: true,
    validateInput: (v) => (NAME.test(v.trim()) ? undefined : 'Letters, digits and . _ / - only, up to 128 characters.'),
  });
  if (name === undefined) return undefined;
  const path = await vscode.window.showInputBox({
    title: 'Load LoRA Adapter (2 of 2): its folder on the server',
    prompt: "The adapter's folder on the server's machine (with adapter_config.json), e.g. /srv/adapters/notes-lora.",
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : "Give the folder's path on the server."),
  });
  return path === undefined ? undefined : { name: name.trim(), path: path.trim() };
}

/** True when loaded; `args` skip the questions (tests, other commands). */
export async function loadAdapterCommand(services: Services, args?: AdapterArgs): Promise<boolean> {
  if (!(await services.requireTrust())) return false;
  const client = await services.clientOrShowError('Load LoRA Adapter');
  if (!client) return false;
  const given = args ?? (await ask());
  if (!given) return false;
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MedGemma: loading the adapter "${given.name}"…` },
      () => loadLoraAdapter(client, given.name, given.path),
    );
  } catch (e) {
    // Not awaited: the message waits for a click on its actions, the command's result does not.
    void services.showError(e, 'Load LoRA Adapter');
    return false;
  }
  const base = (await client.endpoint('text').discovery.models().catch(() => [])).find((m) => m.id === given.name)?.parent;
  // Views re-read the models: the chat's picker shows it under its base.
  services.reset('LoRA adapter loaded');
  services.log.info('Load LoRA Adapter: loaded');
  void vscode.window.showInformationMessage(`Loaded the adapter "${given.name}"${base ? ` on ${base}` : ''}: pick it in the chat's model picker, or set "medgemma.server.model" to it.`);
  return true;
}
