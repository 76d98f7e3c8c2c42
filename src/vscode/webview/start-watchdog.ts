// Reopens a webview whose page never starts. In VS Code for the Web (code-server) every webview
// shares one origin, and each new webview frame installs its own service worker, which takes
// over all webview frames at once (skipWaiting + clients.claim). A frame that is still loading
// at that moment can lose its handshake or its script request and stay blank for good; setting
// its HTML again does not help (the frame waits for the lost reply first). Only a new frame
// does: hiding and showing a view, replacing a panel, closing and reopening a custom editor.
// Desktop VS Code gives each webview its own origin and never gets here.

export interface StartWatchdogOptions {
  /** Makes a new frame for the view (its page loads again). */
  reopen(): Promise<void>;
  warn(message: string): void;
  /**
   * First wait; tripled after each reopen (10, 30, 90 s), so a merely slow machine is not
   * reloaded forever, and a new frame held up by code-server's 30 s service-worker timeout
   * (test/e2e/README.md) starts before the next check.
   */
  firstWaitMs?: number;
  maxReopens?: number;
}

export class StartWatchdog {
  private timer?: ReturnType<typeof setTimeout>;
  private reopens = 0;

  constructor(private readonly o: StartWatchdogOptions) {}

  /** A page is loading in a visible view: it should start soon. */
  expect(): void {
    this.cancel();
    const max = this.o.maxReopens ?? 3;
    if (this.reopens >= max) return;
    const wait = (this.o.firstWaitMs ?? 10_000) * 3 ** this.reopens;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reopens++;
      this.o.warn(`The view's page did not start within ${wait / 1000} s; reopening the view (${this.reopens} of ${max}).`);
      this.o.reopen().catch((e) => this.o.warn(`Reopening the view failed: ${(e as Error)?.message ?? e}`));
    }, wait);
  }

  /** The page started: the next load gets the first wait again. */
  started(): void {
    this.cancel();
    this.reopens = 0;
  }

  /** The view was hidden or closed: its page is gone, nothing to wait for. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
