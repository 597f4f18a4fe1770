/**
 * Replay source: an NDJSON recording, from a file or standard input (`-`).
 *
 * Each line is detected on its own, so recordings may mix formats:
 * - a Jetstream event (`kind` + `time_us`; jetstream-format.ts) → source `bluesky`;
 * - an X filtered-stream line (`data` or `errors`; x-format.ts) → source `x`;
 * - a normalized `Tweet` (`id`, `text`, `user`, `created_at`) → its own `source`.
 * Posts keep their original source and id, so a replay that overlaps a live stream is
 * deduplicated downstream instead of counted twice. Blank lines are skipped; anything
 * else is malformed (counted, never fatal).
 *
 * Pace: `recorded` sleeps the recorded gaps (divided by `speed`); `max` goes as fast as
 * the consumer allows — the read loop awaits each chunk (stream backpressure) and yields
 * to the event loop between batches so I/O and timers keep running.
 */
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { type Clock, realClock } from '../../clock/clock.js';
import type { Tweet } from '../../protocol/index.js';
import { doneSignal, type Source, type SourceStats } from '../source.js';
import { fromJetstreamEvent } from './jetstream-format.js';
import { TextLineSplitter } from './lines.js';
import { fromXObject } from './x-format.js';

export interface ReplayOptions {
  kind: 'replay';
  /** NDJSON file, or `-` for standard input. */
  path: string;
  /** Read this stream instead of `path` (pipes, tests). Default: none. */
  input?: Readable;
  /** `recorded` (follow the gaps) or `max`. Default: `recorded` for files, `max` for `-`/`input`. */
  pace?: 'recorded' | 'max';
  /** Recorded pace multiplier: 10 plays ten times faster. Default 1. */
  speed?: number;
  /** Longest recorded gap honoured, ms (dead time in a recording is skipped). Default 60_000. */
  maxGapMs?: number;
  /** Posts per batch in `max` pace. Default 1_000. */
  batchSize?: number;
  /** Longest line accepted. Default 1 Mi characters. */
  maxLineLength?: number;
  /** Timers for pacing. Default: the real ones. */
  clock?: Clock;
  /**
   * Called for each malformed line (1-based line number, why, and its first 200
   * characters) so the operator can be told; it is counted in `stats().malformed` too.
   */
  onMalformed?: (lineNo: number, reason: 'json' | 'shape' | 'too_long', sample: string) => void;
}

export interface ReplayStats extends SourceStats {
  lines: number;
  /** Set when the input could not be read. */
  error?: string;
}

type Parsed = { post: Tweet; at: number } | 'skip' | 'malformed';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SOURCES = new Set(['bluesky', 'x', 'replay', 'synthetic']);

function asTweet(o: Record<string, unknown>): Tweet | undefined {
  const { id, text, user, created_at: created } = o;
  if (typeof id !== 'string' || typeof text !== 'string' || typeof created !== 'string') return;
  if (!isObject(user) || typeof user.id !== 'string') return;
  const ms = Date.parse(created);
  if (!Number.isFinite(ms)) return;
  const t: Tweet = {
    id,
    text,
    user: { id: user.id, name: typeof user.name === 'string' ? user.name : user.id },
    created_at: new Date(ms).toISOString(),
    source:
      typeof o.source === 'string' && SOURCES.has(o.source)
        ? (o.source as Tweet['source'])
        : 'replay',
  };
  if (typeof user.handle === 'string') t.user.handle = user.handle;
  if (typeof o.lang === 'string') t.lang = o.lang;
  if (typeof o.url === 'string') t.url = o.url;
  return t;
}

/** Detects the format of one line and normalizes it. Exported for tests and the bench. */
export function parseReplayLine(line: string): Parsed {
  if (line.trim().length === 0) return 'skip';
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return 'malformed';
  }
  if (!isObject(obj)) return 'malformed';
  if ('kind' in obj && 'time_us' in obj) {
    const r = fromJetstreamEvent(obj);
    if (r.type === 'post') return { post: r.post, at: r.timeUs / 1000 };
    return r.type === 'other' ? 'skip' : 'malformed';
  }
  if ('data' in obj || 'errors' in obj) {
    const r = fromXObject(obj);
    if (r.type === 'post') return { post: r.post, at: Date.parse(r.post.created_at) };
    return r.type === 'error' ? 'skip' : 'malformed';
  }
  const t = asTweet(obj);
  return t ? { post: t, at: Date.parse(t.created_at) } : 'malformed';
}

function looksLikeJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

export class ReplaySource implements Source {
  readonly name = 'replay';
  private readonly ending = doneSignal();
  readonly done = this.ending.done;
  private readonly clock: Clock;
  private readonly counters: ReplayStats = { posts: 0, malformed: 0, connects: 0, lines: 0 };
  private running = false;
  private input: Readable | undefined;
  private sleeper: { timer: unknown; wake: () => void } | undefined;

