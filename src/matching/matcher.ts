/**
 * Post text → the catalog movies it is about (issue 3 §2).
 *
 * One scan tokenizes the post; then, at each token, the trie is walked as far as the
 * post follows a title and the longest phrase wins (so "Inside Out 2" hides "Inside
 * Out"). Each hit is then judged on local evidence:
 * - a year next to it that contradicts the catalog year means another film ("Dune (1984)");
 * - a sequel number, a "Part N", or a title-case "Prefix:" / blocker phrase around it
 *   means a longer title that is not in the catalog ("Captain America: Civil War");
 * - a title made of everyday words counts only with a sign of film intent: a hashtag,
 *   quotes, the matching year, a film noun right after it, a watching verb right
 *   before it, or capitals in lowercase-heavy text or near film words.
 */
import type { Catalog } from './catalog.js';
import {
  compileIndex,
  type Entry,
  type Index,
  TAG_SUFFIXES,
  V_ARTICLE,
  V_AUXILIARY,
  V_BIGRAM_FIRST,
  V_COMPARE,
  V_CONNECT,
  V_COPULA,
  V_CREDIT,
  V_DETERMINER,
  V_LABEL,
  V_LEAD,
  V_LIGHT,
  V_ME,
  V_MY,
  V_NAME,
  V_NOT_FILM,
  V_NOT_FILM_ADJ,
  V_NOUN,
  V_NOUN_AFTER,
  V_OWNER,
  V_PART,
  V_PLURAL_VERB,
  V_PRED_ADVERB,
  V_PREDICATE,
  V_REVIEW,
  V_REVIEW_VERB,
  V_SOFTENER,
  V_STOP,
  V_UNIT,
  V_VERB,
  V_VERB_AFTER,
  V_VERB_NEAR,
  V_WH,
} from './compile.js';
import {
  F_ALLCAP,
  F_CAP,
  F_CJK,
  F_COLON_B,
  F_DIGITS,
  F_DOT,
  F_GAP_B,
  F_LOWER,
  F_POSS,
  F_PUNCT_B,
  F_QUOTE_A,
  F_QUOTE_B,
  F_SENT,
  foldWord,
  Scanner,
} from './scanner.js';

export interface Matcher {
  /** Catalog ids of the movies the post is about, ascending, without duplicates. */
  match(text: string): number[];
}

/** Tokens on each side of a hit searched for film words (about one clause). */
const WINDOW = 8;
/** At most this share of other words may be capitalized for text to count as lowercase-heavy. */
const LOWERCASE_HEAVY_SHARE = 0.1;
/** A year this far from the catalog's still means the same film (festival vs release year). */
const YEAR_SLACK = 1;

const BREAK = F_SENT | F_GAP_B;

/**
 * Evidence verdicts: a film; not one; a film only if the post names another film
 * (title case); a film only if listed right next to another title ("sinners > weapons").
 */
const NO = 0;
const YES = 1;
const DEFER = 2;
const LINK = 3;
type Verdict = typeof NO | typeof YES | typeof DEFER | typeof LINK;

/**
 * Post-wide film signs: a rating ("8/10", "4.5/5", stars), film emoji, a link to a film
 * site. The post reviews or shares something, most often a film.
 */
const FILM_MARKS =
  /[🍿🎬🎥📽🎞🎟]|letterboxd\.com|boxd\.it|imdb\.com|(?:^|[^\d/])\d{1,2}(?:[.,]\d)?\s?\/\s?(?:10|5)(?![\d/])|[★⭐]/u;

export function compileMatcher(catalog: Catalog): Matcher {
  return new TrieMatcher(compileIndex(catalog));
}

class TrieMatcher implements Matcher {
  private readonly scanner: Scanner;
  private readonly found: number[] = [];
  /** Title-case everyday-word hits that count if the post names another film too. */
  private readonly deferred: number[] = [];
  /**
   * Every hit of the scan, in order: movie id, token span and verdict (for LINK). Typed
   * arrays and a count, so a post without hits costs nothing to reset.
   */
  private hits = 0;
  private hitIds = new Int32Array(16);
  private hitStarts = new Int32Array(16);
  private hitEnds = new Int32Array(16);
  private hitVerdicts = new Uint8Array(16);
  private text = '';
  /** Whether the post carries a rating; -1 until first needed (most posts never ask). */
  private rated = -1;
  /** Token where a title named as a film starts ("... in The Dark Knight"), or -1. */
  private filmAt = -1;

