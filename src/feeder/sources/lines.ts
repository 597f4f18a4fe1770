/**
 * A sans-I/O line splitter for newline-delimited streams (X's filtered stream, NDJSON
 * replay files). Fed decoded text in any chunking; yields complete lines without their
 * `\n` or `\r\n`. A line longer than `maxLineLength` is discarded up to its end and
 * reported once, so one runaway line cannot grow memory without bound.
 *
 * Not the protocol's LineSplitter (src/protocol/framing.ts), on purpose: that one is fed
 * bytes, counts bytes and refuses invalid UTF-8 (a client's line); these streams arrive
 * decoded already (a bad byte becomes U+FFFD and the post is still read), and blank
 * lines reach the caller (X's keep-alives; replay numbers every line it reports).
 */

export interface TextLineSplitterOptions {
  /** Longest line kept, in UTF-16 code units. Default 1_048_576 (1 Mi). */
  maxLineLength?: number;
}

export type LineEvent = { type: 'line'; line: string } | { type: 'overflow' };

export class TextLineSplitter {
  private buf = '';
  private discarding = false;
  private readonly max: number;

  constructor(opts: TextLineSplitterOptions = {}) {
    this.max = opts.maxLineLength ?? 1024 * 1024;
  }

  /** Splits `chunk`; returns the complete lines (and overflows) it finished. */
  push(chunk: string): LineEvent[] {
    const out: LineEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl === -1) break;
      const piece = chunk.slice(start, nl);
      start = nl + 1;
      if (this.discarding) {
        this.discarding = false;
        this.buf = '';
        continue;
      }
      const line = this.buf.length > 0 ? this.buf + piece : piece;
      this.buf = '';
      if (line.length > this.max) {
        out.push({ type: 'overflow' });
        continue;
      }
      out.push({ type: 'line', line: line.endsWith('\r') ? line.slice(0, -1) : line });
    }
    if (start < chunk.length && !this.discarding) {
      this.buf += chunk.slice(start);
      if (this.buf.length > this.max) {
        out.push({ type: 'overflow' });
        this.buf = '';
        this.discarding = true;
      }
    }
    return out;
  }

  /** At end of input: the last line if it had no terminator. */
  end(): LineEvent[] {
    const rest = this.buf;
    this.buf = '';
    if (this.discarding || rest.length === 0) return [];
    return [{ type: 'line', line: rest.endsWith('\r') ? rest.slice(0, -1) : rest }];
  }
}
