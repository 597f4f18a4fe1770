/**
 * The Filmgrain web app: the live ranking of the past hour and one movie's live feed,
 * over the portable SDK (`filmgrain/client`, WebSocket transport, discovery with fetch).
 * The SDK does the hard parts — reconnect with back-off, redirects, resume with `since`
 * and dropping repeats — so a restarted endpoint costs the page no post and shows none
 * twice; this file only wires its events to the three views.
 *
 * The open movie is in the address (`#/movie/693134`), so Back closes it and a link
 * opens it.
 */
import { createClient, type RankedMovie } from '../client/index.js';
import { loadConfig } from './config.js';
import { byId } from './dom.js';
import { FeedView } from './feed-view.js';
import { formatClock } from './format.js';
import { RankingView } from './ranking-view.js';
import { StatusView } from './status-view.js';

/** The page shows the top 50 (PROTOCOL.md § 4 `ranking_size`): a screen's worth twice. */
const RANKING_SIZE = 50;
/** One column (phone): the feed replaces the ranking instead of sitting beside it. */
const NARROW = window.matchMedia('(max-width: 819px)');

const config = await loadConfig(new URL(location.href), fetch.bind(globalThis));
const client = createClient({
  directory: config.directory,
  rankingSize: RANKING_SIZE,
  // A person reads the feed: at most 10 live posts a second, the rest counted as "+N more".
  liveCap: true,
  client: { name: 'filmgrain-web', version: '0.1.0', platform: 'web' },
});
new StatusView(client);

const feed = new FeedView();
const updated = byId<HTMLElement>('updated');
const rankingEmpty = byId<HTMLElement>('ranking-empty');
/** True while the open movie's history entry was pushed by this page (Back closes it). */
let pushed = false;
const ranking = new RankingView(byId<HTMLOListElement>('movies'), (movie) => {
  if (feed.shown === movie.id) return;
  // Switching films replaces the entry, so Back always returns to the ranking.
  if (feed.shown !== null && pushed) history.replaceState(null, '', `#/movie/${movie.id}`);
  else {
    history.pushState(null, '', `#/movie/${movie.id}`);
    pushed = true;
  }
  route();
});

client.on('ranking', ({ movies, generatedAt }) => {
  const now = Date.now();
  ranking.render(movies, now);
  rankingEmpty.hidden = movies.length > 0;
  if (generatedAt > 0) {
    updated.textContent = `Updated ${formatClock(generatedAt)}`;
    updated.setAttribute('datetime', new Date(generatedAt).toISOString());
  }
  const shown = feed.shown;
  if (shown !== null) feed.updateMovie(movies.find((m) => m.id === shown));
  // A movie opened from a link before the first ranking gets its title now.
  if (shown !== null && document.title.startsWith('Movie ')) setTitle(ranking.movie(shown));
});
client.on('post', (post) => feed.add(post, Date.now()));
client.on('live', ({ movieId, backlog }) => feed.live(movieId, backlog));

function setTitle(movie: RankedMovie | undefined): void {
  document.title = movie === undefined ? 'Filmgrain: movies, live' : `${movie.title} · Filmgrain`;
}

/** Opens the movie named in the address, or none. */
function route(): void {
  const m = /^#\/movie\/(\d{1,15})$/.exec(location.hash);
  const id = m === null ? null : Number(m[1]);
  const was = feed.shown;
  if (id === was) return;
  if (was !== null) client.unfollow(was);
  if (id === null) {
    feed.close();
    ranking.select(null);
    document.body.classList.remove('feed-open');
    setTitle(undefined);
    if (was !== null && NARROW.matches) ranking.focus(was);
    return;
  }
  const movie = ranking.movie(id);
  feed.open(id, movie);
  ranking.select(id);
  document.body.classList.add('feed-open');
  setTitle(movie);
  try {
    client.follow(id);
  } catch (err) {
    feed.close();
    console.error(err);
    return;
  }
  // On a phone the feed takes the screen: move focus there. On a desktop it sits beside
  // the list, and focus stays in the list so the arrows keep working.
  if (NARROW.matches) feed.focusTitle();
}

byId<HTMLButtonElement>('back').addEventListener('click', () => {
  if (pushed) history.back();
  else {
    history.replaceState(null, '', location.pathname + location.search);
    route();
  }
});
window.addEventListener('popstate', () => {
  pushed = false;
  route();
});
window.addEventListener('hashchange', route);
setInterval(() => {
  const now = Date.now();
  ranking.tick(now);
  feed.tick(now);
}, 5_000);

feed.close();
route();
void client.connect();