  constructor(private readonly opts: ReplayOptions) {
    this.clock = opts.clock ?? realClock;
    // Fail fast on a missing file or a directory: a configuration error, not a stream
    // event (a directory used to run forever producing nothing).
    if (!opts.input && opts.path !== '-') {
      let isFile: boolean;
      try {
        isFile = statSync(opts.path).isFile();
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new Error(`--replay ${opts.path}: cannot read (${e.code ?? e.message})`);
      }
      if (!isFile)
        throw new Error(
          `--replay ${opts.path}: not a file (a directory?); give an NDJSON file, or - for standard input`,
        );
    }
  }

  start(emit: (posts: Tweet[]) => void): void {
    if (this.running) return;
    this.running = true;
    this.counters.connects++;
    this.run(emit).then(
      () => this.finish(),
      (err: unknown) => {
        this.counters.error = err instanceof Error ? err.message : String(err);
        this.finish();
      },
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.sleeper) {
      this.clock.clearTimeout(this.sleeper.timer);
      this.sleeper.wake();
    }
    // Standard input belongs to the process; only streams we opened are destroyed.
    if (this.input && this.input !== process.stdin && !this.opts.input) this.input.destroy();
    // A stream we do not own may stay open and silent: the read loop would wait for its
    // next chunk (or EOF) before `done`, and an open stdin keeps the process alive, so
    // SIGTERM on `--replay -` hung forever (found by test/chaos). Stop waiting and stop
    // reading: the loop breaks on a later chunk, emitting nothing.
    else if (this.input !== undefined) {
      this.input.pause();
      if (this.input === process.stdin) process.stdin.unref?.();
      this.finish();
    }
    await this.done;
  }

  stats(): ReplayStats {
    return { ...this.counters };
  }

  private finish(): void {
    this.running = false;
    this.ending.finish();
  }

  private open(): Readable {
    if (this.opts.input) return this.opts.input;
    if (this.opts.path === '-') return process.stdin;
    return createReadStream(this.opts.path);
  }

  private async run(emit: (posts: Tweet[]) => void): Promise<void> {
    const live = this.opts.input !== undefined || this.opts.path === '-';
    const pace = this.opts.pace ?? (live ? 'max' : 'recorded');
    const speed = this.opts.speed && this.opts.speed > 0 ? this.opts.speed : 1;
    const maxGap = this.opts.maxGapMs ?? 60_000;
    const batchSize = this.opts.batchSize ?? 1_000;
    const splitter = new TextLineSplitter({
      maxLineLength: this.opts.maxLineLength ?? 1024 * 1024,
    });
    const input = this.open();
    this.input = input;
    input.setEncoding('utf8');
    let batch: Tweet[] = [];
    let prevAt: number | undefined;
    let lineNo = 0;
    const flush = () => {
      if (batch.length === 0) return;
      this.counters.posts += batch.length;
      const out = batch;
      batch = [];
      emit(out);
    };
    const handle = async (events: ReturnType<TextLineSplitter['push']>) => {
      for (const ev of events) {
        if (!this.running) return;
        lineNo++;
        if (ev.type === 'overflow') {
          this.counters.malformed++;
          this.opts.onMalformed?.(lineNo, 'too_long', '');
          continue;
        }
        this.counters.lines++;
        const p = parseReplayLine(ev.line);
        if (p === 'skip') continue;
        if (p === 'malformed') {
          this.counters.malformed++;
          this.opts.onMalformed?.(
            lineNo,
            looksLikeJson(ev.line) ? 'shape' : 'json',
            ev.line.slice(0, 200),
          );
          continue;
        }
        if (pace === 'recorded') {
          const gap = prevAt === undefined ? 0 : Math.min(Math.max(0, p.at - prevAt), maxGap);
          prevAt = prevAt === undefined ? p.at : Math.max(prevAt, p.at);
          const wait = Math.round(gap / speed);
          if (wait > 0) {
            flush();
            await this.sleep(wait);
            if (!this.running) return;
          }
        }
        batch.push(p.post);
        if (batch.length >= batchSize) {
          flush();
          await new Promise<void>((r) => setImmediate(r));
        }
      }
      // Whatever this chunk completed goes out now: a pipe's posts are not held back.
      flush();
    };
    for await (const chunk of input) {
      if (!this.running) break;
      await handle(splitter.push(String(chunk)));
    }
    if (this.running) await handle(splitter.end());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.sleeper = undefined;
        resolve();
      }, ms);
      this.sleeper = { timer, wake: resolve };
    });
  }
}
