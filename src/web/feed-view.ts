/**
 * A movie's live feed: the backlog first (the server sends it oldest first, so each post
 * is put on top as it arrives and the newest ends up first), then live posts on top.
 * At most `MAX_POSTS` stay on the page; older ones are dropped from the bottom.
 *
 * Screen readers: the list itself is not a live region (a busy film gets several posts
 * a second, and reading each would drown everything else); a polite status line
 * (#feed-announcer) says at most every ANNOUNCE_EVERY_MS how many new posts arrived and
 * who wrote the latest.
 */
import type { Post, RankedMovie } from '../client/index.js';
import { byId, h, srOnly } from './dom.js';
import { formatAbsolute, formatAgo, formatCount, hueOf, initials, sourceName } from './format.js';

export const MAX_POSTS = 200;
const ANNOUNCE_EVERY_MS = 10_000;
/**
 * The backlog ends with the SDK's `live` event (the server's `feed_started`, PROTOCOL.md
 * § 5); a server too old to send it is taken as live this long after opening.
 */
const LIVE_FALLBACK_MS = 5000;

export class FeedView {
  private readonly section = byId<HTMLElement>('feed');
  private readonly title = byId<HTMLHeadingElement>('feed-title');
  private readonly meta = byId<HTMLElement>('feed-meta');
  private readonly list = byId<HTMLOListElement>('posts');
  private readonly empty = byId<HTMLElement>('feed-empty');
  private readonly announcer = byId<HTMLElement>('feed-announcer');
  private movieId: number | null = null;
  private movieTitle = '';
  private backlog = true;
  private pending = 0;
  private latestAuthor = '';
  private announceTimer: ReturnType<typeof setTimeout> | null = null;
  private quietTimer: ReturnType<typeof setTimeout> | null = null;

  get shown(): number | null {
    return this.movieId;
  }

  /** Opens a movie's feed (empty until its backlog arrives). */
  open(movieId: number, movie: RankedMovie | undefined): void {
    this.movieId = movieId;
    this.movieTitle = movie?.title ?? `Movie ${movieId}`;
    this.backlog = true;
    this.pending = 0;
    this.list.replaceChildren();
    this.list.setAttribute('aria-busy', 'true');
    this.section.dataset.movieId = String(movieId);
    this.section.classList.add('open');
    this.title.textContent = this.movieTitle;
    this.updateMovie(movie);
    this.setEmpty('Loading the latest posts…');
    this.armFallback();
  }

  close(): void {
    this.movieId = null;
    this.list.replaceChildren();
    this.section.classList.remove('open');
    delete this.section.dataset.movieId;
    this.title.textContent = 'Pick a movie';
    this.meta.textContent = '';
    this.setEmpty('Pick a movie from the ranking to see what people are saying about it, live.');
  }

  /** The shown movie's figures, on each ranking push. */
  updateMovie(movie: RankedMovie | undefined): void {
    if (movie === undefined || movie.id !== this.movieId) return;
    this.meta.replaceChildren(
      h('span', { class: 'meta-rank' }, `#${movie.rank}`),
      ' · ',
      `${formatCount(movie.count)} ${movie.count === 1 ? 'post' : 'posts'} in the past hour`,
      movie.year === undefined ? '' : ` · ${movie.year}`,
    );
  }

  add(post: Post, now: number): void {
    if (post.movieId !== this.movieId) return;
    const live = !this.backlog;
    if (post.gap)
      this.list.prepend(
        h(
          'li',
          { class: 'gap', role: 'separator' },
          'Some posts were missed while the connection was down.',
        ),
      );
    // The live rate cap (PROTOCOL.md § 7 "Hot feeds") left out `skipped` posts between
    // the previous one and this: say so where they would have been, under this one.
    if (post.skipped > 0)
      this.list.prepend(
        h(
          'li',
          { class: 'skipped', 'data-skipped': post.skipped },
          `+${formatCount(post.skipped)} more ${post.skipped === 1 ? 'post' : 'posts'}`,
          srOnly(' not shown live: too many to read'),
        ),
      );
    const li = this.card(post, now, live);
    this.list.prepend(li);
    while (this.list.childElementCount > MAX_POSTS) this.list.lastElementChild?.remove();
    this.setEmpty(null);
    if (live) this.announce(post);
  }

  /** The backlog (or a resume) of the shown movie is delivered: what follows is live. */
  live(movieId: number, backlog: number): void {
    if (movieId !== this.movieId || !this.backlog) return;
    this.endBacklog(backlog);
  }

