/**
 * The admin half of a process: `--admin-port` turns on the admin HTTP server
 * (`/metrics`, `/healthz`, `/readyz`) over whatever the process runs — an endpoint, a
 * feeder, an engine. Shared by `filmgrain start`, `endpoint` and `feeder`.
 */
import { ADMIN_OPTIONS, type RunningAdmin, startAdmin } from '../admin/server.js';
import type { Endpoint } from '../endpoint/endpoint.js';
import type { RunningListener } from '../endpoint/listening.js';
import type { Engine, EngineStatus } from '../engine/engine.js';
import type { Feeder } from '../feeder/feeder.js';
import type { Source } from '../feeder/source.js';
import type { OptionValues } from '../options/declare.js';
import { listenError } from './listen-errors.js';
import type { Logger } from './log.js';

export interface AdminParts {
  endpoint?: { endpoint: Endpoint; listener: RunningListener };
  feeder?: { feeder: Feeder; source?: Source };
  engine?: Engine & { rttMs?: () => number | undefined };
}

/** Starts the admin server when `--admin-port` is given; undefined otherwise. */
export { ADMIN_OPTIONS };
export type AdminConfig = Partial<OptionValues<typeof ADMIN_OPTIONS>>;

export async function runAdmin(
  config: AdminConfig,
  parts: AdminParts,
  log: Logger,
): Promise<RunningAdmin | undefined> {
  if (config.port === undefined) return undefined;
  const port = config.port;
  const host = config.host ?? ADMIN_OPTIONS.host.default;
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
      ...(feeder === undefined
        ? {}
        : {
            feeder: {
              stats: feeder.feeder.stats,
              ...(feeder.source === undefined ? {} : { source: feeder.source }),
            },
          }),
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
    { host, port, readiness },
  ).catch((err: unknown) => {
    throw listenError(err, 'admin', host, port, '--admin-port');
  });
  log.info('admin listening', { host, port: admin.port });
  return {
    port: admin.port,
    metrics: admin.metrics,
    async close() {
      stopStatus?.();
      await admin.close();
    },
  };
}
