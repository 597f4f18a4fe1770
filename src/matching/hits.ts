/**
 * The hits of one post: every title the scan found, with its token span and verdict.
 * Later judgements read earlier hits (a character right after another title, a title
 * listed next to another one), so they are kept in order, in typed arrays with a count:
 * a post without hits costs nothing to reset.
 */

/**
 * Evidence verdicts: a film; not one; a film only if the post names another film
 * (title case); a film only if listed right next to another title ("sinners > weapons").
 */
export const NO = 0;
export const YES = 1;
export const DEFER = 2;
export const LINK = 3;
export type Verdict = typeof NO | typeof YES | typeof DEFER | typeof LINK;

export class Hits {
  count = 0;
  ids = new Int32Array(16);
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  verdicts = new Uint8Array(16);

  /** Records a judged hit: movie `id` over tokens [i, e). */
  add(id: number, i: number, e: number, verdict: Verdict): void {
    if (this.count === this.ids.length) this.grow();
    const k = this.count++;
    this.ids[k] = id;
    this.starts[k] = i;
    this.ends[k] = e;
    this.verdicts[k] = verdict;
  }

  /** End token of the last hit, or -1. */
  lastEnd(): number {
    return this.count > 0 ? this.ends[this.count - 1]! : -1;
  }

  private grow(): void {
    const n = this.count * 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.ids = grow(this.ids, new Int32Array(n));
    this.starts = grow(this.starts, new Int32Array(n));
    this.ends = grow(this.ends, new Int32Array(n));
    this.verdicts = grow(this.verdicts, new Uint8Array(n));
  }
}
