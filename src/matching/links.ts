/**
 * Lists and comparisons: "sinners > weapons", "F1, then Jurassic World Rebirth", "dune
 * before dune part two", "weapons was scarier than longlegs". A title made of everyday
 * words that has no evidence of its own (a LINK verdict) counts when it is listed right
 * next to another title: nobody lists a plain word beside a film.
 *
 * Runs once per post after the scan, since the neighbour may come after the hit.
 */
import { V_COMPARE, V_CONNECT, V_COPULA, V_SOFTENER } from './compile.js';
import { LINK, NO, YES } from './hits.js';
import { BREAK, type Post } from './post.js';
import { F_COLON_B, F_DIGITS, F_PUNCT_B } from './scanner.js';

/**
 * Adds to `found` each LINK hit that a neighbouring hit (a film, or another LINK hit) is
 * joined to by punctuation or a connector word and nothing else.
 */
export function resolveLinks(p: Post): void {
  const v = p.hits.verdicts;
  const n = p.hits.count;
  const accepted: boolean[] = [];
  for (let k = 0; k < n; k++) {
    if (v[k] !== LINK) continue;
    const joined = (m: number): boolean =>
      m >= 0 && m < n && v[m] !== NO && adjacent(p, Math.min(k, m), Math.max(k, m));
    if (joined(k - 1) || joined(k + 1)) accepted[k] = true;
  }
  // "sinners weapons bring her back, the holy trinity of 2025 horror": a list without
  // commas. Right before a title that counts (or one counted so), with nothing between,
  // a title counts too. Not after one: "watched oppenheimer together" is an adverb, and
  // two plain hits side by side stay plain ("weapons together").
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = 0; k < n; k++) {
      if (v[k] !== LINK || accepted[k] === true) continue;
      const counts = (m: number): boolean =>
        m >= 0 &&
        m < n &&
        (v[m] === YES || accepted[m] === true) &&
        touching(p, Math.min(k, m), Math.max(k, m));
      if (counts(k + 1)) {
        accepted[k] = true;
        changed = true;
      }
    }
  }
  for (let k = 0; k < n; k++) if (accepted[k] === true) p.found.push(p.hits.ids[k]!);
}

/** Hits a and b (a before b) touch: no word, punctuation or break between them. */
function touching(p: Post, a: number, b: number): boolean {
  const to = p.hits.starts[b]!;
  return to === p.hits.ends[a]! && (p.scanner.flags[to]! & (BREAK | F_PUNCT_B | F_COLON_B)) === 0;
}

/** Hits a and b (a before b) are separated only by punctuation or 1-2 connector words. */
function adjacent(p: Post, a: number, b: number): boolean {
  const { ids, flags, nums } = p.scanner;
  const classes = p.index.classes;
  const from = p.hits.ends[a]!;
  const to = p.hits.starts[b]!;
  if (to === from) return (flags[to]! & (F_PUNCT_B | F_COLON_B)) !== 0;
  // "X and Y", "X, then Y"; or a comparison: "X was better than Y", "X is way worse than Y".
  if (to - from > 4) return false;
  let compared = false;
  let connectors = true;
  for (let k = from; k < to; k++) {
    const t = ids[k]!;
    if ((flags[k]! & BREAK) !== 0) return false;
    // "weapons was scarier than longlegs": any word right before "than".
    if (k + 1 < to && ids[k + 1] === p.index.thanId) {
      connectors = false;
      continue;
    }
    // "1 sinners 2 weapons 3 companion": a list's numbers join its items.
    if ((flags[k]! & F_DIGITS) !== 0 && nums[k]! >= 0 && nums[k]! <= 20) continue;
    if (t < 0) return false;
    const c = classes[t]!;
    if ((c & V_COMPARE) !== 0) compared = true;
    else if ((c & V_CONNECT) !== 0) continue;
    else if ((c & (V_COPULA | V_SOFTENER)) !== 0) connectors = false;
    else return false;
  }
  if (!compared && !(connectors && to - from <= 2)) return false;
  return (flags[to]! & BREAK) === 0;
}
