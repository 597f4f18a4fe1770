/**
 * The terminal side of `watch`: alternate screen, raw keys, and a redraw at most every
 * `minFrameMs` (10 frames/s) that writes only the rows that changed — so a burst of
 * posts costs one small write, and nothing flickers.
 */
import { type Key, parseKeys } from './keys.js';

export interface Screen {
  /** Marks the screen stale; it is redrawn within minFrameMs. */
  invalidate(): void;
  restore(): void;
}

export function openScreen(
  draw: (cols: number, rows: number) => string[],
  onKey: (key: Key) => void,
  minFrameMs = 100,
  stdin: NodeJS.ReadStream = process.stdin,
  stdout: NodeJS.WriteStream = process.stdout,
): Screen {
  let previous: string[] = [];
  let lastFrame = 0;
  let timer: NodeJS.Timeout | null = null;
  let open = true;

  const frame = () => {
    timer = null;
    if (!open) return;
    lastFrame = Date.now();
    const cols = stdout.columns || 80;
    const rows = stdout.rows || 24;
    const lines = draw(cols, rows);
    let out = '';
    for (const [i, line] of lines.entries())
      if (line !== previous[i]) out += `\x1b[${i + 1};1H${line}\x1b[0m\x1b[K`;
    previous = lines;
    if (out !== '') stdout.write(out);
  };
  const invalidate = () => {
    if (timer !== null || !open) return;
    timer = setTimeout(frame, Math.max(0, lastFrame + minFrameMs - Date.now()));
  };
  const onResize = () => {
    previous = [];
    stdout.write('\x1b[2J');
    invalidate();
  };
  const onData = (chunk: Buffer | string) => {
    for (const key of parseKeys(chunk.toString())) onKey(key);
  };

  // Alternate screen, hidden cursor, and no auto-wrap: if the terminal measures a
  // character wider than we did, the row is cut at the edge instead of spilling into
  // (and erasing) the next one.
  stdout.write('\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[2J');
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  stdout.on('resize', onResize);
  invalidate();

  return {
    invalidate,
    restore() {
      if (!open) return;
      open = false;
      if (timer !== null) clearTimeout(timer);
      stdout.off('resize', onResize);
      stdin.off('data', onData);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      stdout.write('\x1b[0m\x1b[?7h\x1b[?25h\x1b[?1049l');
    },
  };
}
