/**
 * Flags with environment fallbacks and generated `--help`: every option of every
 * server command is settable both ways (flag wins), and its default is documented in
 * one place.
 */
import { parseArgs } from 'node:util';

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** Environment variable read when the flag is absent. */
  env?: string;
  default?: string | boolean;
  /** Shown in --help as the value's name, e.g. FILE. */
  value?: string;
  help: string;
}

export type FlagSpecs = Record<string, FlagSpec>;
export type FlagValues<S extends FlagSpecs> = {
  [K in keyof S]: S[K]['type'] extends 'boolean' ? boolean : string | undefined;
};

export function helpText(usage: string, specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `--${name}${s.type === 'string' ? ` ${s.value ?? 'VALUE'}` : ''}`;
    const extra = [
      s.default !== undefined && s.default !== false ? `default ${String(s.default)}` : '',
      s.env ? `env ${s.env}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return `  ${left.padEnd(26)} ${s.help}${extra ? ` (${extra})` : ''}`;
  });
  return `${usage}\n\noptions:\n${rows.join('\n')}\n  ${'--help'.padEnd(26)} this text`;
}

/** Parses argv; returns null after printing help. Throws on unknown flags. */
export function parseFlags<S extends FlagSpecs>(
  argv: string[],
  specs: S,
  usage: string,
  env: NodeJS.ProcessEnv = process.env,
): FlagValues<S> | null {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [name, s] of Object.entries(specs)) options[name] = { type: s.type };
  const { values } = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
  if (values.help) {
    console.log(helpText(usage, specs));
    return null;
  }
  const out: Record<string, string | boolean | undefined> = {};
  for (const [name, s] of Object.entries(specs)) {
    const given = values[name];
    const fromEnv = s.env === undefined ? undefined : env[s.env];
    if (given !== undefined) out[name] = given;
    else if (fromEnv !== undefined && fromEnv !== '')
      out[name] = s.type === 'boolean' ? /^(1|true|yes)$/i.test(fromEnv) : fromEnv;
    else out[name] = s.default ?? (s.type === 'boolean' ? false : undefined);
  }
  return out as FlagValues<S>;
}

/** Reads a flag that must be a non-negative integer. */
export function intFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, not "${value}"`);
  return n;
}
