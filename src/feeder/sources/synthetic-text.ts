/**
 * Texts for the synthetic source: the ways people actually name a film in a post
 * (lowercase, hashtags in CamelCase or not, aliases, quotes, the year in parentheses,
 * "just saw X", emojis, a few languages) and the unrelated chatter that makes up most
 * of a real firehose, including everyday words that happen to be titles.
 */
import type { CatalogMovie } from '../../matching/catalog.js';
import { pick, type Random } from './prng.js';

export interface SyntheticText {
  text: string;
  lang: string;
}

/** "Dune: Part Two" → "DunePartTwo" (how people tag a film when no tag is listed). */
export function camelHashtag(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** One way of writing the movie's name, chosen with rough real-world frequencies. */
export function mentionOf(random: Random, movie: CatalogMovie): string {
  const r = random();
  const aliases = movie.aliases ?? [];
  const tags = movie.hashtags ?? [];
  if (r < 0.3) return movie.title;
  if (r < 0.45) return movie.title.toLowerCase();
  if (r < 0.55) return `"${movie.title}"`;
  if (r < 0.62 && movie.year !== undefined) return `${movie.title} (${movie.year})`;
  if (r < 0.7 && aliases.length > 0) return pick(random, aliases);
  if (r < 0.8) return `#${tags.length > 0 ? pick(random, tags) : camelHashtag(movie.title)}`;
  if (r < 0.86) return `#${camelHashtag(movie.title).toLowerCase()}`;
  if (r < 0.9) return movie.title.toUpperCase();
  if (r < 0.94 && movie.title.includes(' and ')) return movie.title.replace(' and ', ' & ');
  return movie.title.replace(/[:\-–]/g, '').replace(/\s+/g, ' ');
}

const EMOJI = ['🍿', '🎬', '😭', '🔥', '🤯', '👏', '💀', '😍', '🙌', '🥲', '✨', '😴', '🤔'];

// {m} is the mention. Most carry a film word, as real movie posts tend to.
const MOVIE_EN = [
  'just saw {m} {e}',
  'just got out of {m} and I need a minute {e}',
  '{m} was incredible, go see it in IMAX',
  'ok {m} lived up to the hype {e}',
  'unpopular opinion: {m} is overrated',
  'the trailer for {m} gave me chills {e}',
  'watching {m} tonight, no spoilers please!!',
  'who else cried at {m} {e}{e}',
  '{m} box office numbers are wild this weekend',
  'me after {m}: {e}',
  'the cast of {m} deserves every award',
  'rewatched {m} and it hits even harder the second time',
  'Is {m} worth seeing in the cinema or should I wait for streaming?',
  'that ending of {m} 🤯 I have questions',
  'taking my kids to {m} this afternoon {e}',
  'the score in {m} is doing things to me',
  '{m} sequel when??',
  'movie night: {m} {e}',
  'fell asleep during {m} lol {e}',
  "can't stop thinking about {m}",
  'saw {m} at the 10pm showing, theater was packed',
  '{m} review thread 🧵 1/',
  'honestly {m} might be the film of the year',
  'finally watched {m}. what a film.',
];

const MOVIE_OTHER: ReadonlyArray<readonly [string, string]> = [
  ['es', 'acabo de ver {m} y me encantó {e}'],
  ['es', '¿alguien más fue a ver {m} este finde?'],
  ['pt', 'assisti {m} ontem, que filme! {e}'],
  ['pt', 'o trailer de {m} tá incrível'],
  ['fr', 'je sors de {m}, quel film {e}'],
  ['fr', '{m} au cinéma ce soir avec les potes'],
  ['de', 'gerade {m} im Kino gesehen {e}'],
  ['it', 'visto {m} stasera, bellissimo {e}'],
  ['ja', '{m} 観てきた！最高だった {e}'],
  ['ko', '{m} 봤는데 진짜 좋았어 {e}'],
];

const UNRELATED_EN = [
  'good morning everyone {e}',
  'coffee first, then we talk',
  'the bus was 20 minutes late again',
  'anyone else having trouble with the app today?',
  'new blog post about rust lifetimes is up',
  'my cat just knocked over my plant {e}',
  'weapons of mass destruction were never found, read the report',
  'we sang together all night at the wedding {e}',
  'finally in a flow state at work today',
  'reading about the civil war for my history exam',
  'my companion on this hike was a very good dog',
  'the sinners in this parish need more coffee',
  'gym done {e}',
  'what a match last night, that last goal {e}',
  'election coverage is exhausting',
  'hot take: pineapple on pizza is fine',
  'listening to the new album on repeat {e}',
  'rain all week, great',
  'shipping a release today, wish me luck',
  'does anyone have a good sourdough recipe?',
  'traffic on the 405 is a nightmare',
  'happy birthday to my sister {e}',
  'stayed up way too late playing video games',
  'the sunset tonight {e}',
  'need a vacation',
  'gaming stream starting in 10 minutes',
  'my phone battery dies so fast now',
  'we are better together, thanks team',
  'job interview tomorrow, nervous {e}',
  'lol',
];

const UNRELATED_OTHER: ReadonlyArray<readonly [string, string]> = [
  ['es', 'buenos días a todos {e}'],
  ['es', 'qué calor hace hoy'],
  ['pt', 'bom dia, muito trabalho hoje'],
  ['fr', "il pleut encore à Paris aujourd'hui"],
  ['de', 'endlich Wochenende {e}'],
  ['ja', '今日は雨ですね'],
  ['ko', '오늘 날씨 좋다 {e}'],
  ['it', 'buona serata a tutti'],
];

function fill(random: Random, template: string, mention: string): string {
  return template.replace('{m}', mention).replace(/\{e\}/g, () => pick(random, EMOJI));
}

/** A post about `movie`; one in eight posts is not in English. */
export function moviePost(random: Random, movie: CatalogMovie): SyntheticText {
  const mention = mentionOf(random, movie);
  if (random() < 0.125) {
    const [lang, tpl] = pick(random, MOVIE_OTHER);
    return { text: fill(random, tpl, mention), lang };
  }
  return { text: fill(random, pick(random, MOVIE_EN), mention), lang: 'en' };
}

/** A post about two movies at once ("double feature"). */
export function pairPost(random: Random, a: CatalogMovie, b: CatalogMovie): SyntheticText {
  const tpl = pick(random, [
    'double feature today: {a} then {b} {e}',
    '{a} > {b}, fight me',
    'cannot decide between {a} and {b} tonight',
  ]);
  const text = tpl
    .replace('{a}', mentionOf(random, a))
    .replace('{b}', mentionOf(random, b))
    .replace(/\{e\}/g, () => pick(random, EMOJI));
  return { text, lang: 'en' };
}

/** A post about nothing in the catalog. */
export function unrelatedPost(random: Random): SyntheticText {
  if (random() < 0.2) {
    const [lang, tpl] = pick(random, UNRELATED_OTHER);
    return { text: fill(random, tpl, ''), lang };
  }
  return { text: fill(random, pick(random, UNRELATED_EN), ''), lang: 'en' };
}
