// First-run milestones as context keys. The walkthrough's steps complete on them
// (`completionEvents: onContext:…`), so a step is ticked only when the thing really happened:
// a check that succeeded, a summary that finished, a paper indexed, an image opened.

import * as vscode from 'vscode';

export type Milestone = 'serverChecked' | 'summarized' | 'paperAttached' | 'imageOpened';

/**
 * Sets `medgemma.walkthrough.<milestone>` to true. VS Code ticks a step when the key changes,
 * not because it is true, and the window keeps the key when only the extension host restarts:
 * a key already true (an earlier success, before the walkthrough was opened or its progress
 * reset) would never tick the step. So every success turns the key off and on.
 */
export function reached(milestone: Milestone): void {
  const key = `medgemma.walkthrough.${milestone}`;
  const set = (v: boolean) => vscode.commands.executeCommand('setContext', key, v);
  void set(false).then(() => set(true));
}
