/**
 * A post as clients see it (`post_tweet.tweet`, PROTOCOL.md § 5) and as every feeder
 * source normalizes it — the seed called them tweets; the wire keeps that name. The
 * shape and its one check live here: the SDK's parser and the Redis engine (reading
 * its own history back) use the same `isTweet`.
 */
import { isObject } from './json.js';

/** Where a post came from. */
export type PostSource = 'bluesky' | 'x' | 'replay' | 'synthetic';

/** The author of a post. */
export interface TweetUser {
  id: string;
  name: string;
  /** The @handle without the `@`, when the source has one. */
  handle?: string;
}

export interface Tweet {
  /** The source's own id, unique within `source`. */
  id: string;
  text: string;
  user: TweetUser;
  /** ISO 8601 time the author posted it. */
  created_at: string;
  lang?: string;
  url?: string;
  source: PostSource;
}

/**
 * The fields a client relies on. `source`, `lang` and `url` are not checked: a client
 * shows what it gets, and PROTOCOL.md lets sources be added within version 1.
 */
export function isTweet(v: unknown): v is Tweet {
  if (!isObject(v)) return false;
  const u = v.user;
  return (
    typeof v.id === 'string' &&
    typeof v.text === 'string' &&
    typeof v.created_at === 'string' &&
    isObject(u) &&
    typeof u.id === 'string' &&
    typeof u.name === 'string'
  );
}

/** A tweet from JSON text, or undefined when it is not JSON or not a tweet. */
export function parseTweet(json: string): Tweet | undefined {
  try {
    const t: unknown = JSON.parse(json);
    return isTweet(t) ? t : undefined;
  } catch {
    return undefined;
  }
}
