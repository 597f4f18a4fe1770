/**
 * Recorded-format Jetstream input for the feeder benchmark and the fast-path tests:
 * event lines byte for byte as Jetstream sends them with `wantedCollections=
 * app.bsky.feed.post` (github.com/bluesky-social/jetstream README, "Example events";
 * the record is the `app.bsky.feed.post` lexicon): mostly post creates with replies,
 * facets, image / link-card / quote embeds at realistic rates, some deletes, identity
 * and account events, and a few malformed lines. About 2% of the posts name a catalog
 * movie, like the real firehose; the rest is multilingual chatter (chatter.ts).
 *
 * Deterministic: the same options give the same lines on every machine.
 */

import { mulberry32, pick, type Random } from '../../src/feeder/sources/prng.js';
import { moviePost, pairPost } from '../../src/feeder/sources/synthetic-text.js';
import type { Catalog, CatalogMovie } from '../../src/matching/catalog.js';
import { chatter, randomId } from './chatter.js';

export interface CorpusOptions {
  /** Event lines to produce. */
  events: number;
  catalog: Catalog;
  seed?: number;
  /** Share of posts that name a catalog movie. Default 0.015 (plus the
   * chatter that happens to name a title, ~2.5% of posts match). */
  movieShare?: number;
  /** Share of events that are malformed. Default 0.001. */
  malformedShare?: number;
  /** `time_us` of the first event. Default 2025-06-01T12:00:00Z. */
  startUs?: number;
  /** Authors to draw from (a small pool makes the per-author cap bite). Default 50,000. */
  authors?: number;
}

export interface Corpus {
  lines: string[];
  /** How many lines are post creates. */
  posts: number;
  /** How many lines are malformed on purpose. */
  malformed: number;
}

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
const CID = (r: Random): string => `bafyrei${randomId(r, 52, B32)}`;
const TID = (r: Random): string => `3l${randomId(r, 11, B32)}`;
/** did:plc ids are 24 base32 characters; author k always gets the same one. */
const didCache = new Map<number, string>();
const did = (r: Random, authors: number): string => {
  const k = Math.floor(r() * authors);
  let d = didCache.get(k);
  if (d === undefined) {
    d = `did:plc:${randomId(mulberry32(k + 1), 24, B32)}`;
    didCache.set(k, d);
  }
  return d;
};

/** Go's encoding/json escapes <, > and & (HTMLEscape); Jetstream's lines show them so. */
const jsonString = (s: string): string =>
  JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/** Zipf-like: a few films get most of the talk. */
function pickMovie(r: Random, movies: readonly CatalogMovie[]): CatalogMovie {
  const k = Math.floor(movies.length * r() ** 3);
  return movies[Math.min(k, movies.length - 1)]!;
}

function postRecord(
  r: Random,
  text: string,
  lang: string,
  link: string | undefined,
  createdAt: string,
  authors: number,
): string {
  const parts: string[] = ['"$type":"app.bsky.feed.post"', `"createdAt":${jsonString(createdAt)}`];
  const x = r();
  if (x < 0.18) {
    const n = 1 + Math.floor(r() * 4);
    const imgs: string[] = [];
    for (let k = 0; k < n; k++)
      imgs.push(
        `{"alt":${jsonString(r() < 0.5 ? '' : 'a photo of the view from my window')},"aspectRatio":{"height":${1000 + Math.floor(r() * 1000)},"width":${1000 + Math.floor(r() * 1000)}},"image":{"$type":"blob","ref":{"$link":"bafkrei${randomId(r, 52, B32)}"},"mimeType":"image/jpeg","size":${100000 + Math.floor(r() * 900000)}}}`,
      );
    parts.push(`"embed":{"$type":"app.bsky.embed.images","images":[${imgs.join(',')}]}`);
  } else if (x < 0.24 && link !== undefined) {
    parts.push(
      `"embed":{"$type":"app.bsky.embed.external","external":{"description":${jsonString('Read the full story: what we know so far, and what comes next.')},"thumb":{"$type":"blob","ref":{"$link":"bafkrei${randomId(r, 52, B32)}"},"mimeType":"image/jpeg","size":${20000 + Math.floor(r() * 80000)}},"title":${jsonString('Breaking: a headline about something that happened')},"uri":${jsonString(link)}}}`,
    );
  } else if (x < 0.3) {
    parts.push(
      `"embed":{"$type":"app.bsky.embed.record","record":{"cid":"${CID(r)}","uri":"at://${did(r, authors)}/app.bsky.feed.post/${TID(r)}"}}`,
    );
  }
  if (link !== undefined) {
    const start = Buffer.byteLength(text.slice(0, text.indexOf(link)));
    parts.push(
      `"facets":[{"features":[{"$type":"app.bsky.richtext.facet#link","uri":${jsonString(link)}}],"index":{"byteEnd":${start + Buffer.byteLength(link)},"byteStart":${start}}}]`,
    );
  }
  if (r() < 0.97) parts.push(`"langs":[${jsonString(lang)}]`);
  if (r() < 0.4) {
    const root = `{"cid":"${CID(r)}","uri":"at://${did(r, authors)}/app.bsky.feed.post/${TID(r)}"}`;
    const parent =
      r() < 0.5
        ? root
        : `{"cid":"${CID(r)}","uri":"at://${did(r, authors)}/app.bsky.feed.post/${TID(r)}"}`;
    parts.push(`"reply":{"parent":${parent},"root":${root}}`);
  }
  parts.push(`"text":${jsonString(text)}`);
  // Keys come sorted from the relay; a few clients' records are not — keep the scanner honest.
  if (r() < 0.03) parts.reverse();
  return `{${parts.join(',')}}`;
}

