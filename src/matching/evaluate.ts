/**
 * Scores a matcher on labeled posts: micro precision, recall and F1 over (post, movie)
 * pairs (issue 3 §2: "F1 ≥ 0.95, with precision never traded away for recall"), overall
 * and per category, for each split of the labeled data (issue 12: a development split
 * that is tuned on, and a test split written blind that is only ever scored).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Matcher } from './matcher.js';

/** The kinds of post the issue 12 report breaks the score down by (data/eval/README.md). */
export const CATEGORIES = [
  'single',
  'multi',
  'containment',
  'everyday-pos',
  'everyday-neg',
  'other-film',
  'non-english',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface LabeledPost {
  id: string;
  text: string;
  movie_ids: number[];
  /** Absent in older files: reported as "uncategorized". */
  category?: Category;
}

export interface Miss {
  post: LabeledPost;
  got: number[];
  /** Expected but not found. */
  missing: number[];
  /** Found but not expected. */
  extra: number[];
}

export interface Score {
  posts: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvalReport extends Score {
  misses: Miss[];
  /** Per category, in CATEGORIES order (then "uncategorized"), only those present. */
  categories: { category: string; score: Score }[];
}

/** A named group of labeled posts: "dev" or "test" (or a file given on the command line). */
export interface Split {
  name: string;
  path: string;
  posts: LabeledPost[];
}

interface Tally {
  posts: number;
  tp: number;
  fp: number;
  fn: number;
}

function score(t: Tally): Score {
  // Empty denominators score 1: no claims made means none wrong, nothing to find means none missed.
  const precision = t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp);
  const recall = t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    posts: t.posts,
    truePositives: t.tp,
    falsePositives: t.fp,
    falseNegatives: t.fn,
    precision,
    recall,
    f1,
  };
}

export function evaluate(matcher: Matcher, posts: readonly LabeledPost[]): EvalReport {
  const total: Tally = { posts: 0, tp: 0, fp: 0, fn: 0 };
  const byCategory = new Map<string, Tally>();
  const misses: Miss[] = [];
  for (const post of posts) {
    const got = matcher.match(post.text);
    const want = new Set(post.movie_ids);
    const have = new Set(got);
    const missing = post.movie_ids.filter((id) => !have.has(id));
    const extra = got.filter((id) => !want.has(id));
    const key = post.category ?? 'uncategorized';
    let cat = byCategory.get(key);
    if (cat === undefined) {
      cat = { posts: 0, tp: 0, fp: 0, fn: 0 };
      byCategory.set(key, cat);
    }
    for (const t of [total, cat]) {
      t.posts++;
      t.tp += got.length - extra.length;
      t.fp += extra.length;
      t.fn += missing.length;
    }
    if (missing.length > 0 || extra.length > 0) misses.push({ post, got, missing, extra });
  }
  const order = [...CATEGORIES, 'uncategorized'];
  const categories = [...byCategory.entries()]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
    .map(([category, t]) => ({ category, score: score(t) }));
  return { ...score(total), misses, categories };
}

/**
 * The worst errors first: most wrong pairs, then false positives before misses (a
 * wrong count in the ranking is worse than a missing one), then input order.
 */
export function worstMisses(misses: readonly Miss[], limit: number): Miss[] {
  const weight = (m: Miss): number => m.extra.length * 2 + m.missing.length;
  return misses
    .map((m, k) => ({ m, k }))
    .sort((a, b) => weight(b.m) - weight(a.m) || a.k - b.k)
    .slice(0, limit)
    .map(({ m }) => m);
}

function parseLabeled(line: string, where: string): LabeledPost {
  const v: unknown = JSON.parse(line);
  if (typeof v !== 'object' || v === null) throw new Error(`${where}: not an object`);
  const { id, text, movie_ids, category } = v as Record<string, unknown>;
  if (typeof id !== 'string' || typeof text !== 'string' || !Array.isArray(movie_ids)) {
    throw new Error(`${where}: needs "id" (string), "text" (string), "movie_ids" (array)`);
  }
  if (!movie_ids.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new Error(`${where}: movie_ids must be integers`);
  }
  if (category !== undefined && !(CATEGORIES as readonly unknown[]).includes(category)) {
    throw new Error(`${where}: category must be one of ${CATEGORIES.join(', ')}`);
  }
  const post: LabeledPost = { id, text, movie_ids: movie_ids as number[] };
  if (category !== undefined) post.category = category as Category;
  return post;
}

/** Reads one NDJSON file, or every `.ndjson` file of a directory (sorted by name). */
export async function loadEvalSet(path: string): Promise<LabeledPost[]> {
  const files = (await stat(path)).isDirectory()
    ? (await readdir(path))
        .filter((f) => f.endsWith('.ndjson'))
        .sort()
        .map((f) => join(path, f))
    : [path];
  const posts: LabeledPost[] = [];
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, k) => {
      if (line.trim() !== '') posts.push(parseLabeled(line, `${file}:${k + 1}`));
    });
  }
  return posts;
}

/** The split folders of a labeled-data root, in report order. */
export const SPLIT_NAMES = ['dev', 'test'] as const;

/**
 * The splits under `path`: its `dev/` and `test/` folders when it has them (the shipped
 * data/eval/), else the file or folder itself as one split named after it.
 */
export async function loadSplits(path: string): Promise<Split[]> {
  const splits: Split[] = [];
  if ((await stat(path)).isDirectory()) {
    for (const name of SPLIT_NAMES) {
      const dir = join(path, name);
      const found = await stat(dir).catch(() => undefined);
      if (found?.isDirectory() === true) {
        splits.push({ name, path: dir, posts: await loadEvalSet(dir) });
      }
    }
  }
  if (splits.length === 0) splits.push({ name: path, path, posts: await loadEvalSet(path) });
  return splits;
}
