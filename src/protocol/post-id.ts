/**
 * Post ids, the one home of their rules (PROTOCOL.md § 5 `post_tweet`, § 6 Resume).
 *
 * Two views of the same string, deliberately different:
 * - **On the wire, to a client, a post id is opaque**: a string of 1 to 64 characters. A
 *   client keeps the last one per movie (its next `since`) and drops repeats by
 *   remembering the ids it has seen; it never parses or compares them, so the server may
 *   change their form within version 1 without breaking anyone. `isPostId` is that rule.
 * - **The server's own form** is `<ms>-<seq>`, each part 1 to 20 decimal digits: the form
 *   of Redis stream entry ids (unsigned 64-bit each), so the in-process and the Redis
 *   engine hand out the same kind of id. Only the server parses, compares (to release
 *   only what is newer than `since`) and generates them.
 */

/** Longest post id a client must accept (PROTOCOL.md § 5). */
export const MAX_POST_ID_LENGTH = 64;

/** The wire rule: what a client accepts as a `post_id`. */
export function isPostId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_POST_ID_LENGTH;
}

const SERVER_POST_ID = /^\d{1,20}-\d{1,20}$/;

/** The server's form `<ms>-<seq>`: what a server accepts as `since`. */
export function isServerPostId(v: unknown): v is string {
  return typeof v === 'string' && SERVER_POST_ID.test(v);
}

/** Compares two decimal digit strings exactly (no float rounding past 2^53). */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Orders two server post ids of one movie: negative if `a` is older, 0 if equal.
 * Server side only: clients must not compare ids (see the header).
 */
export function comparePostIds(a: string, b: string): number {
  const da = a.indexOf('-');
  const db = b.indexOf('-');
  const ms = compareDigits(da < 0 ? a : a.slice(0, da), db < 0 ? b : b.slice(0, db));
  if (ms !== 0) return ms;
  return compareDigits(da < 0 ? '0' : a.slice(da + 1), db < 0 ? '0' : b.slice(db + 1));
}

/**
 * A server post id whose time part is more than `toleranceMs` past `nowMs`: no post has
 * it yet (a corrupted `since`, or one from a server whose clock ran ahead). Releasing
 * only what is newer than such an id would hide every live post for as long.
 */
export function isPostIdAhead(id: string, nowMs: number, toleranceMs: number): boolean {
  const dash = id.indexOf('-');
  const ms = dash < 0 ? id : id.slice(0, dash);
  return compareDigits(ms, String(Math.max(0, Math.floor(nowMs + toleranceMs)))) > 0;
}

/** Generates one movie's post ids in the server's form, strictly increasing. */
export class PostIdClock {
  private lastMs = 0;
  private seq = 0;

  next(now: number): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      this.seq = 0;
    } else {
      this.seq++;
    }
    return `${this.lastMs}-${this.seq}`;
  }
}
