/**
 * The feeder's operator-facing options, declared once (src/options/declare.ts): the
 * Feeder's defaults (feeder.ts) and the flags of `filmgrain feeder`/`start` both come
 * from this table.
 */
import { int, str } from '../options/declare.js';

export const FEEDER_OPTIONS = {
  catalog: str({
    flag: 'catalog',
    env: 'FILMGRAIN_CATALOG',
    value: 'FILE',
    doc: 'movie catalog JSON; reloaded when it changes (default: the shipped catalog)',
  }),
  flushIntervalMs: int({
    flag: 'feeder-flush',
    env: 'FILMGRAIN_FEEDER_FLUSH_MS',
    default: 50,
    // Each flush is an engine round trip: under 5 ms it is mostly overhead; past 10 s
    // posts reach clients too late to feel live.
    min: 5,
    max: 10_000,
    value: 'MS',
    doc: 'matched posts are handed to the engine this often',
  }),
  maxBatch: int({
    flag: 'feeder-max-batch',
    env: 'FILMGRAIN_FEEDER_MAX_BATCH',
    default: 2000,
    min: 1,
    max: 100_000,
    doc: 'most posts per engine call',
  }),
  maxBuffered: int({
    flag: 'feeder-max-buffered',
    env: 'FILMGRAIN_FEEDER_MAX_BUFFERED',
    default: 100_000,
    // ~1 KiB a post: 10 million is ~10 GB, past what one process should hold.
    min: 1,
    max: 10_000_000,
    doc: 'matched posts held while the engine is unreachable (oldest dropped past it)',
  }),
} as const;
