/**
 * One declaration per option: its flag, environment variable, default, parser with
 * bounds, and help text. A component (endpoint, balancer, feeder, …) exports a table
 * of these next to its options type; the library takes its defaults from the table
 * (`defaultsOf`) and the CLI derives flags, env fallbacks, validation and `--help`
 * from the same table (src/cli/flags.ts), so the two can never disagree.
 *
 * This module imports nothing: every layer may declare options.
 */

export interface Option<T> {
  /** The long flag, without dashes: `max-feeds` → `--max-feeds`. */
  flag: string;
  /** Read when the flag is absent (the flag wins). */
  env?: string;
  /** The library default (what `defaultsOf` returns). */
  default: T;
  /** Help's name for the value, e.g. MS; absent for a switch. */
  value?: string;
  /** One line for `--help`. */
  doc: string;
  /** A switch (`--plain`) takes no value; its env var is true for 1/true/yes. */
  switch?: boolean;
  /**
   * Text (from the flag or env) → value. Throws an Error whose message completes
   * "--flag …", e.g. `must be an integer ≥ 1, not "0"`; the CLI prefixes the flag.
   */
  parse(text: string): T;
  /** Bounds etc. for `--help`, e.g. "1..1000". */
  range?: string;
  /** What `--help` names as the default when the CLI derives it (e.g. "--max-connections"). */
  helpDefault?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: a table holds options of any value type
export type OptionTable = Record<string, Option<any>>;

/** The values a table declares: `{ maxFeeds: number, ... }`. */
export type OptionValues<T extends OptionTable> = {
  [K in keyof T]: T[K] extends Option<infer V> ? V : never;
};

/** The library defaults of a table. */
export function defaultsOf<T extends OptionTable>(table: T): OptionValues<T> {
  const out: Record<string, unknown> = {};
  for (const [key, o] of Object.entries(table)) out[key] = o.default;
  return out as OptionValues<T>;
}

/** Thrown by `parse` for a refused value; the CLI names the flag in front of it. */
export class OptionValueError extends Error {}

const fmt = (n: number): string =>
  Number.isInteger(n) && Math.abs(n) >= 10_000 ? n.toLocaleString('en-US') : String(n);

interface Common {
  flag: string;
  env?: string;
  value?: string;
  doc: string;
  helpDefault?: string;
}

interface NumberBounds {
  /** Smallest accepted value (inclusive). */
  min: number;
  /** Largest accepted value (inclusive); say why in a comment where it is chosen. */
  max: number;
}

function checkBounds(n: number, text: string, b: NumberBounds, kind: string): number {
  if (n < b.min) throw new OptionValueError(`must be ≥ ${fmt(b.min)}, not ${text}`);
  if (n > b.max) throw new OptionValueError(`must be ≤ ${fmt(b.max)}, not ${text}`);
  if (!Number.isFinite(n)) throw new OptionValueError(`must be ${kind}, not "${text}"`);
  return n;
}

/** An integer option within [min, max]. */
export function int<D extends number | undefined = number>(
  o: Common & NumberBounds & { default: D },
): Option<number | D> {
  return {
    ...o,
    value: o.value ?? 'N',
    range: `${fmt(o.min)}..${fmt(o.max)}`,
    parse(text) {
      const t = text.trim();
      // Plain decimal digits only: "1e3", "0x10", "12abc" and "" are refused.
      if (!/^-?\d+$/.test(t)) throw new OptionValueError(`must be an integer, not "${text}"`);
      return checkBounds(Number(t), t, o, 'an integer');
    },
  };
}

/** A number option (fractions allowed) within [min, max]; `above` makes min exclusive. */
export function num<D extends number | undefined = number>(
  o: Common & NumberBounds & { default: D; above?: boolean },
): Option<number | D> {
  return {
    ...o,
    value: o.value ?? 'N',
    range: `${o.above ? '>' : ''}${fmt(o.min)}..${fmt(o.max)}`,
    parse(text) {
      const t = text.trim();
      const n = t === '' ? Number.NaN : Number(t);
      if (Number.isNaN(n)) throw new OptionValueError(`must be a number, not "${text}"`);
      if (o.above && n <= o.min) throw new OptionValueError(`must be > ${fmt(o.min)}, not ${t}`);
      return checkBounds(n, t, o, 'a finite number');
    },
  };
}

/** A text option; `check` returns the reason a value is refused, or null. */
export function str<D extends string | undefined = undefined>(
  o: Common & { default?: D; check?: (v: string) => string | null },
): Option<string | D> {
  return {
    ...o,
    default: o.default as D,
    value: o.value ?? 'VALUE',
    parse(text) {
      if (text === '') throw new OptionValueError('must not be empty');
      const why = o.check?.(text) ?? null;
      if (why !== null) throw new OptionValueError(why);
      return text;
    },
  };
}

/** One of a fixed set of words. */
export function oneOf<const W extends string, D extends W | undefined = W>(
  o: Common & { words: readonly W[]; default: D },
): Option<W | D> {
  return {
    ...o,
    value: o.value ?? o.words.join('|'),
    parse(text) {
      if (!(o.words as readonly string[]).includes(text))
        throw new OptionValueError(`must be one of ${o.words.join(', ')}, not "${text}"`);
      return text as W;
    },
  };
}

/** A switch: present = true. */
export function flag(o: Common): Option<boolean> {
  return {
    ...o,
    default: false,
    switch: true,
    parse(text) {
      if (/^(1|true|yes)$/i.test(text)) return true;
      if (/^(0|false|no)?$/i.test(text)) return false;
      throw new OptionValueError(`must be true or false, not "${text}"`);
    },
  };
}
