/**
 * Jetstream's event JSON → `Tweet`, sans I/O (the live client and the replay source
 * share it).
 *
 * Format: github.com/bluesky-social/jetstream README, "Example events": every event has
 * `did`, `time_us` (unix µs, also the resume cursor) and `kind` (`commit` | `identity` |
 * `account` | `heartbeat`); a commit carries `commit.{rev, operation, collection, rkey,
 * record, cid}` with `operation` one of `create` | `update` | `delete`. The post record is
 * the `app.bsky.feed.post` lexicon (atproto lexicons/app/bsky/feed/post.json): `text`,
 * `createdAt`, optional `langs` (BCP-47 tags).
 */
import type { Tweet } from '../../protocol/index.js';
import { MAX_CLOCK_SKEW_MS, scanJetstreamDelete, scanJetstreamPost } from './jetstream-scan.js';

export const POST_COLLECTION = 'app.bsky.feed.post';

/** What one event line means for the source. */
export type JetstreamParse =
  /** A new post. `timeUs` is the cursor to remember. */
  | { type: 'post'; timeUs: number; post: Tweet }
  /** A well-formed event that is not a new post (like, delete, identity…): advance the cursor. */
  | { type: 'other'; timeUs: number | undefined }
  | { type: 'malformed'; reason: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// `createdAt` is set by the author's client and may be wrong (clock skew, backdated
// imports): it is trusted only within MAX_CLOCK_SKEW_MS of the relay's `time_us`.

/** Parses an already-decoded event object. */
export function fromJetstreamEvent(ev: unknown): JetstreamParse {
  if (!isObject(ev)) return { type: 'malformed', reason: 'event is not an object' };
  const { did, time_us: timeUs, kind } = ev;
  if (kind === 'heartbeat') return { type: 'other', timeUs: undefined };
  if (typeof did !== 'string' || !did.startsWith('did:')) {
    return { type: 'malformed', reason: 'missing did' };
  }
  if (typeof timeUs !== 'number' || !Number.isSafeInteger(timeUs) || timeUs <= 0) {
    return { type: 'malformed', reason: 'missing time_us' };
  }
  if (kind !== 'commit') {
    if (kind === 'identity' || kind === 'account') return { type: 'other', timeUs };
    return { type: 'malformed', reason: `unknown kind ${String(kind)}` };
  }
  const commit = ev.commit;
  if (!isObject(commit)) return { type: 'malformed', reason: 'commit event without commit' };
  if (commit.collection !== POST_COLLECTION || commit.operation !== 'create') {
    return { type: 'other', timeUs };
  }
  const { rkey, record } = commit;
  if (typeof rkey !== 'string' || rkey.length === 0) {
    return { type: 'malformed', reason: 'post without rkey' };
  }
  if (!isObject(record) || typeof record.text !== 'string') {
    return { type: 'malformed', reason: 'post without record.text' };
  }
  const relayMs = Math.floor(timeUs / 1000);
  const authored = typeof record.createdAt === 'string' ? Date.parse(record.createdAt) : Number.NaN;
  const createdMs =
    Number.isFinite(authored) && Math.abs(authored - relayMs) <= MAX_CLOCK_SKEW_MS
      ? authored
      : relayMs;
  const langs = record.langs;
  const lang = Array.isArray(langs) && typeof langs[0] === 'string' ? langs[0] : undefined;
  const post: Tweet = {
    // The at-uri is the post's global id (atproto spec "AT URI Scheme").
    id: `at://${did}/${POST_COLLECTION}/${rkey}`,
    text: record.text,
    // Jetstream carries no handle; the did is the stable author id.
    user: { id: did, name: did },
    created_at: new Date(createdMs).toISOString(),
    url: `https://bsky.app/profile/${did}/post/${rkey}`,
    source: 'bluesky',
  };
  if (lang !== undefined) post.lang = lang;
  return { type: 'post', timeUs, post };
}

/**
 * Parses one text frame / NDJSON line: a post create or delete in Jetstream's own layout
 * is read without parsing the whole event (jetstream-scan.ts; same result); anything else
 * goes through `parseJetstreamLineStrict`.
 */
export function parseJetstreamLine(line: string): JetstreamParse {
  return scanJetstreamPost(line) ?? scanJetstreamDelete(line) ?? parseJetstreamLineStrict(line);
}

/** Parses one line with `JSON.parse` and checks every field: the reference behaviour. */
export function parseJetstreamLineStrict(line: string): JetstreamParse {
  let ev: unknown;
  try {
    ev = JSON.parse(line);
  } catch {
    return { type: 'malformed', reason: 'not JSON' };
  }
  return fromJetstreamEvent(ev);
}

/**
 * Drops what a resumed connection sends twice. Jetstream replays from the `cursor`
 * given on reconnect (README, "Consuming Jetstream": "use the `time_us` from your most
 * recently processed event"), so events at that very microsecond arrive again; several
 * events may share one `time_us`, so the ids seen at the boundary are remembered.
 */
export class CursorGate {
  private last = 0;
  /**
   * The first post id seen at `last`, kept as is: hashing it into a Set would flatten
   * the id (a concatenation) for every post of the firehose, when only events sharing a
   * time_us (rare) ever need a lookup (bench/feeder: ~10 % of the whole path).
   */
  private firstAtLast: string | undefined;
  /** The other post ids seen at `last`. */
  private readonly atLast = new Set<string>();

  constructor(start?: number) {
    if (start !== undefined) this.last = start;
  }

  /** The cursor to resume from (0 when nothing was seen). */
  get cursor(): number {
    return this.last;
  }

  /** True if the event is new; records it. `id` is undefined for non-post events. */
  admit(timeUs: number, id: string | undefined): boolean {
    if (timeUs < this.last) return false;
    if (timeUs === this.last) {
      if (id === undefined) return true;
      if (this.firstAtLast === undefined) this.firstAtLast = id;
      else if (id === this.firstAtLast || this.atLast.has(id)) return false;
      else this.atLast.add(id);
      return true;
    }
    this.last = timeUs;
    this.firstAtLast = id;
    // Reused, not reallocated: this runs for every event of the firehose.
    if (this.atLast.size > 0) this.atLast.clear();
    return true;
  }
}
