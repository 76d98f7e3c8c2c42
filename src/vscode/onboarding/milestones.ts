// First-run milestones as context keys. The walkthrough's steps complete on them
// (`completionEvents: onContext:…`), so a step is ticked only when the thing really happened:
// a check that succeeded, a summary that finished, a paper indexed, an image opened.
//
// How VS Code (1.100–1.139) ticks such a step, and why each success is a pulse (true, then
// false) rather than a key left true:
// - it ticks when the key changes and the expression then holds, at most once per window
//   session per expression;
// - its walkthrough service starts when a walkthrough is first shown; a key that is already
//   true then counts as "happened this session" WITHOUT ticking, so that step could never be
//   ticked in this window again. A key that is false at that moment keeps the step tickable.
// Successes before the walkthrough was first shown are replayed when our Get Started opens it.

import * as vscode from 'vscode';

export type Milestone = 'serverChecked' | 'summarized' | 'paperAttached' | 'imageOpened';

const reachedThisSession = new Set<Milestone>();

const setKey = (milestone: Milestone, value: boolean) =>
  vscode.commands.executeCommand('setContext', `medgemma.walkthrough.${milestone}`, value);

async function pulse(milestone: Milestone): Promise<void> {
  await setKey(milestone, true);
  await setKey(milestone, false);
}

/** Records a success and ticks its walkthrough step if the walkthrough is up. */
export function reached(milestone: Milestone): void {
  reachedThisSession.add(milestone);
  void pulse(milestone);
}

/** Ticks the steps of this session's earlier successes (call once the walkthrough is shown). */
export async function replayMilestones(): Promise<void> {
  for (const m of reachedThisSession) await pulse(m);
}
