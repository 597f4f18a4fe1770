/**
 * The movie catalog: its type, validation at the edge, loading, and hot reload.
 *
 * File format (issue 3 §2): `{"movies": [{"id": 693134, "title": "Dune: Part Two",
 * "year": 2024, "aliases": ["Dune 2"], "hashtags": ["DunePartTwo"]}, ...]}`. `id` is a
 * positive integer, `aliases` and `hashtags` are optional, hashtags come without `#`,
 * and any other field is kept as is and passed on to clients.
 */

import { existsSync, type FSWatcher, watch } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CatalogMovie {
  id: number;
  title: string;
  year?: number;
  aliases?: string[];
  hashtags?: string[];
  [extra: string]: unknown;
}
export interface Catalog {
  movies: CatalogMovie[];
}

export type ParseCatalogResult = { ok: true; catalog: Catalog } | { ok: false; errors: string[] };

/** Stop listing problems after this many: a wrong file says enough by then. */
const MAX_ERRORS = 50;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing (missing)';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  return `a ${typeof v}`;
}

function stringList(
  value: unknown,
  path: string,
  errors: string[],
  what: string,
  check?: (s: string) => string | undefined,
): string[] | undefined {
  if (!Array.isArray(value)) {
    errors.push(`${path}: must be an array of ${what}, got ${describe(value)}`);
    return undefined;
  }
  const out: string[] = [];
  value.forEach((item, k) => {
    if (typeof item !== 'string' || item.trim() === '') {
      errors.push(`${path}[${k}]: must be a non-empty string, got ${describe(item)}`);
      return;
    }
    const problem = check?.(item);
    if (problem !== undefined) errors.push(`${path}[${k}]: ${problem}`);
    else out.push(item);
  });
  return out;
}

/** Validates a parsed JSON value; every message names the JSON path it is about. */
export function parseCatalog(value: unknown): ParseCatalogResult {
  const errors: string[] = [];
  if (!isRecord(value)) {
    return {
      ok: false,
      errors: [`$: must be an object {"movies": [...]}, got ${describe(value)}`],
    };
  }
  const list = value.movies;
  if (!Array.isArray(list)) {
    return { ok: false, errors: [`$.movies: must be an array, got ${describe(list)}`] };
  }
  const seen = new Map<number, number>();
  const movies: CatalogMovie[] = [];
  for (let k = 0; k < list.length && errors.length < MAX_ERRORS; k++) {
    const path = `$.movies[${k}]`;
    const m: unknown = list[k];
    if (!isRecord(m)) {
      errors.push(`${path}: must be an object, got ${describe(m)}`);
      continue;
    }
    const before = errors.length;
    const { id, title, year, aliases, hashtags } = m;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
      errors.push(`${path}.id: must be a positive integer, got ${describe(id)}`);
    } else {
      const first = seen.get(id);
      if (first !== undefined) {
        errors.push(`${path}.id: duplicate id ${id} (also at $.movies[${first}])`);
      } else seen.set(id, k);
    }
    if (typeof title !== 'string' || title.trim() === '') {
      errors.push(`${path}.title: must be a non-empty string, got ${describe(title)}`);
    }
    if (
      year !== undefined &&
      (typeof year !== 'number' || !Number.isInteger(year) || year < 1870 || year > 2100)
    ) {
      errors.push(`${path}.year: must be an integer between 1870 and 2100, got ${describe(year)}`);
    }
    const a =
      aliases === undefined ? undefined : stringList(aliases, `${path}.aliases`, errors, 'strings');
    const h =
      hashtags === undefined
        ? undefined
        : stringList(hashtags, `${path}.hashtags`, errors, 'hashtags', (s) =>
            s.startsWith('#')
              ? `hashtags are given without "#", got ${JSON.stringify(s)}`
              : /\s/.test(s)
                ? `a hashtag has no spaces, got ${JSON.stringify(s)}`
                : undefined,
          );
    if (errors.length > before) continue;
    const movie: CatalogMovie = { ...m, id: id as number, title: title as string };
    if (a !== undefined) movie.aliases = a;
    if (h !== undefined) movie.hashtags = h;
    movies.push(movie);
  }
  if (errors.length >= MAX_ERRORS) errors.push(`... stopped after ${MAX_ERRORS} problems`);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, catalog: { movies } };
}

/** Parses catalog file text; JSON syntax errors come back as one message. */
export function parseCatalogText(text: string): ParseCatalogResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`not valid JSON: ${(err as Error).message}`] };
  }
  return parseCatalog(value);
}

