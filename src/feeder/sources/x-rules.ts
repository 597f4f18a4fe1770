/**
 * Filtered-stream rules derived from the catalog, and the diff that brings the rules
 * on X's side in line with them. Pure functions; `x.ts` does the HTTP.
 *
 * Limits assumed: the Pro / pay-per-use access level of the filtered stream — 1,000
 * rules per project, 1,024 characters per rule (docs.x.com, "Filtered stream"
 * introduction, access-level table). Enterprise allows 25,000+ rules of 2,048 characters
 * (docs.x.com, "Filtered stream webhooks" introduction); both are options.
 * Syntax: docs.x.com, "Build a rule" — exact phrases in double quotes, `#hashtag`, `OR`,
 * parentheses for grouping, `-is:retweet` negation; a space is AND.
 */
import type { Catalog, CatalogMovie } from '../../matching/catalog.js';

export interface RuleLimits {
  /** Rules per project. Default 1_000 (Pro). */
  maxRules?: number;
  /** Characters per rule value. Default 1_024 (Pro). */
  maxRuleLength?: number;
  /** Appended to every rule. Default `-is:retweet` (a retweet is not a new mention). */
  suffix?: string;
  /** Tag prefix marking rules this service owns; others are never touched. Default `filmgrain:`. */
  tagPrefix?: string;
}

export interface StreamRule {
  value: string;
  tag: string;
}

export interface DerivedRules {
  rules: StreamRule[];
  /** Movie ids that did not fit within the limits. */
  omitted: number[];
}

/**
 * Words that signal a film when a title is also an everyday word. Keeping them in the
 * rule saves the rule budget and the post quota from "weapons" or "together" chatter.
 */
const FILM_WORDS = '(movie OR film OR trailer OR cinema OR imax OR watched)';

function phrase(s: string): string {
  const clean = s.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length === 0 ? '' : `"${clean}"`;
}

function camel(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** The OR-able terms that name one movie, most specific first. */
export function movieTerms(movie: CatalogMovie): string[] {
  const terms: string[] = [];
  const singleWord = !/\s/.test(movie.title.trim());
  const title = phrase(movie.title);
  if (title) terms.push(singleWord ? `(${title} ${FILM_WORDS})` : title);
  const tags = movie.hashtags && movie.hashtags.length > 0 ? movie.hashtags : [camel(movie.title)];
  for (const t of tags) {
    const tag = t.replace(/[^\p{L}\p{N}_]/gu, '');
    if (tag) terms.push(`#${tag}`);
  }
  for (const a of movie.aliases ?? []) {
    const p = phrase(a);
    if (p) terms.push(/\s/.test(a.trim()) ? p : `(${p} ${FILM_WORDS})`);
  }
  return [...new Set(terms)];
}

/** Packs the catalog's movies into as few rules as fit, in catalog order. */
export function deriveRules(catalog: Catalog, limits: RuleLimits = {}): DerivedRules {
  const maxRules = limits.maxRules ?? 1_000;
  const maxLen = limits.maxRuleLength ?? 1_024;
  const suffix = limits.suffix ?? '-is:retweet';
  const prefix = limits.tagPrefix ?? 'filmgrain:';
  const rules: StreamRule[] = [];
  const omitted: number[] = [];
  let terms: string[] = [];
  let ids: number[] = [];
  const value = (ts: string[]) => `(${ts.join(' OR ')})${suffix ? ` ${suffix}` : ''}`;
  const close = () => {
    if (terms.length === 0) return;
    rules.push({ value: value(terms), tag: `${prefix}${ids.join(',')}` });
    terms = [];
    ids = [];
  };
  for (const movie of catalog.movies) {
    let mine = movieTerms(movie);
    // A movie whose terms alone exceed a rule loses its least specific terms.
    while (mine.length > 0 && value(mine).length > maxLen) mine = mine.slice(0, -1);
    if (mine.length === 0) {
      omitted.push(movie.id);
      continue;
    }
    if (terms.length > 0 && value([...terms, ...mine]).length > maxLen) close();
    if (terms.length === 0 && rules.length >= maxRules) {
      omitted.push(movie.id);
      continue;
    }
    terms.push(...mine);
    ids.push(movie.id);
  }
  close();
  return { rules, omitted };
}

export interface ExistingRule extends StreamRule {
  id: string;
}

export interface RuleDiff {
  /** Ids of our rules that are no longer wanted. */
  delete: string[];
  add: StreamRule[];
}

/** What to delete and add so X holds exactly `wanted` among the rules tagged ours. */
export function diffRules(
  existing: ExistingRule[],
  wanted: StreamRule[],
  tagPrefix = 'filmgrain:',
): RuleDiff {
  const key = (r: StreamRule) => `${r.tag}\u0000${r.value}`;
  const want = new Set(wanted.map(key));
  const have = new Set<string>();
  const del: string[] = [];
  for (const r of existing) {
    if (!r.tag.startsWith(tagPrefix)) continue;
    if (want.has(key(r)) && !have.has(key(r))) have.add(key(r));
    else del.push(r.id);
  }
  return { delete: del, add: wanted.filter((r) => !have.has(key(r))) };
}

/** Movie ids named by one of our rule tags (`filmgrain:1,2,3`). */
export function movieIdsOfTag(tag: string | undefined, tagPrefix = 'filmgrain:'): number[] {
  if (!tag?.startsWith(tagPrefix)) return [];
  return tag
    .slice(tagPrefix.length)
    .split(',')
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 0);
}
