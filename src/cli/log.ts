/**
 * Structured logs: one JSON object per line on stderr, `{"t", "level", "msg", ...}`,
 * filtered by level (`--log-level` / FILMGRAIN_LOG_LEVEL; default warn: a server
 * prints only what needs an operator, `--log-level info` tells its story). stdout stays
 * free for what a command is asked to print.
 */
import { oneOf } from '../options/declare.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function isLogLevel(v: string): v is LogLevel {
  return v in LEVELS;
}

export function createLogger(level: LogLevel = 'info', component = 'filmgrain'): Logger {
  const min = LEVELS[level];
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return;
    const entry: Record<string, unknown> = {
      t: new Date().toISOString(),
      level: lvl,
      component,
      msg,
    };
    if (fields) {
      for (const [k, v] of Object.entries(fields))
        entry[k] =
          v instanceof Error ? { message: v.message, code: (v as NodeJS.ErrnoException).code } : v;
    }
    process.stderr.write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

/** The `--log-level` option every long-running command takes. */
export const LOG_OPTIONS = {
  level: oneOf({
    flag: 'log-level',
    env: 'FILMGRAIN_LOG_LEVEL',
    words: Object.keys(LEVELS) as LogLevel[],
    default: 'warn',
    value: 'LEVEL',
    doc: 'debug | info | warn | error (JSON lines on stderr)',
  }),
} as const;

/** The logger a command asked for with `--log-level`. */
export function commandLogger(level: LogLevel | undefined, component: string): Logger {
  return createLogger(level ?? LOG_OPTIONS.level.default, component);
}
