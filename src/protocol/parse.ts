/**
 * Validation at the edge: a line in, a typed message or a precise error out. Nothing
 * past these functions sees an unvalidated value. Hand-written checks, not a schema
 * library: each message has at most three fields, and this runs once per line.
 */
import { isWebSocketUrl } from './address.js';
import type { ErrorCode } from './codes.js';
import { isObject, type JsonObject } from './json.js';
import { PROTOCOL_VERSIONS, RANKING_SIZE } from './limits.js';
import type { ClientInfo, ClientMessage, ServerMessage } from './messages.js';
import { isMovieId, isRankedMovie, isUpdateEntry } from './movie.js';
import { isPostId, isServerPostId } from './post-id.js';
import { isTweet } from './tweet.js';

export type Parsed<T> =
  | { ok: true; message: T }
  | {
      ok: false;
      code: ErrorCode;
      message: string;
      /** The line's `action`, when it could be read (the error's `in_reply_to`). */
      action?: string;
      /** The line's `movie_id`, when it was read but another param was not (`movie_id`). */
      movieId?: number;
    };

type Obj = JsonObject;

const fail = (code: ErrorCode, message: string, action?: string): Parsed<never> =>
  action === undefined ? { ok: false, code, message } : { ok: false, code, message, action };

/** Splits a decoded line into its envelope: `{"action": string, "params": object}`. */
function envelope(line: string): Parsed<{ action: string; params: Obj }> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return fail('invalid_json', 'the line is not valid JSON');
  }
  if (!isObject(value)) return fail('invalid_message', 'a message must be a JSON object');
  const { action, params } = value;
  if (typeof action !== 'string') return fail('invalid_message', '"action" must be a string');
  // An absent `params` reads as `{}` so that `{"action":"ping"}` works; a present one
  // must be an object.
  if (params === undefined) return { ok: true, message: { action, params: {} } };
  if (!isObject(params)) return fail('invalid_message', '"params" must be an object', action);
  return { ok: true, message: { action, params } };
}

function clientInfo(v: unknown): ClientInfo | undefined | false {
  if (v === undefined) return undefined;
  if (!isObject(v)) return false;
  const info: ClientInfo = {};
  for (const key of ['name', 'version', 'platform'] as const) {
    const field = v[key];
    if (field === undefined) continue;
    if (typeof field !== 'string' || field.length > 128) return false;
    info[key] = field;
  }
  return info;
}

/** Parses one client → server line (already decoded, without its `\n`). */
export function parseClientLine(line: string): Parsed<ClientMessage> {
  const env = envelope(line);
  if (!env.ok) return env;
  const { action, params } = env.message;
  const bad = (what: string) => fail('invalid_params', `${action}: ${what}`, action);
  switch (action) {
    case 'connect': {
      const { version, client, token, ranking_size: size, live_cap: liveCap } = params;
      // A string ("1") is a type error (non-fatal: fix the client); any number but a
      // version this server speaks (0, -1, 1.5, 3) is fatal. JSON has one number type,
      // so 1.0 is 1 (PROTOCOL.md § 4).
      if (version !== undefined && typeof version !== 'number')
        return bad('"version" must be a number');
      if (version !== undefined && !PROTOCOL_VERSIONS.includes(version))
        return fail(
          'unsupported_version',
          `this server speaks protocol versions ${PROTOCOL_VERSIONS.join(' and ')}, not ${version}`,
          action,
        );
      // v1 never knew `ranking_size`: like any unknown field it is ignored there.
      const v2 = version === 2;
      if (
        v2 &&
        size !== undefined &&
        !(Number.isSafeInteger(size) && (size as number) >= 1 && (size as number) <= RANKING_SIZE)
      )
        return bad(`"ranking_size" must be an integer from 1 to ${RANKING_SIZE}`);
      if (v2 && liveCap !== undefined && typeof liveCap !== 'boolean')
        return bad('"live_cap" must be true or false');
      const info = clientInfo(client);
      if (info === false) return bad('"client" must be an object of short strings');
      if (token !== undefined && (typeof token !== 'string' || token.length > 2048))
        return bad('"token" must be a string');
      const out: ClientMessage = { action, params: {} };
      if (version !== undefined) out.params.version = version as number;
      if (v2 && size !== undefined) out.params.ranking_size = size as number;
      if (v2 && liveCap === true) out.params.live_cap = true;
      if (info !== undefined) out.params.client = info;
      if (token !== undefined) out.params.token = token as string;
      return { ok: true, message: out };
    }
    case 'start_feed': {
      const { movie_id, since } = params;
      if (!isMovieId(movie_id)) return bad('"movie_id" must be a positive integer');
      // A server reads only its own id form back (PROTOCOL.md § 6: "a `since` the server
      // cannot read is invalid_params").
      // The movie is named in the error, so a client knows which feed was refused.
      if (since !== undefined && since !== null && !isServerPostId(since))
        return {
          ok: false,
          code: 'invalid_params',
          message: `${action}: "since" must be a post_id this server sent`,
          action,
          movieId: movie_id,
        };
      return {
        ok: true,
        message:
          since === undefined || since === null
            ? { action, params: { movie_id } }
            : { action, params: { movie_id, since } },
      };
    }
    case 'stop_feed': {
      const { movie_id } = params;
      if (!isMovieId(movie_id)) return bad('"movie_id" must be a positive integer');
      return { ok: true, message: { action, params: { movie_id } } };
    }
    case 'ping': {
      const { ts } = params;
      if (ts !== undefined && !(typeof ts === 'number' && Number.isFinite(ts)))
        return bad('"ts" must be a number');
      return {
        ok: true,
        message: ts === undefined ? { action, params: {} } : { action, params: { ts } },
      };
    }
    default:
      return fail('unknown_action', `unknown action "${action.slice(0, 64)}"`, action);
  }
}

