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
  P_AFTER,
  P_BY_ON,
  P_IN,
  P_LEAD_IN,
  P_LEAD_TO,
  P_NEAR,
  P_SEA,
  P_TO,
  V_AUXILIARY,
  V_BIGRAM_FIRST,
  V_CONNECT,
  V_COPULA,
  V_CREDIT,
  V_DETERMINER,
  V_LIGHT,
  V_NAME,
  V_NOT_FILM,
  V_NOT_FILM_ADJ,
  V_NOUN,
  V_NOUN_AFTER,
  V_OWNER,
  V_STOP,
  V_VERB,
} from './compile.js';
import { LEADING_FAMILY_NAMES, NAMESAKE_WORDS, REGIONS } from './lexicon.js';
import { BREAK, type Post } from './post.js';
import { F_CAP, F_COLON_B, F_DIGITS, F_POSS, F_PUNCT_B } from './scanner.js';

/** Tokens on each side of a hit searched for film words (about one clause). */
export const WINDOW = 8;
/**
 * Tokens on each side searched for a book or stage word: shorter than WINDOW because
 * such words ("song", "show", "season") belong to the clause they are in, and a post
 * about two things often has one of each ("stole the show", "spooky season lineup").
 */
const NOT_FILM_WINDOW = 4;

/** Credit words that also mean "of": they credit only a first name after them. */
const WEAK_CREDITS: ReadonlySet<string> = new Set(['di', 'do']);

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
    // "celine song": after a first name the word is a surname.
    if (k > 0 && (c & V_NOT_FILM) !== 0 && firstName(p, k - 1) && p.joined(k)) continue;
    if ((c & V_NOT_FILM) !== 0) return true;
    if ((c & V_NOT_FILM_ADJ) !== 0 && k >= i - 2 && k < e + 2) return true;
  }
  return false;
}

/**
 * A word that says the name is a book's or a person's (NAMESAKE_WORDS: "novels",
 * "wrote", "died") within WINDOW tokens, as far as film words are searched: unlike
 * "show" or "song" these are seldom said of anything else. Asked only of distinctive
 * titles with no film word near ("maggie o'farrell's hamnet is one of my favorite
 * novels", "hamnet was shakespeare's son who died at 11"), so reading words is rare.
 */
export function namesakeNear(p: Post, i: number, e: number): boolean {
  const s = p.scanner;
  const from = Math.max(0, i - WINDOW);
  const to = Math.min(s.count, e + WINDOW);
  for (let k = from; k < to; k++) {
    if (k >= i && k < e) continue;
    if ((p.cls(k) & V_NOT_FILM) !== 0 && NAMESAKE.has(p.word(k))) return true;
  }
  return false;
}

const NAMESAKE: ReadonlySet<string> = new Set(NAMESAKE_WORDS);
const REGION: ReadonlySet<string> = new Set(REGIONS);
const LEADING_FAMILY: ReadonlySet<string> = new Set(LEADING_FAMILY_NAMES);

/** Nouns for a set of films: "the mission impossible movies", "the alien franchise". */
const FRANCHISE_NOUNS: ReadonlySet<string> = new Set([
  'movies',
  'films',
  'flicks',
  'franchise',
  'trilogy',
  'peliculas',
  'filmes',
]);
/** A film noun that says only "a film", not which: "the best superman movie". */
const GENERIC_NOUNS: ReadonlySet<string> = new Set(['movie', 'film', 'flick', 'pelicula', 'filme']);

/**
 * The hit names a franchise, not a film (the gold rule): a plural film noun or
 * "franchise" right after it ("the dune movies", "the alien franchise"), or a plain
 * "movie" after it when the post already named a longer title that starts with the same
 * word ("superman ii is the best superman movie", "alien romulus was a solid alien
 * movie"): the word is then the series the other film belongs to.
 */
export function franchise(p: Post, i: number, e: number): boolean {
  if (!p.joined(e) || (p.cls(e) & V_NOUN) === 0) return false;
  const word = p.word(e);
  if (FRANCHISE_NOUNS.has(word)) return true;
  if (!GENERIC_NOUNS.has(word)) return false;
  const { ids } = p.scanner;
  const h = p.hits;
  for (let k = 0; k < h.count; k++) {
    if (ids[h.starts[k]!] === ids[i] && h.ends[k]! - h.starts[k]! > e - i) return true;
  }
  return false;
}

/** People a post names by their relation to the writer: "my friend anora", "my son elio". */
const PERSON_NOUNS: ReadonlySet<string> = new Set(
  (
    'friend bestie sister brother sis bro mom mum dad cousin aunt uncle nephew niece neighbor ' +
    'neighbour boss coworker roommate boyfriend girlfriend wife husband son daughter grandma ' +
    'grandpa kid baby teacher'
  ).split(' '),
);

