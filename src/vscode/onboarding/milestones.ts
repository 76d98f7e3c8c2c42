// First-run milestones as context keys. The walkthrough's steps complete on them
// (`completionEvents: onContext:…`), so a step is ticked only when the thing really happened:
// a check that succeeded, a summary that finished, a paper indexed, an image opened.

import * as vscode from 'vscode';

export type Milestone = 'serverChecked' | 'summarized' | 'paperAttached' | 'imageOpened';

const reachedOnce = new Set<Milestone>();

/** Sets `medgemma.walkthrough.<milestone>` to true (once per session). */
export function reached(milestone: Milestone): void {
  if (reachedOnce.has(milestone)) return;
  reachedOnce.add(milestone);
  void vscode.commands.executeCommand('setContext', `medgemma.walkthrough.${milestone}`, true);
}
