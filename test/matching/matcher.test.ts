import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateCatalog } from '../../harness/synthetic-catalog.js';
import type { Catalog } from '../../src/matching/catalog.js';
import { compileMatcher } from '../../src/matching/matcher.js';

/** A small catalog with the hard cases of issue 3 §2. */
const catalog: Catalog = {
  movies: [
    {
      id: 693134,
      title: 'Dune: Part Two',
      year: 2024,
      aliases: ['Dune 2'],
      hashtags: ['DunePartTwo'],
    },
    { id: 438631, title: 'Dune', year: 2021 },
    { id: 533535, title: 'Deadpool & Wolverine', year: 2024 },
    { id: 1022789, title: 'Inside Out 2', year: 2024 },
    { id: 150540, title: 'Inside Out', year: 2015 },
    { id: 1078605, title: 'Weapons', year: 2025 },
    { id: 1242404, title: 'Together', year: 2025 },
    { id: 1233413, title: 'Sinners', year: 2025 },
    { id: 1084199, title: 'Companion', year: 2025 },
    { id: 823219, title: 'Flow', year: 2024 },
    { id: 929590, title: 'Civil War', year: 2024 },
    { id: 872585, title: 'Oppenheimer', year: 2023, aliases: ['オッペンハイマー'] },
    { id: 346698, title: 'Barbie', year: 2023 },
    { id: 1022790, title: 'Intensamente 2', year: 2024 },
  ],
};
const m = compileMatcher(catalog);

test('case, diacritics and punctuation do not matter', () => {
  for (const t of [
    'Deadpool and Wolverine',
    'deadpool & wolverine',
    'DEADPOOL + WOLVERINE',
    'Déadpool & Wolvérine!!',
  ]) {
    assert.deepEqual(m.match(`${t} was fun`), [533535], t);
  }
});

test('hashtags match, CamelCase or not', () => {
  assert.deepEqual(m.match('crying at #InsideOut2'), [1022789]);
  assert.deepEqual(m.match('crying at #insideout2'), [1022789]);
  assert.deepEqual(m.match('#DunePartTwo day'), [693134]);
  assert.deepEqual(m.match('#WeaponsOfMassDestruction'), []);
});

test('listed aliases match', () => {
  assert.deepEqual(m.match('dune 2 is a masterpiece'), [693134]);
  assert.deepEqual(m.match('オッペンハイマーを観た'), [872585]);
});

test('a title inside a longer one yields only the longer one', () => {
  assert.deepEqual(m.match('Inside Out 2 made me cry'), [1022789]);
});

test('several movies in one post are all found', () => {
  assert.deepEqual(m.match('Barbie in the afternoon, Oppenheimer at night'), [346698, 872585]);
});

test('everyday-word titles need signs of film intent', () => {
  assert.deepEqual(m.match('weapons of mass destruction'), []);
  assert.deepEqual(m.match('we sang together'), []);
  assert.deepEqual(m.match('my dog is my best companion'), []);
  assert.deepEqual(m.match('the flow of traffic is awful'), []);
  assert.deepEqual(m.match('my great grandfather fought in the civil war'), []);
  assert.deepEqual(m.match('pastor says we are all sinners'), []);
});

test('everyday-word titles count with film words, quotes, hashtags, years or capitals', () => {
  assert.deepEqual(m.match('just saw Weapons and the aunt is terrifying'), [1078605]);
  assert.deepEqual(m.match('"Together" is so gross, loved it'), [1242404]);
  assert.deepEqual(m.match('#Sinners'), [1233413]);
  assert.deepEqual(m.match('Flow (2024) has no dialogue'), [823219]);
  assert.deepEqual(m.match('ok the Companion trailer goes hard'), [1084199]);
  assert.deepEqual(m.match('honestly Civil War is so tense i can not'), [929590]);
  assert.deepEqual(m.match('sinners movie was incredible'), [1233413]);
});

test('a contradicting year means another film', () => {
  assert.deepEqual(m.match('Dune (1984) is underrated'), []);
  assert.deepEqual(m.match('Dune (2021) holds up in IMAX'), [438631]);
});

test('a longer title not in the catalog means another film', () => {
  assert.deepEqual(m.match('Captain America: Civil War is the best MCU movie'), []);
  assert.deepEqual(m.match('Dune 3 better have Anya'), []);
  assert.deepEqual(m.match('Inside Out 3 when?'), []);
});

test('mentions and links never match', () => {
  assert.deepEqual(m.match('@oppenheimer.bsky.social hi https://example.com/barbie'), []);
});

test('results are ascending without duplicates', () => {
  assert.deepEqual(m.match('Oppenheimer Barbie Oppenheimer #Barbie'), [346698, 872585]);
});

test('a 1,000-movie synthetic catalog compiles and matches its own titles', () => {
  const big = generateCatalog(1000, 7);
  assert.equal(big.movies.length, 1000);
  assert.deepEqual(generateCatalog(1000, 7), big, 'deterministic');
  const bm = compileMatcher(big);
  const distinct = big.movies.filter((x) => x.title.split(' ').length >= 3).slice(0, 50);
  for (const movie of distinct) {
    assert.ok(bm.match(`watched ${movie.title} in the cinema`).includes(movie.id), movie.title);
  }
});
