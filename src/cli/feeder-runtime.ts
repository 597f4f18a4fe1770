/**
 * Builds and runs the feeder half of a process: catalog (hot-reloaded), source,
 * matcher, pipeline and ranker. Shared by `filmgrain start` and `filmgrain feeder`.
 */
import type { Engine } from '../engine/engine.js';
import { Feeder } from '../feeder/feeder.js';
import { FEEDER_OPTIONS } from '../feeder/options.js';
import { Ranker } from '../feeder/ranker.js';
import type { Source } from '../feeder/source.js';
import { createSource, type ReplayOptions, type SourceOptions } from '../feeder/sources/index.js';
import { SOURCE_OPTIONS } from '../feeder/sources/options.js';
import {
  type Catalog,
  DEFAULT_CATALOG_PATH,
  loadCatalog,
  watchCatalog,
} from '../matching/catalog.js';
import { compileMatcher } from '../matching/matcher.js';
import type { ParsedGroups } from './flags.js';
import type { Logger } from './log.js';

/** The option tables the feeder half takes. */
export const FEEDER_GROUPS = {
  feeder: FEEDER_OPTIONS,
  source: SOURCE_OPTIONS,
} as const;
export type FeederConfig = ParsedGroups<typeof FEEDER_GROUPS>;

export interface RunningFeeder {
  feeder: Feeder;
  ranker: Ranker;
  source: Source;
  catalog: Catalog;
  stop(): Promise<void>;
}

function sourceOptions(
  o: FeederConfig['source'],
  catalog: Catalog,
  onMalformed: ReplayOptions['onMalformed'],
): SourceOptions {
  switch (o.kind ?? SOURCE_OPTIONS.kind.default) {
    case 'synthetic':
      return {
        kind: 'synthetic',
        catalog,
        rate: o.rate ?? SOURCE_OPTIONS.rate.default,
        ...(o.seed === undefined ? {} : { seed: o.seed }),
      };
    case 'jetstream':
      return { kind: 'jetstream', ...(o.jetstreamUrl ? { url: o.jetstreamUrl } : {}) };
    case 'x':
      return { kind: 'x', catalog, ...(o.xBaseUrl ? { baseUrl: o.xBaseUrl } : {}) };
    case 'replay': {
      if (!o.replay) throw new Error('--source replay needs --replay FILE (or - for stdin)');
      const base = { kind: 'replay' as const, path: o.replay, onMalformed };
      if (o.speed === undefined) return base;
      if (o.speed === 'max') return { ...base, pace: 'max' };
      return { ...base, pace: 'recorded', speed: Number(o.speed) };
    }
  }
}

/**
 * Malformed replay lines are logged, but at most one line per 10 s (with the count
 * since the last), so a garbage file cannot flood the log; every one is counted in
 * `filmgrain_source_malformed_total`.
 */
function malformedLogger(log: Logger): NonNullable<ReplayOptions['onMalformed']> {
  let lastAt = 0;
  let unreported = 0;
  return (lineNo, reason, sample) => {
    unreported++;
    const now = Date.now();
    if (now - lastAt < 10_000) return;
    lastAt = now;
    log.warn('replay line skipped', {
      line: lineNo,
      reason:
        reason === 'json' ? 'not JSON' : reason === 'too_long' ? 'line too long' : 'not a post',
      sample,
      skippedSinceLastReport: unreported,
    });
    unreported = 0;
  };
}

export async function runFeeder(
  engine: Engine,
  config: FeederConfig,
  log: Logger,
): Promise<RunningFeeder> {
  const { catalog: catalogFlag, ...feederOptions } = config.feeder;
  const catalogPath = catalogFlag ?? DEFAULT_CATALOG_PATH;
  let catalog = await loadCatalog(catalogPath);
  const options = sourceOptions(config.source, catalog, malformedLogger(log));
  const source = createSource(options);
  source.done?.then(() => {
    const stats = source.stats();
    if (stats.error !== undefined)
      log.error('source stopped', { source: options.kind, error: stats.error });
    else log.info('source finished', { source: options.kind, ...source.stats() });
  });
  const feeder = new Feeder(engine, compileMatcher(catalog), source, {
    ...feederOptions,
    // A replay of an old recording counts at arrival; live sources at post time.
    clock: options.kind === 'replay' ? 'arrival' : 'post',
    onError: (err) => log.warn('engine ingest failed; posts kept for retry', { err }),
  });
  const ranker = new Ranker(engine, catalog, {
    onError: (err) => log.warn('ranking publish failed', { err }),
  });
  const stopWatching = watchCatalog(
    catalogPath,
    (next) => {
      catalog = next;
      feeder.setMatcher(compileMatcher(next));
      ranker.setCatalog(next);
      void source.updateCatalog?.(next);
      log.info('catalog reloaded', { movies: next.movies.length });
    },
    { log: (message) => log.warn(message) },
  );
  feeder.start();
  ranker.start();
  log.info('feeder started', { source: options.kind, movies: catalog.movies.length });
  return {
    feeder,
    ranker,
    source,
    get catalog() {
      return catalog;
    },
    async stop() {
      stopWatching();
      ranker.stop();
      await feeder.stop();
    },
  };
}
