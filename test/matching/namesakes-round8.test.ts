/**
 * Issue 12, eighth round: names a foreign catalog's titles share with the calendar, with
 * history and with the person spoken to. Titles outside the shipped catalog, on purpose.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Catalog } from '../../src/matching/catalog.js';
import { compileMatcher } from '../../src/matching/matcher.js';

const catalog: Catalog = {
  movies: [
    { id: 1, title: 'Halloween', year: 2018 },
    { id: 2, title: 'September 5', year: 2024 },
    { id: 3, title: 'Freakier Friday', year: 2025 },
    { id: 4, title: 'Yesterday', year: 2019 },
    { id: 5, title: 'Is This Thing On?', year: 2025 },
    { id: 6, title: 'Thunderbolts*', year: 2025 },
    { id: 7, title: 'Dunkirk', year: 2017 },
    { id: 8, title: 'Babygirl', year: 2024 },
    { id: 9, title: 'Oh, Canada', year: 2024 },
    { id: 10, title: 'The Godfather', year: 1972 },
  ],
};
const m = compileMatcher(catalog);

test('a calendar word alone or as a date is an everyday word; beside a rarer word, a name', () => {
  assert.deepEqual(m.match('what are you going as for halloween 🎃'), []);
  assert.deepEqual(m.match('halloween 2018 jamie lee curtis is back'), [1]);
  assert.deepEqual(m.match('my birthday is september 5 btw'), []);
  assert.deepEqual(m.match('september 5 was so tense, a newsroom thriller done right'), [2]);
  assert.deepEqual(m.match('freakier friday was so fun'), [3]);
});

test('a time word is a light word; ? and ! are sentence marks, * is the title', () => {
  assert.deepEqual(m.match('yesterday was exhausting, going to bed at 8'), []);
  assert.deepEqual(m.match('is this thing on? first post here 👋'), []);
  assert.deepEqual(m.match('thunderbolts* was fun'), [6]);
});

test('a year after the title that comes before the film is the thing named', () => {
  assert.deepEqual(m.match('my grandfather was evacuated at dunkirk in 1940'), []);
  assert.deepEqual(m.match('dunkirk in imax, the ticking score'), [7]);
});

test('a post that opens by speaking to the name is not about a film', () => {
  assert.deepEqual(m.match('babygirl you look amazing today 😍'), []);
  assert.deepEqual(m.match('oh canada, your winters are too long'), []);
  assert.deepEqual(m.match('babygirl was so uncomfortable to watch'), [8]);
});

test('"part one" spelled after a title is the film itself, "part two" a sequel', () => {
  assert.deepEqual(m.match('the godfather part one is perfect'), [10]);
  assert.deepEqual(m.match('the godfather part 1 is perfect'), [10]);
  assert.deepEqual(m.match('the godfather part two is better'), []);
});
