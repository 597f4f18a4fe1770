/**
 * Sentence grammar around a hit: whether it starts a clause, and whether the words after
 * it make it the subject of a verdict ("thunderbolts was fun", "the substance has no
 * business being that funny", "bring her back messed me up", "companion: cute, twisty").
 *
 * Why grammar: a title made of everyday words is, in lower case, told from the words only
 * by how the sentence uses it. A bare everyday noun seldom starts an English sentence
 * and then takes a verdict ("weapons is a 10"); a name does.
 */
import type { Entry } from './compile.js';
import {
  V_AUXILIARY,
  V_COMPARE,
  V_CONNECT,
  V_COPULA,
  V_CREDIT,
  V_DETERMINER,
  V_LEAD,
  V_LIGHT,
  V_ME,
  V_MY,
  V_OWNER,
  V_PLURAL_VERB,
  V_PRED_ADVERB,
  V_PREDICATE,
  V_REVIEW,
  V_REVIEW_VERB,
  V_SOFTENER,
  V_STOP,
  V_UNIT,
  V_VERB,
  V_WH,
} from './compile.js';
import { BREAK, type Post } from './post.js';
import { F_COLON_B, F_DIGITS, F_POSS, F_PUNCT_B } from './scanner.js';

/**
 * What people say they keep doing with a film they saw: the word before the
 * preposition, by preposition ("still thinking about together", "obsessed with
 * heretic", "not over companion", "caught up on weapons", "cried at the wild robot"),
 * or coming from it or going to it ("got out of", "home from", "going to").
 */
const PREOCCUPIED_BY: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  (
    [
      [
        'about',
        'thinking think thought talk talking dreaming dreamt dreamed obsessing ranting rambling yapping rant shut',
      ],
      ['with', 'obsessed obsessing'],
      // What one waits for: "cant wait for weapons", "so hyped for marty supreme".
      ['for', 'wait waiting excited hyped pumped'],
      ['over', 'not never getting'],
      ['on', 'up'],
      // Not "laugh at", "scream at": said of people ("don't laugh at the monkey").
      ['at', 'cry cried crying sob sobbed sobbing screamed laughed'],
      ['during', 'cry cried crying sob sobbed sobbing screamed laughed'],
      // Coming from it or going to it: "just got out of one battle after another",
      // "just got home from sinners", "off to weapons".
      ['of', 'out'],
      ['from', 'home back'],
      // "took my mom to weapons": whom one took to it.
      ['to', 'going off headed heading me mom dad kids friends bf gf husband wife parents family'],
    ] as const
  ).map(([prep, leads]) => [prep, new Set(leads.split(' '))]),
);
/** Verbs whose bare object, ending the clause, is a film seen: "just finished flow". */
const PREOCCUPIED_VERBS: ReadonlySet<string> = new Set('processing finished finishing'.split(' '));
/** Words after a noun that carry its phrase on: then the object is a plain noun phrase. */
const NOUN_PHRASE_GOES_ON: ReadonlySet<string> = new Set(
  'of for in on from to at a an the that which who like as'.split(' '),
);
/** "a week later", "a lot": after "a", a time or an amount ends the object. */
const A_TIME: ReadonlySet<string> = new Set('week month year day while lot bit'.split(' '));
/** Words that may follow the object and end the thought ("again", "tonight", "rn"). */
const AFTER_OBJECT: ReadonlySet<string> = new Set(
  'again tonight today yesterday still already rn lol lmao tbh ngl fr honestly lately'.split(' '),
);

/**
 * The hit starts a clause: first in its sentence, after a comma, colon, hashtag or
 * mention, after a word that leads a clause ("ok", "honestly", "i think"), or after
 * any word but a preposition or a watching verb.
 */
