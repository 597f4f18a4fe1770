/**
 * The full-screen layout, as a pure function of the model and the terminal size: one
 * string per row, each exactly `cols` cells wide (ANSI colours add no cells). Wide
 * terminals (≥ 70 columns) put ranking and feed side by side; narrow ones stack them.
 *
 *  row 0        title bar
 *  rows 1..n-3  ranking │ feed
 *  row n-2      status: state, endpoint, round trip, reconnects
 *  row n-1      keys
 */
import type { Move, WatchModel } from './model.js';
import { fit, textWidth, wrap } from './width.js';

const SGR = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  inverse: '\x1b[7m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
};

const ARROWS: Record<Move, string> = {
  up: `${SGR.green}▲${SGR.reset}`,
  down: `${SGR.red}▼${SGR.reset}`,
  new: `${SGR.yellow}★${SGR.reset}`,
  same: `${SGR.dim}·${SGR.reset}`,
};

/** A pane: `width` × `height` cells of plain-width lines (may contain SGR codes). */
type Pane = string[];

function rankingPane(m: WatchModel, width: number, height: number): Pane {
  const countW = 6;
  // marker 1, rank 3, space, arrow, space, title, space, count, space
  const titleW = Math.max(4, width - 9 - countW);
  const header = `${SGR.bold}${fit('  #   Title', width - countW - 1)}${'1h'.padStart(countW)} ${SGR.reset}`;
  const rows: Pane = [header];
  const body = height - 1;
  if (m.movies.length === 0) rows.push(fit('  waiting for the ranking…', width));
  // Scroll so the selection stays visible.
  const top = Math.max(0, Math.min(m.selected - body + 1, m.movies.length - body));
  for (const [i, movie] of m.movies.slice(Math.max(0, top), Math.max(0, top) + body).entries()) {
    const index = i + Math.max(0, top);
    const followed = movie.id === m.followed ? `${SGR.cyan}●${SGR.reset}` : ' ';
    const arrow = ARROWS[m.moves.get(movie.id) ?? 'same'];
    const rank = String(movie.rank).padStart(3);
    const count = String(movie.count).padStart(countW);
    // Trending (PROTOCOL.md § 5: trend ≥ 2, twice its usual rate) shows as its multiple.
    const trend = typeof movie.trend === 'number' && movie.trend >= 2 ? ` ↑${movie.trend}×` : '';
    const title = fit(movie.title + trend, titleW);
    const line = `${followed}${rank} ${arrow} ${title} ${count} `;
    rows.push(
      index === m.selected
        ? `${SGR.inverse}${line.replaceAll(SGR.reset, SGR.reset + SGR.inverse)}${SGR.reset}`
        : line,
    );
  }
  while (rows.length < height) rows.push(' '.repeat(width));
  return rows.slice(0, height);
}

function feedPane(m: WatchModel, width: number, height: number): Pane {
  const title =
    m.followed === undefined
      ? 'Feed — select a movie, Enter follows it'
      : `Feed: ${m.title(m.followed)}`;
  const rows: Pane = [`${SGR.bold}${fit(` ${title}`, width)}${SGR.reset}`];
  const body = height - 1;
  // Newest at the bottom, like a chat: walk back from the newest until the pane is full.
  const lines: string[] = [];
  for (let i = m.feed.length - 1; i >= 0 && lines.length < body; i--) {
    const p = m.feed[i]!;
    const head = `${p.time} ${p.author}`;
    const text = wrap(p.text, width - 3, 4).map((l) => `   ${fit(l, width - 3)}`);
    const block = [
      `${SGR.dim} ${fit(head, width - 1)}${SGR.reset}`.replace(
        p.author,
        `${SGR.reset}${SGR.cyan}${p.author}${SGR.reset}${SGR.dim}`,
      ),
      ...text,
    ];
    // The terminal asks for the readable rate (live_cap): what it left out, it counts.
    if (p.skipped > 0)
      block.unshift(`${SGR.dim}${fit(` … +${p.skipped} more`, width)}${SGR.reset}`);
    if (p.gap)
      block.unshift(`${SGR.yellow}${fit(' … some earlier posts were missed', width)}${SGR.reset}`);
    lines.unshift(...block);
  }
  const shown = lines.slice(Math.max(0, lines.length - body));
  if (shown.length === 0)
    shown.push(fit(m.followed === undefined ? '' : '  waiting for posts…', width));
  while (shown.length < body) shown.unshift(' '.repeat(width));
  return [...rows, ...shown];
}

function statusLine(m: WatchModel, cols: number): string {
  const colour = m.state === 'connected' ? SGR.green : m.state === 'closed' ? SGR.red : SGR.yellow;
  const parts = [
    `${m.endpoint || '—'}`,
    `rtt ${m.rttMs === undefined ? '—' : `${m.rttMs} ms`}`,
    `reconnects ${m.reconnects}`,
  ];
  if (m.notice !== '' && m.state !== 'connected') parts.push(m.notice);
  const state = ` ● ${m.state} `;
  return `${colour}${state}${SGR.reset}${fit(` ${parts.join('  │  ')}`, cols - textWidth(state))}`;
}

export function render(m: WatchModel, cols: number, rows: number): string[] {
  const out: string[] = [];
  const brand = ' FILMGRAIN — live movie ranking, past hour';
  out.push(`${SGR.inverse}${SGR.bold}${fit(brand, cols)}${SGR.reset}`);
  const bodyH = Math.max(2, rows - 3);
  if (cols >= 70) {
    const leftW = Math.min(44, Math.floor(cols * 0.45));
    const rightW = cols - leftW - 1;
    const left = rankingPane(m, leftW, bodyH);
    const right = feedPane(m, rightW, bodyH);
    for (let i = 0; i < bodyH; i++) out.push(`${left[i]}${SGR.dim}│${SGR.reset}${right[i]}`);
  } else {
    const topH = Math.max(2, Math.floor(bodyH / 2));
    out.push(...rankingPane(m, cols, topH));
    out.push(...feedPane(m, cols, bodyH - topH));
  }
  out.push(statusLine(m, cols));
  out.push(`${SGR.dim}${fit(' ↑/↓ j/k move   Enter follow   q quit', cols)}${SGR.reset}`);
  return out.slice(0, rows);
}
