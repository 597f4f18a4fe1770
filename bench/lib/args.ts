/**
 * Integer options of the benchmarks, checked where they are read: a value out of range
 * ends the run at once with the flag's name (exit 2), instead of a NaN or an odd value
 * reaching the clients or the scheduler minutes into it.
 */
export function intOption(flag: string, text: string, min: number, max: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min || v > max) {
    console.error(`--${flag} must be an integer from ${min} to ${max}, not "${text}"`);
    process.exit(2);
  }
  return v;
}

/** Filmgrain's client protocol options (`--protocol`, `--ranking-size`): PROTOCOL.md § 4. */
export function clientProtocol(values: { protocol: string; 'ranking-size': string }): {
  protocol: 1 | 2;
  rankingSize: number;
} {
  const protocol = intOption('protocol', values.protocol, 1, 2) as 1 | 2;
  return { protocol, rankingSize: intOption('ranking-size', values['ranking-size'], 1, 100) };
}
