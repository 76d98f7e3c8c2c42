// Where one paper viewer should be, across the pages (webview frames) that come and go under it:
// a blank page is replaced by a new one (start-watchdog.ts), so the latest place asked for is
// kept until a page has started, and a citation clicked meanwhile is not lost. No vscode import:
// unit-tested in test/unit/papers/viewer-place.test.ts.

export interface Place {
  page: number;
  /** The cited passage to mark on the page. */
  highlight?: string;
}

export interface PlaceSender {
  /** The page just started: give it the paper, open at this place. */
  open(p: Place): void;
  /** A started page moves to this place. */
  goto(p: Place): void;
}

export class ViewerPlace {
  private live = false;
  private settle!: (started: boolean) => void;
  /** true once a page has started; false if the viewer was closed before any did. */
  readonly started = new Promise<boolean>((r) => (this.settle = r));

  constructor(
    private place: Place,
    private readonly send: PlaceSender,
  ) {}

  /** A new page is loading in place of the last: it gets the latest place when it starts. */
  loading(): void {
    this.live = false;
  }

  /** A page started (its first message): it opens the paper where the viewer should be. */
  pageStarted(): void {
    this.live = true;
    this.send.open(this.place);
    this.settle(true);
  }

  /** Another citation of this paper: a started page goes there now, else the next to start. */
  goto(p: Place): Promise<boolean> {
    this.place = p;
    if (this.live) this.send.goto(p);
    return this.started;
  }

  closed(): void {
    this.live = false;
    this.settle(false);
  }
}
