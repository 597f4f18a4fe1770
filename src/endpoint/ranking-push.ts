/**
 * The protocol-v2 ranking push (PROTOCOL.md § 5, `update_movies`): what each v2 client
 * is owed, computed once per *group* — every v2 client of one `ranking_size` gets the
 * same sequence of lists, so one diff and one encoded Buffer serve all of them, exactly
 * as one `set_movies` line serves every v1 client. No JSON is built per client.
 *
 * A group keeps the list its clients were last sent (`seq` numbers the pushes). A
 * session remembers the `seq` it holds; at flush time it is written the group's delta
 * if it holds `seq - 1`, nothing if it holds `seq`, and the group's full `set_movies`
 * otherwise (a new client, or one that fell more than a push behind: pushes never pile
 * up, the client skips straight to the latest list).
 *
 * Cadence: a push that changes the order of the top `urgentTop` (a movie moves, enters
 * or leaves there: what a screen shows first) goes out `orderIntervalMs` after the
 * previous one at the soonest; any other change (counts, trends, the order further
 * down) waits `countIntervalMs`. With 100 movies and a busy stream the tail reorders
 * nearly every second; sending each of those to every client would cost one TLS write
 * per client per second, about what v1's full lists cost (bench:conns --ranking-seconds). Changes that must wait are held and sent by
 * a timer, so the last change before a quiet spell is not lost.
 */
import { after, type Clock } from '../clock/clock.js';
import type { Ranking } from '../engine/engine.js';
import { diffRanking, type RankedMovie } from '../protocol/index.js';
import { encodeLine } from './encode.js';

export interface RankingCadence {
  orderIntervalMs: number;
  countIntervalMs: number;
  /** Order changes within this many top entries are urgent (orderIntervalMs). */
  urgentTop: number;
}

export class RankingGroup {
  /** Pushes so far; a session holding `seq` has the group's current list. */
  seq = 0;
  /** The list this group's clients hold at `seq` (a `set_movies`'s `movies`). */
  list: RankedMovie[] = [];
  generatedAt = 0;
  /** The group's current list as a full `set_movies` line. */
  full: Buffer;
  /** The `update_movies` line from `seq - 1` to `seq`, or null if that was a full push. */
  delta: Buffer | null = null;
  members = 0;
  lastPushAt = Number.NEGATIVE_INFINITY;
  /** A ranking held back by the cadence, and the timer that will send it. */
  pending: Ranking | null = null;
  /** Cancels the timer that will send `pending`, or null when none is armed. */
  timer: (() => void) | null = null;

  constructor(readonly size: number) {
    this.full = fullLine([], 0);
  }

  /** The line a session holding `held` is owed (null: nothing), and the seq it then holds. */
  lineFor(held: number): Buffer | null {
    if (held === this.seq) return null;
    if (held === this.seq - 1 && this.delta !== null) return this.delta;
    return this.full;
  }
}

function fullLine(movies: RankedMovie[], generatedAt: number): Buffer {
  return encodeLine({ action: 'set_movies', params: { movies, generated_at: generatedAt } });
}

/** The first `n` entries of `a` and `b` are the same movies in the same order. */
function sameTop(a: readonly RankedMovie[], b: readonly RankedMovie[], n: number): boolean {
  const k = Math.min(n, Math.max(a.length, b.length));
  for (let i = 0; i < k; i++) if (a[i]?.id !== b[i]?.id) return false;
  return true;
}

export class RankingPush {
  private readonly groups = new Map<number, RankingGroup>();
  private latest: Ranking | null = null;
  /** CPU time spent diffing and encoding (ms), for metrics and the benchmark. */
  encodeMs = 0;

  constructor(
    private readonly cadence: RankingCadence,
    private readonly clock: Clock,
    /** Called when a group has a new push: owe it to the group's sessions. */
    private readonly pushed: (group: RankingGroup) => void,
  ) {}

  /** `generated_at` of the newest ranking received (0: none yet). */
  get latestGeneratedAt(): number {
    return this.latest?.generatedAt ?? 0;
  }

  /** A v2 session of `size` joins; a new group starts at the latest ranking. */
  join(size: number): RankingGroup {
    let group = this.groups.get(size);
    if (group === undefined) {
      group = new RankingGroup(size);
      this.groups.set(size, group);
      if (this.latest !== null) this.push(group, this.latest, this.top(this.latest, size), null);
    }
    group.members++;
    return group;
  }

  leave(group: RankingGroup): void {
    if (--group.members > 0) return;
    group.timer?.();
    this.groups.delete(group.size);
  }

  /** A new ranking from the engine. */
  update(ranking: Ranking): void {
    this.latest = ranking;
    for (const group of this.groups.values()) this.consider(group, ranking);
  }

  close(): void {
    for (const group of this.groups.values()) group.timer?.();
  }

  private top(ranking: Ranking, size: number): RankedMovie[] {
    return ranking.movies.slice(0, size);
  }

  private consider(group: RankingGroup, ranking: Ranking): void {
    const started = performance.now();
    try {
      const next = this.top(ranking, group.size);
      const diff = diffRanking(group.list, next);
      if (diff !== null && diff.movies.length === 0 && diff.removed.length === 0) {
        group.pending = null; // back to what the clients hold (a count went up and down)
        return;
      }
      const wait =
        (sameTop(group.list, next, this.cadence.urgentTop)
          ? this.cadence.countIntervalMs
          : this.cadence.orderIntervalMs) -
        (this.clock.now() - group.lastPushAt);
      if (wait > 0) {
        group.pending = ranking;
        if (group.timer === null)
          group.timer = after(this.clock, wait, () => this.flushPending(group));
        return;
      }
      this.push(group, ranking, next, diff);
    } finally {
      this.encodeMs += performance.now() - started;
    }
  }

  private flushPending(group: RankingGroup): void {
    group.timer = null;
    const pending = group.pending;
    if (pending !== null && this.groups.get(group.size) === group) this.consider(group, pending);
  }

  private push(
    group: RankingGroup,
    ranking: Ranking,
    next: RankedMovie[],
    diff: ReturnType<typeof diffRanking>,
  ): void {
    const full = fullLine(next, ranking.generatedAt);
    let delta: Buffer | null = null;
    if (diff !== null && group.seq > 0) {
      const line = encodeLine({
        action: 'update_movies',
        params: { generated_at: ranking.generatedAt, ...diff },
      });
      // A delta larger than the list helps nobody: send the list (PROTOCOL.md allows it).
      if (line.length < full.length) delta = line;
    }
    group.seq++;
    group.list = next;
    group.generatedAt = ranking.generatedAt;
    group.full = full;
    group.delta = delta;
    group.pending = null;
    group.lastPushAt = this.clock.now();
    group.timer?.();
    group.timer = null;
    this.pushed(group);
  }
}
