/**
 * The messages of protocol versions 1 and 2 (2 adds `update_movies` and
 * `connect.ranking_size`), one discriminated union per direction, keyed on
 * `action`. Names and fields are those of PROTOCOL.md; change both in one commit.
 */
import type { EndpointAddress } from './address.js';
import type { ErrorCode } from './codes.js';
import type { RankedMovie, RankingUpdateEntry } from './movie.js';
import type { Tweet } from './tweet.js';

export interface ClientInfo {
  name?: string;
  version?: string;
  platform?: string;
}

// ---- client → server ------------------------------------------------------------

export interface ConnectMessage {
  action: 'connect';
  /**
   * `ranking_size` (v2 only): how many top movies the client wants, 1…100.
   * `live_cap` (v2 only): true = live posts of each feed at the server's readable rate,
   * the rest counted in `skipped` (PROTOCOL.md § 7 "Hot feeds"); default every post.
   */
  params: {
    version?: number;
    ranking_size?: number;
    live_cap?: boolean;
    client?: ClientInfo;
    token?: string;
  };
}
export interface StartFeedMessage {
  action: 'start_feed';
  /** `since`: the `post_id` of the last post the client saw; resume after it. */
  params: { movie_id: number; since?: string };
}
export interface StopFeedMessage {
  action: 'stop_feed';
  params: { movie_id: number };
}
export interface PingMessage {
  action: 'ping';
  /** `ts`: any number the client wants echoed (its clock, for round-trip time). */
  params: { ts?: number };
}
export type ClientMessage = ConnectMessage | StartFeedMessage | StopFeedMessage | PingMessage;
export type ClientAction = ClientMessage['action'];
/** Every client action, for apps and tools (a record, so a new action must be listed). */
export const CLIENT_ACTIONS = everyKey<ClientAction>({
  connect: true,
  start_feed: true,
  stop_feed: true,
  ping: true,
});

// ---- server → client ------------------------------------------------------------

export interface SetMoviesMessage {
  action: 'set_movies';
  /** `generated_at`: ms since the epoch when the ranking was computed. */
  params: { movies: RankedMovie[]; generated_at: number };
}
/** Protocol v2: what changed in the client's list since the previous ranking message. */
export interface UpdateMoviesMessage {
  action: 'update_movies';
  params: { generated_at: number; movies: RankingUpdateEntry[]; removed: number[] };
}
export interface PostTweetMessage {
  action: 'post_tweet';
  /**
   * `post_id`: orders the post within its movie's history; pass it back as `since`.
   * `gap`: only when true — posts before this one are lost: on the first post of a
   * resume whose `since` the history no longer reaches (§ 6), or on a live post after
   * a server-side outage that outlasted the history (PROTOCOL.md § 5). `skipped` (v2, live posts only, when
   * not 0): posts of this movie the live rate cap did not send since the previous live
   * one (PROTOCOL.md § 7 "Hot feeds"); they are in history, reachable with `since`.
   */
  params: { movie_id: number; post_id: string; tweet: Tweet; gap?: true; skipped?: number };
}
/**
 * The backlog (or resume) of a `start_feed` has been sent: `backlog` posts came before
 * this line, and every `post_tweet` of that movie after it is live (PROTOCOL.md § 5).
 */
export interface FeedStartedMessage {
  action: 'feed_started';
  params: { movie_id: number; backlog: number };
}
export interface PongMessage {
  action: 'pong';
  params: { ts?: number; server_time: number };
}
export interface ErrorMessage {
  action: 'error';
  params: {
    code: ErrorCode;
    message: string;
    fatal: boolean;
    /** The action of the client message that caused it, when there was one. */
    in_reply_to?: string;
    movie_id?: number;
  };
}
export interface ReconnectMessage {
  action: 'reconnect';
  /** Where to go: the one address shape (address.ts). */
  params: EndpointAddress & {
    reason: 'overloaded' | 'draining';
    /** Wait this long (ms) before connecting, to spread a crowd over time. */
    delay_ms?: number;
  };
}
export type ServerMessage =
  | SetMoviesMessage
  | UpdateMoviesMessage
  | PostTweetMessage
  | FeedStartedMessage
  | PongMessage
  | ErrorMessage
  | ReconnectMessage;
export type ServerAction = ServerMessage['action'];
/** Every server action (a record, so a new message must be listed). */
export const SERVER_ACTIONS = everyKey<ServerAction>({
  set_movies: true,
  update_movies: true,
  post_tweet: true,
  feed_started: true,
  pong: true,
  error: true,
  reconnect: true,
});

/** The keys of a record that must name every member of `K` (the compiler checks it). */
function everyKey<K extends string>(all: Record<K, true>): readonly K[] {
  return Object.keys(all) as K[];
}
