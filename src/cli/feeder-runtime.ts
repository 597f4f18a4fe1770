/**
 * Builds and runs the feeder half of a process: catalog (hot-reloaded), source,
 * matcher, pipeline and ranker. Shared by `filmgrain start` and `filmgrain feeder`.
 */
import type { Engine } from '../engine/engine.js';
import { Feeder } from '../feeder/feeder.js';
import { Ranker } from '../feeder/ranker.js';
import type { Source } from '../feeder/source.js';
import { createSource, type SourceOptions } from '../feeder/sources/index.js';
import {
  type Catalog,
  DEFAULT_CATALOG_PATH,
  loadCatalog,
  watchCatalog,
} from '../matching/catalog.js';
import { compileMatcher } from '../matching/matcher.js';
import type { FlagSpecs } from './flags.js';
import type { Logger } from './log.js';

export const FEEDER_FLAGS = {
  catalog: {
    type: 'string',
    env: 'FILMGRAIN_CATALOG',
    value: 'FILE',
    help: 'movie catalog JSON; reloaded when it changes (default: the shipped catalog)',
  },
  source: {
    type: 'string',
    env: 'FILMGRAIN_SOURCE',
    default: 'synthetic',
    value: 'KIND',
    help: 'where posts come from: synthetic | jetstream | x | replay',
  },
  rate: {
    type: 'string',
    env: 'FILMGRAIN_RATE',
    default: '20',
    value: 'N',
    help: 'synthetic source: posts per second',
  },
  replay: {
    type: 'string',
    env: 'FILMGRAIN_REPLAY',
    value: 'FILE',
    help: 'replay source: NDJSON file of posts, or - for standard input',
  },
  speed: {
    type: 'string',
    env: 'FILMGRAIN_SPEED',
    value: 'N|max',
    help: 'replay source: N× the recorded pace, or max (default: recorded pace; max for stdin)',
  },
  'jetstream-url': {
    type: 'string',
    env: 'FILMGRAIN_JETSTREAM_URL',
    value: 'URL',
    help: 'jetstream source: subscribe URL (default: the public Bluesky Jetstream)',
  },
  'x-base-url': {
    type: 'string',
    env: 'FILMGRAIN_X_BASE_URL',
    value: 'URL',
    help: 'x source: API base URL (default https://api.x.com; token from X_BEARER_TOKEN)',
  },
} as const satisfies FlagSpecs;

export interface FeederFlags {
  catalog: string | undefined;
  source: string | undefined;
  rate: string | undefined;
  replay: string | undefined;
  speed: string | undefined;
  'jetstream-url': string | undefined;
  'x-base-url': string | undefined;
}

export interface RunningFeeder {
  feeder: Feeder;
  ranker: Ranker;
  source: Source;
  catalog: Catalog;
  stop(): Promise<void>;
}

function sourceOptions(flags: FeederFlags, catalog: Catalog): SourceOptions {
  switch (flags.source) {
    case undefined:
    case 'synthetic': {
      const rate = Number(flags.rate ?? 20);
      if (!(rate > 0)) throw new Error(`--rate must be a positive number, not "${flags.rate}"`);
      return { kind: 'synthetic', catalog, rate };
    }
    case 'jetstream':
      return {
        kind: 'jetstream',
        ...(flags['jetstream-url'] ? { url: flags['jetstream-url'] } : {}),
      };
    case 'x':
      return {
        kind: 'x',
        catalog,
        ...(flags['x-base-url'] ? { baseUrl: flags['x-base-url'] } : {}),
      };
    case 'replay': {
      if (!flags.replay) throw new Error('--source replay needs --replay FILE (or - for stdin)');
      const speed = flags.speed;
      if (speed === undefined) return { kind: 'replay', path: flags.replay };
      if (speed === 'max') return { kind: 'replay', path: flags.replay, pace: 'max' };
      const n = Number(speed);
      if (!(n > 0)) throw new Error(`--speed must be a positive number or max, not "${speed}"`);
      return { kind: 'replay', path: flags.replay, pace: 'recorded', speed: n };
    }
    default:
      throw new Error(`unknown --source "${flags.source}" (synthetic, jetstream, x, replay)`);
  }
}

export async function runFeeder(
  engine: Engine,
  flags: FeederFlags,
  log: Logger,
): Promise<RunningFeeder> {
  const catalogPath = flags.catalog ?? DEFAULT_CATALOG_PATH;
  let catalog = await loadCatalog(catalogPath);
  const options = sourceOptions(flags, catalog);
  const source = createSource(options);
  const feeder = new Feeder(engine, compileMatcher(catalog), source, {
    // A replay of an old recording counts at arrival; live sources at post time.
    clock: options.kind === 'replay' ? 'arrival' : 'post',
    onError: (err) => log.warn('engine ingest failed; posts kept for retry', { err }),
  });
  const ranker = new Ranker(engine, catalog, {
    onError: (err) => log.warn('ranking publish failed', { err }),
  });
  const stopWatching = watchCatalog(catalogPath, (next) => {
    catalog = next;
    feeder.setMatcher(compileMatcher(next));
    ranker.setCatalog(next);
    const withRules = source as Source & { updateCatalog?: (c: Catalog) => void };
    withRules.updateCatalog?.(next);
    log.info('catalog reloaded', { movies: next.movies.length });
  });
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
