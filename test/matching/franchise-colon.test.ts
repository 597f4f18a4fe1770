/**
 * Issue 12, fourth round: a title's words used for its series, and a title written with
 * its own colon. Catalog: id, title, year, aliases, hashtags only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Catalog } from '../../src/matching/catalog.js';
import { compileMatcher } from '../../src/matching/matcher.js';

const catalog: Catalog = {
  movies: [
    { id: 1, title: 'Superman', year: 2025 },
    { id: 2, title: 'Alien', year: 1979 },
    { id: 3, title: 'Alien: Romulus', year: 2024 },
    { id: 4, title: 'Predator: Badlands', year: 2025 },
    { id: 5, title: 'Dune', year: 2021 },
    { id: 6, title: 'Materialists', year: 2025 },
    { id: 7, title: 'Downton Abbey: The Grand Finale', year: 2025 },
    { id: 8, title: 'Gladiator', year: 2000 },
  ],
};
const m = compileMatcher(catalog);
const expect = (text: string, ids: number[]): void => assert.deepEqual(m.match(text), ids, text);

test('a title before a plural film noun or "franchise" is the series, not the film', () => {
  expect('the dune movies are all bangers', []);
  expect('ranking the alien franchise from worst to best', []);
  // The film itself with a singular noun.
  expect('the dune movie was stunning', [5]);
});

test('"<title> movie" after a longer title of the same series names the series', () => {
  expect('alien romulus was a solid alien movie', [3]);
  expect('superman ii is the best superman movie', []);
  expect('gladiator 3 will never top the gladiator soundtrack', [8]);
});

test('an everyday-word title written with its own colon is the title', () => {
  expect('predator: badlands has a robot sidekick and i love her', [4]);
  expect('downton abbey: the grand finale made my grandma cry', [7]);
  // Without the colon the words need other evidence.
  expect('the predator badlands of utah', []);
});

test('"<title> discourse" is talk about the film', () => {
  expect('the materialists discourse is exhausting', [6]);
});
