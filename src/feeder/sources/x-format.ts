/**
 * X API v2 filtered stream lines → `Tweet`, sans I/O (the live client and the replay
 * source share it).
 *
 * Format: docs.x.com, "GET /2/tweets/search/stream" — each line is a JSON object with
 * `data` (the Post: `id`, `text`, and the requested `tweet.fields` `created_at`, `lang`,
 * `author_id`), `includes.users` (from `expansions=author_id`, with `user.fields`
 * `username,name`) and `matching_rules` (`[{id, tag}]`, the rules the Post matched).
 * In-stream problems arrive as `{"errors": [...]}`, e.g. `operational-disconnect`
 * (docs.x.com, "Handling disconnections", "Common disconnection errors").
 */
import type { Tweet } from '../../protocol/index.js';

export interface MatchingRule {
  id: string;
  tag?: string;
}

/** A normalized X post that keeps which of our rules it matched. */
export interface XTweet extends Tweet {
  matching_rules: MatchingRule[];
}

export interface XStreamError {
  title: string;
  detail?: string;
  type?: string;
  disconnect_type?: string;
}

export type XParse =
  | { type: 'post'; post: XTweet }
  | { type: 'error'; errors: XStreamError[]; disconnect: boolean }
  | { type: 'malformed'; reason: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function rulesOf(v: unknown): MatchingRule[] {
  if (!Array.isArray(v)) return [];
  const out: MatchingRule[] = [];
  for (const r of v) {
    if (!isObject(r)) continue;
    const id = typeof r.id === 'number' ? String(r.id) : str(r.id);
    if (id === undefined) continue;
    const tag = str(r.tag);
    out.push(tag === undefined ? { id } : { id, tag });
  }
  return out;
}

/** Parses an already-decoded stream object. */
export function fromXObject(obj: unknown): XParse {
  if (!isObject(obj)) return { type: 'malformed', reason: 'line is not an object' };
  const data = obj.data;
  if (data === undefined && Array.isArray(obj.errors)) {
    const errors: XStreamError[] = obj.errors.filter(isObject).map((e) => {
      const out: XStreamError = { title: str(e.title) ?? 'unknown' };
      const detail = str(e.detail);
      const type = str(e.type);
      const dt = str(e.disconnect_type);
      if (detail !== undefined) out.detail = detail;
      if (type !== undefined) out.type = type;
      if (dt !== undefined) out.disconnect_type = dt;
      return out;
    });
    const disconnect = errors.some(
      (e) => e.disconnect_type !== undefined || e.title === 'operational-disconnect',
    );
    return { type: 'error', errors, disconnect };
  }
  if (!isObject(data)) return { type: 'malformed', reason: 'no data object' };
  const id = str(data.id);
  const text = str(data.text);
  if (id === undefined || !/^\d+$/.test(id)) return { type: 'malformed', reason: 'bad data.id' };
  if (text === undefined) return { type: 'malformed', reason: 'no data.text' };
  const authorId = str(data.author_id) ?? 'unknown';
  const includes = isObject(obj.includes) ? obj.includes : {};
  const users = Array.isArray(includes.users) ? includes.users.filter(isObject) : [];
  const author = users.find((u) => u.id === authorId);
  const handle = author ? str(author.username) : undefined;
  const created = str(data.created_at);
  const createdMs = created === undefined ? Number.NaN : Date.parse(created);
  const post: XTweet = {
    id,
    text,
    user: { id: authorId, name: (author && str(author.name)) ?? handle ?? authorId },
    // Without created_at (not requested) the arrival time is the best estimate.
    created_at: new Date(Number.isFinite(createdMs) ? createdMs : Date.now()).toISOString(),
    url: `https://x.com/${handle ?? 'i/web'}/status/${id}`,
    source: 'x',
    matching_rules: rulesOf(obj.matching_rules),
  };
  if (handle !== undefined) post.user.handle = handle;
  const lang = str(data.lang);
  // "und" is X's "undetermined" language code: carry no guess rather than a fake one.
  if (lang !== undefined && lang !== 'und') post.lang = lang;
  return { type: 'post', post };
}

export function parseXLine(line: string): XParse {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return { type: 'malformed', reason: 'not JSON' };
  }
  return fromXObject(obj);
}
