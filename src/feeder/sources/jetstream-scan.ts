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
const LANGS_KEY = 'langs":';
const TEXT = '"text":"';
const CID = '},"cid":"';
const TAIL = '"}}';
/** Characters of a CIDv1 in base32 (`bafyrei…`, a sha-256 multihash): what cids are. */
const CID_LENGTH = 59;
/** Length of a canonical ISO time, `2025-06-01T12:00:00.000Z` (what toISOString writes). */
const ISO_LENGTH = 24;
const QUOTE = 34;

/** `createdAt` is trusted within this distance of the relay's time (see jetstream-format.ts). */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;

/**
 * `s` holds `word` at `at`. A substring compared with `===`, not `startsWith`: V8's
 * startsWith compares a two-byte line (any post with an emoji or a non-Latin-1 letter
 * is one) to a one-byte constant a character at a time, several times slower than the
 * memcmp-like string equality (bench/feeder: ~0.5 µs of the ~2 µs a post's scan took).
 */
function has(s: string, word: string, at: number): boolean {
  return s.substring(at, at + word.length) === word;
}

/**
 * True when `s[from, to)` holds no `\`. `first` is `s.indexOf('\\', 8)`, the line's first
 * backslash (-1 if none), found once: native indexOf runs at memchr speed, a
 * `charCodeAt` loop costs a few ns per character. Every range checked here ends at
 * the first `"` after its start (found with indexOf), so it holds no quote either.
 */
function noBackslash(s: string, from: number, to: number, first: number): boolean {
  if (first === -1 || first >= to) return true;
  if (first >= from) return false;
  const b = s.indexOf('\\', from);
  return b === -1 || b >= to;
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

/**
 * A post delete (a tenth of the firehose), the whole line in Jetstream's own layout:
 * nothing but did, time_us, and a commit of rev, operation, collection and rkey, each
 * string free of quotes, backslashes and control characters (`[ !#-[\]-\uffff]`), so
 * the line is valid JSON and `fromJetstreamEvent` would read it as `other` at that time.
 */
const DELETE =
  /^\{"did":"did:[ !#-[\]-\uffff]*","time_us":([1-9]\d{0,15}),"kind":"commit","commit":\{"rev":"[ !#-[\]-\uffff]*","operation":"delete","collection":"[ !#-[\]-\uffff]*","rkey":"[ !#-[\]-\uffff]*"\}\}$/;

/**
 * Reads a delete event without `JSON.parse` (a regular expression: ~0.2 µs against
 * ~1 µs, bench/feeder), or `undefined` when the strict path must decide.
 */
export function scanJetstreamDelete(line: string): JetstreamParse | undefined {
  const m = DELETE.exec(line);
  if (m === null) return undefined;
  const timeUs = Number(m[1]);
  return Number.isSafeInteger(timeUs) ? { type: 'other', timeUs } : undefined;
}

/** The "parse" half: finds and checks the fields; false when the strict path must decide. */
export function locateJetstreamPost(line: string, out: PostFields): boolean {
  if (!has(line, HEAD, 0)) return false;
  // Native indexOf throughout, not charCodeAt loops: a few ns per character add up to
  // a microsecond over a post's ~700 characters (bench/feeder).
  const backslash = line.indexOf('\\', 8);
  // did
  const didEnd = line.indexOf('"', HEAD.length);
  if (didEnd === -1 || !has(line, TIME, didEnd) || !noBackslash(line, 8, didEnd, backslash))
    return false;
  // time_us: digits only, a positive safe integer
  let p = didEnd + TIME.length;
  let timeUs = 0;
  const digits = p;
  for (let c = line.charCodeAt(p); c >= 48 && c <= 57; c = line.charCodeAt(++p))
    timeUs = timeUs * 10 + (c - 48);
  if (p === digits || p - digits > 16 || line.charCodeAt(digits) === 48) return false;
  if (!Number.isSafeInteger(timeUs) || timeUs <= 0) return false;
  // commit header: rev, operation = create, collection = post, rkey
  if (!has(line, COMMIT, p)) return false;
  const revEnd = line.indexOf('"', p + COMMIT.length);
  if (revEnd === -1 || !has(line, CREATE, revEnd)) return false;
  if (!noBackslash(line, p + COMMIT.length, revEnd, backslash)) return false;
  const rkeyStart = revEnd + CREATE.length;
  const rkeyEnd = line.indexOf('"', rkeyStart);
  if (rkeyEnd <= rkeyStart || !has(line, RECORD, rkeyEnd)) return false;
  if (!noBackslash(line, rkeyStart, rkeyEnd, backslash)) return false;
  // record: sorted keys — `$type`, `createdAt` first, `text` last, then the cid
  const created = rkeyEnd + RECORD.length;
  const createdMs = canonicalIsoMs(line, created);
  if (Number.isNaN(createdMs) || line.charCodeAt(created + ISO_LENGTH) !== QUOTE) return false;
  // The tail: `…"},"cid":"<cid>"}}`, the cid with no quote or backslash.
  const end = line.length - TAIL.length;
  if (!has(line, TAIL, end)) return false;
  // A CIDv1 (base32, sha-256) has 59 characters; any other length is looked for.
  let cidAt = end - CID_LENGTH - CID.length;
  if (!has(line, CID, cidAt)) cidAt = line.lastIndexOf(CID, end);
  if (cidAt <= created || line.charCodeAt(cidAt - 1) !== QUOTE) return false;
  const cidStart = cidAt + CID.length;
  if (line.indexOf('"', cidStart) !== end || !noBackslash(line, cidStart, end, backslash))
    return false;
  // The text value ends right before the record's closing brace (`text` sorts last). Its
  // key is the last `"text":"` before it: a JSON string holds no unescaped quote.
  const textEnd = cidAt - 1;
  const textKey = line.lastIndexOf(TEXT, textEnd);
  if (textKey <= created) return false;
  const textStart = textKey + TEXT.length;
  let text: string;
  if (noBackslash(line, textStart, textEnd, backslash)) {
    // No escapes: the value is the text as it stands, when it holds no quote.
    if (line.indexOf('"', textStart) !== textEnd) return false;
    text = line.slice(textStart, textEnd);
  } else {
    // Escapes (\n, \", \u003c…): let JSON decode the value and prove it is one string.
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
  // Found by its `langs":` (a rarer first letter than the quote, which indexOf would stop
  // at every few characters of JSON), the quote checked after.
  let lang: string | undefined;
  let langs = line.indexOf(LANGS_KEY, created + 1);
  while (langs !== -1 && line.charCodeAt(langs - 1) !== QUOTE)
    langs = line.indexOf(LANGS_KEY, langs + 1);
  if (langs !== -1 && --langs < textKey) {
    if (!has(line, LANGS, langs)) return false; // [] or not strings: strict path
    const langEnd = line.indexOf('"', langs + LANGS.length);
    if (
      langEnd === -1 ||
      langEnd > textKey ||
      !noBackslash(line, langs + LANGS.length, langEnd, backslash)
    )
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
