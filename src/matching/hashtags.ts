/**
 * Hashtags: a catalog hashtag, or a title run together (#InsideOut2), possibly with a
 * year (#Superman2025) or a film suffix (#sinnersmovie). The hashtag bodies are folded
 * by the scanner; the index maps each body (title, alias and listed hashtag) to entries.
 */
import { TAG_SUFFIXES } from './compile.js';
import type { Post } from './post.js';
import { pick } from './verdict.js';

/** Adds hashtag hits to `p.found`; returns whether a hashtag signals film talk. */
export function matchHashtags(p: Post, tags: string[]): boolean {
  const { hashtags, filmTags } = p.index;
  let film = false;
  for (const tag of tags) {
    if (filmTags.has(tag)) film = true;
    let entries = hashtags.get(tag);
    let year = 0;
    let body = tag;
    // #Superman2025: a trailing year picks (or rules out) the film.
    const y = /(?:19|20)\d\d$/.exec(body);
    if (entries === undefined && y !== null && body.length > 4) {
      year = Number(y[0]);
      body = body.slice(0, -4);
      entries = hashtags.get(body);
    }
    for (let k = 0; entries === undefined && k < TAG_SUFFIXES.length; k++) {
      const suffix = TAG_SUFFIXES[k]!;
      if (body.length > suffix.length && body.endsWith(suffix)) {
        entries = hashtags.get(body.slice(0, -suffix.length));
      }
    }
    if (entries === undefined) continue;
    const entry = pick(entries, year);
    if (entry !== undefined) p.found.push(entry.movieId);
  }
  return film;
}
