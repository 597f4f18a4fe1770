/**
 * Terminal cell width of text, enough for a post feed: East Asian wide and most emoji
 * take two cells, combining marks and zero-width characters none, controls are
 * replaced. An approximation of wcwidth (Unicode UAX #11), not a full table.
 */
const WIDE: [number, number][] = [
  [0x1100, 0x115f],
  // BMP emoji with emoji presentation (Unicode 9+ makes them wide): ⌚ ⏩ ☕ ⚡ ✅ ✨ ❌ ⭐ …
  [0x231a, 0x231b],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f900, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

function cellWidth(cp: number): number {
  if (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f)
  )
    return 0;
  for (const [lo, hi] of WIDE) if (cp >= lo && cp <= hi) return 2;
  return 1;
}

/** Replaces control characters (newlines, tabs, ESC…) with spaces: nothing may move the cursor. */
export function sanitize(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += cellWidth(ch.codePointAt(0)!);
  return w;
}

/** Cuts `text` to at most `width` cells (ending in … when cut) and pads it to exactly `width`. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  let out = '';
  let w = 0;
  const total = textWidth(text);
  const limit = total > width ? width - 1 : width;
  for (const ch of text) {
    const cw = cellWidth(ch.codePointAt(0)!);
    if (w + cw > limit) break;
    out += ch;
    w += cw;
  }
  if (total > width) {
    out += '…';
    w += 1;
  }
  return out + ' '.repeat(Math.max(0, width - w));
}

/** Wraps `text` into lines of at most `width` cells, breaking at spaces when it can. */
export function wrap(text: string, width: number, maxLines = Number.POSITIVE_INFINITY): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  let line = '';
  let w = 0;
  for (const word of text.split(/(\s+)/)) {
    if (word === '') continue;
    const ww = textWidth(word);
    if (w + ww <= width) {
      line += word;
      w += ww;
      continue;
    }
    if (/^\s+$/.test(word)) {
      lines.push(line);
      line = '';
      w = 0;
      continue;
    }
    if (w > 0 && ww <= width) {
      lines.push(line.trimEnd());
      line = word;
      w = ww;
      continue;
    }
    for (const ch of word) {
      const cw = cellWidth(ch.codePointAt(0)!);
      if (w + cw > width) {
        lines.push(line);
        line = '';
        w = 0;
      }
      line += ch;
      w += cw;
    }
  }
  if (line.trim() !== '') lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = fit(`${kept[maxLines - 1]!} …`, width).trimEnd();
    return kept;
  }
  return lines;
}
