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
  [extra: string]: unknown;
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
