/**
 * `filmgrain watch`: the live ranking and a movie's posts in the terminal, built on
 * the client SDK (filmgrain/client) — so it reconnects, follows redirects and resumes
 * feeds without losing posts, exactly as an app would. Full screen on a terminal;
 * plain lines when stdout is a pipe.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type NodeClientOptions } from '../../client/node.js';
import { DEFAULT_DATA_DIR } from '../../endpoint/options.js';
import { defaultsOf, flag, int, str } from '../../options/declare.js';
import { DEFAULT_PORT } from '../../protocol/index.js';
import type { Command } from '../command.js';
import { parseCommand } from '../flags.js';
import { untilSignal } from '../signals.js';
import { WatchModel } from '../watch/model.js';
import { PlainOutput } from '../watch/plain.js';
import { render } from '../watch/render.js';
import { openScreen } from '../watch/tty.js';

const WATCH_OPTIONS = {
  directory: str({
    flag: 'directory',
    env: 'FILMGRAIN_DIRECTORY',
    value: 'URL',
    doc: 'endpoints.json to pick an endpoint from (instead of --host/--port)',
  }),
  host: str({ flag: 'host', default: '127.0.0.1', value: 'ADDR', doc: 'endpoint host' }),
  port: int({ flag: 'port', default: DEFAULT_PORT, min: 1, max: 65_535, doc: 'endpoint port' }),
  ca: str({
    flag: 'ca',
    value: 'FILE',
    doc: 'CA certificate (PEM) to trust (default: the system CAs, or the development certificate of --data-dir for a local endpoint)',
  }),
  pin: str({
    flag: 'pin',
    value: 'SHA256',
    doc: 'accept only the certificate with this fingerprint',
  }),
  insecure: flag({ flag: 'insecure', doc: 'accept any certificate (development only)' }),
  plain: flag({ flag: 'plain', doc: 'plain TCP instead of TLS' }),
  movie: int({
    flag: 'movie',
    default: undefined,
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    value: 'ID',
    doc: "follow this movie's posts (default: the top one)",
  }),
  dataDir: str({
    flag: 'data-dir',
    env: 'FILMGRAIN_DATA_DIR',
    default: DEFAULT_DATA_DIR,
    value: 'DIR',
    doc: 'where `filmgrain start` keeps its development certificate',
  }),
} as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export const command: Command = {
  summary: 'watch the live ranking and a movie’s posts (terminal UI, or lines in a pipe)',
  async run(argv) {
    const parsed = parseCommand(argv, { watch: WATCH_OPTIONS }, 'usage: filmgrain watch [options]');
    if (parsed === null) return 0;
    const flags = { ...defaultsOf(WATCH_OPTIONS), ...parsed.watch };
    const host = flags.host;
    const options: NodeClientOptions = { client: { name: 'filmgrain-watch' } };
    if (flags.directory !== undefined) options.directory = flags.directory;
    else {
      options.host = host;
      options.port = flags.port;
      options.tls = !flags.plain;
    }
    if (flags.ca !== undefined) options.ca = readFileSync(flags.ca);
    else if (flags.pin !== undefined) options.pin = flags.pin;
    else if (flags.insecure) options.insecure = true;
    else if (flags.directory === undefined && LOOPBACK.has(host)) {
      // `filmgrain start` on this machine serves its development certificate.
      const dev = join(flags.dataDir, 'dev-cert.pem');
      if (existsSync(dev)) options.ca = readFileSync(dev);
    }
    const movieFlag = flags.movie;
    const tty = process.stdout.isTTY === true;
    // A person reads the terminal: a hot movie's feed comes at the readable rate, the
    // rest counted ("+N more"; PROTOCOL.md § 7 Hot feeds). A pipe gets every post.
    if (tty) options.liveCap = true;
    const client = createClient(options);
    const model = new WatchModel();

    let quit: () => void = () => {};
    const quitting = new Promise<void>((resolve) => {
      quit = resolve;
    });
    const follow = (id: number) => {
      if (model.followed === id) return;
      if (model.followed !== undefined) client.unfollow(model.followed);
      model.follow(id);
      client.follow(id);
    };
    if (movieFlag !== undefined && movieFlag > 0) follow(movieFlag);

    if (!tty) {
      const out = new PlainOutput(
        (line) => process.stdout.write(`${line}\n`),
        (id) => model.title(id),
      );
      client.on('ranking', (r) => {
        model.setRanking(r);
        out.ranking(r);
      });
      client.on('post', (p) => out.post(p));
      client.on('state', (s) => out.note(`${s.to}${s.endpoint ? ` ${s.endpoint}` : ''}`));
      // Every error, also the client's own (a refused connection, a failed TLS check):
      // in a pipe nobody sees the status line, and retries are spaced by back-off.
      client.on('error', (e) => process.stderr.write(`filmgrain watch: ${e.code}: ${e.message}\n`));
      void client.connect().catch(() => quit());
      await Promise.race([untilSignal(['SIGINT', 'SIGTERM']), quitting]);
      await client.close();
      return client.state === 'closed' && model.movies.length === 0 ? 1 : 0;
    }

    const screen = openScreen(
      (cols, rows) => render(model, cols, rows),
      (key) => {
        switch (key) {
          case 'up':
            model.move(-1);
            break;
          case 'down':
            model.move(1);
            break;
          case 'page-up':
            model.move(-10);
            break;
          case 'page-down':
            model.move(10);
            break;
          case 'top':
            model.move(-Number.MAX_SAFE_INTEGER);
            break;
          case 'bottom':
            model.move(Number.MAX_SAFE_INTEGER);
            break;
          case 'enter': {
            const movie = model.selectedMovie();
            if (movie !== undefined) follow(movie.id);
            break;
          }
          case 'quit':
            quit();
            return;
        }
        screen.invalidate();
      },
    );
    const restore = () => screen.restore();
    process.once('exit', restore);
    client.on('ranking', (r) => {
      model.setRanking(r);
      // Nothing chosen yet: follow the top movie so the feed is never empty.
      if (model.followed === undefined && r.movies[0] !== undefined) {
        follow(r.movies[0].id);
      }
      screen.invalidate();
    });
    client.on('post', (p) => {
      model.addPost(p);
      screen.invalidate();
    });
    client.on('rtt', (ms) => {
      model.rttMs = ms;
      screen.invalidate();
    });
    client.on('state', (s) => {
      model.state = s.to;
      model.endpoint = s.endpoint ?? model.endpoint;
      model.reconnects = client.reconnects;
      if (s.reason) model.notice = `${s.reason.code}`;
      screen.invalidate();
    });
    client.on('error', (e) => {
      model.notice = e.code;
      screen.invalidate();
    });
    client.on('redirect', (r) => {
      model.notice = `redirected to ${r.target.host}:${r.target.port} (${r.reason})`;
      screen.invalidate();
    });
    void client.connect().catch(() => {});
    await Promise.race([untilSignal(['SIGINT', 'SIGTERM']), quitting]);
    await client.close();
    restore();
    process.off('exit', restore);
    return 0;
  },
};
