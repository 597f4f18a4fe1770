/** Key presses from a raw-mode terminal, as the few commands `watch` knows. */
export type Key = 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom' | 'enter' | 'quit';

const SEQUENCES: [string, Key][] = [
  ['\x1b[A', 'up'],
  ['\x1bOA', 'up'],
  ['\x1b[B', 'down'],
  ['\x1bOB', 'down'],
  ['\x1b[5~', 'page-up'],
  ['\x1b[6~', 'page-down'],
  ['\x1b[H', 'top'],
  ['\x1b[F', 'bottom'],
  ['k', 'up'],
  ['j', 'down'],
  ['g', 'top'],
  ['G', 'bottom'],
  ['\r', 'enter'],
  ['\n', 'enter'],
  ['q', 'quit'],
  ['Q', 'quit'],
  ['\x03', 'quit'], // Ctrl-C (raw mode delivers it as a byte, not SIGINT)
];

export function parseKeys(input: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < input.length) {
    const hit = SEQUENCES.find(([seq]) => input.startsWith(seq, i));
    if (hit) {
      keys.push(hit[1]);
      i += hit[0].length;
    } else if (input[i] === '\x1b') {
      // An escape sequence we do not handle: skip to its final byte.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
      const m = /^\x1b\[[0-9;]*[A-Za-z~]/.exec(input.slice(i));
      i += m ? m[0].length : 1;
    } else i++;
  }
  return keys;
}
