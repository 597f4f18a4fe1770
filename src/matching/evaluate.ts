/**
 * Scores a matcher on labeled posts: micro precision, recall and F1 over (post, movie)
 * pairs (issue 3 §2: "F1 ≥ 0.95, with precision never traded away for recall").
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Matcher } from './matcher.js';

export interface LabeledPost {
  id: string;
  text: string;
  movie_ids: number[];
}

export interface Miss {
  post: LabeledPost;
  got: number[];
  /** Expected but not found. */
  missing: number[];
  /** Found but not expected. */
  extra: number[];
}

export interface EvalReport {
  posts: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  misses: Miss[];
}

export function evaluate(matcher: Matcher, posts: readonly LabeledPost[]): EvalReport {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const misses: Miss[] = [];
  for (const post of posts) {
    const got = matcher.match(post.text);
    const want = new Set(post.movie_ids);
    const have = new Set(got);
    const missing = post.movie_ids.filter((id) => !have.has(id));
    const extra = got.filter((id) => !want.has(id));
    tp += got.length - extra.length;
    fp += extra.length;
    fn += missing.length;
    if (missing.length > 0 || extra.length > 0) misses.push({ post, got, missing, extra });
  }
  // Empty denominators score 1: no claims made means none wrong, nothing to find means none missed.
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    posts: posts.length,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision,
    recall,
    f1,
    misses,
  };
}

function parseLabeled(line: string, where: string): LabeledPost {
  const v: unknown = JSON.parse(line);
  if (typeof v !== 'object' || v === null) throw new Error(`${where}: not an object`);
  const { id, text, movie_ids } = v as Record<string, unknown>;
  if (typeof id !== 'string' || typeof text !== 'string' || !Array.isArray(movie_ids)) {
    throw new Error(`${where}: needs "id" (string), "text" (string), "movie_ids" (array)`);
  }
  if (!movie_ids.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new Error(`${where}: movie_ids must be integers`);
  }
  return { id, text, movie_ids: movie_ids as number[] };
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
