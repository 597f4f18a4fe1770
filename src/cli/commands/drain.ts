/**
 * `filmgrain drain --id ID --redis URL`: the admin command that drains one endpoint. It sets
 * the endpoint's `draining` flag in the registry; the endpoint sees it on its next
 * heartbeat, leaves the endpoint list, moves its clients to peers over its drain window
 * and exits — as on SIGTERM. `--list` shows the registry instead.
 */
import type { Command } from '../command.js';
import { createEngine, createRegistry, ENGINE_FLAGS } from '../engine-runtime.js';
import { parseFlags } from '../flags.js';
import { createLogger } from '../log.js';

const FLAGS = {
  ...ENGINE_FLAGS,
  id: { type: 'string', value: 'ID', help: 'the endpoint to drain (see --list)' },
  list: { type: 'boolean', help: 'list the registered endpoints instead' },
  undo: { type: 'boolean', help: 'clear the draining flag instead of setting it' },
} as const;

export const command: Command = {
  summary: 'drain one endpoint (it redirects its clients and exits), or --list them',
  async run(argv) {
    const flags = parseFlags(
      argv,
      FLAGS,
      'usage: filmgrain drain --id ENDPOINT_ID --redis URL   |   filmgrain drain --list --redis URL',
    );
    if (flags === null) return 0;
    if (flags.redis === undefined)
      throw new Error('filmgrain drain needs --redis URL (or REDIS_URL)');
    const engine = await createEngine(flags, createLogger('error', 'drain'));
    try {
      const registry = createRegistry(engine);
      if (flags.list) {
        for (const e of await registry.list())
          console.log(
            `${e.id}  ${e.tls ? 'tls' : 'tcp'}://${e.host}:${e.port}  ${e.connections}/${e.capacity || '∞'}${e.draining ? '  draining' : ''}`,
          );
        return 0;
      }
      const id = flags.id;
      if (id === undefined) throw new Error('give --id ENDPOINT_ID (see --list)');
      if (!(await registry.setDraining(id, !flags.undo))) {
        console.error(`filmgrain drain: no live endpoint "${id}"`);
        return 1;
      }
      console.log(`${id}: ${flags.undo ? 'draining cleared' : 'draining'}`);
      return 0;
    } finally {
      await engine.close();
    }
  },
};
