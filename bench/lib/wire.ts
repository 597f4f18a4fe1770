/**
 * What the benchmark injects and how clients recognise it. Every injected post carries
 * `fgb.<phase>.<movie>.<mseq>.<g>.<sentUs>` as its tweet id: warm-up (phase 0) or
 * measured (1), the movie, its sequence number within the movie (1-based, for lost and
 * duplicate counts), its global sequence number and its send time in µs on
 * CLOCK_MONOTONIC (shared by all processes). The marker appears exactly once per
 * delivered message whatever the server (Filmgrain, the reference, NATS), so clients
 * find messages by scanning bytes for it — no JSON parse on the receive path.
 */

export const MARKER = Buffer.from('fgb.');

export interface Mark {
  phase: number;
  movie: number;
  mseq: number;
  g: number;
  sentUs: number;
}

export function tweetId(m: Mark): string {
  return `fgb.${m.phase}.${m.movie}.${m.mseq}.${m.g}.${m.sentUs}`;
}

/** The normalized post fed to `filmgrain start --source replay --replay -`. */
export function benchTweet(m: Mark, title: string, runTag: string): string {
  return JSON.stringify({
    id: tweetId(m),
    text: `Just watched ${title} in the cinema, what a movie. Bench post ${m.g}.`,
    user: { id: `bench-${runTag}-${m.g}`, name: 'Bench author' },
    created_at: new Date().toISOString(),
    source: 'replay',
  });
}

/**
 * The line Filmgrain would deliver for that post (same shape and size), which the
 * reference server and NATS carry verbatim.
 */
export function deliveredLine(m: Mark, title: string, runTag: string): string {
  const tweet = JSON.parse(benchTweet(m, title, runTag)) as Record<string, unknown>;
  tweet.source = 'replay';
  const postId = `${Date.now()}-${m.mseq}`;
  return `${JSON.stringify({ action: 'post_tweet', params: { movie_id: m.movie, post_id: postId, tweet } })}\n`;
}

/**
 * Calls `found` for each marker in `buf[from, to)`. Returns nothing; parsing is by hand
 * (digits and dots) so the load generator stays cheap next to the server it measures.
 */
export function scanMarks(
  buf: Buffer,
  from: number,
  to: number,
  found: (phase: number, movie: number, mseq: number, sentUs: number) => void,
): void {
  let pos = from;
  for (;;) {
    const at = buf.indexOf(MARKER, pos);
    if (at === -1 || at >= to) return;
    let p = at + 4;
    const fields = [0, 0, 0, 0, 0];
    for (let f = 0; f < 5; f++) {
      let v = 0;
      for (;;) {
        const c = buf[p]!;
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
        p++;
      }
      fields[f] = v;
      p++; // the dot (or the closing quote after the last field)
    }
    found(fields[0]!, fields[1]!, fields[2]!, fields[4]!);
    pos = p;
  }
}
