/**
 * The operator-facing source options, declared once (src/options/declare.ts): the
 * flags of `filmgrain feeder`/`start` and their bounds come from this table; the
 * sources' own option types (synthetic.ts, replay.ts, …) keep their library defaults
 * in step with it (`rate`: 20).
 */
import { int, num, oneOf, str } from '../../options/declare.js';

export const SOURCE_OPTIONS = {
  kind: oneOf({
    flag: 'source',
    env: 'FILMGRAIN_SOURCE',
    words: ['synthetic', 'jetstream', 'x', 'replay'] as const,
    default: 'synthetic',
    value: 'KIND',
    doc: 'where posts come from: synthetic | jetstream | x | replay',
  }),
  rate: num({
    flag: 'rate',
    env: 'FILMGRAIN_RATE',
    default: 20,
    above: true,
    min: 0,
    // The synthetic source makes rate × tick posts per event-loop turn. X's whole
    // public firehose averages ~6,000 posts/s; 10,000 is past any real stream, and at
    // 1e12 one turn would never end (the process stopped answering, grew ~80 MB/s and
    // ignored SIGTERM). Load tests that want more use bench:feeder (unbounded mode).
    max: 10_000,
    doc: 'synthetic source: posts per second',
  }),
  seed: int({
    flag: 'seed',
    env: 'FILMGRAIN_SEED',
    default: undefined,
    min: 0,
    max: 4_294_967_295,
    doc: 'synthetic source: PRNG seed, so a restarted process talks about the same films as much as before (default: random)',
  }),
  replay: str({
    flag: 'replay',
    env: 'FILMGRAIN_REPLAY',
    value: 'FILE',
    doc: 'replay source: NDJSON file of posts, or - for standard input',
  }),
  speed: str({
    flag: 'speed',
    env: 'FILMGRAIN_SPEED',
    value: 'N|max',
    doc: 'replay source: N× the recorded pace, or max (default: recorded pace; max for stdin)',
    check: (v) =>
      v === 'max' || (Number(v) > 0 && Number(v) <= 1_000_000)
        ? null
        : `must be a number in (0, 1,000,000] or max, not "${v}"`,
  }),
  jetstreamUrl: str({
    flag: 'jetstream-url',
    env: 'FILMGRAIN_JETSTREAM_URL',
    value: 'URL',
    doc: 'jetstream source: subscribe URL (default: the public Bluesky Jetstream)',
    check: (v) => (URL.canParse(v) ? null : `must be a URL, not "${v}"`),
  }),
  xBaseUrl: str({
    flag: 'x-base-url',
    env: 'FILMGRAIN_X_BASE_URL',
    value: 'URL',
    doc: 'x source: API base URL (default https://api.x.com; token from X_BEARER_TOKEN)',
    check: (v) => (URL.canParse(v) ? null : `must be a URL, not "${v}"`),
  }),
} as const;
