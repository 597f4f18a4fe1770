/**
 * Sans-I/O line framing: fed raw bytes, calls back once per complete line. A line
 * longer than `maxLineBytes` (its `\n` not counted) is an overflow: the splitter
 * reports it once and then drops everything, since the stream can no longer be
 * re-synchronised safely. Bytes are kept as byte arrays until a line is complete, so
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

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
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
      if (this.partBytes + (end - start) > this.maxLineBytes) {
        this.overflowed = true;
        this.parts = [];
        this.partBytes = 0;
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
      // Tolerate CRLF; skip blank lines (they carry nothing, and some clients send them
      // as keep-alives).
      const len =
        bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
      if (len === 0) continue;
      let text: string;
      try {
        text = decoder.decode(bytes.subarray(0, len));
      } catch {
        this.sink.invalidEncoding();
        continue;
      }
      this.sink.line(text);
      if (this.overflowed) return;
    }
  }
}
