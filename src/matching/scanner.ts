/**
 * The tokenizer: one pass over a post's UTF-16 units, folding case and diacritics on the
 * fly into two 32-bit hashes per token (no token strings are built), looked up in the
 * vocabulary. Results land in reusable typed arrays; the only allocations are for
 * hashtags (a few per post at most).
 *
 * The same scanner tokenizes catalog titles at compile time, so a title and a post that
 * spell it alike always produce the same token ids.
 */
import {
  C_AMP,
  C_APOS,
  C_AT,
  C_CJK,
  C_COLON,
  C_HASH,
  C_MARK,
  C_QUOTE,
  C_STOP,
  C_UNDERSCORE,
  C_WORD,
  CLASS,
  EXPAND,
  FOLD,
  I_DIGIT,
  I_LOWER,
  I_UPPER,
  INFO,
} from './chars.js';
import type { PairTable } from './pair-table.js';

/** First token of a sentence (or of the post). */
export const F_SENT = 1;
/** First letter is uppercase. */
export const F_CAP = 2;
/** Two or more letters, none lowercase ("NOPE", "F1" is not: one letter). */
export const F_ALLCAP = 4;
/** First letter is lowercase. */
export const F_LOWER = 8;
/** A quote mark stands between the previous token and this one. */
export const F_QUOTE_B = 16;
/** A quote mark follows this token. */
export const F_QUOTE_A = 32;
/** A colon stands between the previous token and this one. */
export const F_COLON_B = 64;
/** Other punctuation (comma, parenthesis, dash, emoji) precedes this token. */
export const F_PUNCT_B = 128;
/** A hashtag, mention or link stood between the previous token and this one. */
export const F_GAP_B = 256;
/** Only digits. */
export const F_DIGITS = 512;
/** A single kana or CJK ideograph. */
export const F_CJK = 1024;
/** The sentence break before this token was a period ("The Super Mario Bros. Movie"). */
export const F_DOT = 2048;
/** The token ended in a possessive 's, which is not part of it ("Smile 2's" → "2"). */
export const F_POSS = 4096;

const H1_SEED = 0x811c9dc5 | 0;

/** Letters that, alone before an apostrophe and a word, are elided: d', l', j', n', s', c', m', t'. */
const ELIDED: ReadonlySet<number> = new Set([...'dljnscmt'].map((c) => c.charCodeAt(0)));

/** Folds a hashtag body (or any word run) to lowercase ASCII-ish text, dropping `_` and marks. */
export function foldWord(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const cls = CLASS[c]!;
    if (cls === C_WORD || cls === C_CJK) {
      const f = FOLD[c]!;
      if (f !== 0) out += String.fromCharCode(f);
      else {
        const pair = EXPAND.get(c);
        if (pair !== undefined) out += String.fromCharCode(pair[0], pair[1]);
      }
    }
  }
  return out;
}

const INITIAL = 64;

export class Scanner {
  /** Number of tokens from the last scan. */
  count = 0;
  ids: Int32Array = new Int32Array(INITIAL);
  flags: Uint16Array = new Uint16Array(INITIAL);
  starts: Int32Array = new Int32Array(INITIAL);
  ends: Int32Array = new Int32Array(INITIAL);
  /** Value of an all-digit token of at most 4 digits, else -1 (years, sequel numbers). */
  nums: Int32Array = new Int32Array(INITIAL);
  /** Vocabulary keys of a word without its final s (`stemH2` -1 when it has none). */
  stemH1: Int32Array = new Int32Array(INITIAL);
  stemH2: Int32Array = new Int32Array(INITIAL);
  /** Folded hashtag bodies of the last scan. */
  hashtags: string[] = [];
  /** Word tokens (with a letter) in the last scan. */
  words = 0;
  /** Capitalized word tokens not starting a sentence, excluding the pronoun "I". */
  midCaps = 0;
  /** All-caps word tokens. */
  allCaps = 0;
  /** 1 when the text has a slash, star, emoji or link outside words (cheap pre-check). */
  marks = 0;

