/**
 * `filmgrain endpoint --redis URL`: a client-facing endpoint alone. It follows Redis for
 * the movies its clients watch and the ranking, announces itself in the endpoint
 * registry (heartbeat; the entry expires if the process dies) so discovery lists it,
 * sheds clients to peers past its capacity, and drains on SIGTERM or `filmgrain drain`.
 * SIGINT stops at once (clients get `shutting_down`).
 */
import { ADMIN_FLAGS, runAdmin } from '../admin-runtime.js';
import { BALANCE_FLAGS, runBalancing } from '../balance-runtime.js';
import type { Command } from '../command.js';
import { ENDPOINT_FLAGS, runEndpoint } from '../endpoint-runtime.js';
import { createEngine, createRegistry, ENGINE_FLAGS, survive } from '../engine-runtime.js';
import { parseFlags } from '../flags.js';
import { commandLogger, LOG_FLAGS } from '../log.js';
import { untilSignal } from '../signals.js';

const FLAGS = {
  ...ENDPOINT_FLAGS,
  ...ENGINE_FLAGS,
  ...BALANCE_FLAGS,
  ...ADMIN_FLAGS,
  ...LOG_FLAGS,
} as const;

export const command: Command = {
  summary: 'run an endpoint on Redis (client connections; registers itself for discovery)',
  async run(argv) {
    const flags = parseFlags(argv, FLAGS, 'usage: filmgrain endpoint --redis URL [options]');
    if (flags === null) return 0;
    if (flags.redis === undefined)
      throw new Error('filmgrain endpoint needs --redis URL (or REDIS_URL)');
    const log = commandLogger(flags['log-level'], 'endpoint');
    survive(log);
    const engine = await createEngine(flags, log);
    const running = await runEndpoint(engine, flags, log);
    const { listener } = running;
    const balancing = await runBalancing(running, createRegistry(engine), flags, log);
    const admin = await runAdmin(flags, { endpoint: running, engine }, log);
    console.log(
      `filmgrain endpoint ${balancing.id} listening on ${listener.tls ? 'tls' : 'tcp'}://${listener.host}:${listener.port} (announced as ${balancing.publicHost}:${balancing.publicPort})`,
    );
    const signal = await Promise.race([
      untilSignal(['SIGINT', 'SIGTERM']),
      // A drain requested through the registry ends the process like SIGTERM does.
      new Promise<'drain'>((resolve) => {
        const check = setInterval(() => {
          if (balancing.registration.draining) {
            clearInterval(check);
            resolve('drain');
          }
        }, 250);
        check.unref();
      }),
    ]);
    log.info('shutting down', { signal });
    if (signal !== 'SIGINT') {
      await balancing.drain();
      console.log(`filmgrain endpoint ${balancing.id} drained`);
    }
    await balancing.stop();
    await running.stop();
    await admin?.close();
    await engine.close();
    return 0;
  },
};
