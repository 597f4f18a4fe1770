/**
 * One post being matched: its tokens (the scanner's arrays), its text, the compiled
 * index, and what the judgements so far have found. Also the questions about single
 * tokens that several evidence rules ask (is it a name? a participle? a year?), read
 * from the text only when asked, since most tokens are never asked about.
 *
 * One Post is reused for every post a matcher sees (`reset`), so matching allocates
 * nothing per post beyond its result.
 */
import type { Index } from './compile.js';
import { Hits } from './hits.js';
import { F_CJK, F_DIGITS, F_GAP_B, F_PUNCT_B, F_SENT, foldWord, Scanner } from './scanner.js';

/** A sentence end, a hashtag, a mention or a link: no evidence reads across one. */
export const BREAK = F_SENT | F_GAP_B;

/**
 * Post-wide film signs: a rating ("8/10", "4.5/5", stars), film emoji, a link to a film
 * site. The post reviews or shares something, most often a film.
 */
const FILM_MARKS =
  /[🍿🎬🎥📽🎞🎟]|letterboxd\.com|boxd\.it|imdb\.com|(?:^|[^\d/])\d{1,2}(?:[.,]\d)?\s?\/\s?(?:10|5)(?![\d/])|[★⭐]/u;

/** Emoji and what joins or tints them (skin tones, flags, the variation selector, ZWJ). */
const EMOJI = /\p{Extended_Pictographic}/u;
/** Nothing but emoji, spaces and sentence marks. */
const EMOJI_ONLY =
  /^(?:[\s!?.…>]|\p{Extended_Pictographic}|\u200d|\ufe0f|[\u{1f3fb}-\u{1f3ff}]|[\u{1f1e6}-\u{1f1ff}])*$/u;
/** An emoji, or ">" as in "weapons>>>" (better than everything). */
const REACTION = /\p{Extended_Pictographic}|>/u;

/** Small words that only English has among the stream's languages ("a", "in", "la" are shared). */
const ENGLISH_ONLY: ReadonlySet<string> = new Set(
  'the is was and of to it this my so with his her that for are'.split(' '),
);

/** Participles that do not end in -ed/-en: "conclave was held in 2013", "was found". */
const IRREGULAR_PARTICIPLES: ReadonlySet<string> = new Set(
  'been held found made done known born shot built sold told seen kept left lost set put cut brought bought caught taught sent spent'.split(
    ' ',
  ),
);

/** Irregular past forms (the participles above aside): "james took", "mike said". */
const IRREGULAR_PAST: ReadonlySet<string> = new Set(
  'took went said came gave got ran saw felt thought did was were had is has are wrote drove ate began knew threw'.split(
    ' ',
  ),
);

export class Post {
  readonly scanner: Scanner;
  readonly hits = new Hits();
  /** Ids that count (unsorted, may repeat). */
  readonly found: number[] = [];
  /** Title-case everyday-word hits that count if the post names another film too. */
  readonly deferred: number[] = [];
  /** Bare hashtags of everyday titles ("#flow"), held until the post shows film talk. */
  readonly tagged: number[] = [];
  text = '';
  /** Token where a title named as a film starts ("... in The Dark Knight"), or -1. */
  filmAt = -1;
  /** Whether the post carries a rating; -1 until first needed (most posts never ask). */
  private rated = -1;
  /** Words outside the everyday set and the lexicon; -1 until first needed. */
  private unknownWords = -1;
  private wordCount = 0;
  private englishWords = 0;

  constructor(readonly index: Index) {
    this.scanner = new Scanner(index.vocab);
    this.scanner.ampId = index.ampId;
  }

  reset(text: string): void {
    this.scanner.scan(text);
    this.text = text;
    this.rated = -1;
    this.unknownWords = -1;
    this.filmAt = -1;
    // Setting an array's length is a runtime call: skip it when already empty.
    if (this.found.length > 0) this.found.length = 0;
    if (this.deferred.length > 0) this.deferred.length = 0;
    if (this.tagged.length > 0) this.tagged.length = 0;
    this.hits.count = 0;
  }

  /** Word classes (V_* bits) of token k, 0 for a word outside the vocabulary. */
  cls(k: number): number {
    const t = this.scanner.ids[k]!;
    return t >= 0 ? this.index.classes[t]! : 0;
  }

  /** Token k exists and no sentence end, hashtag or link stands before it. */
  joined(k: number): boolean {
    return k < this.scanner.count && (this.scanner.flags[k]! & BREAK) === 0;
  }

  /** Token k's text, folded (lower case, no marks): for the few rules that read words. */
  word(k: number): string {
    const s = this.scanner;
    return foldWord(this.text.slice(s.starts[k]!, s.ends[k]!));
  }

