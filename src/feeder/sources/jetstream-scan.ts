/**
 * The fast path of `parseJetstreamLine` (issue 3 §4, "parse only what you must"): a
 * post-create event is read with a handful of native substring searches instead of
 * `JSON.parse` of the whole ~700-byte event (embeds, facets, reply refs, cids) — the
 * feeder needs six fields of it. Measured on bench/feeder (200k events): JSON.parse
 * was 37% of the whole path and building the post 21%.
 *
 * It reads the shape Jetstream writes (README "Example events"; the relay emits the
 * top-level keys in the order did, time_us, kind, commit and the commit's in the order
 * rev, operation, collection, rkey, record, cid; the record's keys come sorted, so
 * `$type`, `createdAt` lead and `text` is last). Anything else — another kind or
 * operation, keys in another order, a `did` or id with escapes, a non-canonical
 * `createdAt`, a truncated line — returns `undefined` and the caller takes the strict
 * path (`JSON.parse` + `fromJetstreamEvent`), so an unusual event is never misread.
 * For a valid event the result equals the strict path's, field for field (tested on a
 * generated corpus and on random texts: test/sources/jetstream-scan.test.ts). What the
 * scan does not read, it does not validate: an event broken only inside its embed or
 * facets still yields its post (the strict path would call it malformed).
 */
import type { Tweet } from '../../protocol/index.js';
import type { JetstreamParse } from './jetstream-format.js';

const HEAD = '{"did":"did:';
const TIME = '","time_us":';
const COMMIT = ',"kind":"commit","commit":{"rev":"';
const CREATE = '","operation":"create","collection":"app.bsky.feed.post","rkey":"';
const RECORD = '","record":{"$type":"app.bsky.feed.post","createdAt":"';
const LANGS = '"langs":["';
const TEXT = '"text":"';
const CID = '},"cid":"';
const TAIL = '"}}';
/** Length of a canonical ISO time, `2025-06-01T12:00:00.000Z` (what toISOString writes). */
const ISO_LENGTH = 24;
const QUOTE = 34;
const BACKSLASH = 92;

/** `createdAt` is trusted within this distance of the relay's time (see jetstream-format.ts). */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;

/** True when `s[from, to)` holds no `"` and no `\` (so it is a JSON string's plain content). */
function plain(s: string, from: number, to: number): boolean {
  // A loop, not indexOf: indexOf('\\') runs to the end of the line when there is none.
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c === QUOTE || c === BACKSLASH) return false;
  }
  return true;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two or more ASCII digits at `s[at…]` as a number; -1 if any is not a digit. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let j = 0; j < n; j++) {
    const d = s.charCodeAt(at + j) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The time at `s[at, at+24)` when it is `YYYY-MM-DDTHH:MM:SS.mmmZ` with every field in
 * range — then `new Date(ms).toISOString()` is that very string, so it can be kept as
 * is — else NaN. Arithmetic instead of `Date.parse`: this runs for every post.
 */
export function canonicalIsoMs(s: string, at: number): number {
  if (
    s.charCodeAt(at + 4) !== 45 || // -
    s.charCodeAt(at + 7) !== 45 ||
    s.charCodeAt(at + 10) !== 84 || // T
    s.charCodeAt(at + 13) !== 58 || // :
    s.charCodeAt(at + 16) !== 58 ||
    s.charCodeAt(at + 19) !== 46 || // .
    s.charCodeAt(at + 23) !== 90 // Z
  )
    return Number.NaN;
  const year = digitsAt(s, at, 4);
  const month = digitsAt(s, at + 5, 2);
  const day = digitsAt(s, at + 8, 2);
  const hour = digitsAt(s, at + 11, 2);
  const minute = digitsAt(s, at + 14, 2);
  const second = digitsAt(s, at + 17, 2);
  const milli = digitsAt(s, at + 20, 3);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return Number.NaN;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) return Number.NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && !leap ? 28 : DAYS[month - 1]!)) return Number.NaN;
  // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "days_from_civil").
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milli;
}

/** Where a post's fields are in its line (filled by `locateJetstreamPost`, reused). */
export interface PostFields {
  timeUs: number;
  did: string;
  rkey: string;
  text: string;
  /** Offset of the 24-character canonical `createdAt`. */
  createdAt: number;
  /** Its time, ms since epoch. */
  createdMs: number;
  lang: string | undefined;
}

export const newPostFields = (): PostFields => ({
  timeUs: 0,
  did: '',
  rkey: '',
  text: '',
  createdAt: 0,
  createdMs: 0,
  lang: undefined,
});

const scratch = newPostFields();

/** Reads a post-create event, or `undefined` when the strict path must decide. */
export function scanJetstreamPost(line: string): JetstreamParse | undefined {
  return locateJetstreamPost(line, scratch) ? buildPost(line, scratch) : undefined;
}

