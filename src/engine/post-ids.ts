/**
 * Post ids of a movie's history: "<ms>-<seq>", strictly increasing per movie — the
 * format of Redis stream entry ids, so both engines hand clients the same kind of id.
 */
export class PostIdClock {
  private lastMs = 0;
  private seq = 0;

  next(now: number): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      this.seq = 0;
    } else {
      this.seq++;
    }
    return `${this.lastMs}-${this.seq}`;
  }
}
