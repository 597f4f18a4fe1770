/**
 * What every post source implements. A source normalizes whatever its network speaks
 * into `Tweet`s (the protocol's post shape, so the feeder forwards them untouched) and
 * hands them over in batches; it reconnects by itself and never throws into the feeder.
 */
import type { Catalog } from '../matching/catalog.js';
import type { Tweet } from '../protocol/index.js';

export interface SourceStats {
  /** Posts handed to the feeder. */
  posts: number;
  /** Events that could not be parsed or normalized (skipped, never fatal). */
  malformed: number;
  /** Times the source (re)connected. */
  connects: number;
  /** Why a finite source stopped early (a replay file that could not be read). */
  error?: string;
}

export interface Source {
  readonly name: string;
  /** Starts producing; `emit` is called with batches of normalized posts. */
  start(emit: (posts: Tweet[]) => void): void;
  /** Stops producing and releases sockets and timers. */
  stop(): Promise<void>;
  stats(): SourceStats;
  /** Resolves when a finite source (a replay file) has produced everything. */
  readonly done?: Promise<void>;
  /**
   * The catalog was reloaded: a source whose upstream filters by title (the X filtered
   * stream's rules) re-syncs them. Sources that read everything leave it out.
   */
  updateCatalog?(catalog: Catalog): void | Promise<void>;
}

/**
 * The `done` of a finite source (a replay file, a synthetic run with a count): resolves
 * once, at the first `finish()`; later calls do nothing.
 */
export function doneSignal(): { readonly done: Promise<void>; finish(): void } {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { done, finish: () => finish() };
}