  constructor(private readonly index: Index) {
    this.scanner = new Scanner(index.vocab);
    this.scanner.ampId = index.ampId;
  }

  match(text: string): number[] {
    const s = this.scanner;
    s.scan(text);
    this.text = text;
    this.rated = -1;
    this.filmAt = -1;
    const found = this.found;
    // Setting an array's length is a runtime call: skip it when already empty.
    if (found.length > 0) found.length = 0;
    if (this.deferred.length > 0) this.deferred.length = 0;
    this.hits = 0;
    const filmTag = s.hashtags.length > 0 && this.matchHashtags(s.hashtags);
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
      for (let j = i + 1; j < limit; j++) {
        // A period may sit inside a title ("The Super Mario Bros. Movie"); ! ? and line
        // breaks, hashtags and links may not.
        if ((flags[j]! & BREAK) !== 0 && (flags[j]! & (F_DOT | F_GAP_B)) !== F_DOT) break;
        const t = ids[j]!;
        if (t < 0) break;
        node = trie.get(node, t);
        if (node < 0) break;
        if (terminals[node] !== undefined) {
          best = node;
          bestEnd = j + 1;
        }
      }
      if (best < 0) {
        i++;
        continue;
      }
      const entries = terminals[best]!;
      if (entries[0]!.movieId === 0) {
        // A blocker ("the Civil War") unless a film noun follows ("the Civil War trailer"):
        // then the shorter title inside it gets its chance.
        if (this.nounAfter(bestEnd)) i++;
        else i = bestEnd;
        continue;
      }
      const id = this.judge(entries, i, bestEnd, filmTag);
      if (id > 0) found.push(id);
      i = bestEnd;
    }
    if (this.hits > 1) this.resolveLinks();
    // "Smile 2 and Longlegs and Heretic": among other titles, a capitalized one is a title.
    if (found.length > 0) for (const id of this.deferred) found.push(id);
    if (found.length === 0) return [];
    found.sort((a, b) => a - b);
    const out = [found[0]!];
    for (let k = 1; k < found.length; k++) if (found[k] !== found[k - 1]) out.push(found[k]!);
    return out;
  }

  /** Adds hashtag hits to `found`; returns whether a hashtag signals film talk. */
  private matchHashtags(tags: string[]): boolean {
    const { hashtags, filmTags } = this.index;
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
      if (entry !== undefined) this.found.push(entry.movieId);
    }
    return film;
  }

  /** The movie id a hit stands for, or 0 when the evidence says it is not that film. */
  private judge(entries: Entry[], i: number, e: number, filmTag: boolean): number {
    const s = this.scanner;
    const { ids, flags, nums } = s;
    const classes = this.index.classes;
    const n = s.count;
    const year = this.adjacentYear(i, e);
    const entry = pick(entries, year);
    if (entry === undefined) return 0; // a contradicting year: another film
    if (e < n && (flags[e]! & (BREAK | F_PUNCT_B | F_COLON_B)) === 0) {
      // "Dune 3", "Inside Out 3", "Dune Part Three": a sequel the catalog does not have.
      const v = nums[e]!;
      // "ranked: 1 sinners 2 weapons 3 companion": a list's next number, not a sequel.
      const listed = i > 0 && nums[i - 1] === v - 1;
      if (v >= 2 && v <= 12 && !this.scoreNumber(e) && !listed) return 0;
      const next = ids[e]!;
      if (next >= 0 && (classes[next]! & V_PART) !== 0 && e + 1 < n) return 0;
    }
    // "Captain America: Civil War": a title-case prefix and a colon make a longer title.
    if (i > 0 && (flags[i]! & F_COLON_B) !== 0 && (flags[i]! & F_SENT) === 0) {
      const p = ids[i - 1]!;
      const label = p >= 0 && (classes[p]! & (V_LABEL | V_NOUN | V_VERB)) !== 0;
      if ((flags[i - 1]! & F_CAP) !== 0 && !label && !this.shouting()) return 0;
    }
    // "smile 2 times a day", "smile 2 more days": the number counts what follows.
    if (entry.countable === true && e < n && ids[e]! >= 0 && (classes[ids[e]!]! & V_UNIT) !== 0) {
      if ((flags[e]! & BREAK) === 0) return this.hit(entry.movieId, i, e, NO);
    }
    // "Heath Ledger's Joker in The Dark Knight": a character of another film, and the
    // title after "in" is named as a film.
    if (this.inAnotherTitle(e)) {
      this.filmAt = e + 1;
      return this.hit(entry.movieId, i, e, NO);
    }
    if (i === this.filmAt) return this.hit(entry.movieId, i, e, YES);
    // "the dark knight's joker": right after another title's possessive, a character.
    if (this.hits > 0 && this.hitEnds[this.hits - 1] === i && (flags[i - 1]! & F_POSS) !== 0) {
      return this.hit(entry.movieId, i, e, NO);
    }
    // "Thunderbolts*": the post writes the title's own mark.
    if (entry.mark !== 0 && this.text.charCodeAt(s.ends[e - 1]!) === entry.mark) {
      return this.hit(entry.movieId, i, e, YES);
    }
    if (!entry.ambiguous) {
      // "reading Frankenstein for class", "Hamnet the novel": a namesake, not the film.
      if (!filmTag && this.notFilmNear(i, e) && !this.filmNear(i, e)) {
        return this.hit(entry.movieId, i, e, NO);
      }
      // "an anaconda at the zoo", "my elio is 3": after "a" or "my" a name is a common
      // noun or a pet, unless a film noun follows ("a Barbie movie", "my Anora review").
      if (this.ownedBefore(i) && !this.nounAfter(e) && !filmTag) {
        return this.hit(entry.movieId, i, e, NO);
      }
      return this.hit(entry.movieId, i, e, YES);
    }
    // "Wicked: For Good" when only "Wicked" is listed: a title-case subtitle follows.
    if (
      e < n &&
      (flags[e]! & F_COLON_B) !== 0 &&
      (flags[e]! & F_CAP) !== 0 &&
      (ids[e]! < 0 || (classes[ids[e]!]! & V_LABEL) === 0)
    ) {
      return 0;
    }
    if (year > 0 && entry.year > 0) return this.hit(entry.movieId, i, e, YES); // "Flow (2024)"
    const verdict = this.evidence(entry, i, e, filmTag);
    if (verdict === DEFER) this.deferred.push(entry.movieId);
    return this.hit(entry.movieId, i, e, verdict);
  }

  /** Records a judged hit; returns its id when it counts now. */
  private hit(id: number, i: number, e: number, verdict: Verdict): number {
    if (this.hits === this.hitIds.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      const n = this.hits * 2;
      this.hitIds = grow(this.hitIds, new Int32Array(n));
      this.hitStarts = grow(this.hitStarts, new Int32Array(n));
      this.hitEnds = grow(this.hitEnds, new Int32Array(n));
      this.hitVerdicts = grow(this.hitVerdicts, new Uint8Array(n));
    }
    const k = this.hits++;
    this.hitIds[k] = id;
    this.hitStarts[k] = i;
    this.hitEnds[k] = e;
    this.hitVerdicts[k] = verdict;
    return verdict === YES ? id : 0;
  }

  /**
   * "sinners > weapons", "F1, then Jurassic World Rebirth", "dune before dune part two":
   * a title listed right next to another title is one too. A LINK hit counts when a
   * neighbouring hit (a film, or another LINK hit) is joined to it by punctuation or a
   * connector word and nothing else.
   */
  private resolveLinks(): void {
    const v = this.hitVerdicts;
    const n = this.hits;
    const accepted: boolean[] = [];
    for (let k = 0; k < n; k++) {
      if (v[k] !== LINK) continue;
      const joined = (m: number): boolean =>
        m >= 0 && m < n && v[m] !== NO && this.adjacent(Math.min(k, m), Math.max(k, m));
      if (joined(k - 1) || joined(k + 1)) accepted[k] = true;
    }
    for (let k = 0; k < n; k++) if (accepted[k] === true) this.found.push(this.hitIds[k]!);
  }

  /** Hits a and b (a before b) are separated only by punctuation or 1-2 connector words. */
  private adjacent(a: number, b: number): boolean {
    const { ids, flags, nums } = this.scanner;
    const classes = this.index.classes;
    const from = this.hitEnds[a]!;
    const to = this.hitStarts[b]!;
    if (to === from) return (flags[to]! & (F_PUNCT_B | F_COLON_B)) !== 0;
    // "X and Y", "X, then Y"; or a comparison: "X was better than Y", "X is way worse than Y".
    if (to - from > 4) return false;
    let compared = false;
    let connectors = true;
    for (let k = from; k < to; k++) {
      const t = ids[k]!;
      if ((flags[k]! & BREAK) !== 0) return false;
      // "weapons was scarier than longlegs": any word right before "than".
      if (k + 1 < to && ids[k + 1] === this.index.thanId) {
        connectors = false;
        continue;
      }
      // "1 sinners 2 weapons 3 companion": a list's numbers join its items.
      if ((flags[k]! & F_DIGITS) !== 0 && nums[k]! >= 0 && nums[k]! <= 20) continue;
      if (t < 0) return false;
      const c = classes[t]!;
      if ((c & V_COMPARE) !== 0) compared = true;
      else if ((c & V_CONNECT) !== 0) continue;
      else if ((c & (V_COPULA | V_SOFTENER)) !== 0) connectors = false;
      else return false;
    }
    if (!compared && !(connectors && to - from <= 2)) return false;
    return (flags[to]! & BREAK) === 0;
  }

  /** "Joker in The Dark Knight", "Mufasa in the Lion King": another title follows "in". */
  private inAnotherTitle(e: number): boolean {
    const s = this.scanner;
    if (e + 1 >= s.count || (s.flags[e]! & BREAK) !== 0 || s.ids[e] !== this.index.inId) {
      return false;
    }
    const { trie, terminals, rootChild } = this.index;
    const first = s.ids[e + 1]!;
    if (first < 0 || rootChild[first]! < 0) return false;
    let node = rootChild[first]!;
    if (terminals[node] !== undefined) return true;
    for (let j = e + 2; j < s.count && j < e + 1 + this.index.maxDepth; j++) {
      const t = s.ids[j]!;
      if (t < 0 || (s.flags[j]! & BREAK) !== 0) return false;
      node = trie.get(node, t);
      if (node < 0) return false;
      if (terminals[node] !== undefined) return true;
    }
    return false;
  }

  /**
   * A book or stage word within a few tokens of the hit, or a person or pet word right
   * next to it ("Oppenheimer the man", "my cat conclave").
   */
  private notFilmNear(i: number, e: number): boolean {
    const s = this.scanner;
    const classes = this.index.classes;
    let from = Math.max(0, i - 4);
    const to = Math.min(s.count, e + 4);
    // "Dog Man and The Bad Guys 2": the words of the title before are not about this one.
    if (this.hits > 0) from = Math.max(from, this.hitEnds[this.hits - 1]!);
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

  /**
   * "the substance grossed me out", "bring her back messed me up": the title did
   * something to the speaker. Any word but a preposition, a connector or a light word,
   * then "me".
   */
  private actsOnMe(e: number): boolean {
    const { ids, flags, count } = this.scanner;
    if (e + 1 >= count || (flags[e]! & BREAK) !== 0 || (flags[e + 1]! & BREAK) !== 0) return false;
    const me = ids[e + 1]!;
    if (me < 0 || (this.index.classes[me]! & V_ME) === 0) return false;
    const t = ids[e]!;
    if (t < 0) return (flags[e]! & (F_DIGITS | F_PUNCT_B)) === 0;
    return (this.index.classes[t]! & (V_STOP | V_CREDIT | V_CONNECT | V_LIGHT)) === 0;
  }

  /**
   * "companion: cute, twisty, fun", "sentimental value - stellan is incredible": the title
   * stands alone before a colon, comma or dash and a verdict follows in the same sentence.
   */
  private topic(e: number): boolean {
    const { ids, flags, count } = this.scanner;
    if (e >= count || (flags[e]! & (F_COLON_B | F_PUNCT_B)) === 0 || (flags[e]! & BREAK) !== 0) {
      return false;
    }
    const classes = this.index.classes;
    for (let k = e; k < Math.min(count, e + 6); k++) {
      if (k > e && (flags[k]! & BREAK) !== 0) return false;
      const t = ids[k]!;
      if (t >= 0 && (classes[t]! & V_REVIEW) !== 0) return true;
    }
    return false;
  }

  /** Token k ends in -ing ("coming", "making"). */
  private gerund(k: number): boolean {
    const s = this.scanner;
    if (k >= s.count || (s.flags[k]! & BREAK) !== 0) return false;
    const to = s.ends[k]!;
    if (to - s.starts[k]! < 5) return false;
    return this.text.slice(to - 3, to).toLowerCase() === 'ing';
  }

  /** Token k is a past participle ("changed", "been", "seen"): read from the text. */
  private participle(k: number): boolean {
    const s = this.scanner;
    if (k >= s.count || (s.flags[k]! & BREAK) !== 0) return false;
    const from = s.starts[k]!;
    const to = s.ends[k]!;
    if (to - from < 3) return false;
    const a = this.text.charCodeAt(to - 2) | 0x20;
    const b = this.text.charCodeAt(to - 1) | 0x20;
    return (
      (a === 0x65 && (b === 0x64 || b === 0x6e)) ||
      IRREGULAR_PARTICIPLES.has(this.text.slice(from, to).toLowerCase())
    );
  }

  /** "a", "an" or a possessive pronoun right before the hit, in the same sentence. */
  private ownedBefore(i: number): boolean {
    const s = this.scanner;
    if (i === 0 || (s.flags[i]! & (BREAK | F_PUNCT_B)) !== 0) return false;
    const t = s.ids[i - 1]!;
    return t >= 0 && (this.index.classes[t]! & V_OWNER) !== 0;
  }

  /**
   * The hit starts a clause: first in its sentence, after a comma, colon, hashtag or
   * mention, after a word that leads a clause ("ok", "honestly", "i think"), or after
   * any word but a preposition or a watching verb.
   */
  private clauseStart(i: number): boolean {
    const s = this.scanner;
    if (i === 0 || (s.flags[i]! & (BREAK | F_PUNCT_B | F_COLON_B)) !== 0) return true;
    // "the dark knight's joker is iconic": a possessed thing is not a name on its own.
    if ((s.flags[i - 1]! & F_POSS) !== 0) return false;
    const t = s.ids[i - 1]!;
    if (t < 0) return true;
    const c = this.index.classes[t]!;
    // "why did nobody tell me weapons was this funny": a clause may start anywhere but
    // after a preposition or a verb of watching (whose object the title is).
    return (c & V_LEAD) !== 0 || (c & (V_STOP | V_VERB | V_CREDIT)) === 0;
  }

  /**
   * The words after a hit at the start of a clause make it the subject of a verdict or
   * of film news: a predicate verb ("companion had the best twist", "the godfather
   * holds up"), or "is/was" when the title is plural ("weapons is": the grammar says it
   * is one thing, a name), has two meaningful words ("poor things was", "sorry baby
   * is": a pair of everyday words seldom starts a sentence by chance), is a rarer
   * everyday word ("heretic is": a bare singular noun starts no plain sentence, and
   * rare words are seldom mass nouns like "flow"), or a verdict follows within a few
   * words ("conclave is the most fun i've had"). "is my ..." ("superman is my dad")
   * needs the verdict.
   */
  private predicate(entry: Entry, e: number): boolean {
    const { ids, flags, count } = this.scanner;
    const classes = this.index.classes;
    let k = e;
    if (k < count && ids[k]! >= 0 && (classes[ids[k]!]! & V_PRED_ADVERB) !== 0) k++;
    if (k >= count || (flags[k]! & BREAK) !== 0 || ids[k]! < 0) return false;
    const c = classes[ids[k]!]!;
    const next = k + 1 < count && (flags[k + 1]! & BREAK) === 0 ? ids[k + 1]! : -1;
    // "vidas pasadas me rompió el corazón", "la sustancia me dio asco": an object pronoun
    // and a verb, the Romance way of "made me".
    if (ids[k] === this.index.meId) return k + 1 < count && (flags[k + 1]! & BREAK) === 0;
    // "has/had" (or "warfare has changed", an auxiliary) need a verdict after them.
    if ((c & V_PREDICATE) !== 0 && (c & V_AUXILIARY) === 0) return true;
    if ((c & (V_COPULA | V_AUXILIARY)) === 0) return false;
    // "weapons were seized": a plural verb after a plural noun is plain grammar.
    if ((c & V_PLURAL_VERB) !== 0) return false;
    // "weapons is a 10": a score.
    if (next >= 0 && (classes[next]! & V_OWNER) !== 0 && k + 2 < count) {
      const v = this.scanner.nums[k + 2]!;
      if (v >= 1 && v <= 10 && (flags[k + 2]! & BREAK) === 0) return true;
    }
    // Not a verdict by itself: "superman is my dad", "dog man is what my kids call...",
    // "titanic was a ship", "conclave was held in 2013", "the final reckoning is coming".
    const plain =
      (c & V_AUXILIARY) !== 0 ||
      (next >= 0 && (classes[next]! & (V_MY | V_WH | V_OWNER | V_DETERMINER)) !== 0) ||
      this.participle(k + 1) ||
      this.gerund(k + 1);
    if (!plain && (entry.plural === true || (entry.content ?? 0) >= 2 || entry.rare === true)) {
      return true;
    }
    for (let j = k + 1; j < Math.min(count, k + 6); j++) {
      if ((flags[j]! & BREAK) !== 0) return false;
      const t = ids[j]!;
      if (t >= 0 && (classes[t]! & V_REVIEW) !== 0) return true;
      // "the bleakest thing i've seen": a superlative after "the" is a verdict.
      if (ids[j - 1] === this.index.theId && this.superlative(j)) return true;
    }
    return false;
  }

  /** Token k is a superlative of seven letters or more ("bleakest", "saddest"). */
  private superlative(k: number): boolean {
    const s = this.scanner;
    const to = s.ends[k]!;
    return to - s.starts[k]! >= 7 && this.text.slice(to - 3, to).toLowerCase() === 'est';
  }

  /** "weapons 9/10", "heretic 7.5/10", "flow 4 stars": a score after the hit, not a sequel. */
  private scoreNumber(e: number): boolean {
    const s = this.scanner;
    const c = this.text.charCodeAt(s.ends[e]!);
    if (e + 1 < s.count && s.ids[e + 1] === this.index.starsId) return true; // "4 stars"
    return c === 0x2f || ((c === 0x2e || c === 0x2c) && s.nums[e + 1]! >= 0);
  }

  /**
   * The hit is the subject of a verdict: "thunderbolts was fun", "Dune was so good",
   * "bugonia is that good" (is/was, up to two softeners, a review word).
   */
  private reviewed(e: number, entry: Entry): boolean {
    const { ids, flags, count } = this.scanner;
    const classes = this.index.classes;
    if (e + 1 >= count || ids[e]! < 0 || (flags[e]! & BREAK) !== 0) return false;
    if ((classes[ids[e]!]! & V_REVIEW_VERB) !== 0) {
      return ids[e + 1] === this.index.meId && (flags[e + 1]! & BREAK) === 0;
    }
    if ((classes[ids[e]!]! & V_COPULA) === 0) return false;
    // "poor things were great" is said of things; the film "was".
    if (entry.plural === true && (classes[ids[e]!]! & V_PLURAL_VERB) !== 0) return false;
    for (let k = e + 1; k < Math.min(count, e + 4); k++) {
      const t = ids[k]!;
      if (t < 0 || (flags[k]! & BREAK) !== 0) return false;
      const c = classes[t]!;
      if ((c & V_REVIEW) !== 0) return true;
      if ((c & V_SOFTENER) === 0) return false;
    }
    return false;
  }

  private hasRating(): boolean {
    if (this.rated < 0) {
      this.rated = this.scanner.marks === 1 && FILM_MARKS.test(this.text) ? 1 : 0;
      // "4 stars", "3.5 stars": a small number and then "stars".
      const { nums, ids, count } = this.scanner;
      const stars = this.index.starsId;
      for (let k = 0; this.rated === 0 && k + 1 < count; k++) {
        if (ids[k + 1] === stars && nums[k]! >= 0 && nums[k]! <= 10) this.rated = 1;
      }
    }
    return this.rated === 1;
  }

  /**
   * A person credited next to the hit: "Ryan Coogler's Sinners", "Kirsten Dunst in
   * Civil War", "zach cregger's weapons" (a first name, then a word, then 's or "in").
   */
  private creditBefore(i: number): boolean {
    const s = this.scanner;
    if (i < 2 || (s.flags[i]! & BREAK) !== 0) return false;
    const { ids, flags } = s;
    const classes = this.index.classes;
    const prev = i - 1;
    const poss = (flags[prev]! & F_POSS) !== 0;
    if (!poss && ids[prev] !== this.index.inId) return false;
    const last = poss ? prev : prev - 1;
    for (let k = last; k >= Math.max(0, last - 2); k--) {
      const t = ids[k]!;
      if (t >= 0 && (classes[t]! & V_NAME) !== 0) return true;
      // "osgood perkins' the monkey", "paul giamatti in": two name-like words (one
      // word alone may be anything: "my grandpa's weapons collection").
      if (k === last && k > 0 && this.unknownWord(k) && (flags[k]! & BREAK) === 0) {
        const u = ids[k - 1]!;
        if ((u >= 0 && (classes[u]! & V_NAME) !== 0) || this.unknownWord(k - 1)) return true;
      }
      if ((flags[k]! & BREAK) !== 0) return false;
    }
    return false;
  }

  /**
   * Token k is a word outside the everyday set and the lexicon, so most likely a name
   * ("cregger", "zilbalodis", "giamatti"): lower-case posts name people this way.
   */
  private unknownWord(k: number): boolean {
    const s = this.scanner;
    if (s.ids[k]! >= 0 || (s.flags[k]! & (F_DIGITS | F_CJK)) !== 0) return false;
    const len = s.ends[k]! - s.starts[k]!;
    if (len < 3) return false;
    const word = foldWord(this.text.slice(s.starts[k]!, s.ends[k]!));
    return /^[a-z]+$/.test(word) && !this.index.common.has(word);
  }

  private evidence(entry: Entry, i: number, e: number, filmTag: boolean): Verdict {
    const s = this.scanner;
    const { ids, flags } = s;
    const classes = this.index.classes;
    if ((flags[i]! & F_QUOTE_B) !== 0 && (flags[e - 1]! & F_QUOTE_A) !== 0) return YES;
    if (this.nounAfter(e)) return YES;
    let capitals = 0;
    let lowers = 0;
    for (let k = i; k < e; k++) {
      const f = flags[k]!;
      const t = ids[k]!;
      // The title names itself a film: "F1 The Movie", "A Minecraft Movie".
      if (t >= 0 && (classes[t]! & V_NOUN) !== 0) return YES;
      // "Anatomy of a Fall": small words keep their lowercase in title case.
      if (k > i && t >= 0 && (classes[t]! & V_STOP) !== 0) continue;
      if ((f & (F_CAP | F_ALLCAP)) !== 0) capitals++;
      else if ((f & F_LOWER) !== 0) lowers++;
      else if ((f & F_CJK) !== 0) return YES; // Japanese alias: no case to go by
    }
    const titled = lowers === 0 && capitals > 0 && !entry.acronym && !this.shouting();
    if (titled) {
      if (filmTag || this.filmNear(i, e)) return YES;
      // "The Wild Robot", "Past Lives": sentence case capitalizes one word, not two.
      if (capitals >= 2) return YES;
      // "Together with Alison Brie", "Superman de James Gunn": credits follow.
      if (this.creditAfter(e) || this.creditBefore(i)) return YES;
      if (this.hasRating() || this.reviewed(e, entry)) return YES;
      if (lightOnly(entry)) return DEFER;
      if (this.clauseStart(i) && this.predicate(entry, e)) return YES;
      // Capitals in the middle of lowercase-heavy text mark a name.
      if ((flags[i]! & F_SENT) === 0) {
        const others = s.midCaps - capitals;
        if (others <= s.words * LOWERCASE_HEAVY_SHARE) return YES;
      }
      return DEFER;
    }
    // Lower case (most posts), shouting or an acronym: capitals say nothing, so the
    // words around it must. A book, person or pet word outweighs a vague film word.
    // Film nouns only: a verb counts right before it (below), since "we watched the
    // fireworks together" is not about Together.
    if (filmTag || this.filmNear(i, e, false)) return YES;
    if (this.notFilmNear(i, e)) return NO;
    // "Him", "Nobody": a title of pronouns needs the strong signs above, or a credit
    // ("i saw him yesterday" is no film).
    if (lightOnly(entry)) return this.creditAfter(e) ? YES : LINK;
    // A watching verb right before it ("just watched weapons", "saw the substance").
    let k = i - 1;
    if (k >= 0 && (flags[k + 1]! & BREAK) === 0 && ids[k]! >= 0) {
      // "i need everyone to see sinners": "see" only right before ("see the flow of it").
      if ((classes[ids[k]!]! & V_VERB_NEAR) !== 0) return YES;
      if ((classes[ids[k]!]! & V_ARTICLE) !== 0 && k > 0 && (flags[k]! & BREAK) === 0) k--;
      const v = ids[k]!;
      if (v >= 0 && (classes[v]! & V_VERB) !== 0) return YES;
    }
    // "the flow was terrible", "my companion was great": after a determiner the words
    // are a common noun; only the strong signs above could make them the film.
    if (i > 0 && (flags[i]! & BREAK) === 0 && ids[i - 1]! >= 0) {
      if ((classes[ids[i - 1]!]! & V_DETERMINER) !== 0) return NO;
    }
    if (this.hasRating() || this.reviewed(e, entry)) return YES;
    // "ich habe gestern sinners gesehen": a participle of watching after the title.
    if (e < s.count && (flags[e]! & BREAK) === 0 && ids[e]! >= 0) {
      if ((classes[ids[e]!]! & V_VERB_AFTER) !== 0) return YES;
    }
    if (this.clauseStart(i)) {
      if (this.predicate(entry, e) || this.actsOnMe(e) || this.topic(e)) return YES;
      // "heretic's first half", "the substance's effects": a bare singular noun with a
      // possessive starts no plain sentence; a name does ("weapons' range" may be plain).
      if ((flags[e - 1]! & F_POSS) !== 0 && entry.plural !== true) return YES;
    }
    // "Everything Everywhere All at Once's bagel": a possessive makes a long everyday
    // phrase a name; nobody says "one battle after another's".
    if (e - i >= 3 && (flags[e - 1]! & F_POSS) !== 0) return YES;
    if (this.creditAfter(e) || this.creditBefore(i)) return YES;
    return LINK;
  }

  /** "with/by/de" and a capitalized name right after the hit. */
  private creditAfter(e: number): boolean {
    const s = this.scanner;
    if (e + 1 >= s.count) return false;
    const t = s.ids[e]!;
    if (t < 0 || (this.index.classes[t]! & V_CREDIT) === 0) return false;
    const f = s.flags[e + 1]!;
    if ((s.flags[e]! & BREAK) !== 0 || (f & BREAK) !== 0) return false;
    if ((f & F_CAP) !== 0) return true;
    // Lower case: a first name, or a word that is no everyday word, followed by another
    // word ("with josh brolin", "by gints zilbalodis", "starring tatiana maslany").
    const name = s.ids[e + 1]!;
    const named =
      (name >= 0 && (this.index.classes[name]! & V_NAME) !== 0) || this.unknownWord(e + 1);
    return (
      named &&
      e + 2 < s.count &&
      (s.flags[e + 2]! & BREAK) === 0 &&
      s.ids[e + 2] !== this.index.ampId
    );
  }

  /** A film noun right after the hit: "weapons movie", "Sinners trailer". */
  private nounAfter(e: number): boolean {
    const s = this.scanner;
    if (e >= s.count || (s.flags[e]! & BREAK) !== 0) return false;
    const t = s.ids[e]!;
    return t >= 0 && (this.index.classes[t]! & V_NOUN_AFTER) !== 0;
  }

  /** A film word within WINDOW tokens of the hit, in the same sentence or the next. */
  private filmNear(i: number, e: number, verbs = true): boolean {
    const s = this.scanner;
    const near = verbs ? V_VERB | V_NOUN : V_NOUN;
    const ids = s.ids;
    const { classes, bigrams } = this.index;
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

  /** Mostly capitals: then capitals say nothing. */
  private shouting(): boolean {
    return this.scanner.allCaps * 2 > this.scanner.words && this.scanner.words >= 3;
  }

  /**
   * A year right after the hit ("Dune (1984)", "Flow 2024") or right before it ("the
   * 1984 Dune"); 0 when none.
   */
  private adjacentYear(i: number, e: number): number {
    const { nums, flags, count } = this.scanner;
    if (e < count && (flags[e]! & BREAK) === 0 && (flags[e]! & F_DIGITS) !== 0) {
      const v = nums[e]!;
      if (v >= 1870 && v <= 2100) return v;
    }
    if (i > 0 && (flags[i]! & BREAK) === 0 && (flags[i - 1]! & F_DIGITS) !== 0) {
      const v = nums[i - 1]!;
      if (v >= 1870 && v <= 2100) return v;
    }
    return 0;
  }
}

/** Participles that do not end in -ed/-en: "conclave was held in 2013", "was found". */
const IRREGULAR_PARTICIPLES: ReadonlySet<string> = new Set(
  'been held found made done known born shot built sold told seen kept left lost set put cut brought bought caught taught sent spent'.split(
    ' ',
  ),
);

/** A title of pronouns and particles only ("Him", "Nobody", "Us"). */
function lightOnly(entry: Entry): boolean {
  return entry.content === 0;
}

/**
 * The entry a hit stands for: with a year, the one within YEAR_SLACK of it (none if the
 * year contradicts every listed film); without one, the most recent.
 */
function pick(entries: Entry[], year: number): Entry | undefined {
  let best: Entry | undefined;
  for (const e of entries) {
    if (year > 0 && e.year > 0 && Math.abs(e.year - year) > YEAR_SLACK) continue;
    if (best === undefined || e.year > best.year) best = e;
  }
  return best;
}
