/**
 * Compiles a catalog once into the structures the matcher scans with: a vocabulary
 * (token hash → token id), a token trie over every title, alias and blocker phrase
 * (stored as (node, token) → child in one flat hash table), per-token word classes, and
 * a hashtag map. Scanning a post then costs one trie step per token per open match,
 * bounded by the longest title, so it is linear in the post whatever the catalog size.
 */
import type { Catalog } from './catalog.js';
import { commonWords, frequentWords } from './common-words.js';
import {
  ARTICLES,
  BLOCKERS,
  CALENDAR_WORDS,
  CLAUSE_LEADS,
  COLON_LABELS,
  COMPARATIVES,
  CONNECTORS,
  CREDIT_WORDS,
  EXTRA_COMMON,
  FILM_BIGRAMS,
  FILM_NOUNS,
  FILM_NOUNS_AFTER,
  FILM_VERBS,
  FIRST_NAMES,
  LIGHT_WORDS,
  MONTHS,
  NOT_FILM_ADJACENT,
  NOT_FILM_WORDS,
  PLACE_BEFORE,
  PLACE_LEADS,
  PLACE_OR_SPORT_AFTER,
  PREDICATE_ADVERBS,
  PREDICATE_VERBS,
  RESULT_VERBS,
  REVIEW_VERBS,
  REVIEW_WORDS,
  SEQUEL_VERBS,
  SOFTENERS,
  STOPWORDS,
} from './lexicon.js';
import { PairTable } from './pair-table.js';
import { foldWord, Scanner } from './scanner.js';

/** Token-id classes (bits of `Index.classes`). */
export const V_VERB = 1;
export const V_NOUN = 2;
export const V_NOUN_AFTER = 4;
export const V_ARTICLE = 8;
export const V_LABEL = 16;
export const V_BIGRAM_FIRST = 32;
export const V_PART = 64;
export const V_CREDIT = 128;
export const V_STOP = 256;
export const V_CONNECT = 512;
export const V_NOT_FILM = 1024;
export const V_NAME = 2048;
export const V_COPULA = 4096;
export const V_REVIEW = 8192;
export const V_SOFTENER = 16384;
export const V_REVIEW_VERB = 32768;
/** Uint16 is full: classes are a Uint32Array. */
export const V_DETERMINER = 1 << 16;
export const V_PREDICATE = 1 << 17;
export const V_PRED_ADVERB = 1 << 18;
export const V_LEAD = 1 << 19;
export const V_COMPARE = 1 << 20;
export const V_NOT_FILM_ADJ = 1 << 21;
/** "a", "an", "my", "your"...: before a name, they make it a common noun or a pet. */
export const V_OWNER = 1 << 22;
/** Watching participles that follow the title: "ich habe sinners gesehen". */
export const V_VERB_AFTER = 1 << 23;
/** Possessive pronouns: "is my dad" is no verdict. */
export const V_MY = 1 << 24;
/** Question words: "dog man is what my kids call the mailman". */
export const V_WH = 1 << 25;
/** Plural verbs: "weapons were seized" is a plain plural noun. */
export const V_PLURAL_VERB = 1 << 26;
/** "has", "had": auxiliaries before a participle ("warfare has changed"). */
export const V_AUXILIARY = 1 << 27;
/** Units a number counts: "smile 2 times a day", "2 more days". */
export const V_UNIT = 1 << 28;
/** Pronouns and particles (LIGHT_WORDS). */
export const V_LIGHT = 1 << 29;
/** "see": a watching verb only right before the title ("go see sinners", no article skipped). */
export const V_VERB_NEAR = 1 << 30;
/** "me" and its German and French forms: "weapons hat mir gefallen". (Bit 31: the last.) */
export const V_ME = 2 ** 31;

/** Place and sport words (bits of `Index.places`): read by id, so a hit costs no string. */
export const P_AFTER = 1;
export const P_NEAR = 2;
export const P_TO = 4;
export const P_IN = 8;
export const P_LEAD_TO = 16;
export const P_LEAD_IN = 32;
export const P_BY_ON = 64;
export const P_SEA = 128;

/** What a trie node's phrase stands for. */
export interface Entry {
  /** Catalog id, or 0 for a blocker phrase. */
  movieId: number;
  /** Catalog year, 0 when unknown. */
  year: number;
  /** Made only of everyday words: counts only with evidence of film intent. */
  ambiguous: boolean;
  /** Written without lowercase letters ("F1"): its capitals say nothing. */
  acronym: boolean;
  /** A spelling made from the title or alias (see `spellings`), not written in the catalog. */
  derived?: boolean;
  /** A mark the title writes right after its last word ("Thunderbolts*"), or 0. */
  mark?: number;
  /** The Spanish opening mark the title starts with ("¡Huye!", "¿Quién...?"), or 0. */
  opening?: number;
  /**
   * Tokens before the title's colon ("Predator: Badlands" 1), or 0 when it has none: a
   * post that writes the colon where the title has it writes the title, not the words.
   */
  colon?: number;
  /**
   * Words that carry meaning (not stopwords, not light words): "The Wild Robot" 2,
   * "The Substance" 1, "Him" 0. Two everyday words side by side are seldom said by
   * chance; one is said all the time.
   */
  content?: number;
  /** The last word reads as a plural ("Weapons", "Poor Things"): "weapons is" is a name. */
  plural?: boolean;
  /** The phrase starts with digits ("28 Years Later"): a quantity, then a name. */
  numbered?: boolean;
  /** Another film's title starts with this one's words and goes on ("Dune" / "Dune: Part Two"). */
  series?: boolean;
  /** The title is a first name alone ("Jackie", "Akira", "Elvis"). */
  given?: boolean;
  /** The phrase writes a comma ("Sorry, Baby"): only then may a hit span one. */
  comma?: boolean;
  /** Everyday words and a final number ("Smile 2"): the number may count what follows. */
  countable?: boolean;
  /**
   * Its meaningful words are everyday but not frequent ("Heretic", "Conclave",
   * "Titanic"): at the start of a sentence, before "is", it is a name.
   */
  rare?: boolean;
}