  /** A rating, film emoji or film link anywhere in the post, or "N stars". */
  hasRating(): boolean {
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
   * The post is the hit's words and emoji only ("sinners 🩸🎷", "the monkey 🐒🥁", or
   * "weapons>>>"): a
   * post that is a title and a reaction names the film (with `bare`, the title alone). Not a reply (a mention before
   * it): a one-word answer is a word ("together" to "who's coming?").
   */
  titleAndEmoji(i: number, e: number, bare = false): boolean {
    const s = this.scanner;
    if (i !== 0 || e !== s.count || s.hashtags.length > 0) return false;
    if ((s.flags[0]! & F_GAP_B) !== 0) return false;
    const head = this.text.slice(0, s.starts[0]!);
    const tail = this.text.slice(s.ends[e - 1]!);
    if (!EMOJI_ONLY.test(head) || !EMOJI_ONLY.test(tail)) return false;
    // Inside the title only spaces and its own punctuation.
    for (let k = i + 1; k < e; k++) if ((s.flags[k]! & BREAK) !== 0) return false;
    // `bare`: nothing at all needs to follow ("WICKED FOR GOOD").
    return bare || EMOJI.test(head) || REACTION.test(tail);
  }

  /**
   * The post has a small word only English has (or an -ing form), and besides `names` words (a name being
   * read) at most one word in four is outside the everyday English set and the lexicon: then a run of such words is a name ("osgood
   * perkins"), not the words of another language, where every word is one.
   */
  mostlyEnglish(names: number): boolean {
    if (this.unknownWords < 0) {
      const s = this.scanner;
      let words = 0;
      let unknown = 0;
      let english = 0;
      for (let k = 0; k < s.count; k++) {
        if ((s.flags[k]! & (F_DIGITS | F_CJK)) !== 0) continue;
        words++;
        const w = this.word(k);
        if (s.ids[k]! < 0 && !this.index.common.has(w)) unknown++;
        else if (ENGLISH_ONLY.has(w) || (w.length >= 5 && w.endsWith('ing'))) english++;
      }
      this.wordCount = words;
      this.unknownWords = unknown;
      this.englishWords = english;
    }
    return this.englishWords > 0 && (this.unknownWords - names) * 4 <= this.wordCount - names;
  }

  /** Mostly capitals: then capitals say nothing. */
  shouting(): boolean {
    return this.scanner.allCaps * 2 > this.scanner.words && this.scanner.words >= 3;
  }

  /**
   * Token k is a word outside the everyday set and the lexicon, so most likely a name
   * ("cregger", "zilbalodis", "giamatti"): lower-case posts name people this way.
   */
  unknownWord(k: number): boolean {
    const s = this.scanner;
    if (k < 0 || k >= s.count) return false;
    if (s.ids[k]! >= 0 || (s.flags[k]! & (F_DIGITS | F_CJK)) !== 0) return false;
    const len = s.ends[k]! - s.starts[k]!;
    if (len < 3) return false;
    const word = foldWord(this.text.slice(s.starts[k]!, s.ends[k]!));
    return /^[a-z]+$/.test(word) && !this.index.common.has(word);
  }

  /** Token k ends in -ing ("coming", "making"). */
  gerund(k: number): boolean {
    const s = this.scanner;
    if (k >= s.count || (s.flags[k]! & BREAK) !== 0) return false;
    const to = s.ends[k]!;
    if (to - s.starts[k]! < 5) return false;
    // Not "nothing", "something", "everything": pronouns, whatever their ending.
    if (this.text.slice(to - 5, to).toLowerCase() === 'thing') return false;
    return this.text.slice(to - 3, to).toLowerCase() === 'ing';
  }

  /** Token k is a past participle ("changed", "been", "seen"): read from the text. */
  participle(k: number): boolean {
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

  /**
   * Token k reads as a verb form: a participle or gerund, a common irregular past, or a
   * third person -s on a frequent word ("took", "said", "sent", "says"). Asked of a word
   * after a first name, where a surname would stand.
   */
  verbForm(k: number): boolean {
    if (this.participle(k) || this.gerund(k)) return true;
    const w = this.word(k);
    if (IRREGULAR_PAST.has(w)) return true;
    return w.endsWith('s') && this.index.common.has(w.slice(0, -1));
  }

  /** Token k is a superlative of seven letters or more ("bleakest", "saddest"). */
  superlative(k: number): boolean {
    const s = this.scanner;
    const to = s.ends[k]!;
    return to - s.starts[k]! >= 7 && this.text.slice(to - 3, to).toLowerCase() === 'est';
  }

  /** "weapons 9/10", "heretic 7.5/10", "flow 4 stars": a score at token e, not a sequel. */
  scoreNumber(e: number): boolean {
    const s = this.scanner;
    const c = this.text.charCodeAt(s.ends[e]!);
    if (e + 1 < s.count && s.ids[e + 1] === this.index.starsId) return true; // "4 stars"
    return c === 0x2f || ((c === 0x2e || c === 0x2c) && s.nums[e + 1]! >= 0);
  }

  /**
   * A year right after the hit ("Dune (1984)", "Flow 2024") or right before it ("the
   * 1984 Dune"); 0 when none. Before it only with nothing between: in "joker 2019 >
   * joker 2" the year belongs to the title before the mark.
   */
  adjacentYear(i: number, e: number): number {
    const { nums, flags, count } = this.scanner;
    if (e < count && (flags[e]! & BREAK) === 0 && (flags[e]! & F_DIGITS) !== 0) {
      const v = nums[e]!;
      if (v >= 1870 && v <= 2100) return v;
    }
    if (i > 0 && (flags[i]! & (BREAK | F_PUNCT_B)) === 0 && (flags[i - 1]! & F_DIGITS) !== 0) {
      const v = nums[i - 1]!;
      if (v >= 1870 && v <= 2100) return v;
    }
    return 0;
  }
}
