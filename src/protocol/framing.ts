/**
 * Sans-I/O line framing: fed raw bytes, calls back once per complete line. A line
 * longer than `maxLineBytes` (its `\n` not counted) is an overflow: the splitter
 * reports it once and then drops everything, since a peer's stream can no longer be
 * re-synchronised safely — unless `resync` is set (a file read by `filmgrain match`,
 * whose next `\n` is trusted): then it skips to the end of that line and goes on. Bytes are kept as byte arrays until a line is complete, so
 * a line split at any byte boundary — even inside a UTF-8 sequence — decodes correctly.
 *
 * Portable: `Uint8Array` and `TextDecoder` only, so the client core runs in a browser.
 * The server feeds it Node Buffers (a Buffer is a Uint8Array): `indexOf` and
 * `subarray` then dispatch to Buffer's own native versions, so its hot path is as
 * before.
 */
export interface LineSink {
  line(text: string): void;
  /** The line was not valid UTF-8. */
  invalidEncoding(): void;
  overflow(): void;
  /** A blank line was skipped (for callers that number their lines). */
  blank?(): void;
}

export interface SplitterOptions {
  /** After an over-long line, skip to its `\n` and go on instead of stopping. */
  resync?: boolean;
}

const NEWLINE = 0x0a;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Concatenates `parts` (`total` bytes in all) into one array. */
function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export class LineSplitter {
  private parts: Uint8Array[] = [];
  private partBytes = 0;
  private overflowed = false;
  /** resync mode: inside an over-long line, dropping bytes up to its `\n`. */
  private skipping = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
    private readonly options: SplitterOptions = {},
  ) {}

  /** Bytes held for an incomplete line. */
  get buffered(): number {
    return this.partBytes;
  }

  push(chunk: Uint8Array): void {
    if (this.overflowed) return;
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      if (this.skipping) {
        if (nl === -1) return;
        this.skipping = false;
        start = nl + 1;
        continue;
      }
      if (this.partBytes + (end - start) > this.maxLineBytes) {
        this.parts = [];
        this.partBytes = 0;
        if (this.options.resync === true) {
          this.skipping = true;
          this.sink.overflow();
          continue;
        }
        this.overflowed = true;
        this.sink.overflow();
        return;
      }
      if (nl === -1) {
        this.parts.push(chunk.subarray(start));
        this.partBytes += chunk.length - start;
        return;
      }
      let bytes = chunk.subarray(start, nl);
      if (this.parts.length > 0) {
        this.parts.push(bytes);
        bytes = concat(this.parts, this.partBytes + bytes.length);
        this.parts = [];
        this.partBytes = 0;
      }
      start = nl + 1;
      this.emit(bytes);
      if (this.overflowed) return;
    }
  }

  /** The input ended: a last line without its `\n` is delivered (or reported) now. */
  end(): void {
    if (this.overflowed || this.skipping || this.parts.length === 0) return;
    const bytes = concat(this.parts, this.partBytes);
    this.parts = [];
    this.partBytes = 0;
    this.emit(bytes);
  }

  /**
   * One whole message from a message-framed transport (a WebSocket frame, PROTOCOL.md
   * § 12): the rules of a line (size, a tolerated `\r\n` or `\n` at its end, blank
   * skipped, UTF-8), but no search for `\n` inside: a frame is one message, so JSON
   * whitespace in it, newlines included, is just whitespace.
   */
  message(bytes: Uint8Array): void {
    if (this.overflowed) return;
    const len =
      bytes.length > 0 && bytes[bytes.length - 1] === NEWLINE ? bytes.length - 1 : bytes.length;
    if (len > this.maxLineBytes) {
      this.overflowed = true;
      this.sink.overflow();
      return;
    }
    this.emit(bytes.subarray(0, len));
  }

  private emit(bytes: Uint8Array): void {
    // Tolerate CRLF; skip blank lines (they carry nothing, and some clients send them
    // as keep-alives).
    const len =
      bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    if (len === 0) {
      this.sink.blank?.();
      return;
    }
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(0, len));
    } catch {
      this.sink.invalidEncoding();
      return;
    }
    this.sink.line(text);
  }
}