export interface Index {
  vocab: PairTable;
  /** (node, token id) → child node; the root is node 0. */
  trie: PairTable;
  /** Entries ending at a node (undefined for inner nodes). */
  terminals: (Entry[] | undefined)[];
  /** Word classes per token id (V_* bits). */
  classes: Uint32Array;
  /** Root child per token id, -1 when no phrase starts with it: most tokens stop here. */
  rootChild: Int32Array;
  /** (token id, token id) → 1 for two-token film signs ("box office", 映画). */
  bigrams: PairTable;
  /** Longest phrase in tokens: bounds each trie walk. */
  maxDepth: number;
  /** Folded hashtag body → entries. */
  hashtags: Map<string, Entry[]>;
  /** Folded hashtag bodies that signal film talk (#movies, #horror, #letterboxd). */
  filmTags: Set<string>;
  ampId: number;
  /** Token id of "in" ("Joker in The Dark Knight"). */
  inId: number;
  /** Token id of "about" ("X is about a town where..."). */
  aboutId: number;
  /** Token id of "me" ("X made me cry"). */
  meId: number;
  /** Token id of "than" ("X was scarier than Y"). */
  thanId: number;
  /** Token id of "the". */
  theId: number;
  /** Token id of "it" ("go watch it"). */
  itId: number;
  /** Token ids of "goes" ("goes hard"), "said" and "really" ("really said"). */
  goesId: number;
  saidId: number;
  reallyId: number;
  /** Token id of "stars" ("4 stars"). */
  starsId: number;
  /** Token ids of sequel verbs ("rises", "returns") and of a team's results ("won", "beat"). */
  sequelVerbs: ReadonlySet<number>;
  resultVerbs: ReadonlySet<number>;
  /** Place and sport word bits (P_*) per token id (PLACE_OR_SPORT_AFTER, PLACE_BEFORE, PLACE_LEADS). */
  places: Uint8Array;
  /** The everyday-word set: a word outside it (and outside the lexicon) is most likely a name. */
  common: Set<string>;
  /** The catalog's newest year: "now", for a film's age ("the matrix is 25 years old"). */
  newestYear: number;
}

const NUMBER_WORDS: readonly (readonly [string, string])[] = [
  ['one', '1'],
  ['two', '2'],
  ['three', '3'],
  ['four', '4'],
  ['five', '5'],
  ['six', '6'],
  ['seven', '7'],
  ['eight', '8'],
  ['nine', '9'],
  ['ten', '10'],
  ['ii', '2'],
  ['iii', '3'],
  ['iv', '4'],
];

const SAME_WORDS: readonly (readonly [string, string])[] = [
  ['pt', 'part'],
  ['versus', 'vs'],
  ['volume', 'vol'],
  ['n', 'and'],
  // "28 yrs later", "john wick ch 4".
  ['yrs', 'years'],
  ['ch', 'chapter'],
];

const NUMBER_NAMES = new Set(NUMBER_WORDS.map(([w]) => w).filter((w) => w !== 'one'));

function isNumberWord(w: string): boolean {
  return /^\d+$/.test(w) || NUMBER_NAMES.has(w) || w === 'one';
}

/** Hashtag suffixes stripped before lookup: #SinnersMovie, #F1TheMovie. */
export const TAG_SUFFIXES: readonly string[] = [
  'themovie',
  'thefilm',
  'movie',
  'film',
  'pelicula',
  'filme',
  'trailer',
  'official',
];

const FILM_TAGS: readonly string[] = [
  'movie',
  'movies',
  'film',
  'films',
  'filmsky',
  'moviesky',
  'cinema',
  'letterboxd',
  'horror',
  'horrormovies',
  'boxoffice',
  'nowwatching',
  'oscars',
  'imax',
  'pelicula',
  'cine',
  'filme',
  'kino',
  '映画',
];

