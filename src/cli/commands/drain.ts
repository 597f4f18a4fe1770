/**
 * `filmgrain drain --id ID --redis URL`: the admin command that drains one endpoint. It sets
 * the endpoint's `draining` flag in the registry; the endpoint sees it on its next
 * heartbeat, leaves the endpoint list, moves its clients to peers over its drain window
 * and exits — as on SIGTERM. `--list` shows the registry instead.
 */

import { flag, int, str } from '../../options/declare.js';
import type { Command } from '../command.js';
import { createStore, STORE_OPTIONS } from '../engine-runtime.js';
import { parseCommand, UsageError } from '../flags.js';
import { createLogger } from '../log.js';

const DRAIN_OPTIONS = {
  id: str({ flag: 'id', value: 'ID', doc: 'the endpoint to drain (see --list)' }),
  list: flag({ flag: 'list', doc: 'list the registered endpoints instead' }),
  undo: flag({ flag: 'undo', doc: 'clear the draining flag instead of setting it' }),
  timeoutMs: int({
    flag: 'timeout',
    env: 'FILMGRAIN_DRAIN_TIMEOUT_MS',
    default: 10_000,
    // An operator's command: if Redis has not answered in this long, say so and exit 1.
    min: 100,
    max: 600_000,
    value: 'MS',
    doc: 'give up (exit 1) when Redis does not answer within this long',
  }),
} as const;

const OPTIONS = { engine: STORE_OPTIONS, drain: DRAIN_OPTIONS } as const;

/** Rejects after `ms` with a message naming what did not answer. */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${ms} ms (--timeout)`)),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export const command: Command = {
  summary: 'drain one endpoint (it redirects its clients and exits), or --list them',
  async run(argv) {
    const flags = parseCommand(
      argv,
      OPTIONS,
      'usage: filmgrain drain --id ENDPOINT_ID --redis URL   |   filmgrain drain --list --redis URL',
    );
    if (flags === null) return 0;
    if (flags.engine.redis === undefined)
      throw new UsageError('filmgrain drain needs --redis URL (or REDIS_URL)');
    const d = flags.drain;
    const timeoutMs = d.timeoutMs ?? DRAIN_OPTIONS.timeoutMs.default;
    if (!d.list && d.id === undefined) throw new UsageError('give --id ENDPOINT_ID (or --list)');
    // warn: the "waiting for redis" lines are what an operator needs to see here.
    const { engine, registry } = await createStore(
      { ...flags.engine, redisConnectTimeoutMs: flags.engine.redisConnectTimeoutMs ?? timeoutMs },
      createLogger('warn', 'drain'),
    );
    try {
      if (d.list) {
        for (const e of await within(timeoutMs, 'listing the registry', registry.list()))
          console.log(
            `${e.id}  ${e.tls ? 'tls' : 'tcp'}://${e.host}:${e.port}  ${e.connections}/${e.capacity || '∞'}${e.draining ? '  draining' : ''}`,
          );
        return 0;
      }
      const id = d.id as string;
      if (!(await within(timeoutMs, `setting ${id} draining`, registry.setDraining(id, !d.undo)))) {
        console.error(`filmgrain drain: no live endpoint "${id}"`);
        return 1;
      }
      console.log(`${id}: ${d.undo ? 'draining cleared' : 'draining'}`);
      return 0;
    } finally {
      await within(timeoutMs, 'closing the Redis connection', engine.close()).catch(() => {});
    }
  },
};
