/**
 * `filmgrain endpoint --redis URL`: a client-facing endpoint alone. It follows Redis for
 * the movies its clients watch and the ranking, announces itself in the endpoint
 * registry (heartbeat; the entry expires if the process dies) so discovery lists it,
 * sheds clients to peers past its capacity, and drains on SIGTERM or `filmgrain drain`.
 * SIGINT stops at once (clients get `shutting_down`).
 */
import { ADMIN_OPTIONS, runAdmin } from '../admin-runtime.js';
import { BALANCE_GROUPS, runBalancing } from '../balance-runtime.js';
import type { Command } from '../command.js';
import { ENDPOINT_GROUPS, runEndpoint } from '../endpoint-runtime.js';
import { createStore, STORE_OPTIONS, survive } from '../engine-runtime.js';
import { parseCommand, UsageError } from '../flags.js';
import { commandLogger, LOG_OPTIONS } from '../log.js';
import { untilSignal } from '../signals.js';

const OPTIONS = {
  ...ENDPOINT_GROUPS,
  engine: STORE_OPTIONS,
  ...BALANCE_GROUPS,
  admin: ADMIN_OPTIONS,
  log: LOG_OPTIONS,
} as const;

export const command: Command = {
  summary: 'run an endpoint on Redis (client connections; registers itself for discovery)',
  async run(argv) {
    const flags = parseCommand(argv, OPTIONS, 'usage: filmgrain endpoint --redis URL [options]');
    if (flags === null) return 0;
    if (flags.engine.redis === undefined)
      throw new UsageError('filmgrain endpoint needs --redis URL (or REDIS_URL)');
    const log = commandLogger(flags.log.level, 'endpoint');
    survive(log);
    const { engine, registry } = await createStore(flags.engine, log);
    const running = await runEndpoint(engine, flags, log);
    const { listener } = running;
    const balancing = await runBalancing(
      running,
      registry,
      flags,
      log,
      flags.websocket.wsPublicUrl,
    );
    const admin = await runAdmin(flags.admin, { endpoint: running, engine }, log);
    console.log(
      `filmgrain endpoint ${balancing.id} listening on ${listener.tls ? 'tls' : 'tcp'}://${listener.host}:${listener.port} (announced as ${balancing.publicHost}:${balancing.publicPort})${running.websocket ? `; WebSocket on ${running.websocket.localUrl}` : ''}`,
    );
    const signal = await Promise.race([
      untilSignal(['SIGINT', 'SIGTERM']),
      // A drain requested through the registry ends the process like SIGTERM does.
      balancing.drainRequested.then(() => 'drain' as const),
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