/**
 * The largest catalog file read. The shipped one is 22 KB (106 movies); 10,000 movies
 * with aliases are ~2 MB. A 50 MB file blocked the event loop 10.7 s on reload (parse
 * and compile run on the serving thread) and left RSS at 940 MB, so past 8 MiB the
 * file is refused with a clear error instead.
 */
export const MAX_CATALOG_BYTES = 8 * 1024 * 1024;

async function readCatalogFile(path: string): Promise<string> {
  const { size } = await stat(path);
  if (size > MAX_CATALOG_BYTES)
    throw new Error(
      `catalog ${path} is ${(size / 2 ** 20).toFixed(1)} MiB; at most ${MAX_CATALOG_BYTES / 2 ** 20} MiB is read (a larger one would block the process while it is parsed)`,
    );
  return readFile(path, 'utf8');
}

/** Reads and validates a catalog file; throws one Error listing every problem. */
export async function loadCatalog(path: string): Promise<Catalog> {
  const text = await readCatalogFile(path);
  const result = parseCatalogText(text);
  if (!result.ok) {
    throw new Error(`invalid catalog ${path}:\n  ${result.errors.join('\n  ')}`);
  }
  return result.catalog;
}

/**
 * The package root: the nearest ancestor of this module holding package.json. Walking up
 * (rather than a fixed `../..`) works both from `src/matching/` under tsx and from the
 * compiled `dist/src/matching/`.
 */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = here;
  for (let k = 0; k < 8; k++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(here, '..', '..');
}

/** The catalog shipped with the package (`data/catalog.json`). */
export const DEFAULT_CATALOG_PATH: string = resolve(packageRoot(), 'data', 'catalog.json');

export interface WatchCatalogOptions {
  /** Quiet time after the last change before reloading (default 200 ms): editors write in steps. */
  debounceMs?: number;
  /** Stat polling period, the fallback where fs.watch misses renames or network disks (default 2000 ms). */
  pollMs?: number;
  /** Where an invalid or unreadable new file is reported (default console.error). */
  log?: (message: string) => void;
}

/**
 * Calls `onChange` with the new catalog each time the file changes to a valid one. An
 * invalid file is logged and ignored (the previous catalog stays in force). Returns a
 * function that stops watching.
 */
export function watchCatalog(
  path: string,
  onChange: (catalog: Catalog) => void,
  options: WatchCatalogOptions = {},
): () => void {
  const debounceMs = options.debounceMs ?? 200;
  const pollMs = options.pollMs ?? 2000;
  const log = options.log ?? ((m: string) => console.error(m));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastSignature = '';
  let watcher: FSWatcher | undefined;

  const signature = async (): Promise<string> => {
    try {
      const s = await stat(path);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch {
      return 'missing';
    }
  };
  void signature().then((s) => {
    if (lastSignature === '') lastSignature = s;
  });

  const reload = async (): Promise<void> => {
    timer = undefined;
    if (stopped) return;
    const sig = await signature();
    if (sig === lastSignature || stopped) return;
    lastSignature = sig;
    let text: string;
    try {
      text = await readCatalogFile(path);
    } catch (err) {
      log(`catalog ${path}: cannot read (${(err as Error).message}); keeping the previous one`);
      return;
    }
    const result = parseCatalogText(text);
    if (stopped) return;
    if (!result.ok) {
      log(`catalog ${path}: invalid, keeping the previous one:\n  ${result.errors.join('\n  ')}`);
      return;
    }
    onChange(result.catalog);
  };
  const schedule = (): void => {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void reload(), debounceMs);
  };

  try {
    // Watch the directory, not the file: editors replace files by rename, which ends a
    // watch on the old inode.
    // Only events for the catalog's own name reset the debounce: a sibling file that
    // changes every 50 ms used to postpone the reload forever. (A null name means the
    // platform did not say which file: schedule, the signature check decides.)
    const own = basename(path);
    watcher = watch(dirname(path), { persistent: false }, (_event, name) => {
      if (name === null || name === own) schedule();
    });
    watcher.on('error', () => {
      watcher?.close();
      watcher = undefined;
    });
  } catch {
    watcher = undefined;
  }
  const poll = setInterval(schedule, pollMs);
  poll.unref();

  return () => {
    stopped = true;
    watcher?.close();
    clearInterval(poll);
    if (timer !== undefined) clearTimeout(timer);
  };
}