/**
 * A person word right before the hit names a person called like the film ("my friend
 * anora is visiting", "my nephew elio"): the word and the name are one noun phrase.
 */
export function personBefore(p: Post, i: number): boolean {
  if (i === 0 || !p.joined(i) || (p.scanner.flags[i]! & F_PUNCT_B) !== 0) return false;
  if ((p.scanner.flags[i - 1]! & F_POSS) !== 0) return false;
  return PERSON_NOUNS.has(p.word(i - 1));
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
  if (t < 0) return false;
  // "materialists has dakota johnson choosing between...": the film has its cast.
  if ((p.index.classes[t]! & V_AUXILIARY) !== 0) return p.joined(e) && nameAt(p, e + 1);
  if ((p.index.classes[t]! & V_CREDIT) === 0) return false;
  const f = s.flags[e + 1]!;
  if ((s.flags[e]! & BREAK) !== 0 || (f & BREAK) !== 0) return false;
  if ((f & F_CAP) !== 0) return true;
  // Lower case: a first name, or a word that is no everyday word, followed by another
  // word ("with josh brolin", "by gints zilbalodis", "starring tatiana maslany").
  const name = s.ids[e + 1]!;
  const first = name >= 0 && (p.index.classes[name]! & V_NAME) !== 0;
  // "di", "do" are also "of" ("o macaco do zoológico"): only before a first name.
  if (!first && WEAK_CREDITS.has(p.word(e))) return false;
  const named = first || p.unknownWord(e + 1);
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

/**
 * "wicked the musical", "frankenstein the novel", "oppenheimer the man": the title,
 * "the", and a book, stage or person word name what the thing is, and it is not the
 * film; this outweighs film words elsewhere in the post ("tickets"). Not an animal:
 * films have those ("anatomy of a fall the dog deserved the oscar").
 */
export function apposition(p: Post, e: number): boolean {
  const s = p.scanner;
  if (e + 1 >= s.count || s.ids[e] !== p.index.theId) return false;
  // "Anatomy of a Fall: the dog acting": after a colon or a comma the post goes on.
  if ((s.flags[e]! & (BREAK | F_PUNCT_B | F_COLON_B)) !== 0 || (s.flags[e + 1]! & BREAK) !== 0)
    return false;
  const c = p.cls(e + 1);
  if ((c & V_NOT_FILM) !== 0) return true;
  return (c & V_NOT_FILM_ADJ) !== 0 && !ANIMALS.has(p.word(e + 1));
}

/** The animal words of NOT_FILM_ADJACENT ("my cat conclave"). */
const ANIMALS: ReadonlySet<string> = new Set(['dog', 'cat', 'pet', 'puppy', 'kitten']);

/**
 * Particles inside a name: "ana de armas", "willem dafoe" needs none, "jean-claude van
 * damme". Read from the folded text, since most are everyday words elsewhere.
 */
const NAME_PARTICLES: ReadonlySet<string> = new Set(['de', 'van', 'von', 'del', 'da', 'di', 'dos']);

/** Token k is a first name from the lexicon. */
function firstName(p: Post, k: number): boolean {
  return (p.cls(k) & V_NAME) !== 0;
}

/**
 * A person's name starts at token k, in the same clause: a first name and another word
 * ("zach cregger", "emma stone", "sally hawkins"), or a first name, a particle and a word
 * ("ana de armas"). One word alone may be anything ("weapons collection"); a first name
 * and a surname are seldom said beside a title by chance.
 */
export function nameAt(p: Post, k: number): boolean {
  const s = p.scanner;
  if (k < 0 || k + 1 >= s.count || !p.joined(k) || !p.joined(k + 1)) return false;
  if ((s.flags[k + 1]! & F_PUNCT_B) !== 0) return false;
  // Only from a first name: words outside the everyday set are no name by themselves, since
  // in a post in another language every word is one ("el cónclave elegirá al nuevo papa").
  if (!firstName(p, k)) return false;
  if (firstName(p, k + 1) || p.unknownWord(k + 1)) return true;
  const word = p.word(k + 1);
  // "timothée as bob dylan": a first name and the role it plays.
  if (word === 'as' && p.joined(k + 2) && (s.flags[k + 2]! & F_PUNCT_B) === 0) {
    return nameAt(p, k + 2) || p.index.theId === s.ids[k + 2];
  }
  // "danny and michael philippou", "joel and ethan coen": two first names, one surname.
  if (s.ids[k + 1] === p.index.ampId && firstName(p, k + 2)) return nameAt(p, k + 2);
  if (NAME_PARTICLES.has(word)) return k + 2 < s.count && p.joined(k + 2);
  // "michael b jordan", "j j abrams" after a first name: an initial, then the surname.
  // The surname must be no everyday word: "robert e lee" is the general.
  if (word.length === 1 && /[a-z]/.test(word)) {
    if (!p.joined(k + 2)) return false;
    if (p.unknownWord(k + 2)) return true;
    return firstName(p, k + 2) && !LEADING_FAMILY.has(p.word(k + 2));
  }
  // "emma stone", "sophie thatcher": a surname may be an everyday word, not a small one,
  // and not a verb ("the substance james took": a first name and what the person did).
  const c = p.cls(k + 1);
  if (word.length < 3 || (c & (V_STOP | V_LIGHT | V_CONNECT | V_CREDIT | V_VERB)) !== 0)
    return false;
  // "ryan gosling", "elle fanning": an -ing surname is no gerund when what is left is no
  // verb ("james crying" is one).
  if (p.gerund(k + 1) && !p.participle(k + 1)) {
    const stem = word.slice(0, -3);
    return !p.index.common.has(stem) && !p.index.common.has(`${stem}e`);
  }
  return !p.verbForm(k + 1);
}

/**
 * A credit with no word to introduce it: the cast or director named right after the
 * title ("weapons zach cregger", "the naked gun liam neeson"). Posts list a film's people
 * this way; a plain word is not followed by a person's full name. Not after a determiner
 * ("the weapons joe sent": a noun phrase, then its owner), and not a name before the
 * title ("joe biden weapons shipment" is news, and cast-first posts write "'s" or "in").
 */
export function bareCredit(p: Post, i: number, e: number): boolean {
  if (i > 0 && p.joined(i) && (p.cls(i - 1) & (V_DETERMINER | V_OWNER)) !== 0) return false;
  return nameAt(p, e) || surnamesAt(p, e) || siblingsAt(p, e);
}

/**
 * "bring her back the philippou brothers", "marty supreme the safdie brothers": a family
 * of filmmakers, "the", a name that is no everyday word and "brothers" or "sisters".
 */
function siblingsAt(p: Post, k: number): boolean {
  const s = p.scanner;
  if (!p.joined(k) || s.ids[k] !== p.index.theId || !p.joined(k + 1) || !p.joined(k + 2)) {
    return false;
  }
  if (!p.unknownWord(k + 1)) return false;
  const w = p.word(k + 2);
  return w === 'brothers' || w === 'sisters';
}

/**
 * "the monkey osgood perkins", "black bag fassbender and blanchett": names that start
 * with no first name, as words outside the everyday set: two in a row, two joined by
 * "and", or one and what the person is doing ("chalamet singing dylan"). Only in a post of everyday English, where such words are rare; in another
 * language every word is one.
 */
function surnamesAt(p: Post, k: number): boolean {
  const s = p.scanner;
  if (k + 1 >= s.count || !p.joined(k) || !p.joined(k + 1)) return false;
  if ((s.flags[k]! & F_PUNCT_B) !== 0 || !p.unknownWord(k)) return false;
  let next = k + 1;
  // "a complete unknown chalamet singing dylan": a surname and what the actor does.
  if ((s.flags[next]! & F_PUNCT_B) === 0 && p.gerund(next) && !p.unknownWord(next)) {
    return p.mostlyEnglish(1);
  }
  if (s.ids[next] === p.index.ampId) {
    next++;
    if (next >= s.count || !p.joined(next)) return false;
  }
  if ((s.flags[next]! & F_PUNCT_B) !== 0) return false;
  if (!p.unknownWord(next) && !firstName(p, next)) return false;
  return p.mostlyEnglish(2);
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

/**
 * The title's words name a place or a sport: a place or sport noun right after them
 * ("f1 qualifying", "shelby oaks road", "eddington maine", "saltburn by the sea"), or
 * "near" or a going or living word and "to" or "in" right before them ("grew up near
 * saltburn", "flying to nuremberg"). A film noun right after (the
 * title as written, then "movie") is checked by the caller first.
 */
export function placeOrSport(p: Post, i: number, e: number): boolean {
  const s = p.scanner;
  const ids = s.ids;
  if (i > 0 && p.joined(i) && (s.flags[i]! & F_PUNCT_B) === 0) {
    const b = placeBits(p, i - 1);
    if ((b & P_NEAR) !== 0) return true;
    // "moved to shelby oaks", "flying to nuremberg", "grew up in saltburn".
    if ((b & (P_TO | P_IN)) !== 0 && i > 1 && p.joined(i - 1)) {
      const lead = (b & P_TO) !== 0 ? P_LEAD_TO : P_LEAD_IN;
      if ((placeBits(p, i - 2) & lead) !== 0) return true;
    }
  }
  if (e >= s.count || !p.joined(e)) return false;
  if ((s.flags[e - 1]! & F_POSS) !== 0) return false;
  if ((s.flags[e]! & (F_PUNCT_B | F_COLON_B)) !== 0) {
    // "landed in casablanca, morocco": a comma, then a state or a country.
    return (
      p.text.charCodeAt(s.ends[e - 1]!) === 0x2c &&
      (placeBits(p, e) & P_AFTER) !== 0 &&
      REGION.has(p.word(e))
    );
  }
  const b = placeBits(p, e);
  if ((b & P_AFTER) !== 0) return true;
  if (placeDefined(p, e)) return true;
  if (teamScored(p, e)) return true;
  // "saltburn-by-the-sea", "southend on sea".
  if ((b & P_BY_ON) !== 0 && e + 1 < s.count && p.joined(e + 1)) {
    if ((placeBits(p, e + 1) & P_SEA) !== 0) return true;
    return (
      ids[e + 1] === p.index.theId &&
      e + 2 < s.count &&
      p.joined(e + 2) &&
      (placeBits(p, e + 2) & P_SEA) !== 0
    );
  }
  return false;
}

/**
 * A result right after the title's words, then a score within a few words ("as roma won
 * 2-0 yesterday"): the words are a team's. A film wins prizes, not by goals.
 */
function teamScored(p: Post, e: number): boolean {
  const s = p.scanner;
  if (s.ids[e]! < 0 || !p.index.resultVerbs.has(s.ids[e]!)) return false;
  for (let k = e + 1; k < Math.min(s.count - 1, e + 4); k++) {
    if ((s.flags[k]! & BREAK) !== 0) return false;
    if ((s.flags[k]! & F_DIGITS) === 0 || (s.flags[k + 1]! & F_DIGITS) === 0) continue;
    const dash = p.text.charCodeAt(s.ends[k]!);
    if (s.starts[k + 1] === s.ends[k]! + 1 && (dash === 0x2d || dash === 0x2013)) return true;
  }
  return false;
}

/** Place bits (P_*) of token k, 0 for a word outside the vocabulary. */
function placeBits(p: Post, k: number): number {
  const t = p.scanner.ids[k]!;
  return t >= 0 ? p.index.places[t]! : 0;
}

/** Words after a number that make it an age or an anniversary ("25 years old", "50 años"). */
const AGE_UNITS: ReadonlySet<string> = new Set(
  'years yrs anos ans jahre anni anniversary aniversario anniversaire jubilaum'.split(' '),
);
/** How far from the title the age may stand ("the matrix is officially 25 years old"). */
const AGE_REACH = 3;

/**
 * The post gives the hit's age, and it is the film's: "the matrix is 25 years old",
 * "pulp fiction 30th anniversary", "tiburón cumple 50 años", "30 years of pulp fiction".
 * A work's age is film talk when the catalog year plus it is about now (the catalog's
 * newest year): "titanic 100th anniversary" is the ship's, "the monkey is 25 years old"
 * a monkey's.
 */
export function ageOfWork(p: Post, year: number, i: number, e: number): boolean {
  if (year <= 0) return false;
  const s = p.scanner;
  const fits = (k: number): boolean => {
    if (k < 0 || k + 1 >= s.count || (s.flags[k + 1]! & BREAK) !== 0) return false;
    const c = p.text.charCodeAt(s.starts[k]!);
    if (c < 0x30 || c > 0x39) return false;
    const v = Number.parseInt(p.text.slice(s.starts[k]!, s.ends[k]!), 10);
    const now = p.index.newestYear;
    return v > 0 && Math.abs(year + v - now) <= 1 && AGE_UNITS.has(p.word(k + 1));
  };
  for (let k = e; k < Math.min(s.count, e + AGE_REACH + 1); k++) {
    if ((s.flags[k]! & BREAK) !== 0) break;
    if (fits(k)) return true;
  }
  // "30 years of pulp fiction", "50th anniversary of jaws".
  return i >= 3 && p.joined(i) && p.word(i - 1) === 'of' && p.joined(i - 1) && fits(i - 3);
}

/** What a place is said to be: "eddington is a tiny town in maine". */
const PLACE_KINDS: ReadonlySet<string> = new Set(
  'town city village county state island country region suburb neighborhood neighbourhood province port'.split(
    ' ',
  ),
);

/**
 * "eddington is a tiny town in maine", "nuremberg is a city in bavaria": "is a", up to
 * two words, and a kind of place after the title. A film is never a town.
 */
function placeDefined(p: Post, e: number): boolean {
  const s = p.scanner;
  if ((p.cls(e) & V_COPULA) === 0 || !p.joined(e + 1) || (p.cls(e + 1) & V_OWNER) === 0) {
    return false;
  }
  for (let k = e + 2; k < Math.min(s.count, e + 5); k++) {
    if (!p.joined(k) || (s.flags[k]! & F_PUNCT_B) !== 0) return false;
    if (PLACE_KINDS.has(p.word(k))) return true;
  }
  return false;
}