/** The "parse" half: finds and checks the fields; false when the strict path must decide. */
export function locateJetstreamPost(line: string, out: PostFields): boolean {
  if (!line.startsWith(HEAD)) return false;
  // did
  const didEnd = line.indexOf('"', HEAD.length);
  if (didEnd === -1 || !line.startsWith(TIME, didEnd) || !plain(line, 8, didEnd)) return false;
  // time_us: digits only, a positive safe integer
  let p = didEnd + TIME.length;
  let timeUs = 0;
  const digits = p;
  for (let c = line.charCodeAt(p); c >= 48 && c <= 57; c = line.charCodeAt(++p))
    timeUs = timeUs * 10 + (c - 48);
  if (p === digits || p - digits > 16 || line.charCodeAt(digits) === 48) return false;
  if (!Number.isSafeInteger(timeUs) || timeUs <= 0) return false;
  // commit header: rev, operation = create, collection = post, rkey
  if (!line.startsWith(COMMIT, p)) return false;
  const revEnd = line.indexOf('"', p + COMMIT.length);
  if (revEnd === -1 || !line.startsWith(CREATE, revEnd)) return false;
  if (!plain(line, p + COMMIT.length, revEnd)) return false;
  const rkeyStart = revEnd + CREATE.length;
  const rkeyEnd = line.indexOf('"', rkeyStart);
  if (rkeyEnd <= rkeyStart || !line.startsWith(RECORD, rkeyEnd)) return false;
  if (!plain(line, rkeyStart, rkeyEnd)) return false;
  // record: sorted keys — `$type`, `createdAt` first, `text` last, then the cid
  const created = rkeyEnd + RECORD.length;
  const createdMs = canonicalIsoMs(line, created);
  if (Number.isNaN(createdMs) || line.charCodeAt(created + ISO_LENGTH) !== QUOTE) return false;
  // The tail, read backwards: `…"},"cid":"<cid>"}}`. Backward char loops, not
  // lastIndexOf: V8's lastIndexOf is a runtime call, several times slower (bench/feeder).
  const end = line.length - TAIL.length;
  if (!line.startsWith(TAIL, end)) return false;
  let q = end - 1;
  for (let c = line.charCodeAt(q); c !== QUOTE; c = line.charCodeAt(--q))
    if (c === BACKSLASH || q <= created) return false;
  const cidAt = q - (CID.length - 1);
  if (!line.startsWith(CID, cidAt) || line.charCodeAt(cidAt - 1) !== QUOTE) return false;
  // The text value ends right before the record's closing brace (`text` sorts last).
  const textEnd = cidAt - 1;
  let textStart = textEnd - 1;
  let escaped = false;
  for (let c = line.charCodeAt(textStart); c !== QUOTE; c = line.charCodeAt(--textStart)) {
    if (c === BACKSLASH) {
      escaped = true;
      break;
    }
    if (textStart <= created) return false;
  }
  // A quote right after a backslash is escaped: part of the text.
  if (line.charCodeAt(textStart - 1) === BACKSLASH) escaped = true;
  let textKey: number;
  let text: string;
  if (!escaped) {
    // No backslash: the first quote back is the value's opening quote.
    textStart++;
    textKey = textStart - TEXT.length;
    if (!line.startsWith(TEXT, textKey)) return false;
    text = line.slice(textStart, textEnd);
  } else {
    // Escapes (\n, \", \u003c…): find the key, let JSON decode the value and prove it
    // is one string.
    textKey = line.lastIndexOf(TEXT, textEnd);
    if (textKey <= created) return false;
    textStart = textKey + TEXT.length;
    try {
      const v: unknown = JSON.parse(line.slice(textStart - 1, textEnd + 1));
      if (typeof v !== 'string') return false;
      text = v;
    } catch {
      return false;
    }
  }
  const before = line.charCodeAt(textKey - 1);
  if (before !== 44 && before !== 123) return false; // `,` or `{`: a key of the record
  // langs: the first tag, when it is a plain string; a key of the record before `text`.
  let lang: string | undefined;
  const langs = line.indexOf('"langs":', created);
  if (langs !== -1 && langs < textKey) {
    if (!line.startsWith(LANGS, langs)) return false; // [] or not strings: strict path
    const langEnd = line.indexOf('"', langs + LANGS.length);
    if (langEnd === -1 || langEnd > textKey || !plain(line, langs + LANGS.length, langEnd))
      return false;
    lang = line.slice(langs + LANGS.length, langEnd);
  }
  out.timeUs = timeUs;
  out.did = line.slice(8, didEnd);
  out.rkey = line.slice(rkeyStart, rkeyEnd);
  out.text = text;
  out.createdAt = created;
  out.createdMs = createdMs;
  out.lang = lang;
  return true;
}

/** The "normalize" half: the `Tweet`, exactly as `fromJetstreamEvent` builds it. */
export function buildPost(line: string, f: PostFields): JetstreamParse {
  const relayMs = Math.floor(f.timeUs / 1000);
  // Canonical and in range (`canonicalIsoMs`), so `new Date(ms).toISOString()` is the
  // string itself: it is kept, not rebuilt.
  const trusted = Math.abs(f.createdMs - relayMs) <= MAX_CLOCK_SKEW_MS;
  const post: Tweet = {
    id: `at://${f.did}/app.bsky.feed.post/${f.rkey}`,
    text: f.text,
    user: { id: f.did, name: f.did },
    created_at: trusted
      ? line.slice(f.createdAt, f.createdAt + ISO_LENGTH)
      : new Date(relayMs).toISOString(),
    url: `https://bsky.app/profile/${f.did}/post/${f.rkey}`,
    source: 'bluesky',
  };
  if (f.lang !== undefined) post.lang = f.lang;
  return { type: 'post', timeUs: f.timeUs, post };
}
