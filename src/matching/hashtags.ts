/**
 * Hashtags: a catalog hashtag, or a title run together (#InsideOut2), possibly with a
 * year (#Superman2025) or a film suffix (#sinnersmovie). The hashtag bodies are folded
 * by the scanner; the index maps each body (title, alias and listed hashtag) to entries.
 */
import { TAG_SUFFIXES, V_BIGRAM_FIRST, V_NOUN, V_REVIEW, V_VERB } from './compile.js';
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
    if (entry === undefined) continue;
    // "#flow #yoga", "#together forever": an everyday title as a bare tag counts only
    // if the post talks film (see `tagsResolved`); "#sinnersmovie", "#Superman2025" and
    // listed hashtags always.
    if (entry.ambiguous && body === tag) p.tagged.push(entry.movieId);
    else p.found.push(entry.movieId);
  }
  return film;
}

/**
 * After the scan: the everyday-title tags held back count when the post has a film tag,
 * a film word, a verdict or a rating anywhere, names another film, or is the tag alone ("#weapons #horror",
 * "#together in imax?", "#Sinners was incredible"; not "#f1 #monaco").
 */
export function tagsResolved(p: Post, filmTag: boolean): void {
  const s = p.scanner;
  // "#Sinners" alone: a post that is the tag and nothing else tags the film.
  let film =
    filmTag || p.found.length > 0 || (s.count === 0 && s.hashtags.length === 1) || p.hasRating();
  const { classes, bigrams } = p.index;
  for (let k = 0; !film && k < s.count; k++) {
    const t = s.ids[k]!;
    if (t < 0) continue;
    const c = classes[t]!;
    if ((c & (V_NOUN | V_VERB | V_REVIEW)) !== 0) film = true;
    // "#Sinners box office keeps climbing".
    else if ((c & V_BIGRAM_FIRST) !== 0 && k + 1 < s.count && s.ids[k + 1]! >= 0) {
      film = bigrams.get(t, s.ids[k + 1]!) >= 0;
    }
  }
  if (film) for (const id of p.tagged) p.found.push(id);
}
