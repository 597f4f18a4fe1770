/**
 * Issue 12, tenth round: list numbers, Roman numerals past IV, titles written as
 * sentences, a determiner before a one-word title, plural titles with a singular verb,
 * elided French articles, names derived for a catalog without aliases (a numbered part,
 * the name before a tagline, initials, inner capitals and possessives, a lone X), and the
 * nouns of other works after a name. A catalog of id, title and year only, and sentences
 * written for these tests, not taken from the eval sets.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Catalog } from '../../src/matching/catalog.js';
import { compileMatcher } from '../../src/matching/matcher.js';

const catalog: Catalog = {
  movies: [
    { id: 1, title: 'Rocky V', year: 1990 },
    { id: 2, title: 'Rocky', year: 1976 },
    { id: 3, title: 'It Ends with Us', year: 2024 },
    { id: 4, title: 'Gravity', year: 2013 },
    { id: 5, title: 'The Holdovers', year: 2023 },
    { id: 6, title: 'Anatomy of a Fall', year: 2023 },
    { id: 7, title: 'Dune', year: 2021 },
    { id: 8, title: 'Dune: Part Two', year: 2024 },
    { id: 9, title: 'Furiosa: A Mad Max Saga', year: 2024 },
    { id: 10, title: 'John Wick: Chapter 4', year: 2023 },
    { id: 11, title: 'Everything Everywhere All at Once', year: 2022 },
    { id: 12, title: 'KPop Demon Hunters', year: 2025 },
    { id: 13, title: "Peter Hujar's Day", year: 2025 },
    { id: 14, title: 'Fast X', year: 2023 },
    { id: 15, title: 'Weapons', year: 2025 },
    { id: 16, title: 'Companion', year: 2025 },
    { id: 17, title: 'Frankenstein', year: 2025 },
    { id: 18, title: 'Ferrari', year: 2023 },
    { id: 19, title: 'Oppenheimer', year: 2023 },
  ],
};
const m = compileMatcher(catalog);

const cases: [string, string, number[]][] = [
  // A list's item numbers join its items.
  ['a numbered ranking', 'my ranking: 1. weapons 2. companion', [15, 16]],
  // Roman numerals past IV, as the title's own.
  ['a Roman numeral written as its digit', 'rocky 5 is the worst of them', [1]],
  // A title written as a sentence with its subject is said by chance.
  ['a sentence title as a sentence', 'it ends with us paying the bill, as always', []],
  ['the sentence title with a watching verb on it', 'it ends with us, go watch it tonight', [3]],
  // One word right after a determiner the title has not got is a common noun.
  ['a determiner, then a film word in the sentence', 'the gravity in this theater feels off', []],
  [
    'the title opens a compound ending in a film noun',
    'the gravity spacewalk scene still holds',
    [4],
  ],
  // A plural with a singular verb is a name.
  ['a plural title with is', 'the holdovers is the new christmas classic', [5]],
  // French elision is no part of the next word.
  ['elided article', "anatomie d'une chute, palme d'or", []],
  // Names a catalog without aliases does not list.
  ['a numbered part as its number', 'dune 2 was even better than dune', [7, 8]],
  ['the name before a tagline', 'furiosa is the best action movie of the year', [9]],
  ['a chapter as its number', 'john wick 4 stairs scene', [10]],
  ['initials of a long title', 'eeaao is still the best multiverse movie', [11]],
  ['an inner capital starts a word', 'k-pop demon hunters soundtrack on repeat', [12]],
  ['an inner possessive without its apostrophe', 'peter hujars day is so intimate', [13]],
  ['a lone X read as &', 'fast x with jason momoa is unhinged', [14]],
  // What a name is besides a film.
  ['a book noun right after', 'the frankenstein novel before the new movie comes out', []],
  ['a make described before it', 'saw a red ferrari on the highway', []],
  [
    'a plural noun before it is no description',
    'showing my students Oppenheimer (2023) today',
    [19],
  ],
  ['a time with of before the film', 'oppenheimer of the 1940s was a complicated man', []],
  // Years after a number are a span.
  ['2 years later is no sequel', 'oppenheimer 2 years later still rules', [19]],
];

test('round 10 list numbers, sentence titles, derived names and other works', () => {
  const wrong = cases
    .filter(([, text, ids]) => JSON.stringify(m.match(text)) !== JSON.stringify(ids))
    .map(
      ([what, text, ids]) =>
        `${what}: "${text}" gave ${JSON.stringify(m.match(text))}, not ${JSON.stringify(ids)}`,
    );
  assert.deepEqual(wrong, []);
});
