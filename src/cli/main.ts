#!/usr/bin/env node
/**
 * `filmgrain <command>`: the composition root. Each command lives in its own module
 * under `commands/`, exports `{ summary, run }`, and is listed here once.
 */
import type { Command } from './command.js';
import { UsageError } from './flags.js';

const commands: Record<string, () => Promise<{ command: Command }>> = {
  start: () => import('./commands/start.js'),
  match: () => import('./commands/match.js'),
  catalog: () => import('./commands/catalog.js'),
  eval: () => import('./commands/eval.js'),
  token: () => import('./commands/token.js'),
  feeder: () => import('./commands/feeder.js'),
  endpoint: () => import('./commands/endpoint.js'),
  watch: () => import('./commands/watch.js'),
  directory: () => import('./commands/directory.js'),
  drain: () => import('./commands/drain.js'),
};

function usage(): string {
  const names = Object.keys(commands).sort();
  return [
    'usage: filmgrain <command> [options]   (filmgrain <command> --help for its options)',
    '',
    'commands:',
    ...names.map((n) => `  ${n}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  const load = commands[name];
  if (load === undefined) {
    console.error(`filmgrain: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const { command } = await load();
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    // Commands that run a server resolve only when asked to stop; commands that
    // finish set the exit code and let the event loop drain (stdout flushes).
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`filmgrain: ${err instanceof Error ? err.message : String(err)}`);
    // Exit now: a command that failed half-way may hold sockets or timers open. A
    // refused flag or env value is a usage error (2), anything else a failure (1).
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
