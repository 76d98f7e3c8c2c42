// MedGemma 27B in thinking mode answers "<unused94>thought\n...<unused95>answer". Users see
// the answer only; the thought is kept aside (never logged). Works on streamed pieces, where
// a marker may arrive split across chunks.

const OPEN = '<unused94>';
const CLOSE = '<unused95>';

export class ThoughtFilter {
  private buffer = '';
  private state: 'start' | 'thinking' | 'answer' = 'start';
  thought = '';

  /** Feed a streamed piece; returns the part of it the user should see (maybe ''). */
  push(piece: string): string {
    if (this.state === 'answer') return piece;
    this.buffer += piece;
    if (this.state === 'start') {
      if (OPEN.startsWith(this.buffer)) return ''; // could still become the marker
      if (!this.buffer.startsWith(OPEN)) return this.release();
      this.state = 'thinking';
      this.buffer = this.buffer.slice(OPEN.length);
    }
    const end = this.buffer.indexOf(CLOSE);
    if (end < 0) return '';
    this.thought = this.buffer.slice(0, end).replace(/^thought\n?/, '');
    this.buffer = this.buffer.slice(end + CLOSE.length);
    return this.release();
  }

  /** At the end of the stream: anything held back (an unfinished thought is not shown). */
  flush(): string {
    if (this.state === 'start') return this.release();
    if (this.state === 'thinking') {
      this.thought = this.buffer;
      this.buffer = '';
    }
    return '';
  }

  private release(): string {
    this.state = 'answer';
    const out = this.buffer;
    this.buffer = '';
    return out;
  }
}
