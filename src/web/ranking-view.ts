/**
 * The live ranking: one row per movie, kept by id, so a push only touches what changed
 * (counts, arrows, order) and the focused row stays focused while rows move. Rows glide
 * to their new place (FLIP with the Web Animations API) unless less motion is asked for.
 *
 * Keyboard: the list is one Tab stop (roving tabindex); ↑/↓, Home/End move between
 * movies, Enter or Space opens one (the rows are buttons).
 */
import type { RankedMovie } from '../client/index.js';
import { h, moveBefore, reducedMotion, srOnly } from './dom.js';
import { formatCount, formatTrend } from './format.js';
import { type Move, RankMoves } from './ranking-moves.js';

/** PROTOCOL.md § 5: "A client SHOULD show a movie as trending when trend ≥ 2". */
export const TRENDING_AT = 2;

interface Row {
  li: HTMLLIElement;
  button: HTMLButtonElement;
  rank: HTMLElement;
  move: HTMLElement;
  title: HTMLElement;
  year: HTMLElement;
  trend: HTMLElement;
  count: HTMLElement;
  bar: HTMLElement;
  movie: RankedMovie;
}

export class RankingView {
  private readonly rows = new Map<number, Row>();
  private readonly moves = new RankMoves();
  private selected: number | null = null;
  /** The row that holds the list's one tab stop. */
  private tabStop: number | null = null;

  constructor(
    private readonly list: HTMLOListElement,
    private readonly open: (movie: RankedMovie) => void,
  ) {
    list.addEventListener('keydown', (ev) => this.key(ev));
  }

  movie(id: number): RankedMovie | undefined {
    return this.rows.get(id)?.movie;
  }

  render(movies: readonly RankedMovie[], now: number): void {
    this.moves.update(movies, now);
    const animate = this.rows.size > 0 && !reducedMotion();
    const before = animate ? this.positions() : new Map<number, number>();
    const top = Math.max(1, ...movies.map((m) => m.count));
    const keep = new Set<number>();
    let prev: Element | null = null;
    for (const movie of movies) {
      keep.add(movie.id);
      const row = this.rows.get(movie.id) ?? this.create(movie);
      this.fill(row, movie, top, now);
      const want: Element | null =
        prev === null ? this.list.firstElementChild : prev.nextElementSibling;
      if (want !== row.li) moveBefore(this.list, row.li, want);
      prev = row.li;
    }
    for (const [id, row] of this.rows) {
      if (keep.has(id)) continue;
      row.li.remove();
      this.rows.delete(id);
    }
    if (this.tabStop === null || !this.rows.has(this.tabStop))
      this.setTabStop(
        this.selected !== null && this.rows.has(this.selected)
          ? this.selected
          : (movies[0]?.id ?? null),
      );
    if (animate) this.glide(before);
  }

  /** Re-evaluates arrows that have run out (called on the page's clock tick). */
  tick(now: number): void {
    for (const row of this.rows.values()) this.fillMove(row, this.moves.moveOf(row.movie.id, now));
  }

  select(id: number | null): void {
    if (this.selected !== null)
      this.rows.get(this.selected)?.button.setAttribute('aria-pressed', 'false');
    this.selected = id;
    if (id === null) return;
    const row = this.rows.get(id);
    if (row === undefined) return;
    row.button.setAttribute('aria-pressed', 'true');
    this.setTabStop(id);
  }

  focus(id: number): void {
    const row = this.rows.get(id);
    if (row === undefined) return;
    this.setTabStop(id);
    row.button.focus();
  }

  // ---- rows ----

  private create(movie: RankedMovie): Row {
    const rank = h('span', { class: 'rank' });
    const move = h('span', { class: 'move' });
    const title = h('span', { class: 'title' });
    const year = h('span', { class: 'year' });
    const trend = h('span', { class: 'trend' });
    const count = h('span', { class: 'count' });
    const bar = h('span', { class: 'bar-fill' });
    // Flat children laid out by grid areas (styles.css); this order is also what a
    // screen reader reads: "Rank 1, up 2 places, Dune: Part Two, 2024, trending: 2.4×
    // its usual rate, 1,280 posts".
    const button = h(
      'button',
      { type: 'button', class: 'movie-button', 'aria-pressed': 'false', tabindex: '-1' },
      rank,
      move,
      h('span', { class: 'name' }, title, year),
      h('span', { class: 'bar', 'aria-hidden': 'true' }, bar),
      trend,
      count,
    );
    const li = h('li', { class: 'movie', 'data-movie-id': movie.id }, button);
    button.addEventListener('click', () => this.open(row.movie));
    button.addEventListener('focus', () => this.setTabStop(row.movie.id));
    const row: Row = { li, button, rank, move, title, year, trend, count, bar, movie };
    this.rows.set(movie.id, row);
    return row;
  }

