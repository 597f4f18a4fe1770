/**
 * The verdict model: is this hit of a catalog title the film? Two stages.
 *
 * 1. `judge`: evidence that it is *another* thing with the same words, for every title:
 *    a year that contradicts the catalog's ("Dune (1984)"), a sequel number or "Part N"
 *    after it ("Inside Out 3"), a title-case prefix and colon before it ("Captain
 *    America: Civil War"), a character of another film ("Joker in The Dark Knight"), a
 *    namesake's book or person word ("reading Frankenstein"), an owner ("my cat elio").
 * 2. `evidence`: for a title made only of everyday words (`entry.ambiguous`), a sign that
 *    it is used as a title, not as words: quotes, a film word, capitals in a lowercase
 *    post, a credited person, a rating, a verdict about it, a list with another title.
 *
 * Context words live in context.ts, sentence grammar in clause.ts, lists in links.ts;
 * this file only weighs them, so the order of the checks is the model.
 */

import {
  actsOnMe,
  askedAbout,
  clauseStart,
  predicate,
  preoccupied,
  reviewed,
  story,
  topic,
} from './clause.js';
import type { Entry } from './compile.js';
import {
  V_ARTICLE,
  V_AUXILIARY,
  V_COMPARE,
  V_CONNECT,
  V_COPULA,
  V_CREDIT,
  V_DETERMINER,
  V_LABEL,
  V_LIGHT,
  V_NOT_FILM,
  V_NOUN,
  V_PART,
  V_STOP,
  V_UNIT,
  V_VERB,
  V_VERB_AFTER,
  V_VERB_NEAR,
} from './compile.js';
import {
  ageOfWork,
  apposition,
  bareCredit,
  creditAfter,
  creditBefore,
  filmNear,
  franchise,
  inAnotherTitle,
  namesakeNear,
  notFilmNear,
  nounAfter,
  ownedBefore,
  personBefore,
  placeOrSport,
  WINDOW,
} from './context.js';
import { DEFER, LINK, NO, type Verdict, YES } from './hits.js';
import { BREAK, type Post } from './post.js';
import {
  F_ALLCAP,
  F_CAP,
  F_CJK,
  F_COLON_B,
  F_DIGITS,
  F_LOWER,
  F_POSS,
  F_PUNCT_B,
  F_QUOTE_A,
  F_QUOTE_B,
  F_SENT,
} from './scanner.js';

/** At most this share of other words may be capitalized for text to count as lowercase-heavy. */
const LOWERCASE_HEAVY_SHARE = 0.1;
/** A year this far from the catalog's still means the same film (festival vs release year). */
const YEAR_SLACK = 1;

/**
 * The movie id a hit of `entries` over tokens [i, e) stands for, or 0 when the evidence
 * says it is not that film. Records the hit (with its verdict) for later rules.
 */
