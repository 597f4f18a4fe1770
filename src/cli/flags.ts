/**
 * Flags, environment fallbacks, validation and `--help`, all derived from the option
 * tables the components declare (src/options/declare.ts). A command lists the tables
 * it takes; parsing returns, per table, only the options the operator set (flag or
 * env) as a `Partial` of the component's values, so the component's own defaults
 * apply to the rest — there is no second copy of a default here.
 *
 * Parsing itself is `node:util` `parseArgs` (strict: an unknown flag is an error); see
 * the README's development section for why no CLI library.
 */
import { parseArgs } from 'node:util';
import {
  type Option,
  type OptionTable,
  OptionValueError,
  type OptionValues,
} from '../options/declare.js';

export type OptionGroups = Record<string, OptionTable>;
export type ParsedGroups<G extends OptionGroups> = {
  [K in keyof G]: Partial<OptionValues<G[K]>>;
};

/** A value the operator gave that a declaration refused (exit status 2). */
export class UsageError extends Error {}

function entries(groups: OptionGroups): [group: string, key: string, option: Option<unknown>][] {
  const out: [string, string, Option<unknown>][] = [];
  const seen = new Map<string, string>();
  for (const [group, table] of Object.entries(groups))
    for (const [key, option] of Object.entries(table)) {
      const other = seen.get(option.flag);
      // Two components declaring one flag is a programming error, caught by any --help test.
      if (other !== undefined)
        throw new Error(`--${option.flag} is declared by both ${other} and ${group}`);
      seen.set(option.flag, group);
      out.push([group, key, option]);
    }
  return out;
}

export function helpText(usage: string, groups: OptionGroups): string {
  const rows = entries(groups).map(([, , o]) => {
    const left = `--${o.flag}${o.switch ? '' : ` ${o.value ?? 'VALUE'}`}`;
    const extra = [
      o.helpDefault !== undefined
        ? `default ${o.helpDefault}`
        : o.default !== undefined && o.default !== false
          ? `default ${String(o.default)}`
          : '',
      o.range ? o.range : '',
      o.env ? `env ${o.env}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return `  ${left.padEnd(26)} ${o.doc}${extra ? ` (${extra})` : ''}`;
  });
  return `${usage}\n\noptions:\n${rows.join('\n')}\n  ${'--help'.padEnd(26)} this text`;
}

/**
 * `--port -1` would make parseArgs stop with "argument is ambiguous" (a value that
 * looks like a flag); joining it as `--port=-1` lets the declaration refuse it with
 * its own bound ("must be ≥ 0").
 */
function joinNegativeValues(argv: string[], valued: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = argv[i + 1];
    if (
      a.startsWith('--') &&
      valued.has(a.slice(2)) &&
      next !== undefined &&
      /^-[\d.]/.test(next)
    ) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export interface ParseOptions {
  env?: NodeJS.ProcessEnv;
  /** Accept positional arguments (returned as `positionals`). */
  positionals?: boolean;
}

/**
 * Parses argv against the tables. Returns null after printing help. Throws a
 * UsageError naming the flag (and the env var, when the value came from there) for an
 * unknown flag or a refused value.
 */
export function parseCommand<G extends OptionGroups>(
  argv: string[],
  groups: G,
  usage: string,
  opts: ParseOptions = {},
): (ParsedGroups<G> & { positionals: string[] }) | null {
  const env = opts.env ?? process.env;
  const all = entries(groups);
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  const valued = new Set<string>();
  for (const [, , o] of all) {
    options[o.flag] = { type: o.switch ? 'boolean' : 'string' };
    if (!o.switch) valued.add(o.flag);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv, valued),
      options,
      allowPositionals: opts.positionals ?? false,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(helpText(usage, groups));
    return null;
  }
  const out: Record<string, Record<string, unknown>> = {};
  for (const group of Object.keys(groups)) out[group] = {};
  for (const [group, key, o] of all) {
    const given = values[o.flag];
    const fromEnv = o.env === undefined ? undefined : env[o.env];
    const bucket = out[group] as Record<string, unknown>;
    if (given === true) bucket[key] = true;
    else if (typeof given === 'string') bucket[key] = parseValue(o, given, `--${o.flag}`);
    else if (fromEnv !== undefined && fromEnv !== '')
      bucket[key] = parseValue(o, fromEnv, `${o.env} (--${o.flag})`);
  }
  return { ...(out as ParsedGroups<G>), positionals };
}

function parseValue(o: Option<unknown>, text: string, name: string): unknown {
  try {
    return o.parse(text);
  } catch (err) {
    if (err instanceof OptionValueError) throw new UsageError(`${name} ${err.message}`);
    throw err;
  }
}
