/**
 * `filmgrain match [--catalog FILE]`: NDJSON posts `{"id": string, "text": string, ...}`
 * on stdin → one `{"id": <same>, "movie_ids": [...ascending]}` line per input line, in
 * order (issue 3 §2; outside checks depend on this exact interface). A bad line (not
 * JSON, wrong fields, blank, not UTF-8, longer than MAX_LINE_BYTES) is reported on
 * stderr with its line number and skipped, and every other line still gets its output
 * line; exit 0 unless the catalog is invalid (then 1). Input is split by the protocol's
 * sans-I/O LineSplitter (bounded memory per line), output is batched into large writes.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOG_PATH, loadCatalog } from '../../matching/catalog.js';
import { compileMatcher, type Matcher } from '../../matching/matcher.js';
import { LineSplitter } from '../../protocol/framing.js';
import type { Command } from '../command.js';

const HELP = `usage: filmgrain match [--catalog FILE] < posts.ndjson > matches.ndjson

Reads NDJSON posts {"id": string, "text": string, ...} on standard input and writes
{"id": <same>, "movie_ids": [<ascending ints>]} for each, in order. A bad line is
reported on standard error with its line number and skipped (so is a line longer than
1 MiB); the others are still answered. Exit 1 only when the catalog is invalid.

options:
  --catalog FILE  catalog JSON (default: the shipped data/catalog.json)
  -h, --help      this text`;

/** Output is flushed once this many characters are pending (one write per ~64 KB). */
const FLUSH_CHARS = 64 * 1024;
/** A post is at most a few KB; a longer line is a broken file, skipped without buffering it. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** One input line → its output line, or an error message. */
export function matchLine(matcher: Matcher, line: string): { out: string } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { error: `not valid JSON (${(err as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'not a JSON object' };
  }
  const { id, text } = value as Record<string, unknown>;
  if (typeof id !== 'string') return { error: '"id" must be a string' };
  if (typeof text !== 'string') return { error: '"text" must be a string' };
  const ids = matcher.match(text);
  return { out: `{"id":${JSON.stringify(id)},"movie_ids":[${ids.join(',')}]}\n` };
}

export const command: Command = {
  summary: 'match NDJSON posts on stdin to catalog movie ids',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        catalog: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    let matcher: Matcher;
    try {
      matcher = compileMatcher(await loadCatalog(values.catalog ?? DEFAULT_CATALOG_PATH));
    } catch (err) {
      console.error(`filmgrain match: ${(err as Error).message}`);
      return 1;
    }
    const stdout = process.stdout;
    let pending = '';
    const flush = async (): Promise<void> => {
      if (pending === '') return;
      const chunk = pending;
      pending = '';
      // Respect backpressure: wait for 'drain' when the pipe is full.
      if (!stdout.write(chunk)) await new Promise<void>((r) => stdout.once('drain', r));
    };
    let lineNo = 0;
    const skip = (why: string): void => {
      process.stderr.write(`line ${lineNo}: ${why}, skipped\n`);
    };
    const splitter = new LineSplitter(
      MAX_LINE_BYTES,
      {
        line(text) {
          lineNo++;
          const r = matchLine(matcher, text);
          if ('out' in r) pending += r.out;
          else skip(r.error);
        },
        blank() {
          lineNo++;
          skip('empty line');
        },
        invalidEncoding() {
          lineNo++;
          skip('not valid UTF-8');
        },
        overflow() {
          lineNo++;
          skip(`longer than ${MAX_LINE_BYTES} bytes`);
        },
      },
      { resync: true },
    );
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      splitter.push(chunk);
      if (pending.length >= FLUSH_CHARS) await flush();
    }
    splitter.end();
    await flush();
    return 0;
  },
};
