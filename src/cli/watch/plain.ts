/**
 * `watch` when stdout is not a terminal (a pipe, a file): plain lines, no escapes. A
 * ranking snapshot (top 10) whenever it changes, one line per post, state changes as
 * `#` comments.
 */
import type { Post, Ranking } from '../../client/index.js';
import { sanitize } from './width.js';

export const PLAIN_TOP = 10;

export class PlainOutput {
  private lastKey = '';
  private previous = new Map<number, number>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly title: (id: number) => string,
  ) {}

  ranking(r: Ranking): void {
    const top = r.movies.slice(0, PLAIN_TOP);
    const key = top.map((m) => `${m.id}:${m.count}:${m.trend ?? 0}`).join(',');
    if (key === this.lastKey) return;
    this.lastKey = key;
    const time = new Date(r.generatedAt || Date.now()).toTimeString().slice(0, 8);
    const lines = [`ranking ${time}`];
    for (const m of top) {
      const was = this.previous.get(m.id);
      const move = was === undefined ? ' ' : m.rank < was ? '▲' : m.rank > was ? '▼' : ' ';
      const trend = typeof m.trend === 'number' && m.trend >= 2 ? ` trending ×${m.trend}` : '';
      lines.push(`${String(m.rank).padStart(3)} ${move} ${m.title} (${m.count})${trend}`);
    }
    this.previous = new Map(r.movies.map((m) => [m.id, m.rank]));
    this.write(lines.join('\n'));
  }

  post(p: Post): void {
    const u = p.tweet.user;
    const who = sanitize(u.handle ? `@${u.handle}` : u.name);
    if (p.gap) this.write(`# some earlier posts about ${this.title(p.movieId)} were missed`);
    this.write(
      `post [${this.title(p.movieId)}] ${p.tweet.created_at} ${who}: ${sanitize(p.tweet.text)}`,
    );
  }

  note(text: string): void {
    this.write(`# ${text}`);
  }
}
