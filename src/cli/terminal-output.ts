// stdout and stderr as every subcommand sees them: whatever is written is passed through
// terminalText (src/core/terminal-text.ts) first, so no path can forget it.

import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { terminalText } from '../core/terminal-text';

export class TerminalOutput extends Writable {
  private readonly decoder = new StringDecoder('utf8');
  /** A chunk ended in CR: CRLF split across two writes is still a line end. */
  private pendingCr = false;

  constructor(readonly raw: NodeJS.WriteStream) {
    super({ decodeStrings: false });
  }

  get isTTY(): boolean {
    return !!this.raw.isTTY;
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (e?: Error | null) => void): void {
    let text = (this.pendingCr ? '\r' : '') + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    this.pendingCr = text.endsWith('\r');
    if (this.pendingCr) text = text.slice(0, -1);
    if (text) this.raw.write(terminalText(text));
    done();
  }
}

/** The stream our own control characters (a progress line's CR) may go to. */
export function rawOutput(s: NodeJS.WritableStream): NodeJS.WritableStream {
  return s instanceof TerminalOutput ? s.raw : s;
}
