/**
 * Trending: how much more a movie is talked about right now than before, against its
 * own baseline (PROTOCOL.md § 5, `trend`). Pure; both engines feed it the same
 * per-minute sums, so the memory and Redis deployments agree to the decimal.
 *
 * With m the current minute:
 * - recent   = posts counted in the TREND_RECENT_MINUTES (5) whole minutes m-5 … m-1;
 * - baseline = posts counted in the rest of the hour window before them, m-59 … m-6
 *              (54 minutes): the count minus recent minus the current minute;
 * - trend    = (recent / 5) / max(baseline / 54, 1), rounded to one decimal,
 *              and 0 when recent < TREND_MIN_POSTS (10).
 * Why whole minutes only: the value then changes at most once a minute, so it costs a
 * v2 client a few bytes a minute, not a field in every push. Why the floor of one post
 * a minute: a film with no past still needs two posts a minute to reach 2.0, so a
 * handful of posts about an obscure title does not top the trending list. A steady
 * favourite sits near 1.0 whatever its size; a burst shows as its multiple.
 */
import { TREND_MIN_POSTS, TREND_RECENT_MINUTES } from '../protocol/limits.js';
import { WINDOW_MINUTES } from './window.js';

/** Per-movie sums over whole minutes, as an engine counts them. */
export interface MovieActivity {
  /** Posts in the hour window (what `count` shows). */
  count: number;
  /** Posts in the TREND_RECENT_MINUTES whole minutes before the current one. */
  recent: number;
  /** Posts in the current (incomplete) minute. */
  current: number;
}

export const BASELINE_MINUTES = WINDOW_MINUTES - 1 - TREND_RECENT_MINUTES;

export function trendOf(a: MovieActivity): number {
  if (a.recent < TREND_MIN_POSTS) return 0;
  const baseline = Math.max(0, a.count - a.recent - a.current);
  const ratio = a.recent / TREND_RECENT_MINUTES / Math.max(baseline / BASELINE_MINUTES, 1);
  return Math.round(ratio * 10) / 10;
}
