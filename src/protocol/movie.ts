/**
 * Movie ids and ranking entries (`set_movies.movies[]`, PROTOCOL.md § 5): the shape and
 * its one check, used by the SDK's parser and by the Redis engine reading a stored
 * ranking back.
 */
import { isObject } from './json.js';

/** A positive integer that JSON numbers and every client language hold exactly. */
export function isMovieId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

/** One movie of a `set_movies` ranking. Extra catalog fields (poster, …) pass through. */
export interface RankedMovie {
  id: number;
  title: string;
  year?: number;
  /** Posts about it in the past hour. */
  count: number;
  /** 1-based position. */
  rank: number;
  /**
   * Protocol v2 only: posts per minute in the last 5 whole minutes over the movie's
   * rate in the 54 before them, one decimal; 0 below 10 recent posts (PROTOCOL.md § 5).
   */
  trend?: number;
  [extra: string]: unknown;
}

/**
 * One movie of an `update_movies` (v2): its `id` and the fields that changed; a movie
 * entering the list carries every field (never `rank`: clients derive it).
 */
export interface RankingUpdateEntry {
  id: number;
  title?: string;
  count?: number;
  trend?: number;
  [extra: string]: unknown;
}

export function isUpdateEntry(v: unknown): v is RankingUpdateEntry {
  return (
    isObject(v) &&
    isMovieId(v.id) &&
    (v.title === undefined || typeof v.title === 'string') &&
    (v.count === undefined || typeof v.count === 'number') &&
    (v.trend === undefined || typeof v.trend === 'number')
  );
}

export function isRankedMovie(v: unknown): v is RankedMovie {
  return (
    isObject(v) &&
    isMovieId(v.id) &&
    typeof v.title === 'string' &&
    typeof v.count === 'number' &&
    typeof v.rank === 'number'
  );
}
