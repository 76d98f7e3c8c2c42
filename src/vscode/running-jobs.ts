// Work that runs now and can be stopped (summaries, folder summaries, chat answers), with a
// context key that says whether any runs: a Stop command's `when` clause reads it.

import * as vscode from 'vscode';

export class RunningJobs {
  private readonly running = new Set<AbortController>();

  constructor(private readonly contextKey: string) {}

  get size(): number {
    return this.running.size;
  }

  add(c: AbortController): void {
    this.running.add(c);
    this.update();
  }

  delete(c: AbortController): void {
    this.running.delete(c);
    this.update();
  }

  /** Stops every job; what finished is kept by each. Returns how many. */
  stopAll(): number {
    const n = this.running.size;
    for (const c of this.running) c.abort();
    return n;
  }

  private update(): void {
    void vscode.commands.executeCommand('setContext', this.contextKey, this.running.size > 0);
  }
}
