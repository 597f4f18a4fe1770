/**
 * Context words: what the words around a hit say about it, independent of grammar. A
 * film word near it (a noun like "trailer", a verb like "watched", a bigram like "box
 * office"), a book, stage, person or pet word near it, an owner before it ("my", "a"),
 * a credited person next to it ("with josh brolin", "ryan coogler's"), or another title
 * after "in" (then the hit is a character of that film).
 *
 * Each rule is a function of the post and the hit's token span [i, e); none allocates.
 */
import {
  V_BIGRAM_FIRST,
  V_CREDIT,
  V_NAME,
  V_NOT_FILM,
  V_NOT_FILM_ADJ,
  V_NOUN,
  V_NOUN_AFTER,
  V_OWNER,
  V_VERB,
} from './compile.js';
import { BREAK, type Post } from './post.js';
import { F_CAP, F_POSS, F_PUNCT_B } from './scanner.js';

/** Tokens on each side of a hit searched for film words (about one clause). */
export const WINDOW = 8;
/**
 * Tokens on each side searched for a book or stage word when the post shows no film
 * word: shorter than WINDOW because such words ("song", "show") belong to the clause
 * they are in, and a post about two things often has one of each.
 */
const NOT_FILM_WINDOW = 4;

/** A film word within WINDOW tokens of the hit, in the same sentence or the next. */
export function filmNear(p: Post, i: number, e: number, verbs = true): boolean {
  const s = p.scanner;
  const near = verbs ? V_VERB | V_NOUN : V_NOUN;
  const ids = s.ids;
  const { classes, bigrams } = p.index;
  const from = Math.max(0, i - WINDOW);
  const to = Math.min(s.count, e + WINDOW);
  for (let k = from; k < to; k++) {
    if (k >= i && k < e) continue;
    const t = ids[k]!;
    if (t < 0) continue;
    const c = classes[t]!;
    if ((c & near) !== 0) return true;
    if ((c & V_BIGRAM_FIRST) !== 0 && k + 1 < s.count) {
      const u = ids[k + 1]!;
      if (u >= 0 && bigrams.get(t, u) >= 0) return true;
    }
  }
  return false;
}

/**
 * A book or stage word within a few tokens of the hit, or a person or pet word right
 * next to it ("Oppenheimer the man", "my cat conclave").
 */
export function notFilmNear(p: Post, i: number, e: number): boolean {
  const s = p.scanner;
  const classes = p.index.classes;
  let from = Math.max(0, i - NOT_FILM_WINDOW);
  const to = Math.min(s.count, e + NOT_FILM_WINDOW);
  // "Dog Man and The Bad Guys 2": the words of the title before are not about this one.
  if (p.hits.count > 0) from = Math.max(from, p.hits.lastEnd());
  for (let k = from; k < to; k++) {
    if (k >= i && k < e) continue;
    const t = s.ids[k]!;
    if (t < 0) continue;
    const c = classes[t]!;
    if ((c & V_NOT_FILM) !== 0) return true;
    if ((c & V_NOT_FILM_ADJ) !== 0 && k >= i - 2 && k < e + 2) return true;
  }
  return false;
}

/** A film noun right after the hit: "weapons movie", "Sinners trailer". */
export function nounAfter(p: Post, e: number): boolean {
  const s = p.scanner;
  if (e >= s.count || (s.flags[e]! & BREAK) !== 0) return false;
  const t = s.ids[e]!;
  return t >= 0 && (p.index.classes[t]! & V_NOUN_AFTER) !== 0;
}

/** "a", "an" or a possessive pronoun right before the hit, in the same sentence. */
export function ownedBefore(p: Post, i: number): boolean {
  const s = p.scanner;
  if (i === 0 || (s.flags[i]! & (BREAK | F_PUNCT_B)) !== 0) return false;
  const t = s.ids[i - 1]!;
  return t >= 0 && (p.index.classes[t]! & V_OWNER) !== 0;
}

/** "with/by/de" and a capitalized name right after the hit. */
export function creditAfter(p: Post, e: number): boolean {
  const s = p.scanner;
  if (e + 1 >= s.count) return false;
  const t = s.ids[e]!;
  if (t < 0 || (p.index.classes[t]! & V_CREDIT) === 0) return false;
  const f = s.flags[e + 1]!;
  if ((s.flags[e]! & BREAK) !== 0 || (f & BREAK) !== 0) return false;
  if ((f & F_CAP) !== 0) return true;
  // Lower case: a first name, or a word that is no everyday word, followed by another
  // word ("with josh brolin", "by gints zilbalodis", "starring tatiana maslany").
  const name = s.ids[e + 1]!;
  const named = (name >= 0 && (p.index.classes[name]! & V_NAME) !== 0) || p.unknownWord(e + 1);
  return (
    named && e + 2 < s.count && (s.flags[e + 2]! & BREAK) === 0 && s.ids[e + 2] !== p.index.ampId
  );
}

/**
 * A person credited next to the hit: "Ryan Coogler's Sinners", "Kirsten Dunst in
 * Civil War", "zach cregger's weapons" (a first name, then a word, then 's or "in").
 */
export function creditBefore(p: Post, i: number): boolean {
  const s = p.scanner;
  if (i < 2 || (s.flags[i]! & BREAK) !== 0) return false;
  const { ids, flags } = s;
  const classes = p.index.classes;
  const prev = i - 1;
  const poss = (flags[prev]! & F_POSS) !== 0;
  if (!poss && ids[prev] !== p.index.inId) return false;
  const last = poss ? prev : prev - 1;
  for (let k = last; k >= Math.max(0, last - 2); k--) {
    const t = ids[k]!;
    if (t >= 0 && (classes[t]! & V_NAME) !== 0) return true;
    // "osgood perkins' the monkey", "paul giamatti in": two name-like words (one
    // word alone may be anything: "my grandpa's weapons collection").
    if (k === last && k > 0 && p.unknownWord(k) && (flags[k]! & BREAK) === 0) {
      const u = ids[k - 1]!;
      if ((u >= 0 && (classes[u]! & V_NAME) !== 0) || p.unknownWord(k - 1)) return true;
    }
    if ((flags[k]! & BREAK) !== 0) return false;
  }
  return false;
}

/** "Joker in The Dark Knight", "Mufasa in the Lion King": another title follows "in". */
export function inAnotherTitle(p: Post, e: number): boolean {
  const s = p.scanner;
  if (e + 1 >= s.count || (s.flags[e]! & BREAK) !== 0 || s.ids[e] !== p.index.inId) {
    return false;
  }
  const { trie, terminals, rootChild, maxDepth } = p.index;
  const first = s.ids[e + 1]!;
  if (first < 0 || rootChild[first]! < 0) return false;
  let node = rootChild[first]!;
  if (terminals[node] !== undefined) return true;
  for (let j = e + 2; j < s.count && j < e + 1 + maxDepth; j++) {
    const t = s.ids[j]!;
    if (t < 0 || (s.flags[j]! & BREAK) !== 0) return false;
    node = trie.get(node, t);
    if (node < 0) return false;
    if (terminals[node] !== undefined) return true;
  }
  return false;
}
