/**
 * Rank changes the page shows as ▲/▼: pure bookkeeping over successive whole rankings
 * (the SDK's `ranking` event), `now` injected so it is tested without a browser.
 *
 * A movie that moves keeps its arrow for `holdMs` after its last move; moves within that
 * window add up (▲1 then ▲2 shows ▲3), so a film climbing fast reads as one climb, and a
 * film that goes up and back down ends at 0 and loses its arrow. A movie that enters the
 * list after the first one is "new". The first ranking of a page, and the first after a
 * reconnect that changed nothing, mark nothing.
 */

export type Move = { kind: 'up' | 'down'; places: number } | { kind: 'new' };

interface Tracked {
  /** The rank when the current window of moves began (undefined: entered the list). */
  from: number | undefined;
  at: number;
}

export class RankMoves {
  private ranks = new Map<number, number>();
  private readonly tracked = new Map<number, Tracked>();
  private seeded = false;

  constructor(private readonly holdMs = 60_000) {}

  /** Takes the next whole ranking (`rank` 1-based, as the SDK gives it). */
  update(movies: readonly { id: number; rank: number }[], now: number): void {
    const next = new Map<number, number>();
    for (const m of movies) next.set(m.id, m.rank);
    if (this.seeded) {
      for (const [id, rank] of next) {
        const before = this.ranks.get(id);
        if (before === rank) continue;
        const t = this.tracked.get(id);
        const live = t !== undefined && now - t.at <= this.holdMs;
        const from = live ? t.from : before;
        if (from === rank && before !== undefined) this.tracked.delete(id);
        else this.tracked.set(id, { from, at: now });
      }
    }
    for (const id of this.tracked.keys()) if (!next.has(id)) this.tracked.delete(id);
    this.ranks = next;
    this.seeded = movies.length > 0 || this.seeded;
  }

  /** The arrow to show for a movie now, if any. */
  moveOf(id: number, now: number): Move | undefined {
    const t = this.tracked.get(id);
    const rank = this.ranks.get(id);
    if (t === undefined || rank === undefined || now - t.at > this.holdMs) return undefined;
    if (t.from === undefined) return { kind: 'new' };
    const places = t.from - rank;
    if (places === 0) return undefined;
    return places > 0 ? { kind: 'up', places } : { kind: 'down', places: -places };
  }
}