const WORD_SPLIT = /[^\p{L}\p{N}\p{M}'’]+/u;

/** Splits to folded words: for judging ambiguity and building hashtag keys. */
function foldedWords(s: string): string[] {
  return s
    .split(WORD_SPLIT)
    .map(foldWord)
    .filter((w) => w.length > 0);
}

function hasCjk(s: string): boolean {
  return /[\u3040-\u30ff\u3400-\u9fff]/u.test(s);
}

const MONTH_SET: ReadonlySet<string> = new Set(MONTHS);
const FILM_NOUN_SET: ReadonlySet<string> = new Set(FILM_NOUNS);
const CALENDAR_SET: ReadonlySet<string> = new Set(CALENDAR_WORDS);

/** Subject pronouns (folded: "I'm" is "im") that open a title written as a sentence. */
const SUBJECTS: ReadonlySet<string> = new Set(
  'i im ive id ill we were weve you youre he hes she shes it its they theyre'.split(' '),
);

export function isAmbiguous(
  phrase: string,
  common: Set<string>,
  stop: Set<string>,
  light: Set<string> = new Set(),
): boolean {
  if (hasCjk(phrase)) return false;
  const words = foldedWords(phrase);
  const significant = words.filter((w) => !stop.has(w));
  if (significant.length === 0) return true;
  // A number after a word makes a phrase a title ("Dune: Part Two", "Smile 2"); one that
  // leads it is a quantity like any other word ("28 Years Later", "One Battle After Another").
  const isNumber = (w: string): boolean => /^\d+$/.test(w) || NUMBER_NAMES.has(w) || w === 'one';
  // Not "one" after a word: that is a pronoun as often ("the red one or the blue one"),
  // so "Red One" is everyday words; "Godzilla Minus One" is a title by its name.
  // Nor a day after a month: "September 5" is a date like any other.
  const sequel = (w: string, k: number): boolean =>
    k > 0 && w !== 'one' && isNumber(w) && !MONTH_SET.has(significant[k - 1]!);
  if (significant.some(sequel)) return false;
  // A calendar word alone, as a date, or beside frequent words only ("Halloween",
  // "September 5", "Saturday Night"); a rarer word makes a name of it ("Freakier Friday").
  const frequent = frequentWords();
  const date =
    significant.some((w) => CALENDAR_SET.has(w)) &&
    significant.every(
      (w, k) =>
        CALENDAR_SET.has(w) ||
        frequent.has(w) ||
        (k > 0 && /^\d+$/.test(w) && MONTH_SET.has(significant[k - 1]!)),
    );
  // A light word of another language ("Nós", "Oben") is as everyday as an English one.
  const everyday = (w: string, k: number): boolean =>
    common.has(w) || light.has(w) || date || (k === 0 && isNumber(w));
  if (!significant.every(everyday)) return false;
  // A sentence with its own subject is said by chance at any length: "I Know What You Did
  // Last Summer", "I'm Still Here", "I Saw the TV Glow", "It Ends with Us" ("i'm still
  // here, just tired", "i saw the tv glow in the window").
  if (SUBJECTS.has(words[0]!)) return true;
  // Everyday words make an everyday phrase when few of them carry meaning: "Bring Her
  // Back", "Past Lives". A longer run of them is rarely said by chance ("Killers of the
  // Flower Moon"), so it counts as a title unaided.
  return significant.filter((w) => !light.has(w)).length <= 2;
}

/**
 * A localized alias that a word list of English cannot judge: one meaningful word in
 * Latin letters, not an acronym ("EEAAO"), no digits, no film noun ("Brutalist movie").
 * Longer localized titles are names as they are ("el caballero oscuro sigue siendo la
 * mejor"): the evidence rules read English best, and two foreign words seldom meet by
 * chance in an English-heavy stream.
 */
function translated(
  phrase: string,
  words: string[],
  stop: Set<string>,
  light: Set<string>,
): boolean {
  if (!/^[\p{Script=Latin}\s\p{P}]+$/u.test(phrase) || !/\p{Ll}/u.test(phrase)) return false;
  if (words.some((w) => FILM_NOUN_SET.has(w))) return false;
  return words.filter((w) => !stop.has(w) && !light.has(w)).length <= 1;
}

/**
 * Spellings of one title that posts use for it: as written; each hyphenated compound
 * joined or not ("Spider-Man" / "SpiderMan" / "Spider Man", in any mix); an article
 * after a subtitle mark dropped ("Mission: Impossible – Final Reckoning"); a leading
 * "The" dropped when what is left is no everyday phrase (`bareOk`: "Brutalist", not
 * "Monkey", which would only add hits that need evidence and cost scan time). `&`/`and`, case, diacritics, `*` and `:` are already
 * alike after tokenizing.
 */
export function spellings(s: string, bareOk: (bare: string) => boolean = () => true): string[] {
  const out = new Set<string>([s]);
  const compound = /(\p{L})[-‐‑](\p{L})/gu;
  const compounds = [...s.matchAll(compound)].length;
  if (compounds > 0 && compounds <= 3) {
    // A hyphen and a space tokenize alike, so each compound is either joined or not.
    for (let mask = 1; mask < 1 << compounds; mask++) {
      let k = 0;
      out.add(
        s.replace(compound, (_, x: string, y: string) =>
          (mask >> k++) & 1 ? `${x}${y}` : `${x} ${y}`,
        ),
      );
    }
  }
  // "KPop Demon Hunters" is written "k-pop demon hunters", "k pop": a capital inside a
  // word starts a word of its own.
  const camel = s.replace(/(\p{Lu})(?=\p{Lu}\p{Ll})|(\p{Ll})(?=\p{Lu})/gu, '$1$2 ');
  if (camel !== s) out.add(camel);
  // "Gabby's Dollhouse", "Peter Hujar's Day" are typed without the apostrophe: "gabbys
  // dollhouse" (a final "'s" is already a possessive the scanner strips).
  const noApostrophe = s.replace(/(\p{L})['’]s(?=\s+\p{L})/gu, '$1s');
  if (noApostrophe !== s) out.add(noApostrophe);
  // "Saw X", "Fast X": the post's "saw x is", "fast x with" reads its lone x as "&"
  // ("godzilla x kong"), so the title is also spelled that way.
  if (/\s[xX]$/u.test(s)) out.add(`${s} `);
  // "ANORA アノーラ": a Japanese alias that leads with the romanized title is also
  // written with its kana part alone.
  const pieces = s.split(/\s+/u);
  if (pieces.length > 1 && /[A-Za-z]/u.test(s)) {
    for (const p of pieces) if (/^[\u3040-\u30ff\u3400-\u9fff・ー]{3,}$/u.test(p)) out.add(p);
  }
  // "The Conjuring 4: Last Rites" is said "the conjuring 4": a sequel number already
  // names the film, so what follows it after a colon may be dropped.
  const numbered = /^(.*\S\s+(?:\d{1,2}|II|III|IV|V|VI))\s*[:：–—-]\s*\S.*$/u.exec(s);
  if (numbered !== null) out.add(numbered[1]!);
  // "Scream VI" is said "scream 6", "Rocky V" "rocky 5": a sequel's Roman numeral past IV
  // (II-IV are token aliases of their digits; "vi" and "x" are words of their own, so
  // only a title's own capital numeral, last or before its colon, is read as a number).
  for (const v of [...out]) {
    const digit = v.replace(/(?<=\S\s)(V|VI|VII|VIII|IX)(?=\s*$|\s*:)/u, (r) => ROMAN[r]!);
    if (digit !== v) out.add(digit);
  }
  for (const v of [...out]) {
    const noSubArticle = v.replace(/([:–—]|\s-)\s*(?:the|a|an)\s+/giu, '$1 ');
    // Not "Superman: The Movie" → "Superman Movie": that is how posts name any film
    // called Superman (the newest one, most often).
    const filmNoun = /([:–—]|\s-)\s*(?:the|a|an)\s+(?:movie|film)\s*$/iu.test(v);
    if (noSubArticle !== v && !filmNoun) out.add(noSubArticle);
    const noLead = v.replace(/^the\s+/iu, '');
    if (noLead !== v && /\p{L}{3,}/u.test(noLead) && bareOk(noLead)) out.add(noLead);
    // "smile2", "mickey17" and "gotg 3": a sequel number run into its word, or apart.
    const joined = v.replace(/(\p{L}{3,})\s+(\d{1,2})(?=$|[\s:])/gu, '$1$2');
    if (joined !== v) out.add(joined);
    const split = v.replace(/(\p{L}{3,})(\d{1,2})(?=$|[\s:])/gu, '$1 $2');
    if (split !== v) out.add(split);
  }
  return [...out];
}

const ROMAN: Readonly<Record<string, string>> = { V: '5', VI: '6', VII: '7', VIII: '8', IX: '9' };

/**
 * Shorter names posts give a title: the name before a tagline subtitle that opens with an
 * article ("Furiosa: A Mad Max Saga" → "Furiosa", "Mufasa: The Lion King" → "Mufasa",
 * "Wake Up Dead Man: A Knives Out Mystery"), and a numbered part as the bare number
 * ("Dune: Part Two" → "Dune Two", read "dune 2"; "John Wick: Chapter 4" → "John Wick 4").
 * Not a subtitle of its own ("Alien: Romulus", "Spider-Man: Across the Spider-Verse": the
 * name before it is a franchise), nor part one (that is the first film's name).
 */
export function shortTitles(title: string): string[] {
  const out: string[] = [];
  const tagline = /^(.*?\p{L}.*?)\s*:\s*(?:a|an|the)\s+\S.*$/iu.exec(title);
  if (tagline !== null && /\p{L}{3,}/u.test(tagline[1]!)) out.push(tagline[1]!.trim());
  const part =
    /^(.*?\p{L}.*?)\s*[:–—-]?\s+(?:part|chapter|vol\.?|volume)\s+(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|ii|iii|iv|v|vi)$/iu.exec(
      title,
    );
  if (part !== null && !/^0?1$/.test(part[2]!)) out.push(`${part[1]!.trim()} ${part[2]!}`);
  return out;
}

/** Chat acronyms that a long title's initials could spell. */
const CHAT_ACRONYMS: ReadonlySet<string> = new Set(
  'lmao lmfao rofl imho iykyk afaik tldr ftfy smdh icymi hmu'.split(' '),
);

/**
 * The initials of a title of four or more words, with and without a leading article
 * ("Everything Everywhere All at Once" → "eeaao", "The Zone of Interest" → "tzoi"): keys
 * of four letters or more. Not a title with digits ("gotg vol 3").
 */
export function initials(title: string): string[] {
  const words = foldedWords(title);
  if (!words.every((w) => /^[a-z]+$/.test(w))) return [];
  const out: string[] = [];
  const add = (ws: string[]): void => {
    if (ws.length < 4) return;
    const key = ws.map((w) => w[0]).join('');
    if (!out.includes(key)) out.push(key);
  };
  if (words.length < 4) return [];
  add(words);
  if (ARTICLES.includes(words[0]!)) add(words.slice(1));
  return out;
}

/** Longest title (in words) whose words are also tried run together. */
const MAX_JOINED_WORDS = 6;

/**
 * Spellings of a title with its words run together, as posts type them: two neighbouring
 * words joined ("kungfu panda 4", "topgun maverick"), all the words before a sequel
 * number ("kungfupanda 4"), and all of them, with or without a leading "the"
 * ("thedarkknight", "wildrobot"). Not "and", nor a join that makes an everyday word.
 */
export function joinings(s: string, common: Set<string>): string[] {
  const words = foldedWords(s);
  const n = words.length;
  if (n < 2 || n > MAX_JOINED_WORDS) return [];
  const out = new Set<string>();
  const alpha = (w: string): boolean => /^[a-z]+$/.test(w) && w !== 'and';
  const fresh = (w: string): boolean => w.length >= 5 && !common.has(w);
  for (let k = 0; k + 1 < n; k++) {
    const j = words[k]! + words[k + 1]!;
    if (!alpha(words[k]!) || !alpha(words[k + 1]!) || !fresh(j)) continue;
    out.add([...words.slice(0, k), j, ...words.slice(k + 2)].join(' '));
  }
  const last = words[n - 1]!;
  if (n >= 3 && /^\d{1,2}$/.test(last) && words.slice(0, -1).every(alpha)) {
    const j = words.slice(0, -1).join('');
    if (fresh(j)) out.add(`${j} ${last}`);
  }
  if (words.every((w) => /^[a-z0-9]+$/.test(w))) {
    const all = words.join('');
    if (fresh(all)) out.add(all);
    if (words[0] === 'the' && n >= 3) {
      const rest = words.slice(1).join('');
      if (fresh(rest)) out.add(rest);
    }
  }
  out.delete(words.join(' '));
  return [...out];
}

/** Keys a hashtag could use for a phrase: the words run together, & as "and", numbers both ways. */
function tagKeys(s: string): string[] {
  const words = foldedWords(s.replace(/[&+]/g, ' and '));
  const keys = new Set<string>([words.join(''), words.filter((w) => w !== 'and').join('')]);
  const toDigit = new Map(NUMBER_WORDS);
  const toWord = new Map(NUMBER_WORDS.slice(0, 10).map(([w, d]) => [d, w]));
  keys.add(words.map((w) => toDigit.get(w) ?? w).join(''));
  keys.add(words.map((w) => toWord.get(w) ?? w).join(''));
  keys.delete('');
  return [...keys];
}

export function compileIndex(catalog: Catalog): Index {
  const vocab = new PairTable(4096);
  let nextId = 0;
  const intern = (h1: number, h2: number): number => {
    const id = nextId++;
    vocab.set(h1, h2, id);
    return id;
  };
  const scanner = new Scanner(vocab, intern);
  /** Token ids of a phrase (interning new ones). */
  const tokens = (s: string): number[] => {
    scanner.scan(s);
    return Array.from(scanner.ids.subarray(0, scanner.count));
  };
  const ampId = tokens('and')[0]!;
  scanner.ampId = ampId;
  // "Part Two" = "Part 2" = "Part II": the words resolve to the digit's token id.
  for (const [word, digit] of NUMBER_WORDS) aliasToken(vocab, word, tokens(digit)[0]!);
  // "Dune Pt 2", "GOTG Volume 3": a short or long form that means the same word.
  for (const [form, word] of SAME_WORDS) aliasToken(vocab, form, tokens(word)[0]!);

  const trie = new PairTable(4096);
  const terminals: (Entry[] | undefined)[] = [undefined];
  let nodes = 1;
  let maxDepth = 1;
  const insert = (ids: number[], entry: Entry): void => {
    if (ids.length === 0) return;
    let node = 0;
    for (const t of ids) {
      let child = trie.get(node, t);
      if (child < 0) {
        child = nodes++;
        trie.set(node, t, child);
        terminals.push(undefined);
      }
      node = child;
    }
    const list = terminals[node] ?? [];
    // A catalog entry replaces a blocker with the same text; blockers never replace entries.
    if (entry.movieId === 0 && list.some((e) => e.movieId !== 0)) return;
    if (entry.movieId !== 0 && list.some((e) => e.movieId === 0)) list.length = 0;
    // A title or alias as written beats another film's derived spelling: "Golden Saint"
    // is that film, not "The Golden Saint" without its article.
    if (entry.derived === true && list.some((e) => e.derived !== true)) return;
    if (entry.derived !== true) {
      for (let k = list.length - 1; k >= 0; k--) if (list[k]!.derived === true) list.splice(k, 1);
    }
    if (!list.some((e) => e.movieId === entry.movieId)) list.push(entry);
    terminals[node] = list;
    if (ids.length > maxDepth) maxDepth = ids.length;
  };

  const common = commonWords();
  const frequent = frequentWords();
  for (const w of EXTRA_COMMON) common.add(w);
  const stop = new Set(STOPWORDS);
  const light = new Set(LIGHT_WORDS);
  const names = new Set(FIRST_NAMES);
  const hashtags = new Map<string, Entry[]>();
  /** Every folded word of every title and alias: typo variants must not collide with one. */
  const titleWords = new Set<string>();
  const addTag = (key: string, entry: Entry): void => {
    const list = hashtags.get(key) ?? [];
    const k = list.findIndex((e) => e.movieId === entry.movieId);
    // A listed hashtag is distinctive even when the title it spells is everyday words.
    if (k < 0) list.push(entry);
    else if (list[k]!.ambiguous && !entry.ambiguous) list[k] = entry;
    hashtags.set(key, list);
  };

  // Every proper prefix (in words) of every title: a title that is one has a sequel or a
  // longer namesake in the catalog ("Dune" of "Dune: Part Two"), so "dune 1" is the first.
  const starts = new Set<string>();
  for (const movie of catalog.movies) {
    const words = foldedWords(movie.title);
    for (let k = 1; k < words.length; k++) starts.add(words.slice(0, k).join(' '));
  }
  // Every title and alias as folded words: a shortened title that is one of them is that film.
  const written = new Set<string>();
  for (const movie of catalog.movies) {
    for (const t of [movie.title, ...(movie.aliases ?? [])]) written.add(foldedWords(t).join(' '));
  }
  for (const movie of catalog.movies) {
    const year = movie.year ?? 0;
    const listed = [movie.title, ...(movie.aliases ?? [])];
    // A minimal catalog lists no "Furiosa" or "Dune 2": the shapes posts shorten a title
    // to are derived from it (`shortTitles`), unless another film is called that.
    const short = shortTitles(movie.title).filter((t) => !written.has(foldedWords(t).join(' ')));
    const phrases = [...listed, ...short];
    // A title of everyday words is everyday words in translation too: "Sorria" (Smile),
    // "Nós" (Us), "Carros" (Cars), "Herege" (Heretic) are said like their English titles,
    // though the word list knows English only. A one-word localized alias is judged as the
    // title is.
    const everydayTitle = isAmbiguous(movie.title, common, stop, light);
    // A title written as a sentence is one in translation too: "Ainda Estou Aqui" (I'm
    // Still Here) is what anyone says ("ainda estou aqui no escritório").
    const sentence = SUBJECTS.has(foldedWords(movie.title)[0] ?? '');
    for (const phrase of phrases) {
      const words = foldedWords(phrase);
      const last = words[words.length - 1] ?? '';
      // Numbers are not meaning: "28 Years Later" and "One Battle After Another" have
      // one word each that could be said of anything.
      const meaningful = words.filter((w) => !stop.has(w) && !light.has(w) && !isNumberWord(w));
      const entry: Entry = {
        movieId: movie.id,
        year,
        // "Jackie", "Akira": a title that is a first name alone is a person's name as
        // often as the film's, and needs the same evidence as an everyday word.
        ambiguous:
          isAmbiguous(phrase, common, stop, light) ||
          (words.length === 1 && names.has(last)) ||
          (everydayTitle &&
            phrase !== movie.title &&
            (translated(phrase, words, stop, light) || sentence)),
        acronym: !/\p{Ll}/u.test(phrase),
        // "?" and "!" end everyday sentences too ("is this thing on? first post"): only
        // a mark no sentence writes ("Thunderbolts*") names the title by itself.
        mark: /[\p{L}\p{N}]\*$/u.test(phrase) ? phrase.charCodeAt(phrase.length - 1) : 0,
        opening: /^[¡¿]/u.test(phrase) ? phrase.charCodeAt(0) : 0,
        colon: phrase.includes(':') ? tokens(phrase.slice(0, phrase.indexOf(':'))).length : 0,
        comma: phrase.includes(','),
        numbered: /^\d/.test(phrase) && words.length > 1,
        series: starts.has(words.join(' ')),
        given: words.length === 1 && names.has(last),
        // Numbers are not meaning: "28 Years Later" and "One Battle After Another" have
        // one word each that could be said of anything.
        content: meaningful.length,
        plural: last.length > 3 && last.endsWith('s') && !last.endsWith('ss'),
        rare: meaningful.length > 0 && meaningful.every((w) => !frequent.has(w)),
        countable:
          /^\d{1,2}$/.test(last) &&
          words.length > 1 &&
          isAmbiguous(words.slice(0, -1).join(' '), common, stop, light),
      };
      for (const w of words) titleWords.add(w);
      // A bare title (no "The") of two meaningful everyday words is still seldom said by
      // chance ("zone of interest", "wild robot"); one such word alone is ("substance").
      const bareOk = (bare: string): boolean =>
        !isAmbiguous(bare, common, stop, light) || (entry.content ?? 0) >= 2;
      const derived: Entry = { ...entry, derived: true };
      for (const s of spellings(phrase, bareOk)) {
        // A derived short name is derived as written too. (The flag is set by spreading,
        // as for every derived spelling, so that entries keep few shapes: the verdict
        // reads them on every hit.)
        insert(tokens(s), s === phrase && !short.includes(phrase) ? entry : derived);
        // "kungfu panda 4", "topgun maverick", "thedarkknight": words run together are
        // no everyday phrase, unless the title without them still is one.
        for (const j of joinings(s, common)) {
          const ambiguous = entry.ambiguous && isAmbiguous(j, common, stop, light);
          insert(tokens(j), { ...derived, ambiguous });
        }
      }
      // "#flow #yoga", "#f1 #monaco": an everyday title run together is still everyday
      // words (judged by hashtags.ts); any other title is a name.
      for (const key of tagKeys(phrase)) addTag(key, entry);
    }
    for (const tag of movie.hashtags ?? []) {
      const key = foldWord(tag);
      const entry: Entry = { movieId: movie.id, year, ambiguous: false, acronym: false };
      addTag(key, entry);
      // "obaa was perfect", "httyd was great", "spiderverse": a hashtag made for the film
      // is also written without its #, and as one word it is no everyday word. Derived, so
      // another film's title as written still wins.
      if (key.length >= 4 && /^[a-z0-9]+$/.test(key) && !common.has(key)) {
        const ids = tokens(tag);
        if (ids.length === 1) insert(ids, { ...entry, acronym: true, derived: true });
      }
    }
    // "eeaao", "httyd", "ikwydls": a long title is written by its initials, in a catalog
    // that lists none. Derived, so a title or alias as written wins; not a word or a
    // chat acronym ("imho").
    for (const key of initials(movie.title)) {
      if (common.has(key) || written.has(key) || CHAT_ACRONYMS.has(key)) continue;
      const entry: Entry = { movieId: movie.id, year, ambiguous: false, acronym: true };
      addTag(key, entry);
      insert(tokens(key), { ...entry, derived: true });
    }
  }
  for (const phrase of BLOCKERS) {
    for (const s of spellings(phrase)) {
      insert(tokens(s), { movieId: 0, year: 0, ambiguous: false, acronym: false });
    }
  }

  // Word classes last: the lexicon words get ids too, so a post's words resolve to them.
  const marks: [readonly string[], number][] = [
    [FILM_VERBS, V_VERB],
    [FILM_NOUNS, V_NOUN],
    [FILM_NOUNS_AFTER, V_NOUN_AFTER | V_NOUN],
    [ARTICLES, V_ARTICLE],
    [COLON_LABELS, V_LABEL],
    [['part', 'chapter', 'parte', 'teil'], V_PART],
    [CREDIT_WORDS, V_CREDIT],
    [STOPWORDS, V_STOP],
    [CONNECTORS, V_CONNECT],
    [NOT_FILM_WORDS, V_NOT_FILM],
    [FIRST_NAMES, V_NAME],
    [
      ['is', 'was', 'were', 'be', 'es', 'e', 'ist', 'est', 'fue', 'foi', 'war', 'era', 'etait'],
      V_COPULA,
    ],
    [REVIEW_WORDS, V_REVIEW],
    [SOFTENERS, V_SOFTENER],
    [REVIEW_VERBS, V_REVIEW_VERB],
    [PREDICATE_VERBS, V_PREDICATE],
    [PREDICATE_ADVERBS, V_PRED_ADVERB],
    [CLAUSE_LEADS, V_LEAD],
    [COMPARATIVES, V_COMPARE],
    [NOT_FILM_ADJACENT, V_NOT_FILM_ADJ],
    [['a', 'an', 'my', 'your', 'his', 'her', 'our', 'their', 'mi', 'mon', 'ma', 'mein'], V_OWNER],
    [['my', 'your', 'his', 'her', 'our', 'their', 'mi', 'mon', 'ma', 'mein', 'meu', 'minha'], V_MY],
    [['what', 'who', 'where', 'when', 'why', 'how', 'whatever'], V_WH],
    [['were', 'are', 'be', 'son', 'sont', 'sind', 'sao', 'eram', 'fueron', 'sono'], V_PLURAL_VERB],
    [['has', 'had', 'hat', 'hatte', 'ha', 'tem', 'teve'], V_AUXILIARY],
    [['gesehen', 'geschaut', 'angeschaut'], V_VERB_AFTER],
    [['see', 'seeing'], V_VERB_NEAR],
    [['me', 'mir', 'mich', 'moi'], V_ME],
    [
      'times more less days weeks hours minutes mins years months seconds of per a'.split(' '),
      V_UNIT,
    ],
    [LIGHT_WORDS, V_LIGHT],
    [
      [
        'the',
        'my',
        'a',
        'an',
        'your',
        'our',
        'his',
        'her',
        'their',
        'this',
        'that',
        'these',
        'those',
        'some',
        'no',
        'any',
      ],
      V_DETERMINER,
    ],
  ];
  const pending: [number, number][] = [];
  for (const [words, bit] of marks) {
    for (const w of words) for (const id of tokens(w)) pending.push([id, bit]);
  }
  const placeMarks: [number, number][] = [];
  const placeMark = (words: readonly string[], bit: number): void => {
    for (const w of words) for (const id of tokens(w)) placeMarks.push([id, bit]);
  };
  placeMark(PLACE_OR_SPORT_AFTER, P_AFTER);
  placeMark(PLACE_BEFORE, P_NEAR);
  placeMark(['to'], P_TO);
  placeMark(['in'], P_IN);
  for (const [prep, leads] of PLACE_LEADS) {
    placeMark(leads.split(' '), prep === 'to' ? P_LEAD_TO : P_LEAD_IN);
  }
  placeMark(['by', 'on'], P_BY_ON);
  placeMark(['sea'], P_SEA);
  const bigrams = new PairTable(64);
  for (const [a, b] of FILM_BIGRAMS) {
    const ia = tokens(a)[0]!;
    const ib = tokens(b)[0]!;
    bigrams.set(ia, ib, 1);
    pending.push([ia, V_BIGRAM_FIRST]);
  }
  // Typos a reader does not notice ("Oppenhiemer", "Nosferatou"): last, so that a
  // variant that is already a word of its own is left alone.
  addTypos(vocab, new Scanner(vocab), titleWords, common);
  // Before the classes are sized: every token id has its class slot.
  const sequelVerbs = new Set(SEQUEL_VERBS.map((w) => tokens(w)[0]!));
  const resultVerbs = new Set(RESULT_VERBS.map((w) => tokens(w)[0]!));
  const classes = new Uint32Array(nextId + 1);
  for (const [id, bit] of pending) classes[id]! |= bit;
  const places = new Uint8Array(nextId + 1);
  for (const [id, bit] of placeMarks) places[id]! |= bit;
  const rootChild = new Int32Array(nextId + 1).fill(-1);
  for (let id = 0; id < nextId; id++) rootChild[id] = trie.get(0, id);

  return {
    vocab,
    trie,
    terminals,
    classes,
    rootChild,
    bigrams,
    maxDepth,
    hashtags,
    filmTags: new Set(FILM_TAGS.map(foldWord)),
    ampId,
    inId: tokens('in')[0]!,
    aboutId: tokens('about')[0]!,
    meId: tokens('me')[0]!,
    thanId: tokens('than')[0]!,
    theId: tokens('the')[0]!,
    itId: tokens('it')[0]!,
    goesId: tokens('goes')[0]!,
    saidId: tokens('said')[0]!,
    reallyId: tokens('really')[0]!,
    starsId: tokens('stars')[0]!,
    sequelVerbs,
    resultVerbs,
    places,
    common,
    newestYear: catalog.movies.reduce((y, m) => Math.max(y, m.year ?? 0), 0),
  };
}

/** Shortest title word that gets typo variants: shorter words have too many neighbours. */
const TYPO_MIN_LENGTH = 6;
/** Everyday title words get them from this length on ("challengers", "interstellar"). */
const TYPO_MIN_LENGTH_COMMON = 8;

/**
 * Makes one-slip misspellings of each distinctive title word resolve to that word's
 * token: two neighbouring letters swapped, a letter dropped (not the first), a letter
 * doubled or a double letter single. Only words of at least TYPO_MIN_LENGTH letters
 * (TYPO_MIN_LENGTH_COMMON for everyday words, whose titles still need evidence), and
 * only variants that are no word of their own (everyday, lexicon or another title's):
 * "Oppenhiemer" reads Oppenheimer, "Barbie" has no variant.
 * It costs nothing per post: the variants are more keys of the same vocabulary table.
 */
function addTypos(
  vocab: PairTable,
  lookup: Scanner,
  titleWords: Set<string>,
  common: Set<string>,
): void {
  // `lookup` never interns: an unknown word scans to id -1.
  const known = (w: string): boolean => {
    if (common.has(w) || titleWords.has(w)) return true;
    lookup.scan(w);
    return lookup.count !== 1 || lookup.ids[0]! >= 0;
  };
  const scanner = lookup;
  for (const word of titleWords) {
    const min = common.has(word) ? TYPO_MIN_LENGTH_COMMON : TYPO_MIN_LENGTH;
    if (word.length < min || !/^[a-z]+$/.test(word)) continue;
    scanner.scan(word);
    if (scanner.count !== 1) continue;
    const id = scanner.ids[0]!;
    if (id < 0) continue;
    const variants = new Set<string>();
    for (let k = 0; k + 1 < word.length; k++) {
      variants.add(word.slice(0, k) + word[k + 1] + word[k] + word.slice(k + 2));
    }
    for (let k = 1; k < word.length; k++) {
      variants.add(word.slice(0, k) + word.slice(k + 1));
      variants.add(word.slice(0, k) + word[k] + word.slice(k));
    }
    variants.delete(word);
    for (const v of variants) if (!known(v)) aliasToken(vocab, v, id);
  }
}

/** Makes `word` resolve to token id `id` (scanned against an empty table so it always interns). */
function aliasToken(vocab: PairTable, word: string, id: number): void {
  const capture = new Scanner(new PairTable(4), (h1, h2) => {
    vocab.set(h1, h2, id);
    return id;
  });
  capture.scan(word);
}