/**
 * Parses one server → client line. Clients use it; unknown actions are reported as
 * `unknown_action` so a client can skip them (servers may add actions within v1).
 */
export function parseServerLine(line: string): Parsed<ServerMessage> {
  const env = envelope(line);
  if (!env.ok) return env;
  const { action, params: p } = env.message;
  const bad = () => fail('invalid_params', `${action}: malformed params`, action);
  switch (action) {
    case 'set_movies':
      if (!Array.isArray(p.movies) || !p.movies.every(isRankedMovie)) return bad();
      return {
        ok: true,
        message: {
          action,
          params: {
            movies: p.movies,
            generated_at: typeof p.generated_at === 'number' ? p.generated_at : 0,
          },
        },
      };
    case 'update_movies':
      if (
        typeof p.generated_at !== 'number' ||
        !Array.isArray(p.movies) ||
        !p.movies.every(isUpdateEntry) ||
        !Array.isArray(p.removed) ||
        !p.removed.every(isMovieId)
      )
        return bad();
      return {
        ok: true,
        message: {
          action,
          params: { generated_at: p.generated_at, movies: p.movies, removed: p.removed },
        },
      };
    case 'post_tweet':
      if (!isMovieId(p.movie_id) || !isPostId(p.post_id) || !isTweet(p.tweet)) return bad();
      return {
        ok: true,
        message: {
          action,
          params: {
            movie_id: p.movie_id,
            post_id: p.post_id,
            tweet: p.tweet,
            ...(p.gap === true ? { gap: true as const } : {}),
            ...(Number.isSafeInteger(p.skipped) && (p.skipped as number) > 0
              ? { skipped: p.skipped as number }
              : {}),
          },
        },
      };
    case 'feed_started':
      if (!isMovieId(p.movie_id) || !Number.isInteger(p.backlog) || (p.backlog as number) < 0)
        return bad();
      return {
        ok: true,
        message: { action, params: { movie_id: p.movie_id, backlog: p.backlog as number } },
      };
    case 'pong':
      return { ok: true, message: { action, params: p as { server_time: number; ts?: number } } };
    case 'error':
      if (typeof p.code !== 'string' || typeof p.message !== 'string') return bad();
      return {
        ok: true,
        message: {
          action,
          params: { ...p, code: p.code as ErrorCode, message: p.message, fatal: p.fatal === true },
        },
      };
    case 'reconnect':
      if (typeof p.host !== 'string' || !Number.isInteger(p.port)) return bad();
      return {
        ok: true,
        message: {
          action,
          params: {
            host: p.host,
            port: p.port as number,
            tls: p.tls !== false,
            ...(isWebSocketUrl(p.websocket) ? { websocket: p.websocket } : {}),
            reason: p.reason === 'draining' ? 'draining' : 'overloaded',
            ...(typeof p.delay_ms === 'number' ? { delay_ms: p.delay_ms } : {}),
          },
        },
      };
    default:
      return fail('unknown_action', `unknown action "${action.slice(0, 64)}"`, action);
  }
}