  private fill(row: Row, movie: RankedMovie, top: number, now: number): void {
    const old = row.movie;
    const first = row.rank.textContent === '';
    row.movie = movie;
    if (first || old.rank !== movie.rank) {
      row.rank.replaceChildren(srOnly('Rank '), String(movie.rank), srOnly(', '));
      row.li.dataset.rank = String(movie.rank);
    }
    if (first || old.title !== movie.title) row.title.textContent = movie.title;
    if (first || old.year !== movie.year)
      row.year.replaceChildren(
        movie.year === undefined ? '' : srOnly(', '),
        movie.year === undefined ? '' : String(movie.year),
      );
    if (first || old.count !== movie.count) {
      row.count.replaceChildren(
        srOnly(', '),
        h('span', { class: 'count-n' }, formatCount(movie.count)),
        h('span', { class: 'count-unit' }, movie.count === 1 ? ' post' : ' posts'),
      );
      row.li.dataset.count = String(movie.count);
      if (!first) {
        // Restart the CSS highlight (styles.css .bump; none with reduced motion).
        row.count.classList.remove('bump');
        void row.count.offsetWidth;
        row.count.classList.add('bump');
      }
    }
    row.bar.style.setProperty('--share', String(Math.max(0.02, movie.count / top)));
    const trend = typeof movie.trend === 'number' ? movie.trend : 0;
    if (first || old.trend !== movie.trend) {
      const on = trend >= TRENDING_AT;
      row.li.classList.toggle('trending', on);
      row.li.dataset.trend = String(trend);
      row.trend.replaceChildren(
        ...(on
          ? [
              srOnly(', trending: '),
              flame(),
              h('span', { class: 'trend-x' }, formatTrend(trend)),
              srOnly(' its usual rate'),
            ]
          : []),
      );
    }
    this.fillMove(row, this.moves.moveOf(movie.id, now));
  }

  private fillMove(row: Row, move: Move | undefined): void {
    const key =
      move === undefined ? '' : move.kind === 'new' ? 'new' : `${move.kind}${move.places}`;
    if (row.move.dataset.key === key) return;
    row.move.dataset.key = key;
    row.move.className = `move${move === undefined ? '' : ` ${move.kind}`}`;
    row.li.dataset.move = key;
    if (move === undefined) row.move.replaceChildren();
    else if (move.kind === 'new') row.move.replaceChildren(srOnly(', '), 'new');
    else
      row.move.replaceChildren(
        h('span', { 'aria-hidden': 'true' }, move.kind === 'up' ? '▲' : '▼'),
        srOnly(move.kind === 'up' ? ', up ' : ', down '),
        String(move.places),
        srOnly(move.places === 1 ? ' place' : ' places'),
      );
  }

  // ---- motion ----

  private positions(): Map<number, number> {
    const out = new Map<number, number>();
    const view = window.innerHeight;
    for (const [id, row] of this.rows) {
      const top = row.li.getBoundingClientRect().top;
      // Only rows near the screen are animated; the rest would be work nobody sees.
      if (top > -view && top < 2 * view) out.set(id, top);
    }
    return out;
  }

  private glide(before: Map<number, number>): void {
    for (const [id, top] of before) {
      const row = this.rows.get(id);
      if (row === undefined) continue;
      const dy = top - row.li.getBoundingClientRect().top;
      if (Math.abs(dy) < 1) continue;
      row.li.animate([{ transform: `translateY(${dy}px)` }, { transform: 'none' }], {
        duration: 450,
        easing: 'cubic-bezier(.2,.7,.2,1)',
      });
    }
  }

  // ---- keyboard ----

  private setTabStop(id: number | null): void {
    if (this.tabStop === id) return;
    if (this.tabStop !== null) this.rows.get(this.tabStop)?.button.setAttribute('tabindex', '-1');
    this.tabStop = id;
    if (id !== null) this.rows.get(id)?.button.setAttribute('tabindex', '0');
  }

  private key(ev: KeyboardEvent): void {
    const buttons = [...this.list.querySelectorAll<HTMLButtonElement>('.movie-button')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at === -1) return;
    let to: number;
    switch (ev.key) {
      case 'ArrowDown':
        to = Math.min(buttons.length - 1, at + 1);
        break;
      case 'ArrowUp':
        to = Math.max(0, at - 1);
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = buttons.length - 1;
        break;
      default:
        return;
    }
    ev.preventDefault();
    buttons[to]?.focus();
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** The trending mark: a small flame, drawn inline (no icon font, no request). */
function flame(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', 'trend-icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute(
    'd',
    'M8.6 1c.3 2.2-.9 3.4-2 4.6C5.4 6.9 4 8.3 4 10.4 4 13 5.9 15 8.3 15c2.5 0 4.2-1.9 4.2-4.5 0-1.6-.7-2.9-1.5-3.9-.1 1.1-.6 2-1.5 2.4.4-2.9-.2-5.9-2.9-8z',
  );
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}
