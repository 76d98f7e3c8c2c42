// "Copy" buttons of the walkthrough's first step: the commands of README's "Start a MedGemma
// server", to paste into a terminal on the GPU machine.

import * as vscode from 'vscode';

export const SERVER_COMMANDS = {
  vllm: "vllm serve google/medgemma-4b-it --dtype bfloat16 --max-model-len 32768 --limit-mm-per-prompt '{\"image\":4}'",
  'vllm-27b': 'vllm serve google/medgemma-27b-text-it --dtype bfloat16 --max-model-len 32768',
} as const;

export type ServerKind = keyof typeof SERVER_COMMANDS;

export async function copyServerCommand(kind: unknown): Promise<void> {
  if (typeof kind !== 'string' || !(kind in SERVER_COMMANDS)) {
    void vscode.window.showErrorMessage(`Unknown server command "${String(kind)}": use one of ${Object.keys(SERVER_COMMANDS).join(', ')}.`);
    return;
  }
  const command = SERVER_COMMANDS[kind as ServerKind];
  try {
    await vscode.env.clipboard.writeText(command);
  } catch {
    // A browser may refuse the clipboard: show the command so it can be copied by hand.
    void vscode.window.showInformationMessage(`Run this on the GPU server: ${command}`, { modal: true });
    return;
  }
  vscode.window.setStatusBarMessage(`$(check) Copied: ${command}`, 6000);
}
