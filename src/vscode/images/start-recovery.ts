// Reopens an annotator whose page never starts (code-server: see ../webview/start-watchdog.ts).
// A custom editor gets a new frame only when its tab is closed and the image opened with the
// annotator again. Nothing is lost by that: a page that has not started has shown nothing, so
// nothing was drawn in it, and all else lives on the host (annotations and answers in the
// sidecar file, saved on every change). The watchdog is kept per image across the reopen, so
// its count and growing wait hold for the new editor.

import * as vscode from 'vscode';
import { StartWatchdog } from '../webview/start-watchdog';

/** Called by the session as the page's first messages arrive. */
export interface StartHooks {
  /** image/open arrived: the host decodes (may take long), nothing to wait for meanwhile. */
  opening(): void;
  /** Its answer goes out: the page confirms it got it with its next request. */
  answered(): void;
  /** The page has its image (or shows why not): it started. */
  started(): void;
}

interface Tracked {
  watchdog: StartWatchdog;
  panel: vscode.WebviewPanel;
  reopening: boolean;
}

export class AnnotatorStarts {
  private readonly byImage = new Map<string, Tracked>();
  /** Pages that got their image this session (tests). */
  pagesStarted = 0;
  /** Images that opened (decoded, annotations read or set aside) this session (tests). */
  imagesOpened = 0;

  /** Editors whose page has not started yet (tests). */
  get waiting(): number {
    return this.byImage.size;
  }

  constructor(private readonly log: vscode.LogOutputChannel) {}

  track(uri: vscode.Uri, panel: vscode.WebviewPanel): StartHooks {
    const key = `${panel.viewType}\n${uri.toString()}`;
    let t = this.byImage.get(key);
    if (!t) {
      const watchdog = new StartWatchdog({
        reopen: () => this.reopen(key, uri),
        warn: (message) => this.log.warn(`Image annotator: ${message}`),
      });
      this.byImage.set(key, (t = { watchdog, panel, reopening: false }));
    }
    const tracked = t;
    tracked.panel = panel;
    tracked.reopening = false;
    let phase: 'loading' | 'opening' | 'answered' | 'started' = 'loading';
    let visible = panel.visible;
    const current = () => tracked.panel === panel && this.byImage.get(key) === tracked;
    const expect = () => {
      if (visible && (phase === 'loading' || phase === 'answered') && current()) tracked.watchdog.expect();
    };
    // Retained when hidden: a page that has not started is only waited for while shown.
    const shown = panel.onDidChangeViewState(() => {
      if (panel.visible === visible) return;
      visible = panel.visible;
      if (visible) expect();
      else if (current()) tracked.watchdog.cancel();
    });
    panel.onDidDispose(() => {
      shown.dispose();
      if (current() && !tracked.reopening) this.forget(key);
    });
    expect();
    return {
      opening: () => {
        if (phase === 'started') return;
        phase = 'opening';
        if (current()) tracked.watchdog.cancel();
      },
      answered: () => {
        this.imagesOpened++;
        if (phase !== 'opening') return;
        phase = 'answered';
        expect();
      },
      started: () => {
        if (phase === 'started') return;
        phase = 'started';
        this.pagesStarted++;
        if (current()) this.forget(key);
      },
    };
  }

  dispose(): void {
    for (const key of [...this.byImage.keys()]) this.forget(key);
  }

  private forget(key: string): void {
    this.byImage.get(key)?.watchdog.cancel();
    this.byImage.delete(key);
  }

  /** Closes the blank editor's tab and opens the image with the same annotator in the same group. */
  private async reopen(key: string, uri: vscode.Uri): Promise<void> {
    const t = this.byImage.get(key);
    if (!t) return;
    const old = t.panel;
    // Read before the close: a disposed panel's properties throw.
    const { viewColumn, viewType, active } = old;
    const tab = vscode.window.tabGroups.all
      .filter((g) => g.viewColumn === viewColumn)
      .flatMap((g) => g.tabs)
      .find((tab) => tab.input instanceof vscode.TabInputCustom && tab.input.viewType === viewType && tab.input.uri.toString() === uri.toString());
    if (!tab) return;
    t.reopening = true;
    try {
      await vscode.window.tabGroups.close(tab, true);
      await vscode.commands.executeCommand('vscode.openWith', uri, viewType, { viewColumn, preserveFocus: !active, preview: tab.isPreview });
    } finally {
      // No new editor came (the open failed): nothing more to watch.
      if (t.panel === old) this.forget(key);
    }
  }
}
