/**
 * The admin half of a process: `--admin-port` turns on the admin HTTP server
 * (`/metrics`, `/healthz`, `/readyz`) over whatever the process runs — an endpoint, a
 * feeder, an engine. Shared by `filmgrain start`, `endpoint` and `feeder`.
 */
import { type RunningAdmin, startAdmin } from '../admin/server.js';
import type { Endpoint } from '../endpoint/endpoint.js';
import type { RunningListener } from '../endpoint/listener.js';
import type { Engine, EngineStatus } from '../engine/engine.js';
import type { Feeder } from '../feeder/feeder.js';
import { type FlagSpecs, intFlag } from './flags.js';
import type { Logger } from './log.js';

export const ADMIN_FLAGS = {
  'admin-port': {
    type: 'string',
    env: 'FILMGRAIN_ADMIN_PORT',
    value: 'N',
    help: 'serve /metrics, /healthz, /readyz over HTTP on this port (default: off)',
  },
  'admin-host': {
    type: 'string',
    env: 'FILMGRAIN_ADMIN_HOST',
    default: '127.0.0.1',
    value: 'ADDR',
    help: 'address of the admin server (keep it off the public interface)',
  },
} as const satisfies FlagSpecs;

export interface AdminFlags {
  'admin-port': string | undefined;
  'admin-host': string | undefined;
}

export interface AdminParts {
  endpoint?: { endpoint: Endpoint; listener: RunningListener };
  feeder?: { feeder: Feeder };
  engine?: Engine & { rttMs?: () => number | undefined };
}

/** Starts the admin server when `--admin-port` is given; undefined otherwise. */
export async function runAdmin(
  flags: AdminFlags,
  parts: AdminParts,
  log: Logger,
): Promise<RunningAdmin | undefined> {
  if (flags['admin-port'] === undefined) return undefined;
  const port = intFlag('admin-port', flags['admin-port'], 0);
  const { endpoint, feeder, engine } = parts;
  let engineStatus: EngineStatus = 'up';
  const stopStatus = engine?.onStatus((s) => {
    engineStatus = s;
  });
  const readiness: (() => string | null)[] = [];
  if (endpoint !== undefined)
    readiness.push(() => (endpoint.listener.server.listening ? null : 'endpoint not listening'));
  if (engine !== undefined)
    readiness.push(() => (engineStatus === 'up' ? null : `engine (${engine.kind}) down`));
  const admin = await startAdmin(
    {
      ...(endpoint === undefined ? {} : { endpoint: endpoint.endpoint }),
      ...(feeder === undefined ? {} : { feeder: feeder.feeder }),
      ...(engine === undefined
        ? {}
        : {
            engine: {
              kind: engine.kind,
              status: () => engineStatus,
              ...(engine.rttMs === undefined ? {} : { rttMs: () => engine.rttMs?.() }),
            },
          }),
    },
    { host: flags['admin-host'] ?? '127.0.0.1', port, readiness },
  );
  log.info('admin listening', { host: flags['admin-host'], port: admin.port });
  return {
    port: admin.port,
    metrics: admin.metrics,
    async close() {
      stopStatus?.();
      await admin.close();
    },
  };
}