export function judge(p: Post, entries: Entry[], i: number, e: number, filmTag: boolean): number {
  const s = p.scanner;
  const { ids, flags, nums } = s;
  const classes = p.index.classes;
  const n = s.count;
  // "basically john wick 4.5": the title's number is a decimal's whole part, no sequel.
  if (
    e < n &&
    (flags[e - 1]! & F_DIGITS) !== 0 &&
    (flags[e]! & F_DIGITS) !== 0 &&
    s.starts[e] === s.ends[e - 1]! + 1 &&
    (p.text.charCodeAt(s.ends[e - 1]!) === 0x2e || p.text.charCodeAt(s.ends[e - 1]!) === 0x2c)
  ) {
    return record(p, 0, i, e, NO);
  }
  const year = p.adjacentYear(i, e);
  const entry =
    year === 0 && entries.length > 1 ? pickNamesake(p, entries, i, e) : pick(entries, year);
  if (entry === undefined) return 0; // a contradicting year: another film
  // "evacuated at dunkirk in 1940", "the nuremberg trials were in 1945", "dune from
  // 1984": a year a few words on that comes before every film of the name is the year
  // of the thing, or of an older work, the film is named after.
  if (year === 0) {
    const lead = leadYear(p, e);
    if (lead > 0 && entries.every((x) => x.year > 0 && lead < x.year - YEAR_SLACK)) {
      return record(p, entry.movieId, i, e, NO);
    }
    // "rocky balboa from 2006": "from" and a year no film of the name has is another film.
    if (
      lead > 0 &&
      entries.every((x) => x.year > 0 && Math.abs(lead - x.year) > YEAR_SLACK) &&
      leadFrom(p, e, lead)
    ) {
      return record(p, 0, i, e, NO);
    }
    // "gandhi's salt march was in 1930", "lincoln ... for the 1860s": a time in the
    // sentence before any film of the name is the person's or the event's.
    // The oldest year of the name's films; 0 (no check) once one of them has none.
    let oldest = Number.MAX_SAFE_INTEGER;
    for (const x of entries) oldest = x.year > 0 ? Math.min(oldest, x.year) : 0;
    if (oldest > 0 && pastTime(p, i, e, oldest - YEAR_SLACK) && !filmNear(p, i, e)) {
      return record(p, entry.movieId, i, e, NO);
    }
  }
  if (e < n && (flags[e]! & (BREAK | F_PUNCT_B | F_COLON_B)) === 0) {
    // "Dune 3", "Inside Out 3", "Dune Part Three": a sequel the catalog does not have.
    const v = nums[e]!;
    // "ranked: 1 sinners 2 weapons 3 companion": a list's next number, not a sequel.
    const listed = i > 0 && nums[i - 1] === v - 1;
    // Recorded (as not a film) so that a later "the best superman movie" knows the post
    // named a longer title of the series.
    // "avatar fire and ash 3 hours 17 minutes": the number counts the time that follows.
    if (v >= 2 && v <= 12 && !p.scoreNumber(e) && !listed && !durationAt(p, e + 1)) {
      return record(p, 0, i, e + 1, NO);
    }
    // "dune 1 was weirder", "inside out 1 > 2": the first of a series the catalog has.
    if (v === 1 && entry.series === true && !p.scoreNumber(e) && !durationAt(p, e + 1)) {
      return record(p, entry.movieId, i, e + 1, YES);
    }
    const next = ids[e]!;
    if (next >= 0 && (classes[next]! & V_PART) !== 0 && e + 1 < n) {
      // "el padrino parte 1": the first part is the film itself, named as a film.
      // Spelled too: "the godfather part one", "dead reckoning part one".
      if (nums[e + 1] === 1 || p.word(e + 1) === 'one') return record(p, entry.movieId, i, e, YES);
      return record(p, 0, i, e + 2, NO);
    }
  }
  // "shrek the third", "henry the fifth": an ordinal after "the" names a sequel or another
  // work the catalog does not have (a longer catalog title would have won the walk).
  if (e + 1 < n && p.joined(e) && p.joined(e + 1) && ids[e] === p.index.theId) {
    if (ORDINALS.has(p.word(e + 1))) return record(p, 0, i, e + 2, NO);
  }
  // "the dark knight rises is the weakest", "the dark knight returns comic": a sequel's
  // verb run into the title is a longer title; not a verb of its own ("dune returns to
  // imax", "jaws returns this summer").
  if (
    e < n &&
    p.joined(e) &&
    (flags[e]! & (F_PUNCT_B | F_COLON_B)) === 0 &&
    ids[e]! >= 0 &&
    p.index.sequelVerbs.has(ids[e]!)
  ) {
    const k = e + 1;
    const free =
      k >= n ||
      !p.joined(k) ||
      (flags[k]! & (F_PUNCT_B | F_COLON_B)) !== 0 ||
      ((p.cls(k) & (V_STOP | V_DETERMINER | V_ARTICLE)) === 0 &&
        ((p.cls(k) & V_LIGHT) === 0 || (p.cls(k) & V_COPULA) !== 0) &&
        !WHEN.has(p.word(k)));
    if (free) return record(p, 0, i, e + 1, NO);
  }
  // "Captain America: Civil War": a title-case prefix and a colon make a longer title.
  if (i > 0 && (flags[i]! & F_COLON_B) !== 0 && (flags[i]! & F_SENT) === 0) {
    const q = ids[i - 1]!;
    const label = q >= 0 && (classes[q]! & (V_LABEL | V_NOUN | V_VERB)) !== 0;
    if ((flags[i - 1]! & F_CAP) !== 0 && !label && !p.shouting()) return 0;
  }
  // "smile 2 times a day", "smile 2 more days": the number counts what follows.
  if (entry.countable === true && e < n && ids[e]! >= 0 && (classes[ids[e]!]! & V_UNIT) !== 0) {
    if ((flags[e]! & BREAK) === 0) return record(p, entry.movieId, i, e, NO);
  }
  // "Heath Ledger's Joker in The Dark Knight": a character of another film, and the
  // title after "in" is named as a film.
  if (inAnotherTitle(p, e)) {
    p.filmAt = e + 1;
    return record(p, entry.movieId, i, e, NO);
  }
  if (i === p.filmAt) return record(p, entry.movieId, i, e, YES);
  // "the dark knight's joker": right after another title's possessive, a character.
  if (p.hits.lastEnd() === i && (flags[i - 1]! & F_POSS) !== 0) {
    return record(p, entry.movieId, i, e, NO);
  }
  // "the dark knight joker", "the dark knight heath ledger joker": a one-word title of
  // an everyday word (as characters are called: joker, superman) right after a film
  // named just before it, or after the actor's name, is its character. A name of its
  // own there is a list without commas ("the substance longlegs heretic").
  if (e - i === 1 && entry.ambiguous && characterAfter(p, i)) {
    return record(p, entry.movieId, i, e, NO);
  }
  // "akira toriyama passed away", "elvis presley's graceland": a first name, then a
  // surname no word list knows, is a person's full name.
  if (entry.given === true && p.joined(e) && (flags[e]! & F_PUNCT_B) === 0 && p.unknownWord(e)) {
    return record(p, entry.movieId, i, e, NO);
  }
  // "Thunderbolts*": the post writes the title's own mark.
  if (entry.mark !== 0 && p.text.charCodeAt(s.ends[e - 1]!) === entry.mark) {
    return record(p, entry.movieId, i, e, YES);
  }
  // "f1 qualifying", "grew up near saltburn", "moved to shelby oaks": a sport or a place.
  if (!nounAfter(p, e) && placeOrSport(p, i, e)) return record(p, entry.movieId, i, e, NO);
  // "the mission impossible movies", "the best superman movie" after "superman ii".
  if (franchise(p, i, e)) return record(p, entry.movieId, i, e, NO);
  // "my friend anora is visiting": a person called like the film.
  if (personBefore(p, i) && !nounAfter(p, e)) return record(p, entry.movieId, i, e, NO);
  // "wicked the musical tickets", "oppenheimer the physicist": the post says what it is.
  if (apposition(p, e)) return record(p, entry.movieId, i, e, NO);
  // "the hunger games books", "the frankenstein novel", "alien game": a noun of another
  // kind of work right after the name says which work, whatever film word is near.
  if (e < s.count && p.joined(e) && (flags[e]! & (F_PUNCT_B | F_COLON_B)) === 0) {
    if ((p.cls(e) & V_NOT_FILM) !== 0 && OTHER_WORKS.has(p.word(e))) {
      return record(p, entry.movieId, i, e, NO);
    }
  }
  if (!entry.ambiguous) {
    // "reading Frankenstein for class", "Hamnet the novel": a namesake, not the film.
    // A title that names itself a film ("Super Mario Bros. Movie") is one whatever is near.
    if (
      !filmTag &&
      !filmNear(p, i, e) &&
      !namesFilm(p, i, e) &&
      (notFilmNear(p, i, e) || namesakeNear(p, i, e) || addressed(p, i, e))
    ) {
      return record(p, entry.movieId, i, e, NO);
    }
    // "an anaconda at the zoo", "my elio is 3": after "a" or "my" a name is a common
    // noun or a pet, unless a film noun follows ("a Barbie movie", "my Anora review").
    if (
      (ownedBefore(p, i) || (year === 0 && describedBefore(p, i))) &&
      !nounAfter(p, e) &&
      !filmTag
    ) {
      return record(p, entry.movieId, i, e, NO);
    }
    return record(p, entry.movieId, i, e, YES);
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
  if (year > 0 && entry.year > 0) return record(p, entry.movieId, i, e, YES); // "Flow (2024)"
  // "the original toy story from 1995", "the first avatar in 3d back in 2009": the film's
  // own year a few words on, after "from" or "in", dates it as a film.
  if (year === 0 && entry.year > 0 && yearAfter(p, e, entry.year)) {
    return record(p, entry.movieId, i, e, YES);
  }
  const verdict = evidence(p, entry, i, e, filmTag);
  if (verdict === DEFER) p.deferred.push(entry.movieId);
  return record(p, entry.movieId, i, e, verdict);
}

/** Records a judged hit; returns its id when it counts now. */
function record(p: Post, id: number, i: number, e: number, verdict: Verdict): number {
  p.hits.add(id, i, e, verdict);
  return verdict === YES ? id : 0;
}

/** Signs that a title made of everyday words is used as a title. */
function evidence(p: Post, entry: Entry, i: number, e: number, filmTag: boolean): Verdict {
  const s = p.scanner;
  const { ids, flags } = s;
  const classes = p.index.classes;
  if ((flags[i]! & F_QUOTE_B) !== 0 && (flags[e - 1]! & F_QUOTE_A) !== 0) return YES;
  // "¡huye! de jordan peele": the post writes the title's own opening mark, as a quote.
  const opening = entry.opening ?? 0;
  if (opening !== 0 && s.starts[i]! > 0 && p.text.charCodeAt(s.starts[i]! - 1) === opening) {
    return YES;
  }
  if (nounAfter(p, e)) return YES;
  // "sinners 🩸🎷", "weapons 🏃‍♀️🏃": the whole post is the title and a reaction.
  if (p.titleAndEmoji(i, e)) return YES;
  // "WICKED FOR GOOD", "POOR THINGS!!": a post that shouts two everyday words and nothing
  // else shouts a title; one word may be anything ("TOGETHER!").
  if ((entry.content ?? 0) >= 2 && p.shouting() && p.titleAndEmoji(i, e, true)) return YES;
  // "predator: badlands has a robot sidekick": the title's own colon, where it has it.
  const colon = entry.colon ?? 0;
  if (colon > 0 && entry.derived !== true && (flags[i + colon]! & F_COLON_B) !== 0) return YES;
  let capitals = 0;
  let lowers = 0;
  for (let k = i; k < e; k++) {
    const f = flags[k]!;
    const t = ids[k]!;
    // The title names itself a film: "F1 The Movie", "A Minecraft Movie". Not a film
    // word that is part of an everyday compound: "Theater Camp" ("signed her up for
    // theater camp").
    if (t >= 0 && (classes[t]! & V_NOUN) !== 0 && FILM_SELF.has(p.word(k))) return YES;
    // "Anatomy of a Fall": small words keep their lowercase in title case.
    if (k > i && t >= 0 && (classes[t]! & V_STOP) !== 0) continue;
    if ((f & (F_CAP | F_ALLCAP)) !== 0) capitals++;
    else if ((f & F_LOWER) !== 0) lowers++;
    else if ((f & F_CJK) !== 0) return YES; // Japanese alias: no case to go by
  }
  const titled = lowers === 0 && capitals > 0 && !entry.acronym && !p.shouting();
  if (titled) {
    if (filmTag || filmNear(p, i, e)) return YES;
    // "The Wild Robot", "Past Lives": sentence case capitalizes one word, not two.
    if (capitals >= 2) return YES;
    // "Together with Alison Brie", "Superman de James Gunn": credits follow.
    if (creditAfter(p, e) || creditBefore(p, i) || bareCredit(p, i, e)) return YES;
    if (p.hasRating() || reviewed(p, e, entry) || ageOfWork(p, entry.year, i, e)) return YES;
    if (lightOnly(entry)) return DEFER;
    if (clauseStart(p, i) && predicate(p, entry, e)) return YES;
    if (story(p, i, e)) return YES;
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
  // Not for a title of pronouns: "nós vamos no cinema amanhã", "psycho still holds up,
  // that shower scene" have a film word for another word's sake.
  // "the air in this theater is freezing", "my flow at the cinema was off": right after a
  // determiner the title has not got, one everyday word followed by its sentence is a
  // common noun; a film word elsewhere in the sentence is about the place, not the word.
  // Not when it modifies the next word ("the sinners hype, sold out theater").
  const noun = e - i === 1 && determinedBefore(p, i) && !modifies(p, e);
  if (
    filmTag ||
    (!noun && (!lightOnly(entry) || pronounFree(p, i, e)) && filmNear(p, i, e, false))
  ) {
    return YES;
  }
  // "weapons zach cregger", "past lives celine song": the film's people, named bare. Before
  // the book words, since a surname may be one ("song").
  // Not "holds up, michael keaton flying": a pronoun in its clause, then the next one.
  if ((!lightOnly(entry) || pronounFree(p, i, e)) && bareCredit(p, i, e)) return YES;
  if (notFilmNear(p, i, e) || addressed(p, i, e)) return NO;
  // "the matrix is 25 years old", "pulp fiction 30th anniversary": the film's own age.
  if (ageOfWork(p, entry.year, i, e)) return YES;
  // "Him", "Nobody": a title of pronouns needs the strong signs above, or a credit
  // ("i saw him yesterday" is no film).
  if (lightOnly(entry)) return creditAfter(p, e) ? YES : LINK;
  // A watching verb right before it ("just watched weapons", "saw the substance").
  let k = i - 1;
  if (k >= 0 && (flags[k + 1]! & BREAK) === 0 && ids[k]! >= 0) {
    // "i need everyone to see sinners": "see" only right before ("see the flow of it").
    if ((classes[ids[k]!]! & V_VERB_NEAR) !== 0) return YES;
    if ((classes[ids[k]!]! & V_ARTICLE) !== 0 && k > 0 && (flags[k]! & BREAK) === 0) k--;
    const v = ids[k]!;
    if (v >= 0 && (classes[v]! & V_VERB) !== 0) return YES;
  }
  // "still thinking about together", "just finished flow": what a viewer keeps doing.
  if (preoccupied(p, i, e)) return YES;
  // "is companion worth it", "was weapons good?": a verdict asked about it.
  if (askedAbout(p, i, e)) return YES;
  // "the flow was terrible", "my companion was great": after a determiner the words
  // are a common noun; only the strong signs above could make them the film.
  if (i > 0 && (flags[i]! & BREAK) === 0 && ids[i - 1]! >= 0) {
    if ((classes[ids[i - 1]!]! & V_DETERMINER) !== 0) return NO;
  }
  // "my internet speed is so bad": a determiner and a plain noun before a one-word title
  // make it the head of a compound noun. Not an adjective of time or rank ("the new
  // superman", "the original gladiator"), nor a superlative.
  if (e - i === 1 && i > 1 && p.joined(i) && p.joined(i - 1) && ids[i - 1]! < 0) {
    if ((flags[i]! & F_PUNCT_B) === 0 && (flags[i - 1]! & (F_PUNCT_B | F_POSS)) === 0) {
      const d = ids[i - 2]!;
      if (d >= 0 && (classes[d]! & V_DETERMINER) !== 0) {
        const w = p.word(i - 1);
        if (p.index.common.has(w) && !RANKS.has(w) && !p.superlative(i - 1)) return NO;
      }
    }
  }
  if (p.hasRating() || reviewed(p, e, entry)) return YES;
  // "ich habe gestern sinners gesehen": a participle of watching after the title.
  if (e < s.count && (flags[e]! & BREAK) === 0 && ids[e]! >= 0) {
    if ((classes[ids[e]!]! & V_VERB_AFTER) !== 0) return YES;
  }
  if (clauseStart(p, i)) {
    if (predicate(p, entry, e) || actsOnMe(p, e) || topic(p, e) || story(p, i, e)) return YES;
    // "heretic's first half", "the substance's effects": a bare singular noun with a
    // possessive starts no plain sentence; a name does ("weapons' range" may be plain).
    if ((flags[e - 1]! & F_POSS) !== 0 && entry.plural !== true) return YES;
  }
  // "Everything Everywhere All at Once's bagel": a possessive makes a long everyday
  // phrase a name; nobody says "one battle after another's".
  if (e - i >= 3 && (flags[e - 1]! & F_POSS) !== 0) return YES;
  if (creditAfter(p, e) || creditBefore(p, i)) return YES;
  // "i saw the tv glow 📺 go outside and watch it": told to watch it, a few words on.
  if (watchIt(p, e)) return YES;
  return LINK;
}

/**
 * The last hit counted, is a film of several words, and ends right before token i, or one
 * or two name words before it, with no punctuation or connector between: then a one-word
 * title here names a character of that film ("dark knight joker"), not a second film
 * (a list writes a comma or "and": "sinners, weapons").
 */
function characterAfter(p: Post, i: number): boolean {
  const h = p.hits;
  if (h.count === 0 || h.verdicts[h.count - 1] !== YES) return false;
  const from = h.ends[h.count - 1]!;
  if (from > i || i - from > 2 || h.ends[h.count - 1]! - h.starts[h.count - 1]! < 2) return false;
  const flags = p.scanner.flags;
  for (let k = from; k <= i; k++) {
    if ((flags[k]! & (BREAK | F_PUNCT_B | F_COLON_B)) !== 0) return false;
    if (k < i && (p.cls(k) & (V_STOP | V_CONNECT | V_COMPARE | V_COPULA | V_VERB | V_NOUN)) !== 0) {
      return false;
    }
  }
  return true;
}

/**
 * A title of pronouns ("Us", "Her", "Up", "Nós") outside the grammar of its sentence:
 * after a possessive, a connector, an article or a mark ("jordan peele's us", "pixar
 * ranking: up > soul"), and before a copula, a connector, a credit or a mark ("her is the
 * most beautiful", "nós do jordan peele"). A pronoun in its own clause is joined to a
 * verb on one side: "psycho still holds up, that shower scene", "nós vamos no cinema".
 */
function pronounFree(p: Post, i: number, e: number): boolean {
  const flags = p.scanner.flags;
  if (i > 0 && (flags[i]! & (BREAK | F_PUNCT_B | F_COLON_B)) === 0) {
    const before = p.cls(i - 1);
    if (
      (flags[i - 1]! & F_POSS) === 0 &&
      (before & (V_CONNECT | V_ARTICLE | V_COMPARE | V_VERB_NEAR | V_VERB)) === 0
    ) {
      return false;
    }
  }
  if (e < p.scanner.count && (flags[e]! & (BREAK | F_PUNCT_B | F_COLON_B)) === 0) {
    const after = p.cls(e);
    if ((after & (V_COPULA | V_CONNECT | V_COMPARE | V_CREDIT | V_NOUN)) !== 0) return true;
    // "yesterday the danny boyle movie": an apposition that names it a film.
    if ((after & V_ARTICLE) === 0) return false;
    for (let k = e + 1; k < Math.min(p.scanner.count, e + 5); k++) {
      if ((flags[k]! & (BREAK | F_PUNCT_B | F_COLON_B)) !== 0) return false;
      if ((p.cls(k) & V_NOUN) !== 0) return true;
    }
    return false;
  }
  return true;
}

/**
 * A watching verb with "it" as its object after the title ("go watch it", "you have to see
 * it", "rewatching it tonight"): the post points back at a film. Not "saw it coming".
 */
/** How far after a title "watch it" may stand (a post's next sentence or two). */
const WATCH_REACH = 16;

function watchIt(p: Post, e: number): boolean {
  const { ids, count } = p.scanner;
  const it = p.index.itId;
  const to = Math.min(count, e + WATCH_REACH);
  for (let k = e; k + 1 < to; k++) {
    if (ids[k + 1] !== it || (p.cls(k) & (V_VERB | V_VERB_NEAR)) === 0 || !p.joined(k + 1)) {
      continue;
    }
    if (k + 2 < count && p.joined(k + 2) && p.word(k + 2) === 'coming') continue;
    return true;
  }
  return false;
}

/** A determiner right before token i, in its sentence, with no mark between. */
function determinedBefore(p: Post, i: number): boolean {
  if (i === 0 || !p.joined(i) || (p.scanner.flags[i]! & (F_PUNCT_B | F_QUOTE_B)) !== 0)
    return false;
  return (p.cls(i - 1) & V_DETERMINER) !== 0;
}

/**
 * "a red ferrari", "my old barbie": after "a" or "my" and a plain word that describes it,
 * a name is a thing of that make, as after "a" alone. Not a word of rank or time ("my
 * new anora"... reads as the film only with a film noun after, read by the caller).
 */
function describedBefore(p: Post, i: number): boolean {
  if (i < 2 || !p.joined(i) || !p.joined(i - 1)) return false;
  const flags = p.scanner.flags;
  if ((flags[i]! & (F_PUNCT_B | F_QUOTE_B)) !== 0 || (flags[i - 1]! & (F_PUNCT_B | F_POSS)) !== 0) {
    return false;
  }
  if (p.scanner.ids[i - 1]! >= 0 || !ownedBefore(p, i - 1)) return false;
  // Not a plural ("showing my students Nosferatu"): a noun, the title its verb's object.
  const w = p.word(i - 1);
  if (w.endsWith('s')) return false;
  return p.index.common.has(w) && !RANKS.has(w) && !p.superlative(i - 1);
}

/**
 * The title modifies the word after it, a plain word (no small word, verb of being or
 * mark between): "the sinners hype", "that flow cat", "a weapons rewatch", "the havoc
 * chase sequence". A common noun is followed by its sentence ("the air in this theater",
 * "the prisoners were released"); a name used this way is the film's.
 */
function modifies(p: Post, e: number): boolean {
  if (!p.joined(e) || (p.scanner.flags[e]! & (F_PUNCT_B | F_COLON_B | F_QUOTE_B)) !== 0) {
    return false;
  }
  const c = p.cls(e);
  if ((c & (V_STOP | V_COPULA | V_CONNECT | V_AUXILIARY | V_LIGHT | V_DETERMINER)) !== 0) {
    return false;
  }
  return p.scanner.ids[e]! >= 0 || p.index.common.has(p.word(e));
}

/** The nouns by which a title names itself a film ("The Garfield Movie", "Minecraft: O Filme"). */
const FILM_SELF: ReadonlySet<string> = new Set(
  'movie movies film films pelicula peliculas filme filmes'.split(' '),
);

/** Kinds of work a name can be besides a film, said right after it: "the dune books". */
const OTHER_WORKS: ReadonlySet<string> = new Set(
  'book books novel novels comic comics game games libro libros livro livros'.split(' '),
);

/** Words between a determiner and a title that rank or date it: "the new superman". */
const RANKS: ReadonlySet<string> = new Set(
  'new old original first last latest next whole entire full real actual same'.split(' '),
);

/** Time after a number: "3 hours 17 minutes" is a running time, "2 years later" a span, no sequel. */
const DURATIONS: ReadonlySet<string> = new Set(
  'hours hour hrs hr minutes minute mins min seconds secs times days weeks months years yrs anos horas minutos heures stunden'.split(
    ' ',
  ),
);

function durationAt(p: Post, k: number): boolean {
  return p.joined(k) && DURATIONS.has(p.word(k));
}

/** Time words after such a verb make it the post's own verb: "dune returns next week". */
const WHEN: ReadonlySet<string> = new Set(
  'next soon tomorrow tonight today again friday saturday sunday monday tuesday wednesday thursday'.split(
    ' ',
  ),
);

/** Ordinals that follow "the" in a sequel's name ("Shrek the Third"). */
const ORDINALS: ReadonlySet<string> = new Set(
  'second third fourth fifth sixth seventh eighth ninth tenth'.split(' '),
);

/** Second-person words that make a name at the head of a post the one spoken to. */
const YOU: ReadonlySet<string> = new Set(['you', 'your', 'youre', 'u', 'ur', 'yall']);

/**
 * The post opens by speaking to the name: "babygirl you look amazing today", "oh canada,
 * your winters are too long". A film is talked about, not to; asked only where no film
 * word is near ("sinners you have to see it" keeps its verb).
 */
function addressed(p: Post, i: number, e: number): boolean {
  if (i !== 0 || e >= p.scanner.count || (p.scanner.flags[e]! & BREAK) !== 0) return false;
  return YOU.has(p.word(e));
}

/** A film noun among the title's own words ("The Super Mario Bros. Movie", "F1 The Movie"). */
function namesFilm(p: Post, i: number, e: number): boolean {
  for (let k = i; k < e; k++) if ((p.cls(k) & V_NOUN) !== 0) return true;
  return false;
}

/** A title of pronouns and particles only ("Him", "Nobody", "Us"). */
function lightOnly(entry: Entry): boolean {
  return entry.content === 0;
}

/** Words a few tokens after a title that say which of two namesakes: "nosferatu from 1922". */
const YEAR_LEAD: ReadonlySet<string> = new Set('from de of in do da von du'.split(' '));
/** How far after the hit "from 1922" may stand ("the danish speak no evil from 2022"). */
const YEAR_REACH = 3;

/**
 * Several films share the title and no year is adjacent: a year a few words on, after
 * "from"/"de" ("the original nosferatu from 1922"), that fits one of them says which;
 * so does "original" right before it ("the original nosferatu": the oldest). Else the
 * newest, as `pick` does.
 */
function pickNamesake(p: Post, entries: Entry[], i: number, e: number): Entry | undefined {
  const v = leadYear(p, e);
  if (v > 0) {
    for (const x of entries) if (x.year > 0 && Math.abs(x.year - v) <= YEAR_SLACK) return x;
  }
  if (i > 0 && p.joined(i) && p.word(i - 1) === 'original') {
    let oldest: Entry | undefined;
    for (const x of entries)
      if (x.year > 0 && (oldest === undefined || x.year < oldest.year)) oldest = x;
    if (oldest !== undefined) return oldest;
  }
  return pick(entries, 0);
}

/** How far after the hit the film's own year may stand ("the first avatar in 3d back in 2009"). */
const OWN_YEAR_REACH = 6;

/** The film's year (within YEAR_SLACK) after "from"/"in"/"de" a few words after the hit. */
function yearAfter(p: Post, e: number, year: number): boolean {
  const { nums, flags, count } = p.scanner;
  for (let k = e + 1; k < Math.min(count, e + 1 + OWN_YEAR_REACH); k++) {
    if ((flags[k]! & BREAK) !== 0 || (flags[k - 1]! & BREAK) !== 0) return false;
    const v = nums[k]!;
    if (v >= 1870 && Math.abs(v - year) <= YEAR_SLACK && YEAR_LEAD.has(p.word(k - 1))) return true;
  }
  return false;
}

/** The year `v` found by leadYear stands after "from" (or "de", "von"): a film's year. */
function leadFrom(p: Post, e: number, v: number): boolean {
  const { nums, count } = p.scanner;
  for (let k = e + 1; k < Math.min(count, e + 1 + YEAR_REACH); k++) {
    if (nums[k] !== v) continue;
    // "nosferatu from 2019 on was my favorite era": a span of time, not a film's year.
    if (k + 1 < count && p.joined(k + 1) && SPAN_ENDS.has(p.word(k + 1))) return false;
    if (k + 1 < count && p.text.charCodeAt(p.scanner.ends[k]!) === 0x2d) return false;
    return FROM_WORDS.has(p.word(k - 1));
  }
  return false;
}

const SPAN_ENDS: ReadonlySet<string> = new Set(
  'on onward onwards to till until through thru'.split(' '),
);

const FROM_WORDS: ReadonlySet<string> = new Set(['from', 'de', 'von', 'du']);
/** Words before a year or a decade that place the sentence in time: "in 1930", "for the 1860s", "of the 1920s". */
const TIME_LEADS: ReadonlySet<string> = new Set(
  'in en em im dans since by around circa for during of'.split(' '),
);

/**
 * A year or a decade in the hit's sentence, before `before`, after a word of time ("in
 * 1930", "since 1865", "for the 1860s", "en 1936"): the sentence is about that time.
 * Years in the title's own sentence only; digits are rare, so the loop is short.
 */
function pastTime(p: Post, i: number, e: number, before: number): boolean {
  const s = p.scanner;
  const { flags } = s;
  let from = i;
  while (from > 0 && from > i - WINDOW && (flags[from]! & BREAK) === 0) from--;
  for (let k = from; k < Math.min(s.count, e + WINDOW); k++) {
    if (k > e && (flags[k]! & BREAK) !== 0) break;
    if (k >= i && k < e) continue;
    const v = yearOrDecade(p, k);
    if (v < 1000 || v >= before || k === 0) continue;
    let lead = k - 1;
    if (lead > 0 && s.ids[lead] === p.index.theId) lead--;
    if (TIME_LEADS.has(p.word(lead))) return true;
  }
  return false;
}

/**
 * The value of a year token ("1930": the scanner's number) or of a decade ("1860s"),
 * else -1 (a shorter number is returned as is: callers bound it).
 */
function yearOrDecade(p: Post, k: number): number {
  const { nums, starts, ends } = p.scanner;
  if (nums[k]! >= 0) return nums[k]!;
  const a = starts[k]!;
  if (ends[k]! - a !== 5 || p.text.charCodeAt(a + 4) !== 0x73) return -1;
  let v = 0;
  for (let c = a; c < a + 4; c++) {
    const d = p.text.charCodeAt(c) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** A year a few words after a hit, after "from"/"in"/"de" ("nosferatu from 1922"), or 0. */
function leadYear(p: Post, e: number): number {
  const { nums, flags, count } = p.scanner;
  for (let k = e + 1; k < Math.min(count, e + 1 + YEAR_REACH); k++) {
    if ((flags[k]! & BREAK) !== 0 || (flags[k - 1]! & BREAK) !== 0) break;
    const v = nums[k]!;
    if (v >= 1870 && v <= 2100 && YEAR_LEAD.has(p.word(k - 1))) return v;
  }
  return 0;
}

/**
 * The entry a hit stands for: with a year, the one within YEAR_SLACK of it (none if the
 * year contradicts every listed film); without one, the most recent.
 */
export function pick(entries: Entry[], year: number): Entry | undefined {
  let best: Entry | undefined;
  for (const e of entries) {
    if (year > 0 && e.year > 0 && Math.abs(e.year - year) > YEAR_SLACK) continue;
    if (best === undefined || e.year > best.year) best = e;
  }
  return best;
}
