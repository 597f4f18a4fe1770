/**
 * Issue 12, fourth round: normalization a post writes without thinking. A film's own
 * hashtag written as a plain word, and the short forms "yrs" and "ch".
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Catalog } from '../../src/matching/catalog.js';
import { compileMatcher } from '../../src/matching/matcher.js';

const catalog: Catalog = {
  movies: [
    { id: 1, title: 'One Battle After Another', year: 2025, hashtags: ['OBAA'] },
    { id: 2, title: 'How to Train Your Dragon', year: 2025, hashtags: ['HTTYD'] },
    { id: 3, title: '28 Years Later', year: 2025 },
    { id: 4, title: 'John Wick: Chapter 4', year: 2023 },
    // A hashtag that is an everyday word is no film as a plain word.
    { id: 5, title: 'Drop', year: 2025, hashtags: ['Drop', 'Together'] },
  ],
};
const m = compileMatcher(catalog);
const expect = (text: string, ids: number[]): void => assert.deepEqual(m.match(text), ids, text);

test("a film's own hashtag written without # is the film, unless it is an everyday word", () => {
  expect('obaa was perfect', [1]);
  expect('httyd live action is 1:1 with the original', [2]);
  expect('#obaa twice now', [1]);
  expect('we should all get together soon', []);
});

test('"yrs" and "ch" read as "years" and "chapter"', () => {
  expect('28 yrs later was scary', [3]);
  expect('john wick ch 4 rewatch', [4]);
});

test('a bare hashtag of an everyday title counts only where the post talks film', () => {
  const c = compileMatcher({
    movies: [
      { id: 1, title: 'F1', year: 2025, hashtags: ['F1Movie'] },
      { id: 2, title: 'Flow', year: 2024, hashtags: ['FlowMovie'] },
      { id: 3, title: 'Sinners', year: 2025, hashtags: ['SinnersMovie'] },
      { id: 4, title: 'Thunderbolts*', year: 2025, hashtags: ['Thunderbolts'] },
    ],
  });
  assert.deepEqual(c.match('#F1 #AbuDhabiGP what a race'), []);
  assert.deepEqual(c.match('morning #flow #yoga'), []);
  assert.deepEqual(c.match('#sinners repent'), []);
  assert.deepEqual(c.match('#Sinners was incredible'), [3]);
  assert.deepEqual(c.match('#Sinners box office keeps climbing'), [3]);
  assert.deepEqual(c.match('#flow #movies'), [2]);
  // A film suffix or a listed hashtag is always the film.
  assert.deepEqual(c.match('#F1Movie'), [1]);
  assert.deepEqual(c.match('#Thunderbolts'), [4]);
});