  /**
   * @param vocab token hash → token id; unknown tokens get id -1, or a fresh id when
   * `intern` is given (compile time).
   * @param ampId token id that & and + stand for (the id of "and").
   */
  constructor(
    private readonly vocab: PairTable,
    private readonly intern?: (h1: number, h2: number) => number,
  ) {}

  ampId = -1;

  private grow(): void {
    const n = this.ids.length * 2;
    const copy = <T extends Int32Array | Uint16Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.ids = copy(this.ids, new Int32Array(n));
    this.flags = copy(this.flags, new Uint16Array(n));
    this.starts = copy(this.starts, new Int32Array(n));
    this.ends = copy(this.ends, new Int32Array(n));
    this.nums = copy(this.nums, new Int32Array(n));
    this.stemH1 = copy(this.stemH1, new Int32Array(n));
    this.stemH2 = copy(this.stemH2, new Int32Array(n));
  }

  private push(id: number, flags: number, start: number, end: number, num: number): void {
    if (this.count === this.ids.length) this.grow();
    const k = this.count++;
    this.ids[k] = id;
    this.flags[k] = flags;
    this.starts[k] = start;
    this.ends[k] = end;
    this.nums[k] = num;
    this.stemH2[k] = -1;
  }

  /** Token id of token k without its final s, or -1 (never interns). */
  stemId(k: number): number {
    const h2 = this.stemH2[k]!;
    return h2 < 0 ? -1 : this.vocab.get(this.stemH1[k]!, h2);
  }

  private lookup(h1: number, h2: number): number {
    const id = this.vocab.get(h1, h2);
    if (id >= 0 || this.intern === undefined) return id;
    return this.intern(h1, h2);
  }

  /** The text's UTF-16 units, then three zeros (reads past the end see a separator). */
  private u16 = new Uint16Array(512);
  private u16Bytes = Buffer.from(this.u16.buffer);

  /**
   * The text copied into a reused typed array in one native call: the scan then reads
   * each unit with a plain array load, not `charCodeAt`, which V8 dispatches on the
   * string's kind (one- or two-byte, flat or a slice of its Jetstream line) at every
   * character.
   */
  private units(text: string): Uint16Array {
    const n = text.length;
    if (n + 3 > this.u16.length) {
      this.u16 = new Uint16Array(Math.max(n + 3, this.u16.length * 2));
      this.u16Bytes = Buffer.from(this.u16.buffer);
    }
    const u = this.u16;
    if (n > 0) this.u16Bytes.write(text, 0, 'utf16le');
    u[n] = 0;
    u[n + 1] = 0;
    u[n + 2] = 0;
    return u;
  }