  /** Refreshes the "3 min ago" times (called on the page's clock tick). */
  tick(now: number): void {
    for (const t of this.list.querySelectorAll<HTMLTimeElement>('time[data-ms]'))
      t.textContent = formatAgo(Number(t.dataset.ms), now);
  }

  focusTitle(): void {
    this.title.focus();
  }

  // ---- internals ----

  private card(post: Post, now: number, live: boolean): HTMLLIElement {
    const { tweet } = post;
    const at = Date.parse(tweet.created_at);
    const ms = Number.isNaN(at) ? now : at;
    const handle = tweet.user.handle;
    const link =
      typeof tweet.url === 'string' && /^https?:\/\//i.test(tweet.url)
        ? h(
            'a',
            {
              class: 'original',
              href: tweet.url,
              target: '_blank',
              rel: 'noopener noreferrer nofollow',
            },
            `View on ${sourceName(tweet.source)}`,
            srOnly(` (post by ${tweet.user.name}, opens in a new tab)`),
          )
        : null;
    // A synthetic post (the demo stream) has no original to link to; it says so once,
    // quietly, in its byline.
    const tag =
      link === null && tweet.source === 'synthetic'
        ? h(
            'span',
            { class: 'tag', title: 'Made up by the synthetic stream: there is no original' },
            'synthetic',
          )
        : null;
    const article = h(
      'article',
      { class: 'post', 'aria-label': `Post by ${tweet.user.name}` },
      avatar(tweet.user.id, tweet.user.name),
      h(
        'div',
        { class: 'post-body' },
        h(
          'p',
          { class: 'byline' },
          h('span', { class: 'author' }, tweet.user.name),
          handle === undefined ? '' : h('span', { class: 'handle' }, ` @${handle}`),
          h('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '),
          srOnly(', '),
          h(
            'time',
            { datetime: new Date(ms).toISOString(), title: formatAbsolute(ms), 'data-ms': ms },
            formatAgo(ms, now),
          ),
          tag === null ? '' : srOnly(', '),
          tag,
        ),
        h('p', { class: 'text', lang: tweet.lang }, tweet.text),
        link,
      ),
    );
    return h(
      'li',
      {
        class: `post-item${live ? ' live' : ''}`,
        'data-post-id': post.postId,
        'data-live': String(live),
      },
      article,
    );
  }

  private armFallback(): void {
    if (this.quietTimer !== null) clearTimeout(this.quietTimer);
    const movieId = this.movieId;
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null;
      if (this.movieId === movieId && this.backlog)
        this.endBacklog(this.list.querySelectorAll('.post-item').length);
    }, LIVE_FALLBACK_MS);
  }

  private endBacklog(n: number): void {
    if (this.quietTimer !== null) clearTimeout(this.quietTimer);
    this.quietTimer = null;
    this.backlog = false;
    this.list.setAttribute('aria-busy', 'false');
    if (n === 0 && this.list.childElementCount === 0)
      this.setEmpty('No posts in the past hour yet. New ones appear here as they are posted.');
    this.say(
      n === 0
        ? `${this.movieTitle}: no recent posts yet.`
        : `${this.movieTitle}: ${n} recent ${n === 1 ? 'post' : 'posts'}. New posts appear at the top.`,
    );
  }

  private announce(post: Post): void {
    this.pending++;
    this.latestAuthor = post.tweet.user.name;
    if (this.announceTimer !== null) return;
    this.announceTimer = setTimeout(() => {
      this.announceTimer = null;
      if (this.pending === 0) return;
      const n = this.pending;
      this.pending = 0;
      this.say(
        `${n} new ${n === 1 ? 'post' : 'posts'} about ${this.movieTitle}, the latest by ${this.latestAuthor}.`,
      );
    }, ANNOUNCE_EVERY_MS);
  }

  private say(text: string): void {
    this.announcer.textContent = text;
  }

  private setEmpty(text: string | null): void {
    this.empty.hidden = text === null;
    if (text !== null) this.empty.textContent = text;
  }
}

/**
 * A coloured circle with initials. Its hue goes through the CSSOM: the page's
 * Content-Security-Policy (style-src 'self') refuses style attributes.
 */
function avatar(userId: string, name: string): HTMLSpanElement {
  const el = h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(name));
  el.style.setProperty('--hue', String(hueOf(userId)));
  return el;
}