export function clauseStart(p: Post, i: number): boolean {
  const s = p.scanner;
  if (i === 0 || (s.flags[i]! & (BREAK | F_PUNCT_B | F_COLON_B)) !== 0) return true;
  // "the dark knight's joker is iconic": a possessed thing is not a name on its own.
  if ((s.flags[i - 1]! & F_POSS) !== 0) return false;
  const t = s.ids[i - 1]!;
  if (t < 0) return true;
  const c = p.index.classes[t]!;
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
export function predicate(p: Post, entry: Entry, e: number): boolean {
  const { ids, flags, count } = p.scanner;
  const classes = p.index.classes;
  let k = e;
  if (k < count && ids[k]! >= 0 && (classes[ids[k]!]! & V_PRED_ADVERB) !== 0) k++;
  if (k >= count || (flags[k]! & BREAK) !== 0) return false;
  // "the substance goes so hard", "weapons goes crazy": stream slang for a verdict.
  if (ids[k] === p.index.goesId && p.joined(k + 1)) {
    let g = k + 1;
    if ((p.cls(g) & V_SOFTENER) !== 0 && p.joined(g + 1)) g++;
    // Not "goes off the rails": a phrasal verb.
    const on = p.joined(g + 1) && (p.cls(g + 1) & (V_STOP | V_DETERMINER)) !== 0;
    if (!on && GOES.has(p.word(g))) return true;
  }
  // "conclave really said cardinals can be messy too": the meme says it of works, not of
  // things ("my mom really said" is a person: no title is one).
  if (k > e && ids[k] === p.index.saidId && ids[e] === p.index.reallyId) return true;
  if (ids[k]! < 0) return false;
  const c = classes[ids[k]!]!;
  const next = k + 1 < count && (flags[k + 1]! & BREAK) === 0 ? ids[k + 1]! : -1;
  // "vidas pasadas me rompió el corazón", "la sustancia me dio asco": an object pronoun
  // and a verb, the Romance way of "made me". Not "me" and an article: that is an
  // English imperative's object ("drop me a dm").
  if (ids[k] === p.index.meId) {
    return p.joined(k + 1) && (p.cls(k + 1) & (V_STOP | V_OWNER | V_DETERMINER)) === 0;
  }
  // "has/had" (or "warfare has changed", an auxiliary) need a verdict after them.
  if ((c & V_PREDICATE) !== 0 && (c & V_AUXILIARY) === 0) return true;
  if ((c & (V_COPULA | V_AUXILIARY)) === 0) return false;
  // "weapons were seized": a plural verb after a plural noun is plain grammar.
  if ((c & V_PLURAL_VERB) !== 0) return false;
  // "the holdovers is the new christmas classic", "nickel boys is shot in first person": a
  // plural with a singular verb is one thing, a name. Not "sinners is what grandma calls
  // us": the word itself, talked about.
  if (entry.plural === true && (c & V_AUXILIARY) === 0) {
    if (next < 0 || (classes[next]! & V_WH) === 0) return true;
  }
  // "weapons is a 10": a score.
  if (next >= 0 && (classes[next]! & V_OWNER) !== 0 && k + 2 < count) {
    const v = p.scanner.nums[k + 2]!;
    if (v >= 1 && v <= 10 && (flags[k + 2]! & BREAK) === 0) return true;
  }
  // Not a verdict by itself: "superman is my dad", "dog man is what my kids call...",
  // "titanic was a ship", "conclave was held in 2013", "the final reckoning is coming".
  const plain =
    (c & V_AUXILIARY) !== 0 ||
    (next >= 0 && (classes[next]! & (V_MY | V_WH | V_OWNER | V_DETERMINER)) !== 0) ||
    p.participle(k + 1) ||
    p.gerund(k + 1);
  // "28 years later is nothing like i expected": a title that starts with digits is said
  // as a name (the quantity and its words are one thing).
  const named =
    entry.plural === true ||
    (entry.content ?? 0) >= 2 ||
    entry.rare === true ||
    entry.numbered === true;
  if (!plain && named) {
    return true;
  }
  for (let j = k + 1; j < Math.min(count, k + 6); j++) {
    if ((flags[j]! & BREAK) !== 0) return false;
    const t = ids[j]!;
    if (t >= 0 && (classes[t]! & V_REVIEW) !== 0) return true;
    // "the bleakest thing i've seen": a superlative after "the" is a verdict.
    if (ids[j - 1] === p.index.theId && p.superlative(j)) return true;
  }
  return false;
}

/**
 * The hit, first in its sentence, has its story told: "together is about a couple who
 * fuse", "flow is about a cat in a flood". Not "is about to" (an event) nor "is about
 * trust" (a theme of anything), and only at the very start of a sentence, since after
 * other words the title's words are part of a longer subject ("staying together is about
 * a lot of things").
 */
export function story(p: Post, i: number, e: number): boolean {
  const s = p.scanner;
  if (i > 0 && (s.flags[i]! & (BREAK | F_PUNCT_B | F_COLON_B)) === 0) return false;
  if (!p.joined(e) || (p.cls(e) & V_COPULA) === 0) return false;
  if (!p.joined(e + 1) || s.ids[e + 1] !== p.index.aboutId || !p.joined(e + 2)) return false;
  return (p.cls(e + 2) & (V_OWNER | V_DETERMINER | V_WH)) !== 0;
}

/**
 * The hit is the subject of a verdict: "thunderbolts was fun", "Dune was so good",
 * "bugonia is that good" (is/was, up to two softeners, a review word).
 */
export function reviewed(p: Post, e: number, entry: Entry): boolean {
  const { ids, flags, count } = p.scanner;
  const classes = p.index.classes;
  if (e + 1 >= count || ids[e]! < 0 || (flags[e]! & BREAK) !== 0) return false;
  if ((classes[ids[e]!]! & V_REVIEW_VERB) !== 0) {
    return ids[e + 1] === p.index.meId && (flags[e + 1]! & BREAK) === 0;
  }
  if ((classes[ids[e]!]! & V_COPULA) === 0) return false;
  // "poor things were great" is said of things; the film "was".
  if (entry.plural === true && (classes[ids[e]!]! & V_PLURAL_VERB) !== 0) return false;
  // "wicked for good was a lot darker than part one", "weapons was even better": a
  // comparison is a verdict too, said of a name; only for titles that seldom start a
  // plain sentence (see predicate).
  const named = entry.plural === true || (entry.content ?? 0) >= 2 || entry.rare === true;
  for (let k = e + 1; k < Math.min(count, e + 5); k++) {
    if ((flags[k]! & BREAK) !== 0) return false;
    if (named && k + 1 < count && ids[k + 1] === p.index.thanId && p.joined(k + 1)) return true;
    const t = ids[k]!;
    if (t < 0) return false;
    const c = classes[t]!;
    if ((c & V_REVIEW) !== 0) return true;
    // "weapons was even better": the comparison's other side may be left unsaid.
    if (named && (c & V_COMPARE) !== 0 && (c & V_SOFTENER) === 0) return true;
    if ((c & V_SOFTENER) === 0) return false;
  }
  return false;
}

/** Who watched it with the speaker: "made my kid laugh", "had my whole row screaming". */
const AUDIENCE: ReadonlySet<string> = new Set(
  'kid kids son daughter mom dad mum husband wife boyfriend girlfriend bf gf partner family friends theater theatre row audience cinema'.split(
    ' ',
  ),
);

/**
 * "the substance grossed me out", "bring her back messed me up": the title did
 * something to the speaker. Any word but a preposition, a connector or a light word,
 * then "me".
 */
export function actsOnMe(p: Post, e: number): boolean {
  const { ids, flags, count } = p.scanner;
  if (e + 1 >= count || (flags[e]! & BREAK) !== 0 || (flags[e + 1]! & BREAK) !== 0) return false;
  const me = ids[e + 1]!;
  if (me < 0) return false;
  if ((p.index.classes[me]! & V_ME) === 0) {
    // "dog man made my kid laugh", "weapons had my whole row screaming": what it did to
    // the people who watched it with the speaker.
    if ((p.index.classes[me]! & V_MY) === 0 || (p.index.classes[ids[e]!]! & V_REVIEW_VERB) === 0) {
      return false;
    }
    let k = e + 2;
    if (p.joined(k) && p.word(k) === 'whole') k++;
    // Not "had my mom's keys": an owner.
    if (!p.joined(k) || (flags[k]! & (F_PUNCT_B | F_POSS)) !== 0) return false;
    return AUDIENCE.has(p.word(k));
  }
  const t = ids[e]!;
  if (t < 0) return (flags[e]! & (F_DIGITS | F_PUNCT_B)) === 0;
  return (p.index.classes[t]! & (V_STOP | V_CREDIT | V_CONNECT | V_LIGHT)) === 0;
}

/**
 * "companion: cute, twisty, fun", "sentimental value - stellan is incredible": the title
 * stands alone before a colon, comma or dash and a verdict follows in the same sentence.
 */
export function topic(p: Post, e: number): boolean {
  const { ids, flags, count } = p.scanner;
  if (e >= count || (flags[e]! & (F_COLON_B | F_PUNCT_B)) === 0 || (flags[e]! & BREAK) !== 0) {
    return false;
  }
  const classes = p.index.classes;
  for (let k = e; k < Math.min(count, e + 6); k++) {
    if (k > e && (flags[k]! & BREAK) !== 0) return false;
    const t = ids[k]!;
    if (t >= 0 && (classes[t]! & V_REVIEW) !== 0) return true;
  }
  return false;
}

/**
 * "cant stop thinking about together honestly", "still not over companion", "just
 * finished flow": a title as the bare object of what a viewer keeps doing, and nothing
 * after it that would make its words a phrase ("thinking about weapons reform").
 */
export function preoccupied(p: Post, i: number, e: number): boolean {
  if (i === 0 || !p.joined(i)) return false;
  // "cried at the end of the wild robot": the end of it is it.
  if (i >= 5 && p.word(i - 1) === 'of' && p.word(i - 2) === 'end' && p.joined(i - 1)) {
    if (p.joined(i - 2) && p.joined(i - 3) && p.scanner.ids[i - 3] === p.index.theId) {
      return preoccupied(p, i - 3, e);
    }
  }
  const w1 = p.word(i - 1);
  let lead = PREOCCUPIED_VERBS.has(w1);
  if (!lead && i >= 2 && p.joined(i - 1)) {
    const leads = PREOCCUPIED_BY.get(w1);
    lead = leads !== undefined && leads.has(p.word(i - 2));
  }
  return lead && objectEnds(p, e);
}

/** The clause ends after token e-1: a break, punctuation, a small word, a time, an adverb. */
function objectEnds(p: Post, e: number): boolean {
  const s = p.scanner;
  if (e >= s.count || (s.flags[e]! & (BREAK | F_PUNCT_B | F_COLON_B)) !== 0) return true;
  const w = p.word(e);
  // "thinking about weapons of mass destruction", "about flow in the river": the phrase
  // goes on.
  if (NOUN_PHRASE_GOES_ON.has(w)) {
    // "still thinking about weapons a week later": a time, not the phrase going on.
    return w === 'a' && e + 1 < s.count && p.joined(e + 1) && A_TIME.has(p.word(e + 1));
  }
  const c = p.cls(e);
  if ((c & (V_STOP | V_CONNECT | V_LIGHT | V_UNIT | V_COPULA)) !== 0) return true;
  return AFTER_OBJECT.has(w) || (w.length > 4 && w.endsWith('ly'));
}

/** What a film "goes": "goes hard", "goes so crazy", "goes off". */
const GOES: ReadonlySet<string> = new Set('hard crazy insane off stupid wild'.split(' '));

/** "good for", "bad to", "fine with": a use, not a verdict. */
const GOOD_FOR: ReadonlySet<string> = new Set(['for', 'to', 'with']);

/**
 * "is companion worth it", "was weapons good?": a verdict asked about the title, the
 * copula first (the question's order). Only at the start of a clause: "the best part is
 * together good food" is no question, nor "is flow good for the engine".
 */
export function askedAbout(p: Post, i: number, e: number): boolean {
  const s = p.scanner;
  if (i === 0 || !p.joined(i) || (s.flags[i]! & F_PUNCT_B) !== 0) return false;
  if ((p.cls(i - 1) & V_COPULA) === 0 || (p.cls(i - 1) & V_PLURAL_VERB) !== 0) return false;
  if (i > 1 && p.joined(i - 1) && (s.flags[i - 1]! & (F_PUNCT_B | F_COLON_B)) === 0) return false;
  for (let k = e; k < Math.min(s.count, e + 3); k++) {
    if (!p.joined(k) || (s.flags[k]! & F_PUNCT_B) !== 0) return false;
    const c = p.cls(k);
    // "is flow good for the engine": good for something, not a verdict.
    if ((c & V_REVIEW) !== 0) return !p.joined(k + 1) || !GOOD_FOR.has(p.word(k + 1));
    if ((c & V_SOFTENER) === 0) return false;
  }
  return false;
}