  scan(text: string): void {
    // Module tables as locals: V8 then keeps them in registers across the hot loop.
    const CLS = CLASS;
    const FLD = FOLD;
    const INF = INFO;
    const u = this.units(text);
    this.count = 0;
    this.words = 0;
    this.midCaps = 0;
    this.allCaps = 0;
    this.marks = 0;
    if (this.hashtags.length > 0) this.hashtags = [];
    const len = text.length;
    let pending = F_SENT;
    /** An apostrophe opened a quote ('Weapons'): the next s' closes it, not a possessive. */
    let aposOpen = false;
    let i = 0;
    while (i < len) {
      const c = u[i]!;
      const cls = CLS[c]!;
      if (cls === C_WORD) {
        const start = i;
        let h1 = H1_SEED;
        let fed = 0;
        let firstF = 0;
        let lastF = 0;
        // The hash and last letter before the last letter: the word without a final s.
        let stemH1 = H1_SEED;
        let stemLast = 0;
        let upper = 0;
        let lower = 0;
        let digits = 0;
        let num = 0;
        let end = -1;
        let elided = false;
        const firstInfo = INF[c]!;
        while (i < len) {
          const d = u[i]!;
          const info = INF[d]!;
          const dc = info & 15;
          if (dc === C_WORD) {
            let f = FLD[d]!;
            if ((info & (I_UPPER | I_LOWER)) !== 0) {
              if ((info & I_UPPER) !== 0) upper++;
              else lower++;
            } else if ((info & I_DIGIT) !== 0) {
              digits++;
              num = num * 10 + (f - 0x30);
            }
            if (f === 0) {
              const pair = EXPAND.get(d);
              if (pair !== undefined) {
                h1 = Math.imul(h1 ^ pair[0], 0x01000193);
                if (fed++ === 0) firstF = pair[0];
                f = pair[1];
              } else f = d;
            }
            stemH1 = h1;
            stemLast = lastF;
            h1 = Math.imul(h1 ^ f, 0x01000193);
            if (fed++ === 0) firstF = f;
            lastF = f;
            i++;
          } else if (dc === C_MARK) {
            i++;
          } else if (dc === C_APOS && i + 1 < len && (INF[u[i + 1]!]! & 15) === C_WORD) {
            const s = u[i + 1]!;
            if ((s === 0x73 || s === 0x53) && (i + 2 >= len || (INF[u[i + 2]!]! & 15) !== C_WORD)) {
              // A possessive 's ends the word: "Smile 2's", "Inside Out 2’s" are the
              // titles "Smile 2", "Inside Out 2" (and "it's" reads "it", alike in titles).
              end = i;
              i += 2;
              break;
            }
            // "d'une", "l'anatomie", "j'ai": a French or Italian elided article or pronoun
            // is a word of its own, or "anatomie d'une chute" would read "dune".
            if (fed === 1 && ELIDED.has(lastF)) {
              end = i;
              elided = true;
              i++;
              break;
            }
            i++; // "rock'n'roll", "o'farrell" read as one word
          } else if (dc === C_APOS && lastF === 0x73 && fed > 2 && !aposOpen) {
            // "Sinners' ending", "weapons’ third act": a plural possessive, written as a
            // bare apostrophe after the s. It closes a quote only when one was opened
            // with an apostrophe ("'sinners'").
            end = i;
            i++;
            break;
          } else break;
        }
        if (end < 0) end = i;
        // The second key: length and end letters, enough with the 32-bit FNV hash to make
        // a false hit on a vocabulary token vanishingly rare.
        const h2 = (fed << 20) ^ (firstF << 10) ^ lastF;
        const first = (firstInfo & I_UPPER) !== 0 ? 1 : (firstInfo & I_LOWER) !== 0 ? 2 : 0;
        // A link ("https://..."): skip to the next space; nothing in it is a mention.
        if (i + 2 < len && u[i]! === 0x3a && u[i + 1]! === 0x2f && u[i + 2]! === 0x2f) {
          while (i < len && u[i]! > 0x20) i++;
          pending |= F_GAP_B;
          this.marks = 1;
          continue;
        }
        let flags = end < i && !elided ? pending | F_POSS : pending;
        pending = 0;
        const letters = upper + lower;
        if (first === 1) flags |= F_CAP;
        else if (first === 2) flags |= F_LOWER;
        if (letters > 0) {
          this.words++;
          if (lower === 0 && upper >= 2) {
            flags |= F_ALLCAP;
            this.allCaps++;
          }
          if (first === 1 && (flags & F_SENT) === 0 && !(end - start === 1 && c === 0x49)) {
            this.midCaps++;
          }
        } else if (digits === end - start) flags |= F_DIGITS;
        const isNum = letters === 0 && digits > 0 && digits <= 4 && digits === end - start;
        // "lilo x stitch", "godzilla x kong": a lone x between words is written for "&".
        const times =
          end - start === 1 &&
          (c | 0x20) === 0x78 &&
          this.count > 0 &&
          start > 0 &&
          u[start - 1]! === 0x20 &&
          u[end]! === 0x20;
        this.push(times ? this.ampId : this.lookup(h1, h2), flags, start, end, isNum ? num : -1);
        // "flower moons", "smile 2s": keys of the word without its final s, looked up only
        // where a title could end there (the matcher's possessive without an apostrophe).
        if (lastF === 0x73 && fed >= 2 && end === i) {
          this.stemH1[this.count - 1] = stemH1;
          this.stemH2[this.count - 1] = ((fed - 1) << 20) ^ (firstF << 10) ^ stemLast;
        }
        continue;
      }
      switch (cls) {
        case C_CJK: {
          const f = FLD[c]!;
          const h1 = Math.imul(H1_SEED ^ f, 0x01000193);
          const h2 = (1 << 20) ^ (f << 10) ^ f;
          this.push(this.lookup(h1, h2), pending | F_CJK, i, i + 1, -1);
          pending = 0;
          i++;
          break;
        }
        case C_HASH: {
          const prev = i > 0 ? CLS[u[i - 1]!]! : 0;
          let j = i + 1;
          while (j < len) {
            const k = CLS[u[j]!]!;
            if (k === C_WORD || k === C_CJK || k === C_MARK || k === C_UNDERSCORE) j++;
            else break;
          }
          // "Juror #2", "the #1 movie": a number sign before digits alone is no hashtag;
          // the digits are a token ("#28YearsLater" stays one).
          let digitsOnly = j > i + 1;
          for (let k = i + 1; digitsOnly && k < j; k++) {
            const d = u[k]!;
            digitsOnly = d >= 0x30 && d <= 0x39;
          }
          if (digitsOnly) {
            pending |= F_PUNCT_B;
            i++;
            break;
          }
          if (j > i + 1 && prev !== C_WORD) {
            this.hashtags.push(foldWord(text.slice(i + 1, j)));
            pending |= F_GAP_B;
          } else pending |= F_PUNCT_B;
          i = j;
          break;
        }
        case C_AT: {
          // A mention (@handle.bsky.social): never a title, whatever it spells.
          while (i < len && u[i]! > 0x20) i++;
          pending |= F_GAP_B;
          break;
        }
        case C_AMP:
          this.push(this.ampId, pending, i, i + 1, -1);
          pending = 0;
          i++;
          break;
        case C_APOS:
          // Before a word it opens a quote; after one it closes it.
          aposOpen = i === 0 || CLS[u[i - 1]!]! !== C_WORD;
          pending |= F_QUOTE_B;
          if (this.count > 0) this.flags[this.count - 1]! |= F_QUOTE_A;
          i++;
          break;
        case C_QUOTE:
          pending |= F_QUOTE_B;
          if (this.count > 0) this.flags[this.count - 1]! |= F_QUOTE_A;
          i++;
          break;
        case C_COLON:
          pending |= F_COLON_B;
          i++;
          break;
        case C_STOP: {
          // "Mr. Smith", "Dr. Strange": a period after a short capitalized word, or one
          // not followed by a space, does not end the sentence.
          const n = this.count;
          const next = i + 1 < len ? u[i + 1]! : 0x20;
          const abbrev =
            c === 0x2e &&
            (next > 0x20 ||
              (n > 0 &&
                this.ends[n - 1] === i &&
                this.ends[n - 1]! - this.starts[n - 1]! <= 3 &&
                (this.flags[n - 1]! & F_CAP) !== 0));
          // "1. weapons 2. sinners 3. companion": the period of a list's item number marks
          // the item, not the end of a sentence (a number of 1-20 standing alone).
          const item =
            c === 0x2e &&
            !abbrev &&
            n > 0 &&
            this.ends[n - 1] === i &&
            (this.flags[n - 1]! & F_DIGITS) !== 0 &&
            this.nums[n - 1]! >= 1 &&
            this.nums[n - 1]! <= 20 &&
            (this.starts[n - 1] === 0 || u[this.starts[n - 1]! - 1]! <= 0x20);
          pending |= abbrev || item ? F_PUNCT_B : c === 0x2e ? F_SENT | F_DOT : F_SENT;
          i++;
          break;
        }
        default:
          // "lilo/stitch", "deadpool/wolverine": a slash between two letters is an "&".
          if (
            c === 0x2f &&
            i > 0 &&
            (INF[u[i - 1]!]! & (I_UPPER | I_LOWER)) !== 0 &&
            (INF[u[i + 1]!]! & (I_UPPER | I_LOWER)) !== 0
          ) {
            this.push(this.ampId, pending, i, i + 1, -1);
            pending = 0;
            this.marks = 1;
            i++;
            break;
          }
          if (c > 0x20 && c !== 0xa0 && c !== 0x3000 && cls !== C_MARK) {
            pending |= F_PUNCT_B;
            // A slash, a star or an emoji: a rating or a film emoji may be here.
            if (c === 0x2f || c >= 0x2600) this.marks = 1;
          }
          i++;
      }
    }
  }
}