const MALFORMED: ReadonlyArray<(line: string) => string> = [
  (l) => l.slice(0, Math.floor(l.length / 2)), // truncated frame
  () => 'not json at all',
  () => '',
  (l) => l.replace('"text":', '"txet":'), // post without record.text
  (l) => l.replace(/"rkey":"[^"]*"/, '"rkey":""'),
  (l) => l.replace(/"did":"did:/, '"did":"xx:'),
  (l) => l.replace(/"time_us":\d+/, '"time_us":"soon"'),
  (l) => l.replace('"text":"', '"text":7,"x":"'),
  (l) => `${l}}`, // trailing garbage
  () => '{"kind":"commit"}',
  () => '[1,2,3]',
];

export function generateCorpus(opts: CorpusOptions): Corpus {
  const r = mulberry32(opts.seed ?? 1);
  const movies = opts.catalog.movies;
  const movieShare = opts.movieShare ?? 0.015;
  const malformedShare = opts.malformedShare ?? 0.001;
  const authors = opts.authors ?? 50_000;
  let timeUs = opts.startUs ?? Date.UTC(2025, 5, 1, 12) * 1000;
  const lines: string[] = [];
  let posts = 0;
  let malformed = 0;
  for (let k = 0; k < opts.events; k++) {
    timeUs += 1 + Math.floor(r() * 40); // ~40k events/s, several may share a ms
    const author = did(r, authors);
    const x = r();
    let line: string;
    if (x < 0.9) {
      let text: string;
      let lang: string;
      let link: string | undefined;
      if (r() < movieShare) {
        const t =
          r() < 0.06
            ? pairPost(r, pickMovie(r, movies), pickMovie(r, movies))
            : moviePost(r, pickMovie(r, movies));
        text = t.text;
        lang = t.lang;
      } else {
        ({ text, lang, link } = chatter(r));
      }
      // createdAt: the author's clock — mostly a little behind the relay, sometimes far off.
      const skewMs = r() < 0.01 ? -86_400_000 * 30 : -Math.floor(r() * 3000);
      const createdAt = new Date(Math.floor(timeUs / 1000) + skewMs).toISOString();
      const rec = postRecord(r, text, lang, link, createdAt, authors);
      line = `{"did":"${author}","time_us":${timeUs},"kind":"commit","commit":{"rev":"${TID(r)}","operation":"create","collection":"app.bsky.feed.post","rkey":"${TID(r)}","record":${rec},"cid":"${CID(r)}"}}`;
      posts++;
      if (r() < malformedShare / 0.9) {
        line = pick(r, MALFORMED)(line);
        malformed++;
        posts--;
      }
    } else if (x < 0.98) {
      line = `{"did":"${author}","time_us":${timeUs},"kind":"commit","commit":{"rev":"${TID(r)}","operation":"delete","collection":"app.bsky.feed.post","rkey":"${TID(r)}"}}`;
    } else if (x < 0.99) {
      line = `{"did":"${author}","time_us":${timeUs},"kind":"identity","identity":{"did":"${author}","handle":"${randomId(r, 9, B32)}.bsky.social","seq":${Math.floor(timeUs / 1000)},"time":"${new Date(Math.floor(timeUs / 1000)).toISOString()}"}}`;
    } else {
      line = `{"did":"${author}","time_us":${timeUs},"kind":"account","account":{"active":true,"did":"${author}","seq":${Math.floor(timeUs / 1000)},"time":"${new Date(Math.floor(timeUs / 1000)).toISOString()}"}}`;
    }
    lines.push(line);
  }
  return { lines, posts, malformed };
}
