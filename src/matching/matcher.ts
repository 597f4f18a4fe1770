/**
 * Post text → the catalog movies it is about (issue 3 §2).
 *
 * One scan tokenizes the post (scanner.ts: case, diacritics, punctuation and possessives
 * are folded there, so "Sinners’", "spider man" and "Spider-Man" meet the same tokens);
 * then, at each token, the title trie (compile.ts) is walked as far as the post follows a
 * title and the longest phrase wins (so "Inside Out 2" hides "Inside Out"). Each hit is
 * then judged (verdict.ts) on the evidence around it (context.ts: film, book and person
 * words, credits; clause.ts: the sentence it is in); titles with no evidence of their
 * own may still count when listed beside another title (links.ts).
 *
 * Module map: post.ts (the post being matched and its token questions), hits.ts (the hits
 * so far), verdict.ts (the model), context.ts, clause.ts, links.ts, hashtags.ts.
 */
import type { Catalog } from './catalog.js';
import { compileIndex, type Index } from './compile.js';
import { nounAfter } from './context.js';
import { matchHashtags, tagsResolved } from './hashtags.js';
import { NO } from './hits.js';
import { resolveLinks } from './links.js';
import { BREAK, Post } from './post.js';
import { F_DOT, F_GAP_B, F_POSS, F_PUNCT_B } from './scanner.js';
import { judge } from './verdict.js';

export interface Matcher {
  /** Catalog ids of the movies the post is about, ascending, without duplicates. */
  match(text: string): number[];
}

export function compileMatcher(catalog: Catalog): Matcher {
  return new TrieMatcher(compileIndex(catalog));
}

class TrieMatcher implements Matcher {
  private readonly post: Post;

  constructor(private readonly index: Index) {
    this.post = new Post(index);
  }

  match(text: string): number[] {
    const p = this.post;
    p.reset(text);
    const s = p.scanner;
    const found = p.found;
    const filmTag = s.hashtags.length > 0 && matchHashtags(p, s.hashtags);
    const { trie, terminals, maxDepth, rootChild } = this.index;
    const ids = s.ids;
    const flags = s.flags;
    const n = s.count;
    let i = 0;
    while (i < n) {
      const first = ids[i]!;
      if (first < 0 || rootChild[first]! < 0) {
        i++;
        continue;
      }
      let node = rootChild[first]!;
      let best = terminals[node] !== undefined ? node : -1;
      let bestEnd = i + 1;
      const limit = Math.min(n, i + maxDepth);
      // The longest hit before a comma inside the walk: "father, mother, sister, brother
      // all sick" is a list of words, not Father Mother Sister Brother, unless the
      // title writes the comma itself ("Sorry, Baby").
      let comma = -1;
      let beforeComma = best;
      let beforeCommaEnd = bestEnd;
      for (let j = i + 1; j < limit; j++) {
        // A period may sit inside a title ("The Super Mario Bros. Movie"); ! ? and line
        // breaks, hashtags and links may not.
        if ((flags[j]! & BREAK) !== 0 && (flags[j]! & (F_DOT | F_GAP_B)) !== F_DOT) break;
        if (
          comma < 0 &&
          (flags[j]! & F_PUNCT_B) !== 0 &&
          text.charCodeAt(s.ends[j - 1]!) === 0x2c
        ) {
          comma = j;
          beforeComma = best;
          beforeCommaEnd = bestEnd;
        }
        const t = ids[j]!;
        const child = t < 0 ? -1 : trie.get(node, t);
        if (child < 0) {
          const stem = this.possessiveStem(node, j);
          if (stem >= 0) {
            best = stem;
            bestEnd = j + 1;
            // An everyday phrase is as likely a plain plural ("black bags"): it is judged
            // as written, with no possessive to count as evidence.
            if (!terminals[stem]!.some((x) => x.ambiguous)) flags[j] = flags[j]! | F_POSS;
          }
          break;
        }
        node = child;
        if (terminals[node] !== undefined) {
          best = node;
          bestEnd = j + 1;
        }
      }
      if (comma >= 0 && bestEnd > comma && terminals[best]![0]!.comma !== true) {
        best = beforeComma;
        bestEnd = beforeCommaEnd;
      }
      if (best < 0) {
        i++;
        continue;
      }
      const entries = terminals[best]!;
      if (entries[0]!.movieId === 0) {
        // A blocker ("the Civil War") unless a film noun follows ("the Civil War trailer"):
        // then the shorter title inside it gets its chance.
        if (nounAfter(p, bestEnd)) i++;
        else {
          // Recorded as not a film: a later "superman movie" then reads as the series.
          p.hits.add(0, i, bestEnd, NO);
          i = bestEnd;
        }
        continue;
      }
      const id = judge(p, entries, i, bestEnd, filmTag);
      if (id > 0) found.push(id);
      i = bestEnd;
    }
    if (p.hits.count > 1) resolveLinks(p);
    if (p.tagged.length > 0) tagsResolved(p, filmTag);
    // "Smile 2 and Longlegs and Heretic": among other titles, a capitalized one is a title.
    if (found.length > 0) for (const id of p.deferred) found.push(id);
    if (found.length === 0) return [];
    found.sort((a, b) => a - b);
    const out = [found[0]!];
    for (let k = 1; k < found.length; k++) if (found[k] !== found[k - 1]) out.push(found[k]!);
    return out;
  }

  /**
   * "killers of the flower moons cast", "godzilla minus ones effects", "smile 2s ending":
   * a possessive written without its apostrophe. Token j, one s longer than the word that
   * would end a title here (walked to `node`), ends it, when the title has two tokens or
   * more ("barbies", "aliens" are plain plurals). An everyday phrase ("black bags", "wicked
   * for goods") is then judged as written, without the possessive as evidence. Returns
   * the title's node, or -1.
   * The scanner keeps the stem's keys, so this costs one lookup and no string.
   */
  private possessiveStem(node: number, j: number): number {
    const s = this.post.scanner;
    if ((s.flags[j]! & F_POSS) !== 0) return -1;
    const stem = s.stemId(j);
    if (stem < 0) return -1;
    const child = this.index.trie.get(node, stem);
    if (child < 0) return -1;
    const entries = this.index.terminals[child];
    if (entries === undefined || entries[0]!.movieId === 0) return -1;
    return child;
  }
}
